package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kernels of {@link Kernels}, found by reflection so that a kernel added later is covered by the suites that
 * iterate them: a kernel is a public method {@code x} with its protected abstract {@code xImpl}, declared by Kernels
 * or one of the classes above it (Kernels declares its kernels by family, one superclass per family).
 */
final class KernelMethods {

    /** Public methods of Kernels that are not kernels. */
    static final Set<String> NOT_KERNELS = Set.of("name", "isChecked", "checked", "unchecked", "toString",
            "recurrentLayerGroup");

    private KernelMethods() {
    }

    /** The methods declared by Kernels and every class above it but Object. */
    private static Stream<Method> declaredMethods() {
        return Stream.<Class<?>>iterate(Kernels.class, c -> c != Object.class, Class::getSuperclass)
                .flatMap(c -> Stream.of(c.getDeclaredMethods()));
    }

    /** The names of the public instance methods of Kernels other than {@link #NOT_KERNELS}. */
    static Set<String> publicMethodNames() {
        return declaredMethods()
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName)
                .filter(name -> !NOT_KERNELS.contains(name))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The kernels' names: {@code x} for every protected abstract {@code xImpl}. */
    static Set<String> names() {
        return declaredMethods()
                .filter(m -> Modifier.isProtected(m.getModifiers()) && Modifier.isAbstract(m.getModifiers()))
                .map(Method::getName)
                .filter(name -> name.endsWith("Impl"))
                .map(name -> name.substring(0, name.length() - "Impl".length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The public method of every kernel, by name.
     *
     * @throws AssertionError when a kernel name is overloaded (the suites look kernels up by name)
     */
    static Map<String, Method> publicMethods() {
        Map<String, Method> methods = new TreeMap<>();
        Set<String> kernels = names();
        declaredMethods().forEach(m -> {
            if (Modifier.isPublic(m.getModifiers()) && kernels.contains(m.getName())
                    && methods.put(m.getName(), m) != null) {
                throw new AssertionError("kernel " + m.getName() + " is overloaded; the suites find kernels by name");
            }
        });
        return methods;
    }
}
