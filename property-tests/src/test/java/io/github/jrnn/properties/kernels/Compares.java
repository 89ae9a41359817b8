package io.github.jrnn.properties.kernels;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the {@link io.github.jrnn.kernels.Kernels} method a property compares between the vector implementation
 * and the scalar reference (or a double-precision reference). Repeatable: a property covering several kernels
 * carries one annotation per kernel. {@link KernelCompletenessTest} fails when a kernel method has none.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Compares.List.class)
public @interface Compares {

    /** The exact name of the {@code Kernels} method. */
    String value();

    /** Container for repeated {@link Compares} annotations. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface List {
        Compares[] value();
    }
}
