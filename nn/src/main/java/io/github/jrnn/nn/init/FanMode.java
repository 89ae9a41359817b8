package io.github.jrnn.nn.init;

/**
 * Which fan the Kaiming initialisers scale by: {@code fan_in} (PyTorch's default; preserves the variance of the
 * forward pass) or {@code fan_out} (preserves it in the backward pass).
 */
public enum FanMode {
    /** {@code "fan_in"}: scale by the number of inputs of a unit ({@code size(1)} times the receptive field). */
    FAN_IN,
    /** {@code "fan_out"}: scale by the number of outputs ({@code size(0)} times the receptive field). */
    FAN_OUT;

    /**
     * The constant for {@code "fan_in"} or {@code "fan_out"} (case-insensitive, like PyTorch).
     *
     * @param mode {@code "fan_in"} or {@code "fan_out"}, in any case
     * @return the constant
     * @throws IllegalArgumentException for any other text, with PyTorch's message
     */
    public static FanMode fromTorchName(String mode) {
        return switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "fan_in" -> FAN_IN;
            case "fan_out" -> FAN_OUT;
            default -> throw new IllegalArgumentException("Mode " + mode
                    + " not supported, please use one of ['fan_in', 'fan_out']");
        };
    }
}
