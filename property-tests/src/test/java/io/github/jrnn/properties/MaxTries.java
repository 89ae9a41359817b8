package io.github.jrnn.properties;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyAttributes;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Caps the tries of every property at the system property {@value #PROPERTY} when it is set (a positive integer);
 * without it every property runs the tries it declares. The quick passes of the kernel properties at narrower
 * vector widths and the mutation-testing run use it (property-tests/pom.xml): they run every property, each with
 * fewer tries, and a property's first tries are its edge cases mixed with random ones, so few tries still reach
 * the lane-count and block boundaries. Registered for all jqwik properties through
 * {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}.
 */
public final class MaxTries implements AroundPropertyHook {

    /** The system property holding the cap, e.g. {@code -Djrnn.properties.maxTries=50}. */
    public static final String PROPERTY = "jrnn.properties.maxTries";

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String value = System.getProperty(PROPERTY, "").strip();
        if (!value.isEmpty()) {
            int max = parse(value);
            PropertyAttributes attributes = context.attributes();
            attributes.setTries(Math.min(max, attributes.tries().orElse(Integer.MAX_VALUE)));
        }
        return property.execute();
    }

    private static int parse(String value) {
        try {
            int max = Integer.parseInt(value);
            if (max > 0) {
                return max;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + PROPERTY + " must be a positive number of tries, got '" + value
                + "'");
    }
}
