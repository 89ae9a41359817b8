package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.MatrixSlice;
import io.github.jrnn.kernels.PackedMatrix;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordingKernels}, whose class is generated, is complete (no kernel can end in an AbstractMethodError) and
 * faithful: each call through either twin is recorded once under its kernel's name and gives the bits of the scalar
 * reference, and the workspace count sees exactly the forward gate calls given a workspace.
 */
class RecordingKernelsTest {

    private static final Kernels REFERENCE = KernelProvider.checkedScalar();

    private final RecordingKernels recording = RecordingKernels.create();
    private final Random random = new Random(42);

    private float[] randoms(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextFloat() * 4 - 2;
        }
        return x;
    }

    @Test
    void theGeneratedClassHasABodyForEveryAbstractMethodOfKernels() {
        Class<?> generated = recording.getClass();
        assertFalse(Modifier.isAbstract(generated.getModifiers()), generated + " is abstract");
        Set<String> abstractMethods = new TreeSet<>();
        Set<String> withoutBody = new TreeSet<>();
        // Kernels declares its kernels by family, one superclass per family: every class up to Object
        for (Class<?> declaring = Kernels.class; declaring != Object.class; declaring = declaring.getSuperclass()) {
            for (Method m : declaring.getDeclaredMethods()) {
                if (Modifier.isAbstract(m.getModifiers())) {
                    abstractMethods.add(m.getName());
                    if (Modifier.isAbstract(mostSpecific(generated, m).getModifiers())) {
                        withoutBody.add(m.getName());
                    }
                }
            }
        }
        assertEquals(Set.of(), withoutBody, "abstract in the generated class: calls would throw AbstractMethodError");
        // guards against the loop above silently seeing nothing, or only some of the families (one method of each)
        assertTrue(abstractMethods.containsAll(Set.of("name", "dotImpl", "sgemmImpl", "gruCellImpl", "layerNormImpl",
                        "adamStepImpl", "gatherImpl", "cumsumAlongImpl")),
                "unexpected abstract methods of Kernels: " + abstractMethods);
    }

    /** The declaration of {@code m} that a call on an instance of {@code type} runs. */
    private static Method mostSpecific(Class<?> type, Method m) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                // declared higher up
            }
        }
        throw new AssertionError(m + " not found from " + type);
    }

    @Test
    void theTwinsAreOneGeneratedClassSharingTheirCounts() {
        Kernels unchecked = recording.unchecked();
        assertTrue(recording.isChecked());
        assertSame(recording.getClass(), unchecked.getClass());
        assertSame(recording, unchecked.checked());
        assertEquals("recording scalar (unchecked)", unchecked.toString());
        assertEquals(0, recording.calls(), "a new instance has recorded nothing");
        unchecked.fill(3, 1f, new float[3], 0);
        assertEquals(1, recording.calls(), "a call through the unchecked twin counts for the checked one");
        assertEquals(0, RecordingKernels.create().calls(), "each instance has counts of its own");
    }

    @Test
    void callsThroughEitherTwinAreRecordedAndGiveTheReferenceBits() {
        float[] x = randoms(37);
        float[] y = randoms(37);
        float expectedDot = REFERENCE.dot(37, x, 0, y, 0);
        assertEquals(Float.floatToRawIntBits(expectedDot), Float.floatToRawIntBits(recording.dot(37, x, 0, y, 0)));
        assertEquals(Float.floatToRawIntBits(expectedDot),
                Float.floatToRawIntBits(recording.unchecked().dot(37, x, 0, y, 0)));

        float[] expectedTanh = new float[37];
        REFERENCE.tanh(37, x, 0, expectedTanh, 0);
        float[] tanh = new float[37];
        recording.unchecked().tanh(37, x, 0, tanh, 0);
        assertArrayEquals(expectedTanh, tanh);

        int m = 3;
        int k = 5;
        int n = 4;
        float[] a = randoms(m * k);
        float[] b = randoms(k * n);
        float[] c0 = randoms(m * n);
        float[] expected = c0.clone();
        REFERENCE.sgemm(false, false, m, n, k, 1.5f, a, 0, k, b, 0, n, 0.5f, expected, 0, n);
        float[] viaPacked = c0.clone();
        PackedMatrix packed = recording.packB(false, k, n, b, 0, n); // an object result comes back as is
        recording.unchecked().sgemmPacked(false, m, 1.5f, a, 0, k, packed, 0.5f, viaPacked, 0, n);
        assertArrayEquals(expected, viaPacked, "packB then sgemmPacked through the twins");
        float[] viaSgemm = c0.clone();
        recording.sgemm(false, false, m, n, k, 1.5f, a, 0, k, b, 0, n, 0.5f, viaSgemm, 0, n);
        assertArrayEquals(expected, viaSgemm, "sgemm");

        assertEquals(2, recording.calls("dot"));
        assertEquals(1, recording.calls("tanh"));
        assertEquals(1, recording.calls("packB"));
        assertEquals(1, recording.calls("sgemmPacked"));
        assertEquals(1, recording.calls("sgemm"));
        assertEquals(6, recording.calls());
        assertEquals(0, recording.gateCallsWithWorkspace(), "none of these takes a workspace");
    }

    @Test
    void onlyForwardGateCallsGivenAWorkspaceCountAsSavingOne() {
        int batch = 2;
        int hidden = 3;
        float[] ig = randoms(batch * 3 * hidden);
        float[] hg = randoms(batch * 3 * hidden);
        float[] hPrev = randoms(batch * hidden);

        float[] consumed = ig.clone();
        float[] h = new float[batch * hidden];
        recording.gruCell(batch, hidden, consumed, 0, hg, 0, hPrev, 0, hidden, h, 0, hidden, null, 0);
        float[] expectedConsumed = ig.clone();
        float[] expectedH = new float[batch * hidden];
        REFERENCE.gruCell(batch, hidden, expectedConsumed, 0, hg, 0, hPrev, 0, hidden, expectedH, 0, hidden, null, 0);
        assertArrayEquals(expectedH, h);
        assertArrayEquals(expectedConsumed, consumed, "ig consumed as the reference consumes it");
        assertEquals(0, recording.gateCallsWithWorkspace(), "gruCell without a workspace");

        float[] workspace = new float[batch * 4 * hidden];
        recording.unchecked().gruCell(batch, hidden, ig, 0, hg, 0, hPrev, 0, hidden, h, 0, hidden, workspace, 0);
        float[] expectedWorkspace = new float[batch * 4 * hidden];
        REFERENCE.gruCell(batch, hidden, ig, 0, hg, 0, hPrev, 0, hidden, expectedH, 0, hidden, expectedWorkspace, 0);
        assertArrayEquals(expectedWorkspace, workspace);
        assertEquals(1, recording.gateCallsWithWorkspace(), "gruCell with a workspace");

        float[] lstmIg = randoms(batch * 4 * hidden);
        float[] lstmHg = randoms(batch * 4 * hidden);
        float[] c = randoms(batch * hidden);
        recording.lstmCell(batch, hidden, lstmIg, 0, lstmHg, 0, c.clone(), 0, new float[batch * hidden], 0, h, 0,
                hidden, new float[batch * 4 * hidden], 0);
        assertEquals(2, recording.gateCallsWithWorkspace(), "lstmCell with a workspace");

        MatrixSlice dh = new MatrixSlice(randoms(batch * hidden), 0, hidden);
        MatrixSlice saved = new MatrixSlice(workspace, 0, 4 * hidden);
        MatrixSlice dIg = new MatrixSlice(new float[batch * 3 * hidden], 0, 3 * hidden);
        MatrixSlice dHg = new MatrixSlice(new float[batch * 3 * hidden], 0, 3 * hidden);
        MatrixSlice dhPrev = new MatrixSlice(new float[batch * hidden], 0, hidden);
        recording.gruCellBackward(batch, hidden, dh, new MatrixSlice(hPrev, 0, hidden), saved, dIg, dHg, dhPrev);
        assertEquals(2, recording.gateCallsWithWorkspace(), "a backward reads a workspace; it saves none");
        assertEquals(4, recording.calls());
        assertEquals(2, recording.calls("gruCell"));
        assertEquals(1, recording.calls("gruCellBackward"));
    }

    @Test
    void theFrontDoorRefusesBeforeAnyRecordAndAReferenceFailureReachesTheCallerAsItself() {
        float[] two = new float[2];
        assertThrows(IllegalArgumentException.class, () -> recording.fill(3, 1f, two, 0));
        assertEquals(0, recording.calls(), "the checked twin rejected the call before its Impl ran");

        Class<? extends Throwable> referenceFailure = assertThrows(RuntimeException.class,
                () -> REFERENCE.unchecked().fill(3, 1f, two, 0)).getClass();
        assertSame(referenceFailure, assertThrows(RuntimeException.class,
                () -> recording.unchecked().fill(3, 1f, two, 0)).getClass(), "not wrapped by the reflective call");
        assertEquals(1, recording.calls(), "the call was recorded before the reference failed");
    }
}
