package io.github.jrnn.nn.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library's packages form one layered graph without cycles (the cut is explained in each package's
 * {@code package-info.java}):
 *
 * <pre>
 * kernels, random                  no jrnn dependencies
 * autograd                         kernels
 * tensor                           autograd, kernels, random
 * init, checkpoint (file formats)  tensor (init also random and kernels)
 * layers, packed, loss, optim      tensor, autograd, init, kernels, random (optim and loss see layers;
 *                                  layers reads checkpoint's StateDict in loadStateDict)
 * rnn                              layers, packed and everything below
 * models (module checkpoints)      everything above: checkpoint, layers, rnn, optim
 * </pre>
 *
 * The command line and the demos are a separate Maven module that nothing in the library can see.
 */
class PackageDependenciesTest {

    private static JavaClasses library;

    @BeforeAll
    static void importLibrary() {
        library = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.jrnn");
    }

    @Test
    void libraryPackagesAreFreeOfCycles() {
        ArchRule rule = slices().matching("io.github.jrnn.(**)").should().beFreeOfCycles();
        rule.check(library);
    }

    @Test
    void packagesOnlyUseTheLayersBelowThem() {
        String nn = "io.github.jrnn.nn.";
        ArchRule rule = Architectures.layeredArchitecture().consideringOnlyDependenciesInAnyPackage("io.github.jrnn..")
                .layer("kernels").definedBy("io.github.jrnn.kernels..")
                .layer("random").definedBy(nn + "random..")
                .layer("autograd").definedBy(nn + "autograd..")
                .layer("tensor").definedBy(nn + "tensor..")
                .layer("init").definedBy(nn + "init..")
                .layer("checkpoint").definedBy(nn + "checkpoint..")
                .layer("layers").definedBy(nn + "layers..")
                .layer("packed").definedBy(nn + "packed..")
                .layer("loss").definedBy(nn + "loss..")
                .layer("optim").definedBy(nn + "optim..")
                .layer("rnn").definedBy(nn + "rnn..")
                .layer("models").definedBy(nn + "models..")
                .whereLayer("models").mayNotBeAccessedByAnyLayer()
                .whereLayer("rnn").mayOnlyBeAccessedByLayers("models")
                .whereLayer("optim").mayOnlyBeAccessedByLayers("models")
                .whereLayer("loss").mayNotBeAccessedByAnyLayer()
                .whereLayer("packed").mayOnlyBeAccessedByLayers("rnn", "models")
                .whereLayer("layers").mayOnlyBeAccessedByLayers("optim", "rnn", "models")
                .whereLayer("checkpoint").mayOnlyBeAccessedByLayers("layers", "models")
                .whereLayer("init").mayOnlyBeAccessedByLayers("layers", "rnn", "models")
                .whereLayer("tensor").mayOnlyBeAccessedByLayers("init", "checkpoint", "layers", "packed", "loss",
                        "optim", "rnn", "models")
                .whereLayer("autograd").mayOnlyBeAccessedByLayers("tensor", "layers", "packed", "loss", "optim",
                        "rnn", "models")
                .whereLayer("random").mayOnlyBeAccessedByLayers("tensor", "init", "layers", "rnn", "models");
        rule.check(library);
    }
}
