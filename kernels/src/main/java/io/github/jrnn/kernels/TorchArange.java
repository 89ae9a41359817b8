package io.github.jrnn.kernels;

/**
 * The one formula of {@link Kernels#arange} (torch 1.13's CPU fill, see there), shared by both implementations: a
 * creation routine runs once per tensor, so a second, vectorised version would buy nothing.
 */
final class TorchArange {

    /** Torch's {@code Vectorized<float>::size()} on 256-bit (AVX2 and default) builds. */
    static final int TORCH_LANES = 8;

    private TorchArange() {
    }

    static void fill(int n, double start, double step, float[] x, int xOffset) {
        int vectorised = n / (2 * TORCH_LANES) * (2 * TORCH_LANES);
        for (int i = 0; i < n; i++) {
            if (i < vectorised) {
                int k = i / TORCH_LANES * TORCH_LANES;
                float base = (float) (start + step * k);
                x[xOffset + i] = (float) (base + step * (i - k));
            } else {
                x[xOffset + i] = (float) (start + step * i);
            }
        }
    }
}
