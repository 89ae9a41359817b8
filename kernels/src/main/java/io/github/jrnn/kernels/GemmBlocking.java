package io.github.jrnn.kernels;

/**
 * TUNING DRAFT (constants read from properties while measuring; finalised below once measured).
 */
public final class GemmBlocking {

    public static final int KC = Integer.getInteger("jrnn.gemm.kc", 256);
    public static final int MC = Integer.getInteger("jrnn.gemm.mc", 192);
    public static final int NC = Integer.getInteger("jrnn.gemm.nc", 4096);
    public static final long PACKING_MIN_MULTIPLY_ADDS = Long.getLong("jrnn.gemm.packmin", 32L * 32 * 32);
    public static final long THREADING_MIN_MULTIPLY_ADDS = Long.getLong("jrnn.gemm.threadmin", 128L * 128 * 128);

    private GemmBlocking() {
    }

    public static int microTileRows(int lanes) {
        return lanes >= 16 ? 12 : 6;
    }

    public static int microTileCols(int lanes) {
        return 2 * lanes;
    }
}
