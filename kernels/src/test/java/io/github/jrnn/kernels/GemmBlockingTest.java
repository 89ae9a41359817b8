package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The micro-tile shapes {@link GemmBlocking} documents for each vector width. */
class GemmBlockingTest {

    @Test
    void microTilesAreTwelveRowsAt512BitsAndSixBelowTwoVectorsWide() {
        assertEquals(6, GemmBlocking.microTileRows(4), "rows at 128 bits");
        assertEquals(6, GemmBlocking.microTileRows(8), "rows at 256 bits");
        assertEquals(12, GemmBlocking.microTileRows(16), "rows at 512 bits");
        assertEquals(8, GemmBlocking.microTileCols(4), "columns at 128 bits");
        assertEquals(32, GemmBlocking.microTileCols(16), "columns at 512 bits");
    }
}
