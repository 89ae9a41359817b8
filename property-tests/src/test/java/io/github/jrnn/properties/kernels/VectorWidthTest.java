package io.github.jrnn.properties.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.github.jrnn.kernels.GemmBlocking;
import java.lang.management.ManagementFactory;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The kernel properties run at the vector width the build asked for. The build runs them at the machine's
 * preferred width and again under {@code -XX:MaxVectorSize=16} and {@code 32} (surefire executions in
 * property-tests/pom.xml, which name the width they expect in {@value #EXPECTED_BITS}); the vector kernels compute
 * with {@code FloatVector.SPECIES_PREFERRED}, so this checks that the flag reached the test JVM and changed the
 * species, the lane count the shape generators aim at, and the micro-kernel the sgemm properties reach.
 */
class VectorWidthTest {

    /** System property: the float vector width in bits this run must compute with (absent: MaxVectorSize's). */
    static final String EXPECTED_BITS = "jrnn.test.vectorBits";

    @Test
    void theVectorKernelsComputeAtTheWidthThisRunAskedFor() {
        String asked = System.getProperty(EXPECTED_BITS, "").strip();
        // HotSpot lowers a MaxVectorSize beyond the CPU's vectors to what the CPU has (e.g. 256 bits on NEON ->
        // 128), so the width asked for is expected only where the machine has it.
        int expected = asked.isEmpty() ? maxVectorBits() : Math.min(Integer.parseInt(asked), maxVectorBits());
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        assertEquals(expected, bits, "the preferred float species (-XX:MaxVectorSize=" + maxVectorBits() / 8
                + " bytes)");
        assertEquals(bits / Float.SIZE, KernelShapes.LANES, "lanes the shape generators aim at");
        assertEquals(bits < 512 ? 6 : 12, GemmShapes.MR, "rows of the sgemm micro-tile");
        System.out.printf("kernel properties at %d-bit vectors: %d float lanes, sgemm micro-tile %d x %d%n", bits,
                KernelShapes.LANES, GemmShapes.MR, GemmBlocking.microTileCols(KernelShapes.LANES));
    }

    /** HotSpot's {@code MaxVectorSize} (bytes; set from the CPU unless given on the command line) in bits. */
    private static int maxVectorBits() {
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return Integer.parseInt(hotSpot.getVMOption("MaxVectorSize").getValue()) * 8;
    }
}
