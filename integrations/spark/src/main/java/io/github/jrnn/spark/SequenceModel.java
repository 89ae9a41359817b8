package io.github.jrnn.spark;

import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.layers.Sequential;
import io.github.jrnn.nn.layers.TensorLayer;
import io.github.jrnn.nn.models.ModelHandle;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.tensor.Tensor;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * What a Spark job scores with: a {@link ModelHandle} (which travels to the executors; the module itself never
 * does) and where, in the loaded model, the recurrent layer and the optional head are.
 *
 * <pre>
 * recurrent layer: an RNN, GRU or LSTM (any layers, directions, projection)       input_size = I
 * last hidden     = the top layer's final state of each direction, concatenated  (D * H_out)
 * head (optional) = a one-tensor module applied to the last hidden state         (D * H_out) -&gt; (K)
 * </pre>
 * Three ways to say where they are:
 * <ul>
 * <li>{@link #recurrent(ModelHandle)}: the model is the recurrent module itself (no head);</li>
 * <li>{@link #sequential(ModelHandle)}: a {@code Sequential} whose child {@code 0} is the recurrent module and
 *     whose other children (e.g. {@code Linear}, {@code Dropout}) form the head, as PyTorch users often write
 *     {@code nn.Sequential(gru, nn.Linear(...))} and call the children themselves;</li>
 * <li>{@link #of(ModelHandle, Part, Part)}: a model class of the user's own (loaded through a handle factory), with
 *     two serialisable accessors, e.g. {@code m -> m.lstm} and {@code m -> m.head}.</li>
 * </ul>
 * On each JVM the model is loaded once by the handle and shared by every task (inference is thread-safe).
 *
 * @param <M> the model class the handle loads
 */
public final class SequenceModel<M extends Module> implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final ModelHandle<M> handle;
    private final Part<M, RNNBase> recurrent;
    private final Part<M, TensorLayer> head; // null: no head

    /** The parts of the model on this JVM, looked up once (the handle shares one model per JVM). */
    private transient volatile Parts parts;

    /**
     * Picks a part out of the loaded model; serialisable, so it travels with the job (a lambda assigned to this
     * type is).
     *
     * @param <M> the model class
     * @param <T> the part's type
     */
    @FunctionalInterface
    public interface Part<M, T> extends Serializable {
        /**
         * The part of {@code model}.
         *
         * @param model the loaded, shared model
         * @return the part (not null)
         */
        T of(M model);
    }

    private SequenceModel(ModelHandle<M> handle, Part<M, RNNBase> recurrent, Part<M, TensorLayer> head) {
        if (handle == null) {
            throw new IllegalArgumentException("handle must not be null: pass a ModelHandle made on the driver,"
                    + " e.g. ModelHandle.of(Path.of(\"gru.safetensors\"), GRU.class)");
        }
        if (recurrent == null) {
            throw new IllegalArgumentException("recurrent must not be null: pass the accessor of the model's"
                    + " recurrent layer, e.g. m -> m.lstm");
        }
        this.handle = handle;
        this.recurrent = recurrent;
        this.head = head;
    }

    /**
     * A model that is one recurrent module (RNN, GRU or LSTM), without a head.
     *
     * @param handle the handle of the module
     * @param <R>    the module class
     * @return the scoring model
     */
    public static <R extends RNNBase> SequenceModel<R> recurrent(ModelHandle<R> handle) {
        return new SequenceModel<>(handle, model -> model, null);
    }

    /**
     * A {@code Sequential} of a recurrent module (child {@code 0}) followed by the head's layers (children
     * {@code 1, 2, ...}, each a {@link TensorLayer}); with child {@code 0} alone, there is no head.
     *
     * @param handle the handle of the {@code Sequential}
     * @return the scoring model
     */
    public static SequenceModel<Sequential> sequential(ModelHandle<Sequential> handle) {
        return new SequenceModel<>(handle, SequenceModel::firstChildRecurrent, SequenceModel::laterChildrenHead);
    }

    /**
     * A model of a class of the user's own: the handle (made with a factory, e.g.
     * {@code ModelHandle.of(path, SensorModel::new)}) and where its recurrent layer and head are.
     *
     * @param handle    the handle of the model
     * @param recurrent the recurrent layer, e.g. {@code m -> m.lstm}
     * @param head      the head applied to the last hidden state, e.g. {@code m -> m.head}; null for none
     * @param <M>       the model class
     * @return the scoring model
     */
    public static <M extends Module> SequenceModel<M> of(ModelHandle<M> handle, Part<M, RNNBase> recurrent,
                                                         Part<M, TensorLayer> head) {
        return new SequenceModel<>(handle, recurrent, head);
    }

    /**
     * The handle the model is loaded from.
     *
     * @return the handle
     */
    public ModelHandle<M> handle() {
        return handle;
    }

    /**
     * The recurrent layer and head of the shared model on this JVM, loading it on first use.
     *
     * @return the parts; {@code head} is null when the model has none
     * @throws UncheckedIOException when the handle cannot load the model here
     */
    Parts parts() {
        Parts p = parts;
        if (p == null) {
            M model;
            try {
                model = handle.get();
            } catch (IOException e) {
                throw new UncheckedIOException("jrnn: cannot load the model " + handle + " on this JVM: "
                        + e.getMessage(), e);
            }
            RNNBase layer = recurrent.of(model);
            if (layer == null) {
                throw new IllegalStateException("the recurrent accessor returned null for " + handle);
            }
            p = new Parts(layer, head == null ? null : head.of(model));
            parts = p;
        }
        return p;
    }

    @Override
    public String toString() {
        return "SequenceModel[" + handle + (head == null ? "" : ", with head") + "]";
    }

    private static RNNBase firstChildRecurrent(Sequential model) {
        if (model.size() == 0 || !(model.get(0) instanceof RNNBase layer)) {
            throw new IllegalArgumentException("SequenceModel.sequential needs a Sequential whose child (0) is an"
                    + " RNN, GRU or LSTM, got " + (model.size() == 0 ? "no children"
                    : "child (0) " + model.get(0).getClass().getSimpleName()));
        }
        return layer;
    }

    private static TensorLayer laterChildrenHead(Sequential model) {
        if (model.size() < 2) {
            return null;
        }
        Module[] rest = new Module[model.size() - 1];
        for (int i = 1; i < model.size(); i++) {
            if (!(model.get(i) instanceof TensorLayer)) {
                throw new IllegalArgumentException("SequenceModel.sequential: child (" + i + ") ("
                        + model.get(i).getClass().getSimpleName() + ") does not map one tensor to one tensor; the"
                        + " head after the recurrent child must be made of Linear, Dropout or other TensorLayers");
            }
            rest[i - 1] = model.get(i);
        }
        return rest.length == 1 ? (TensorLayer) rest[0] : input -> chain(rest, input);
    }

    private static Tensor chain(Module[] layers, Tensor input) {
        Tensor x = input;
        for (Module layer : layers) {
            x = ((TensorLayer) layer).forward(x);
        }
        return x;
    }

    /**
     * The loaded parts.
     *
     * @param recurrent the recurrent layer
     * @param head      the head, or null
     */
    record Parts(RNNBase recurrent, TensorLayer head) {
    }
}
