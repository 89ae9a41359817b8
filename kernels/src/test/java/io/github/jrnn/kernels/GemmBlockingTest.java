package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The micro-tile shapes {@link GemmBlocking} documents for each vector width, and its blocks for each L2 size. */
class GemmBlockingTest {

    @Test
    void microTilesAreTwelveRowsAt512BitsAndSixBelowTwoVectorsWide() {
        assertEquals(6, GemmBlocking.microTileRows(4), "rows at 128 bits");
        assertEquals(6, GemmBlocking.microTileRows(8), "rows at 256 bits");
        assertEquals(12, GemmBlocking.microTileRows(16), "rows at 512 bits");
        assertEquals(8, GemmBlocking.microTileCols(4), "columns at 128 bits");
        assertEquals(32, GemmBlocking.microTileCols(16), "columns at 512 bits");
    }

    @Test
    void theInnerBlockIs1024FromTwoMegabytesOfL2And384BelowOrWhenUnknown() {
        assertEquals(384, GemmBlocking.innerBlock(0), "unknown");
        assertEquals(384, GemmBlocking.innerBlock(512L << 10), "Zen 3: 512 KB");
        assertEquals(384, GemmBlocking.innerBlock(1L << 20), "Zen 5: 1 MB");
        assertEquals(384, GemmBlocking.innerBlock((2L << 20) - 1), "just below 2 MB");
        assertEquals(1024, GemmBlocking.innerBlock(2L << 20), "Xeon family 6 model 167: 2 MB");
    }

    @Test
    void theColumnBlockKeepsTheBBlockAtSixMegabytes() {
        assertEquals(GemmBlocking.B_BLOCK_FLOATS, GemmBlocking.KC * GemmBlocking.NC,
                "KC " + GemmBlocking.KC + " x NC " + GemmBlocking.NC);
        assertEquals(6L << 20, (long) GemmBlocking.B_BLOCK_FLOATS * Float.BYTES, "bytes of a B block");
    }
}
