package io.github.jrnn.bench.peers;

/** The {@code impl} parameter of the recurrent benchmarks, as an engine. */
public final class Engines {

    /** Every value of {@code impl} the recurrent benchmarks accept. */
    public static final String IMPLS = "vector, vector-warm, scalar, ort, djl";

    private Engines() {
    }

    /**
     * Opens {@code impl}'s engine on the exported model of {@code mode} and {@code hidden}: {@code vector},
     * {@code vector-warm} (warmed up when loaded) and {@code scalar} are jrnn ({@link JrnnEngine}), {@code ort}
     * ONNX Runtime, {@code djl} DJL on libtorch.
     *
     * @throws IllegalArgumentException for an unknown impl, or {@code threads > 1} for the scalar reference (it
     *                                  computes on the calling thread and would report a one-thread number under a
     *                                  two-thread label)
     */
    public static RecurrentEngine open(String impl, String mode, int hidden, int threads) {
        if (threads < 1 || ("scalar".equals(impl) && threads != 1)) {
            throw new IllegalArgumentException("threads must be 1 for impl 'scalar' and at least 1 otherwise, got "
                    + threads + " for '" + impl + "'");
        }
        return switch (impl) {
            case "vector", "vector-warm", "scalar" -> new JrnnEngine(impl, mode, hidden, threads);
            case "ort" -> new OrtEngine(mode, hidden, threads);
            case "djl" -> new DjlEngine(mode, hidden, threads);
            default -> throw new IllegalArgumentException("impl must be one of " + IMPLS + ", got '" + impl + "'");
        };
    }

    /**
     * Prepares {@code engine}'s forward on the reference input, runs it once and checks output, h_n and c_n against
     * torch's; the engine stays prepared for the timed forwards.
     */
    public static void checkSequence(RecurrentEngine engine, PeerModels.SequenceReference reference, int steps,
                                     int batch) {
        engine.prepareSequence(reference.input(), steps, batch);
        engine.forward();
        Agreement.check(engine.name(), engine.outputs(), reference.expected());
    }

    /**
     * Streams the batch-1 reference sequence step by step from zero states and checks every step's h and the
     * final state against torch's whole-sequence outputs; reopens the stream at zero states afterwards.
     */
    public static void checkStream(RecurrentEngine engine, PeerModels.SequenceReference reference, int steps,
                                   int hidden) {
        engine.openStream();
        float[] all = new float[steps * hidden];
        for (int t = 0; t < steps; t++) {
            engine.step(reference.input(), t * hidden, all, t * hidden);
        }
        Outputs state = engine.streamState();
        Agreement.check(engine.name() + " stream", new Outputs(all, state.hN(), state.cN()), reference.expected());
        engine.openStream();
    }
}
