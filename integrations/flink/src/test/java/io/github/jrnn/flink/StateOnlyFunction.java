package io.github.jrnn.flink;

import java.io.Serial;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@link RecurrentKeyedFunction} with the model step removed: the same per-key {@code ValueState<float[]>} of the
 * same size read and written per event, the same extractor and mapper, and no model. What Flink itself costs per
 * event, the baseline of the throughput benchmark and of the allocation test.
 */
final class StateOnlyFunction<I, O> extends KeyedProcessFunction<Integer, I, O> implements ResultTypeQueryable<O> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int stateSize;
    private final int inputSize;
    private final int hOut;
    private final InputExtractor<I> extractor;
    private final OutputMapper<I, O> mapper;
    private final TypeInformation<O> outputType;
    private transient ValueState<float[]> state;
    private transient float[] x;
    private transient float[] h;

    StateOnlyFunction(int stateSize, int inputSize, int hOut, InputExtractor<I> extractor, OutputMapper<I, O> mapper,
            TypeInformation<O> outputType) {
        this.stateSize = stateSize;
        this.inputSize = inputSize;
        this.hOut = hOut;
        this.extractor = extractor;
        this.mapper = mapper;
        this.outputType = outputType;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("state-only",
                PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO));
        x = new float[inputSize];
        h = new float[hOut];
    }

    @Override
    public void processElement(I event, Context ctx, Collector<O> out) throws Exception {
        float[] keyState = state.value();
        if (keyState == null) {
            keyState = new float[stateSize];
        }
        extractor.extract(event, x);
        state.update(keyState);
        O result = mapper.map(event, h);
        if (result != null) {
            out.collect(result);
        }
    }

    @Override
    public TypeInformation<O> getProducedType() {
        return outputType;
    }
}
