package io.github.jrnn.flink;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.models.ModelHandle;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentOptions;
import io.github.jrnn.nn.rnn.RecurrentStream;

import java.io.IOException;
import java.io.Serial;
import java.time.Duration;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Steps a recurrent model ({@code RNN}, {@code GRU} or {@code LSTM}, unidirectional) once per event, with one
 * recurrent state per key kept in Flink's managed keyed state: checkpoints, savepoints, rescaling and both state
 * backends (hashmap, RocksDB) carry every key's state like any other Flink state.
 *
 * <pre>{@code
 * ModelHandle<GRU> model = ModelHandle.of(Path.of("/models/gru.safetensors"), GRU.class);
 * readings.keyBy(Reading::sensorId)
 *         .process(RecurrentKeyedFunction.builder(model,
 *                         (Reading r, float[] x) -> System.arraycopy(r.values(), 0, x, 0, x.length),
 *                         (Reading r, float[] h) -> new Score(r.sensorId(), h[0]), Score.class)
 *                 .resetWhen(Reading::sessionStart)
 *                 .stateTtl(Duration.ofHours(6))
 *                 .build())
 *         .uid("jrnn-scorer");
 * }</pre>
 *
 * <p>Per event of key k: the key's state s_k (zeros for a new key, an expired one, or an event the
 * {@link SequenceStart} marks) is loaded into the task's {@link RecurrentStream}, the event's frame x (input_size
 * floats, from the {@link InputExtractor}) is stepped, {@code s_k <- step(s_k, x)}, the new state is stored back and
 * the {@link OutputMapper} turns the event and the top layer's new h (H_out floats) into the output. The outputs
 * of a key are therefore exactly those of one jrnn stream fed that key's events in order, bit for bit.
 *
 * <p>State: one {@code ValueState<float[]>} named {@value #DEFAULT_STATE_NAME} (or {@link Builder#stateName}) per
 * key, of {@link RecurrentStream#stateSize()} floats in the stream's layout: h as (num_layers, H_out) row-major,
 * then for an LSTM c as (num_layers, H). A restored state of another size (a savepoint taken with another model) is
 * refused with a message naming the key. Give the operator a {@code uid} so that savepoints map it back.
 *
 * <p>Cost: the model is loaded once per task manager JVM from the handle and shared by its tasks; each parallel
 * instance owns one stream and two buffers. With the hashmap backend an event allocates nothing here: the key's
 * array is updated in place (Flink's copy-on-write state map hands out a private copy while a snapshot is being
 * taken). RocksDB serialises the array on every read and write, which allocates inside Flink.
 *
 * <p>Metrics, in the operator's group {@code jrnn}: {@code kernels} (gauge, {@code vector} or {@code scalar}),
 * {@code steps} (counter) and {@code stepsPerSecond} (meter). By default {@link #open} fails when this JVM runs the
 * scalar kernels, naming the configuration line that fixes it ({@code env.java.opts.all: --add-modules
 * jdk.incubator.vector}); {@link Builder#allowScalarKernels} accepts them.
 *
 * @param <K> the key type
 * @param <I> the event type
 * @param <O> the output type
 */
public final class RecurrentKeyedFunction<K, I, O> extends KeyedProcessFunction<K, I, O>
        implements ResultTypeQueryable<O> {

    /** The name of the per-key state unless {@link Builder#stateName} sets another. */
    public static final String DEFAULT_STATE_NAME = "jrnn-recurrent-state";

    @Serial
    private static final long serialVersionUID = 1L;

    private final ModelHandle<? extends RNNBase> model;
    private final InputExtractor<I> extractor;
    private final OutputMapper<I, O> mapper;
    private final SequenceStart<I> sequenceStart;  // null: only new and expired keys start from zeros
    private final Duration stateTtl;               // null: states live until the job drops them
    private final String stateName;
    private final boolean allowScalar;
    private final TypeInformation<O> outputType;

    private transient RecurrentStream stream;
    private transient ValueState<float[]> state;
    private transient float[] x;   // (input_size), the extractor's frame
    private transient float[] h;   // (H_out), the top layer's new h handed to the mapper
    private transient Counter steps;

    private RecurrentKeyedFunction(Builder<I, O> b) {
        this.model = b.model;
        this.extractor = b.extractor;
        this.mapper = b.mapper;
        this.sequenceStart = b.sequenceStart;
        this.stateTtl = b.stateTtl;
        this.stateName = b.stateName;
        this.allowScalar = b.allowScalar;
        this.outputType = b.outputType;
    }

    /**
     * Starts a function over {@code model}.
     *
     * @param model      the model's handle; its module must be unidirectional
     * @param extractor  writes an event's input_size features into the reused frame
     * @param mapper     makes the output from the event and the top layer's new h
     * @param outputType the output class (for Flink's type system)
     * @param <I>        the event type
     * @param <O>        the output type
     * @return a builder; {@link Builder#build()} makes the function
     * @throws IllegalArgumentException when an argument is null or the model is bidirectional
     * @throws IOException              when the handle's model cannot be loaded on this JVM
     */
    public static <I, O> Builder<I, O> builder(ModelHandle<? extends RNNBase> model, InputExtractor<I> extractor,
            OutputMapper<I, O> mapper, Class<O> outputType) throws IOException {
        requireNonNull(outputType, "outputType", "the output class, e.g. Score.class");
        return builder(model, extractor, mapper, TypeInformation.of(outputType));
    }

    /**
     * As {@link #builder(ModelHandle, InputExtractor, OutputMapper, Class)} for an output type Flink describes
     * with a {@link TypeInformation} (e.g. a generic class: {@code Types.TUPLE(Types.STRING, Types.FLOAT)}).
     *
     * @param model      the model's handle; its module must be unidirectional
     * @param extractor  writes an event's input_size features into the reused frame
     * @param mapper     makes the output from the event and the top layer's new h
     * @param outputType the output type's information
     * @param <I>        the event type
     * @param <O>        the output type
     * @return a builder
     * @throws IllegalArgumentException when an argument is null or the model is bidirectional
     * @throws IOException              when the handle's model cannot be loaded on this JVM
     */
    public static <I, O> Builder<I, O> builder(ModelHandle<? extends RNNBase> model, InputExtractor<I> extractor,
            OutputMapper<I, O> mapper, TypeInformation<O> outputType) throws IOException {
        requireNonNull(model, "model", "a ModelHandle, e.g. ModelHandle.of(path, GRU.class)");
        requireNonNull(extractor, "extractor", "an InputExtractor writing the event's features");
        requireNonNull(mapper, "mapper", "an OutputMapper making the output");
        requireNonNull(outputType, "outputType", "the output's TypeInformation");
        RecurrentOptions options = model.get().options();
        if (options.bidirectional()) {
            throw new IllegalArgumentException("model must be unidirectional: a stream steps events as they come,"
                    + " and the reverse direction of " + model + " reads a sequence from its end");
        }
        return new Builder<>(model, extractor, mapper, outputType);
    }

    /**
     * Loads the model (once per JVM), checks the kernels, makes this instance's stream and buffers, and registers
     * the state and the metrics.
     *
     * @param openContext Flink's context
     * @throws IllegalStateException when the scalar kernels run and are not allowed
     * @throws Exception             when the model cannot be loaded
     */
    @Override
    public void open(OpenContext openContext) throws Exception {
        KernelProvider.Choice kernels = KernelProvider.choice();
        KernelRequirement.check(kernels, allowScalar);
        RNNBase module = model.get();
        stream = module.stream();
        x = new float[module.options().inputSize()];
        h = new float[module.options().hiddenOutSize()];
        ValueStateDescriptor<float[]> descriptor =
                new ValueStateDescriptor<>(stateName, PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO);
        if (stateTtl != null) {
            // Every event writes its key's state, so "idle" means: no event for stateTtl.
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(stateTtl)
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .build());
        }
        state = getRuntimeContext().getState(descriptor);
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("jrnn");
        String implementation = kernels.implementation();
        metrics.gauge("kernels", (Gauge<String>) () -> implementation);
        steps = metrics.counter("steps");
        metrics.meter("stepsPerSecond", new MeterView(steps));
    }

    /**
     * Steps the event's key once and emits the mapper's output (unless it is null).
     *
     * @param event the event
     * @param ctx   Flink's context (the current key)
     * @param out   where the output goes
     * @throws IllegalStateException when the key's stored state has another size than the model's
     * @throws Exception             what the extractor, the predicate, the mapper or the state backend throws
     */
    @Override
    public void processElement(I event, Context ctx, Collector<O> out) throws Exception {
        float[] keyState = state.value();
        if (keyState == null) {
            // A new (or expired) key: the only allocation here, one array that then belongs to the key.
            keyState = new float[stream.stateSize()];
            stream.reset();
        } else {
            checkStoredSize(keyState, ctx);
            if (sequenceStart != null && sequenceStart.startsSequence(event)) {
                stream.reset();
            } else {
                stream.loadState(keyState, 0);
            }
        }
        extractor.extract(event, x);
        stream.step(x, 0, h, 0);
        steps.inc();
        // In place: with the hashmap backend the array is the key's own (or the private copy made for a snapshot).
        stream.storeState(keyState, 0);
        state.update(keyState);
        O result = mapper.map(event, h);
        if (result != null) {
            out.collect(result);
        }
    }

    private void checkStoredSize(float[] keyState, Context ctx) {
        if (keyState.length != stream.stateSize()) {
            throw new IllegalStateException("the state '" + stateName + "' of key " + ctx.getCurrentKey() + " has "
                    + keyState.length + " floats, but " + model + " keeps " + stream.stateSize() + " per key: the"
                    + " checkpoint or savepoint was taken with another model; restore it with that model, or start"
                    + " the new model without the old state (another state name or operator uid)");
        }
    }

    /**
     * The output type given to the builder.
     *
     * @return the output's type information
     */
    @Override
    public TypeInformation<O> getProducedType() {
        return outputType;
    }

    private static void requireNonNull(Object value, String name, String what) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null: pass " + what);
        }
    }

    /**
     * Options of a {@link RecurrentKeyedFunction}; every one has a default.
     *
     * @param <I> the event type
     * @param <O> the output type
     */
    public static final class Builder<I, O> {
        private final ModelHandle<? extends RNNBase> model;
        private final InputExtractor<I> extractor;
        private final OutputMapper<I, O> mapper;
        private final TypeInformation<O> outputType;
        private SequenceStart<I> sequenceStart;
        private Duration stateTtl;
        private String stateName = DEFAULT_STATE_NAME;
        private boolean allowScalar;

        private Builder(ModelHandle<? extends RNNBase> model, InputExtractor<I> extractor, OutputMapper<I, O> mapper,
                TypeInformation<O> outputType) {
            this.model = model;
            this.extractor = extractor;
            this.mapper = mapper;
            this.outputType = outputType;
        }

        /**
         * Events for which {@code start} is true are stepped from zero state (a new session), as a key's first
         * event is. Default: none.
         *
         * @param start the predicate
         * @return this builder
         */
        public Builder<I, O> resetWhen(SequenceStart<I> start) {
            requireNonNull(start, "start", "a SequenceStart predicate");
            this.sequenceStart = start;
            return this;
        }

        /**
         * Drops the state of a key that had no event for {@code ttl} (processing time); its next event starts
         * from zeros. Default: states are kept until the job drops them.
         *
         * @param ttl how long an idle key's state lives, positive
         * @return this builder
         */
        public Builder<I, O> stateTtl(Duration ttl) {
            requireNonNull(ttl, "ttl", "a positive Duration, e.g. Duration.ofHours(6)");
            if (ttl.isNegative() || ttl.isZero() || ttl.toMillis() == 0) {
                throw new IllegalArgumentException("ttl must be at least 1 ms, got " + ttl);
            }
            this.stateTtl = ttl;
            return this;
        }

        /**
         * The name of the per-key {@code ValueState<float[]>}. Default
         * {@value RecurrentKeyedFunction#DEFAULT_STATE_NAME}.
         *
         * @param name a non-blank name
         * @return this builder
         */
        public Builder<I, O> stateName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must be a non-blank state name, got "
                        + (name == null ? "null" : "'" + name + "'"));
            }
            this.stateName = name;
            return this;
        }

        /**
         * Whether {@link RecurrentKeyedFunction#open} accepts a JVM that runs the scalar kernels (started without
         * {@code --add-modules jdk.incubator.vector}); default false: it fails, naming the configuration line.
         *
         * @param allow true to run on the scalar kernels (7-17x slower) rather than fail
         * @return this builder
         */
        public Builder<I, O> allowScalarKernels(boolean allow) {
            this.allowScalar = allow;
            return this;
        }

        /**
         * The function; its key type is the keyed stream's, inferred where it is passed to
         * {@code KeyedStream.process}.
         *
         * @param <K> the key type
         * @return a new function with these options
         */
        public <K> RecurrentKeyedFunction<K, I, O> build() {
            return new RecurrentKeyedFunction<>(this);
        }
    }
}
