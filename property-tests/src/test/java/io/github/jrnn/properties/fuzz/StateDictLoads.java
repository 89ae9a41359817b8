package io.github.jrnn.properties.fuzz;

import com.sun.management.ThreadMXBean;
import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.DType;
import io.github.jrnn.nn.checkpoint.StateDict;
import io.github.jrnn.nn.checkpoint.StateDicts;
import io.github.jrnn.nn.checkpoint.StoredTensor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads fuzzed bytes with {@link StateDicts#read(byte[], String)} and {@link StateDicts#read(java.io.InputStream,
 * String)}, each bounded in time ({@link Bounded}) and in memory: the bytes a read allocates must stay within
 * {@link #allocationBound} of the input's length, whatever lengths the content claims (measured after a warm-up,
 * once per JVM: {@link #warmUp}). The outcome is the tensors read (their dtype, shape and bytes) or the
 * {@link CheckpointFormatException}; both ways must agree. Anything else is an {@link AssertionError} naming the
 * input.
 */
final class StateDictLoads {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Tensors with more elements than this are compared by dtype and shape only (a stride 0 view may be huge). */
    private static final long MAX_COMPARED_ELEMENTS = 1 << 20;

    /** Whether {@link #warmUp} has run in this JVM. */
    private static boolean warmedUp;

    private StateDictLoads() {
    }

    /** One tensor as read: dtype, shape, storage key, and its row-major bytes (null when too large to compare). */
    record Read(DType dtype, int[] shape, String storage, byte[] bytes) {
        boolean sameAs(Read o) {
            return dtype == o.dtype && Arrays.equals(shape, o.shape) && storage.equals(o.storage)
                    && Arrays.equals(bytes, o.bytes);
        }
    }

    /** The tensors by name, or the refusal. */
    record Outcome(Map<String, Read> tensors, CheckpointFormatException refused) {
        boolean loaded() {
            return refused == null;
        }
    }

    /**
     * Bytes a read may allocate: a fixed allowance (buffers, the central directory's index) plus a multiple of the
     * input's length (every pickle opcode builds at most a few small objects, each storage is at most the bytes it
     * was read from).
     */
    static long allocationBound(int inputLength) {
        return (16L << 20) + 512L * inputLength;
    }

    static Outcome load(byte[] bytes) {
        warmUpOnce();
        Outcome fromBytes = bounded(bytes, false);
        Outcome fromStream = bounded(bytes, true);
        if (fromBytes.loaded() != fromStream.loaded()) {
            throw new AssertionError("bytes " + (fromBytes.loaded() ? "loaded" : "refused") + " but the stream "
                    + (fromStream.loaded() ? "loaded" : "refused") + " for " + Loads.describe(bytes));
        }
        if (fromBytes.loaded()) {
            assertSame(fromBytes.tensors(), fromStream.tensors(), "bytes vs stream of " + Loads.describe(bytes));
        } else if (!fromBytes.refused().problem().equals(fromStream.refused().problem())) {
            throw new AssertionError("different refusals: " + fromBytes.refused().problem() + " / "
                    + fromStream.refused().problem());
        }
        return fromBytes;
    }

    static void assertSame(Map<String, Read> expected, Map<String, Read> actual, String what) {
        if (!expected.keySet().equals(actual.keySet())) {
            throw new AssertionError(what + ": names " + expected.keySet() + " vs " + actual.keySet());
        }
        expected.forEach((name, e) -> {
            if (!e.sameAs(actual.get(name))) {
                throw new AssertionError(what + ": tensor '" + name + "' differs");
            }
        });
    }

    private static synchronized void warmUpOnce() {
        if (!warmedUp) {
            Bounded.run(() -> {
                warmUp();
                return null;
            }, () -> "the warm-up reads");
            warmedUp = true;
        }
    }

    /**
     * Reads every file the reader must load ({@link TorchZips#loadableFiles}: torch zip, legacy, safetensors) from
     * bytes and from a stream, and refuses an empty input, so that a measured read counts what reading its input
     * costs and not what the first read in a JVM pays once, whatever the input: loading and initialising the
     * reader's classes, linking their lambdas and string concatenations and, when Jazzer runs the test, the
     * agent's instrumentation of each class as it loads, on the loading thread. Without it, the first valid
     * checkpoint of the Jazzer test run alone (archive_from_buffer.pt, 1063 bytes) was measured at 54.6 MB, nearly
     * all of it Jazzer instrumenting the classes the read loaded (a JFR allocation profile); in a plain JVM the same
     * read allocates 1.35 MB the first time and 86 kB after. An input that makes the reader allocate from a claimed
     * length does so on every read, warm or not, so the bound still catches it.
     */
    private static void warmUp() throws IOException {
        for (byte[] file : TorchZips.loadableFiles()) {
            try {
                StateDicts.read(file, "warm-up");
                StateDicts.read(new ByteArrayInputStream(file), "warm-up");
            } catch (CheckpointFormatException e) {
                throw new AssertionError("the warm-up read of a fixture was refused: " + Loads.describe(file), e);
            }
        }
        try {
            StateDicts.read(new byte[0], "warm-up");
            throw new AssertionError("the warm-up read of no bytes loaded");
        } catch (CheckpointFormatException expected) {
            // the refusal path is warm too
        }
    }

    private static Outcome bounded(byte[] bytes, boolean stream) {
        long[] allocated = new long[1];
        Outcome outcome = Bounded.run(() -> {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            StateDict sd;
            try {
                sd = stream ? StateDicts.read(new ByteArrayInputStream(bytes), "fuzz.pt")
                        : StateDicts.read(bytes, "fuzz.pt");
            } catch (CheckpointFormatException refused) {
                return new Outcome(null, refused);
            } finally {
                allocated[0] = THREADS.getCurrentThreadAllocatedBytes() - before;
            }
            return new Outcome(snapshot(sd), null);
        }, () -> Loads.describe(bytes));
        if (allocated[0] > allocationBound(bytes.length)) {
            throw new AssertionError("reading " + bytes.length + " bytes allocated " + allocated[0] + " bytes, more"
                    + " than the bound of " + allocationBound(bytes.length) + ": " + Loads.describe(bytes));
        }
        return outcome;
    }

    private static Map<String, Read> snapshot(StateDict sd) throws IOException {
        Map<String, Read> out = new LinkedHashMap<>();
        for (StoredTensor t : sd.tensors().values()) {
            byte[] b = t.numel() <= MAX_COMPARED_ELEMENTS ? t.toBytes() : null;
            if (b != null) {
                convert(t); // the conversions must give values or the documented refusal too
            }
            out.put(t.name(), new Read(t.dtype(), t.shape(), t.storage().key(), b));
        }
        return out;
    }

    private static void convert(StoredTensor t) throws CheckpointFormatException {
        if (t.dtype().isFloatingPoint()) {
            t.toTensor();
        } else {
            t.toLongTensor();
        }
    }
}
