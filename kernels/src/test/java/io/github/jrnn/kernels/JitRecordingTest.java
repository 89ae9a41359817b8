package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link JitRecording}'s view of the code cache, on which {@link JitRecording.Snapshot#withoutC2Code} relies for
 * methods compiled before a recording began (as an earlier test in the same JVM compiles the kernels).
 */
class JitRecordingTest {

    private static final String HOT = JitRecordingTest.class.getName() + ".hot(I)I";
    private static final String NEVER_CALLED = JitRecordingTest.class.getName() + ".neverCalled(I)I";
    /**
     * Calls between looks at the code list. C2 compiles a method after 5,000-15,000 calls with default flags
     * (Tier4InvocationThreshold, Tier4CompileThreshold), before the calling loop's 40,000 back edges
     * (Tier4BackEdgeThreshold) get it compiled on stack replacement with {@code hot} inlined.
     */
    private static final int CALLS_PER_LOOK = 20_000;
    private static final int MAX_LOOKS = 100;

    @Test
    void theCodeListNamesAMethodWithC2CodeAsTheRecordedEventsDo() throws IOException {
        int sink = 0;
        Set<String> installed = Set.of();
        for (int look = 0; look < MAX_LOOKS && !installed.contains(HOT); look++) {
            for (int i = 0; i < CALLS_PER_LOOK; i++) {
                sink += hot(i);
            }
            installed = JitRecording.installedC2Code();
        }
        assertTrue(installed.contains(HOT), "after " + MAX_LOOKS * CALLS_PER_LOOK + " calls (sink " + sink
                + ") no C2 code for " + HOT + " among " + installed.size() + " methods");
        assertFalse(installed.contains(NEVER_CALLED), NEVER_CALLED + " was never called");
    }

    private static int hot(int i) {
        return (i * 31) ^ (i >>> 3);
    }

    private static int neverCalled(int i) {
        return i + 1;
    }
}
