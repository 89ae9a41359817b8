package io.github.jrnn.bench.peers;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime (CPU execution provider, MLAS kernels) on the exported ONNX graph, whose single fused
 * RNN/GRU/LSTM node takes input (L, N, H), h_0 and (LSTM) c_0. Session options as a tuned deployment sets them:
 * all graph optimisations, intra-op threads = the row's thread count, inter-op 1, sequential execution.
 *
 * <p>Zero-copy I/O: inputs are {@link OnnxTensor}s over direct buffers created once, outputs are pinned
 * (pre-allocated) direct-buffer tensors that ORT writes into, so a timed call is {@code session.run} alone. The
 * stream ping-pongs two state sets: a step reads h_0 (c_0) from one set and writes h_n (c_n) into the other, then
 * the frame's output is read into the caller's {@code float[]}, as jrnn's step writes one.
 */
public final class OrtEngine implements RecurrentEngine {

    private final String name;
    private final boolean lstm;
    private final int hidden;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<OnnxTensor> owned = new ArrayList<>();
    private Map<String, OnnxTensor> seqInputs;
    private Map<String, OnnxTensor> seqOutputs;
    private FloatBuffer yBuf;
    private FloatBuffer hBuf;
    private FloatBuffer cBuf;
    private FloatBuffer frame;
    private FloatBuffer stepOut;
    private final FloatBuffer[] hState = new FloatBuffer[2];
    private final FloatBuffer[] cState = new FloatBuffer[2];
    private final List<Map<String, OnnxTensor>> stepInputs = new ArrayList<>();
    private final List<Map<String, OnnxTensor>> stepOutputs = new ArrayList<>();
    private int parity;

    /** Creates the session on {@code threads} intra-op threads. */
    public OrtEngine(String mode, int hidden, int threads) {
        this.name = "ort-" + threads + "t";
        this.lstm = "LSTM".equals(mode);
        this.hidden = hidden;
        try {
            env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "jrnn-bench");
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
                options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                session = env.createSession(PeerModels.model(mode, hidden, "onnx").toString(), options);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the " + mode + " hidden " + hidden + " model", e);
        }
    }

    /** ONNX Runtime's version, e.g. {@code 1.29.0}. */
    public static String version() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void prepareSequence(float[] input, int steps, int batch) {
        long[] seqShape = {steps, batch, hidden};
        long[] stateShape = {1, batch, hidden};
        FloatBuffer x = direct(input.length);
        x.put(0, input);
        seqInputs = new LinkedHashMap<>();
        seqInputs.put("input", tensor(x, seqShape));
        seqInputs.put("h_0", tensor(direct(batch * hidden), stateShape));
        yBuf = direct(input.length);
        hBuf = direct(batch * hidden);
        seqOutputs = new LinkedHashMap<>();
        seqOutputs.put("output", tensor(yBuf, seqShape));
        seqOutputs.put("h_n", tensor(hBuf, stateShape));
        if (lstm) {
            seqInputs.put("c_0", tensor(direct(batch * hidden), stateShape));
            cBuf = direct(batch * hidden);
            seqOutputs.put("c_n", tensor(cBuf, stateShape));
        }
    }

    @Override
    public Object forward() {
        run(seqInputs, seqOutputs);
        return yBuf;
    }

    @Override
    public Outputs outputs() {
        return new Outputs(copy(yBuf), copy(hBuf), lstm ? copy(cBuf) : null);
    }

    @Override
    public void openStream() {
        long[] shape = {1, 1, hidden};
        if (frame == null) {
            frame = direct(hidden);
            stepOut = direct(hidden);
            OnnxTensor x = tensor(frame, shape);
            OnnxTensor y = tensor(stepOut, shape);
            OnnxTensor[] h = new OnnxTensor[2];
            OnnxTensor[] c = new OnnxTensor[2];
            for (int p = 0; p < 2; p++) {
                hState[p] = direct(hidden);
                cState[p] = direct(hidden);
                h[p] = tensor(hState[p], shape);
                c[p] = tensor(cState[p], shape);
            }
            for (int p = 0; p < 2; p++) {
                Map<String, OnnxTensor> in = new LinkedHashMap<>();
                in.put("input", x);
                in.put("h_0", h[p]);
                Map<String, OnnxTensor> out = new LinkedHashMap<>();
                out.put("output", y);
                out.put("h_n", h[1 - p]);
                if (lstm) {
                    in.put("c_0", c[p]);
                    out.put("c_n", c[1 - p]);
                }
                stepInputs.add(in);
                stepOutputs.add(out);
            }
        }
        for (int p = 0; p < 2; p++) {
            hState[p].put(0, new float[hidden]);
            cState[p].put(0, new float[hidden]);
        }
        parity = 0;
    }

    @Override
    public void step(float[] x, int xOffset, float[] out, int outOffset) {
        frame.put(0, x, xOffset, hidden);
        run(stepInputs.get(parity), stepOutputs.get(parity));
        parity ^= 1;
        stepOut.get(0, out, outOffset, hidden);
    }

    @Override
    public Outputs streamState() {
        // After a step the newest state is in the set the next step reads.
        return new Outputs(null, copy(hState[parity]), lstm ? copy(cState[parity]) : null);
    }

    private void run(Map<String, OnnxTensor> inputs, Map<String, OnnxTensor> outputs) {
        try {
            session.run(inputs, outputs).close(); // pinned outputs are not closed with the result
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run " + name, e);
        }
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private OnnxTensor tensor(FloatBuffer buffer, long[] shape) {
        try {
            OnnxTensor t = OnnxTensor.createTensor(env, buffer, shape); // a direct buffer is wrapped, not copied
            owned.add(t);
            return t;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot wrap a buffer", e);
        }
    }

    private static float[] copy(FloatBuffer buffer) {
        float[] values = new float[buffer.capacity()];
        buffer.get(0, values);
        return values;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to close " + name, e);
        }
        owned.forEach(OnnxTensor::close);
    }
}
