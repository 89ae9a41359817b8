package io.github.jrnn.nn.init;

/**
 * Which fan the Kaiming initialisers scale by: {@code fan_in} (PyTorch's default; preserves the variance of the
 * forward pass) or {@code fan_out} (preserves it in the backward pass).
 */
public enum FanMode {
    FAN_IN, FAN_OUT;

    /**
     * The constant for {@code "fan_in"} or {@code "fan_out"} (case-insensitive, like PyTorch).
     *
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
