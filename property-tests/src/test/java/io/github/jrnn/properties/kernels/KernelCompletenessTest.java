package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kernel of {@link Kernels} (a public method {@code x} with its protected abstract {@code xImpl}) has at
 * least one property comparing the vector implementation with a reference, as declared by {@link Compares} on the
 * property methods; every {@code Compares} names a real kernel (no stale names after a rename); and every public
 * method is either a kernel or one of the few non-kernel methods (so a kernel added without its Impl pair, or an
 * Impl without its public method, fails here); and every kernel has a valid call in {@link FrontDoorCalls}, from
 * which {@link FrontDoorProperties} makes each argument bad in turn.
 */
class KernelCompletenessTest {

    /** The classes holding kernel comparison properties. */
    private static final List<Class<?>> PROPERTY_CLASSES = List.of(
            BlasProperties.class, ElementwiseProperties.class, ActivationProperties.class,
            RnnCellProperties.class, GruCellProperties.class, LstmCellProperties.class, SoftmaxProperties.class,
            OptimizerProperties.class, PackedGemmProperties.class, RecurrentSequenceProperties.class,
            RecurrentLayerProperties.class,
            MovementProperties.class,
            TensorOpProperties.class, AlongDimProperties.class, NormAndLossProperties.class,
            CumsumAlongProperties.class);

    @Test
    void everyPublicMethodIsAKernelWithItsImplAndEveryImplHasItsPublicMethod() {
        assertEquals(KernelMethods.names(), KernelMethods.publicMethodNames(),
                "each kernel is one pair: public x (checks, then calls) and protected abstract xImpl");
    }

    private static Set<String> compared() {
        return PROPERTY_CLASSES.stream()
                .flatMap(c -> Stream.of(c.getDeclaredMethods()))
                .flatMap(m -> Stream.of(m.getAnnotationsByType(Compares.class)))
                .map(Compares::value)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyKernelMethodHasAComparisonProperty() {
        Set<String> missing = new TreeSet<>(KernelMethods.names());
        missing.removeAll(compared());
        assertTrue(missing.isEmpty(), "Kernels methods without a property comparing them (add one and mark it "
                + "@Compares(\"name\")): " + missing);
    }

    @Test
    void everyComparesAnnotationNamesAKernelMethod() {
        Set<String> unknown = new TreeSet<>(compared());
        unknown.removeAll(KernelMethods.names());
        assertEquals(Set.of(), unknown, "@Compares names that are not methods of Kernels");
    }

    @Test
    void everyKernelHasAValidCallForTheFrontDoorProperty() {
        assertEquals(KernelMethods.names(), FrontDoorCalls.kernels(),
                "FrontDoorCalls needs exactly one valid call per kernel (FrontDoorProperties makes each argument bad)");
    }

    @Test
    void theClassStillHasTheKernelsThisSuiteWasWrittenFor() {
        // guards against the reflection above silently seeing nothing (e.g. a wrong class)
        assertTrue(KernelMethods.names().containsAll(List.of("sgemm", "gruCellBackward", "logSoftmax")),
                "unexpected Kernels methods: " + KernelMethods.names());
    }
}
