package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
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
 * Impl without its public method, fails here).
 */
class KernelCompletenessTest {

    /** The classes holding kernel comparison properties. */
    private static final List<Class<?>> PROPERTY_CLASSES = List.of(
            BlasProperties.class, ElementwiseProperties.class, ActivationProperties.class,
            RnnCellProperties.class, GruCellProperties.class, LstmCellProperties.class, SoftmaxProperties.class,
            OptimizerProperties.class, PackedGemmProperties.class, RecurrentSequenceProperties.class,
            MovementProperties.class,
            TensorOpProperties.class, AlongDimProperties.class, NormAndLossProperties.class,
            CumsumAlongProperties.class);

    /** Public methods of Kernels that are not kernels. */
    private static final Set<String> NOT_KERNELS = Set.of("name", "isChecked", "checked", "unchecked", "toString");

    private static Set<String> publicMethods() {
        return Stream.of(Kernels.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName)
                .filter(name -> !NOT_KERNELS.contains(name))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The kernels: names {@code x} with a protected abstract {@code xImpl}. */
    private static Set<String> kernelMethods() {
        return Stream.of(Kernels.class.getDeclaredMethods())
                .filter(m -> Modifier.isProtected(m.getModifiers()) && Modifier.isAbstract(m.getModifiers()))
                .map(Method::getName)
                .filter(name -> name.endsWith("Impl"))
                .map(name -> name.substring(0, name.length() - "Impl".length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyPublicMethodIsAKernelWithItsImplAndEveryImplHasItsPublicMethod() {
        assertEquals(kernelMethods(), publicMethods(),
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
        Set<String> missing = new TreeSet<>(kernelMethods());
        missing.removeAll(compared());
        assertTrue(missing.isEmpty(), "Kernels methods without a property comparing them (add one and mark it "
                + "@Compares(\"name\")): " + missing);
    }

    @Test
    void everyComparesAnnotationNamesAKernelMethod() {
        Set<String> unknown = new TreeSet<>(compared());
        unknown.removeAll(kernelMethods());
        assertEquals(Set.of(), unknown, "@Compares names that are not methods of Kernels");
    }

    @Test
    void theClassStillHasTheKernelsThisSuiteWasWrittenFor() {
        // guards against the reflection above silently seeing nothing (e.g. a wrong class)
        assertTrue(kernelMethods().containsAll(List.of("sgemm", "gruCellBackward", "logSoftmax")),
                "unexpected Kernels methods: " + kernelMethods());
    }
}
