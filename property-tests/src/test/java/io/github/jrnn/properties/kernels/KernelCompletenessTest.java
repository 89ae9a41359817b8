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
 * Every method of {@link Kernels} (except {@code name}) has at least one property comparing the vector
 * implementation with a reference, as declared by {@link Compares} on the property methods; and every
 * {@code Compares} names a real kernel method (no stale names after a rename).
 */
class KernelCompletenessTest {

    /** The classes holding kernel comparison properties. */
    private static final List<Class<?>> PROPERTY_CLASSES = List.of(
            BlasProperties.class, ElementwiseProperties.class, ActivationProperties.class,
            RnnCellProperties.class, GruCellProperties.class, LstmCellProperties.class, SoftmaxProperties.class,
            OptimizerProperties.class, PackedGemmProperties.class);

    private static Set<String> kernelMethods() {
        return Stream.of(Kernels.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName)
                .filter(name -> !name.equals("name"))
                .collect(Collectors.toCollection(TreeSet::new));
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
    void theInterfaceStillHasTheMethodsThisSuiteWasWrittenFor() {
        // guards against the reflection above silently seeing nothing (e.g. a wrong class)
        assertTrue(kernelMethods().containsAll(List.of("sgemm", "gruCellBackward", "logSoftmax")),
                "unexpected Kernels methods: " + kernelMethods());
    }
}
