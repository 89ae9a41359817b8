package io.github.jrnn.bench.peers;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * DJL with its PyTorch engine (libtorch from {@code pytorch-native-cpu} on the class path, offline) running the
 * {@code torch.jit.trace} export through the model's block (no Translator). Threads: {@code
 * ai.djl.pytorch.num_threads} = the row's count and {@code num_interop_threads} = 1, read once when the engine
 * loads, so the first engine made in a JVM fixes them ({@link #load} refuses a different count later).
 *
 * <p>A forward copies every output to Java ({@code toFloatArray}) and closes the native tensors, so its results
 * are as readable as jrnn's and ORT's. A step creates the frame's tensor from the caller's array, carries h (c) as
 * native tensors to the next call and copies the output into the caller's array.
 */
public final class DjlEngine implements RecurrentEngine {

    private static final String THREADS = "ai.djl.pytorch.num_threads";

    private final String name;
    private final boolean lstm;
    private final int hidden;
    private final Model model;
    private final Block block;
    private final NDManager manager;
    private final ParameterStore parameters;
    private final Shape frameShape;
    private final float[] frame;
    private NDList seqInputs;
    private float[][] last;
    private NDArray h;
    private NDArray c;

    /** Loads the TorchScript model for inference on {@code threads} intra-op threads. */
    public DjlEngine(String mode, int hidden, int threads) {
        this.name = "djl-" + threads + "t";
        this.lstm = "LSTM".equals(mode);
        this.hidden = hidden;
        this.model = load(mode, hidden, threads, false);
        this.block = model.getBlock();
        this.manager = model.getNDManager();
        this.parameters = new ParameterStore(manager, false);
        this.frameShape = new Shape(1, 1, hidden);
        this.frame = new float[hidden];
    }

    /**
     * Loads {@code models/{mode}_h{hidden}.pt} with DJL's PyTorch engine; {@code trainable} loads its parameters
     * with gradients ({@code trainParam}).
     */
    static Model load(String mode, int hidden, int threads, boolean trainable) {
        configure(threads);
        Path file = PeerModels.model(mode, hidden, "pt");
        Model model = Model.newInstance(file.getFileName().toString(), Device.cpu(), "PyTorch");
        try {
            model.load(file.getParent(), file.getFileName().toString(),
                    trainable ? Map.of("trainParam", "true") : null);
        } catch (IOException | MalformedModelException e) {
            model.close();
            throw new IllegalStateException("DJL cannot load " + file, e);
        }
        return model;
    }

    /** Sets DJL's thread properties before its engine loads; refuses a second, different count in one JVM. */
    private static synchronized void configure(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        String wanted = Integer.toString(threads);
        String set = System.getProperty(THREADS);
        if (set != null && !set.equals(wanted)) {
            throw new IllegalStateException("DJL's PyTorch engine reads " + THREADS + " once per JVM; it is " + set
                    + ", this engine wants " + wanted + " (run each thread count in its own fork)");
        }
        System.setProperty(THREADS, wanted);
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.offline", "true"); // the natives are on the class path: never download
    }

    /** DJL's version and its PyTorch engine's, e.g. {@code DJL 0.36.0, PyTorch 2.7.1}. */
    public static String version() {
        System.setProperty("ai.djl.offline", "true");
        return "DJL " + Engine.getDjlVersion() + ", PyTorch " + Engine.getEngine("PyTorch").getVersion();
    }

    /** The PyTorch engine's own description on one line (libtorch's build features: MKL, oneDNN, OpenMP, ...). */
    public static String engineDescription() {
        System.setProperty("ai.djl.offline", "true");
        return Engine.getEngine("PyTorch").toString().replaceAll("\\s+", " ").replace(", ]", "]")
                .replace("[ ", "[").trim();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void prepareSequence(float[] input, int steps, int batch) {
        Shape state = new Shape(1, batch, hidden);
        seqInputs = new NDList(manager.create(input, new Shape(steps, batch, hidden)), manager.zeros(state));
        if (lstm) {
            seqInputs.add(manager.zeros(state));
        }
    }

    @Override
    public Object forward() {
        try (NDList out = block.forward(parameters, seqInputs, false)) {
            float[][] values = new float[out.size()][];
            for (int i = 0; i < values.length; i++) {
                values[i] = out.get(i).toFloatArray();
            }
            last = values;
            return values;
        }
    }

    @Override
    public Outputs outputs() {
        return new Outputs(last[0], last[1], lstm ? last[2] : null);
    }

    @Override
    public void openStream() {
        closeState();
        h = manager.zeros(frameShape);
        c = lstm ? manager.zeros(frameShape) : null;
    }

    @Override
    public void step(float[] x, int xOffset, float[] out, int outOffset) {
        System.arraycopy(x, xOffset, frame, 0, hidden);
        NDList in = new NDList(manager.create(frame, frameShape), h);
        if (lstm) {
            in.add(c);
        }
        NDList result = block.forward(parameters, in, false);
        in.close(); // the frame and the previous state
        h = result.get(1);
        c = lstm ? result.get(2) : null;
        try (NDArray y = result.get(0)) {
            System.arraycopy(y.toFloatArray(), 0, out, outOffset, hidden);
        }
    }

    @Override
    public Outputs streamState() {
        return new Outputs(null, h.toFloatArray(), lstm ? c.toFloatArray() : null);
    }

    private void closeState() {
        if (h != null) {
            h.close();
        }
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void close() {
        closeState();
        model.close();
    }
}
