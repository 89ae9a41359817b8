package io.github.jrnn.properties.kernels;

import java.util.function.Supplier;

/**
 * Element assertions for the kernel properties. Each failure names the implementation, the output element and
 * the numbers involved; jqwik adds the (shrunk) shape parameters and the seed.
 */
final class Expect {

    private Expect() {
    }

    /** {@code |got - exact| <= bound}; a NaN or infinite exact value must be matched exactly. */
    static void within(Supplier<String> what, float got, double exact, double bound) {
        boolean ok;
        if (Double.isNaN(exact)) {
            ok = Float.isNaN(got);
        } else if (Double.isInfinite(exact)) {
            ok = got == exact;
        } else {
            ok = Math.abs(got - exact) <= bound;
        }
        if (!ok) {
            throw new AssertionError(what.get() + ": got " + got + ", expected " + exact + " +- " + bound
                    + " (difference " + Math.abs(got - exact) + ")");
        }
    }

    /** {@code got} within the running error bound of a {@link Tracked} formula. */
    static void within(Supplier<String> what, float got, Tracked exact) {
        within(what, got, exact.value(), exact.error());
    }

    /** At most {@code maxUlps} ulps from the exact value, see {@link Ulps#error}. */
    static void ulps(Supplier<String> what, float got, double exact, double maxUlps) {
        double error = Ulps.error(got, exact);
        if (!(error <= maxUlps)) {
            throw new AssertionError(what.get() + ": got " + got + " (0x" + Integer.toHexString(
                    Float.floatToRawIntBits(got)) + "), exact " + exact + ": " + error + " ulp > " + maxUlps
                    + " ulp allowed");
        }
    }

    /** The same float: equal bits, except that any NaN matches any NaN. */
    static void same(Supplier<String> what, float got, float expected) {
        if (Float.floatToIntBits(got) != Float.floatToIntBits(expected)) {
            throw new AssertionError(what.get() + ": got " + got + ", expected exactly " + expected);
        }
    }
}
