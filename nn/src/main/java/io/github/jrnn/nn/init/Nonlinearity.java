package io.github.jrnn.nn.init;

/**
 * The nonlinearities {@code torch.nn.init.calculate_gain} knows, with the recommended gain of each:
 * 1 for the linear and convolution functions and sigmoid, 5/3 for tanh, sqrt(2) for relu,
 * {@code sqrt(2 / (1 + negative_slope^2))} for leaky_relu and 3/4 for selu.
 */
public enum Nonlinearity {
    /** {@code "linear"}: gain 1. */
    LINEAR("linear"),
    /** {@code "conv1d"}: gain 1. */
    CONV1D("conv1d"),
    /** {@code "conv2d"}: gain 1. */
    CONV2D("conv2d"),
    /** {@code "conv3d"}: gain 1. */
    CONV3D("conv3d"),
    /** {@code "conv_transpose1d"}: gain 1. */
    CONV_TRANSPOSE1D("conv_transpose1d"),
    /** {@code "conv_transpose2d"}: gain 1. */
    CONV_TRANSPOSE2D("conv_transpose2d"),
    /** {@code "conv_transpose3d"}: gain 1. */
    CONV_TRANSPOSE3D("conv_transpose3d"),
    /** {@code "sigmoid"}: gain 1. */
    SIGMOID("sigmoid"),
    /** {@code "tanh"}: gain 5/3. */
    TANH("tanh"),
    /** {@code "relu"}: gain sqrt(2). */
    RELU("relu"),
    /** {@code "leaky_relu"}: gain {@code sqrt(2 / (1 + negative_slope^2))}. */
    LEAKY_RELU("leaky_relu"),
    /** {@code "selu"}: gain 3/4. */
    SELU("selu");

    private final String torchName;

    Nonlinearity(String torchName) {
        this.torchName = torchName;
    }

    /**
     * The name PyTorch uses, e.g. {@code "leaky_relu"}.
     *
     * @return the name
     */
    public String torchName() {
        return torchName;
    }

    /**
     * The constant for a PyTorch name such as {@code "tanh"}.
     *
     * @param name PyTorch's name, e.g. {@code "leaky_relu"}
     * @return the constant
     * @throws IllegalArgumentException for a name PyTorch does not know, with PyTorch's message
     */
    public static Nonlinearity fromTorchName(String name) {
        for (Nonlinearity n : values()) {
            if (n.torchName.equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("Unsupported nonlinearity " + name);
    }

    /**
     * {@code calculate_gain(this, param)}: {@code param} is leaky_relu's negative slope (PyTorch's default 0.01
     * when null) and is ignored by the others, as in PyTorch.
     *
     * @param param leaky_relu's negative slope, or null for 0.01
     * @return the recommended gain
     */
    public double gain(Double param) {
        return switch (this) {
            case LINEAR, CONV1D, CONV2D, CONV3D, CONV_TRANSPOSE1D, CONV_TRANSPOSE2D, CONV_TRANSPOSE3D, SIGMOID -> 1.0;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> {
                double slope = param == null ? 0.01 : param;
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case SELU -> 3.0 / 4;
        };
    }
}
