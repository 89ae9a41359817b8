package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.LongTensor;
import io.github.jrnn.nn.tensor.Tensor;

/**
 * One name of a module's state dict and what loading it writes into: a parameter's value or a float buffer
 * ({@code floats}), or an integer buffer ({@code longs}); exactly one of the two is set. Tied names have targets
 * with the same {@link #identity()}.
 *
 * @param name      the dotted state-dict name
 * @param parameter the parameter, or null for a buffer
 * @param floats    the float32 tensor written, or null for an integer buffer
 * @param longs     the int64 tensor written, or null
 */
record StateTarget(String name, Parameter parameter, Tensor floats, LongTensor longs) {

    static StateTarget of(String name, Parameter parameter) {
        return new StateTarget(name, parameter, parameter.value(), null);
    }

    static StateTarget ofBuffer(String name, Object buffer) {
        return buffer instanceof LongTensor longs ? new StateTarget(name, null, null, longs)
                : new StateTarget(name, null, (Tensor) buffer, null);
    }

    /** The object loading writes into; the same for names tied to one parameter. */
    Object identity() {
        return floats != null ? floats : longs;
    }

    boolean isFloat() {
        return floats != null;
    }

    int[] shape() {
        return floats != null ? floats.shape() : longs.shape();
    }

    /** What the target is, for messages: {@code param}, {@code buffer} or {@code int64 buffer}. */
    String what() {
        return parameter != null ? "param" : floats != null ? "buffer" : "int64 buffer";
    }
}
