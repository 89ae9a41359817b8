package io.github.jrnn.properties;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyAttributes;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Run-wide settings for every jqwik property, from system properties; without them each property runs as it
 * declares. Registered for all properties through {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}.
 * <ul>
 *   <li>{@value #MAX_TRIES} (a positive integer) caps the tries of every property. The quick passes of the kernel
 *       properties at narrower vector widths and the mutation-testing run use it (property-tests/pom.xml): they run
 *       every property with fewer tries, and since a property's tries mix its edge cases in from the start, few
 *       tries still reach the lane-count and block boundaries.</li>
 *   <li>{@value #SEED} (any long) fixes the random seed of every property, so that a run can be repeated exactly;
 *       the mutation-testing run uses it so that its score does not depend on the draw.</li>
 * </ul>
 */
public final class PropertyOverrides implements AroundPropertyHook {

    /** The system property capping the tries of every property, e.g. {@code -Djrnn.properties.maxTries=50}. */
    public static final String MAX_TRIES = "jrnn.properties.maxTries";
    /** The system property fixing the seed of every property, e.g. {@code -Djrnn.properties.seed=42}. */
    public static final String SEED = "jrnn.properties.seed";

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        PropertyAttributes attributes = context.attributes();
        String maxTries = System.getProperty(MAX_TRIES, "").strip();
        if (!maxTries.isEmpty()) {
            attributes.setTries(Math.min(positive(maxTries), attributes.tries().orElse(Integer.MAX_VALUE)));
        }
        String seed = System.getProperty(SEED, "").strip();
        if (!seed.isEmpty()) {
            attributes.setSeed(Long.toString(parseSeed(seed)));
        }
        return property.execute();
    }

    private static int positive(String value) {
        try {
            int max = Integer.parseInt(value);
            if (max > 0) {
                return max;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + MAX_TRIES + " must be a positive number of tries, got '" + value
                + "'");
    }

    private static long parseSeed(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED + " must be a long, got '" + value + "'", e);
        }
    }
}
