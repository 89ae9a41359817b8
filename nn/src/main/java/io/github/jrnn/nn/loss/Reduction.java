package io.github.jrnn.nn.loss;

import java.util.Locale;

/** How a loss combines its per-element values, PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** One loss per element, in the target's shape ({@code 'none'}). */
    NONE,
    /** The (weighted) mean ({@code 'mean'}, the default). */
    MEAN,
    /** The sum ({@code 'sum'}). */
    SUM;

    /**
     * Parses PyTorch's spelling: {@code "none"}, {@code "mean"} or {@code "sum"}.
     *
     * @param name the spelling, in any case
     * @return the constant
     */
    public static Reduction parse(String name) {
        if (name != null) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "none" -> {
                    return NONE;
                }
                case "mean" -> {
                    return MEAN;
                }
                case "sum" -> {
                    return SUM;
                }
                default -> {
                }
            }
        }
        throw new IllegalArgumentException(name + " is not a valid value for reduction; expected 'none', 'mean' or"
                + " 'sum'");
    }
}
