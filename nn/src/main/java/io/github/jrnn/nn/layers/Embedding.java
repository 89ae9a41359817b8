package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.tensor.LongTensor;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.init.Init;
import io.github.jrnn.nn.random.Generator;

/**
 * {@code torch.nn.Embedding(num_embeddings, embedding_dim, padding_idx=None)}: a lookup table; index i selects row i
 * of {@code weight} (num_embeddings, embedding_dim). Indices with shape (*) give an output (*, embedding_dim).
 *
 * <p>Initialised as PyTorch: {@code normal_(0, 1)} on the weight, then the padding row (if any) set to zero
 * ({@link Init#embeddingDefault}). {@code padding_idx} may be negative and then counts from the end, as in PyTorch;
 * it only matters for training (its row gets no gradient). PyTorch's {@code max_norm} is not supported: it
 * rescales weight rows during forward, and jrnn modules never change parameters in forward.
 *
 * <p>Gradients: when {@link GradNode#shouldRecord} holds for the weight, the forward records an
 * {@code EmbeddingBackward} node: {@code dW[index] += dY[position]} summed over positions, never into the
 * {@code padding_idx} row (as PyTorch).
 *
 * <p>Thread safety: forward only reads the weight; one module may serve many threads at once.
 */
public final class Embedding extends Module {

    private final int numEmbeddings;
    private final int embeddingDim;
    private final Integer paddingIdx;
    private final Kernels kernels;
    private final Parameter weight; // (num_embeddings, embedding_dim)

    /**
     * {@code nn.Embedding(num_embeddings, embedding_dim)}.
     *
     * @param numEmbeddings PyTorch {@code num_embeddings}: the number of rows
     * @param embeddingDim  PyTorch {@code embedding_dim}: the width of a row
     */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null, null);
    }

    /**
     * {@code nn.Embedding(num_embeddings, embedding_dim, padding_idx=paddingIdx)}.
     *
     * @param numEmbeddings PyTorch {@code num_embeddings}: the number of rows
     * @param embeddingDim  PyTorch {@code embedding_dim}: the width of a row
     * @param paddingIdx    the row that stays zero and gets no gradient, in [-num_embeddings, num_embeddings)
     */
    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, null);
    }

    /**
     * {@code nn.Embedding(num_embeddings, embedding_dim, padding_idx)} with its initial weight drawn from
     * {@code generator}.
     *
     * @param numEmbeddings PyTorch {@code num_embeddings}: the number of rows
     * @param embeddingDim  PyTorch {@code embedding_dim}: the width of a row
     * @param paddingIdx    PyTorch {@code padding_idx}, in [-num_embeddings, num_embeddings), or null for none
     * @param generator     the initial weights' generator, null for {@link Generator#defaultGenerator()}
     */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Generator generator) {
        this(numEmbeddings, embeddingDim, paddingIdx, generator, null);
    }

    /**
     * {@code nn.Embedding(num_embeddings, embedding_dim, padding_idx)}: weight N(0, 1), the padding row zero.
     *
     * @param numEmbeddings PyTorch {@code num_embeddings}: the number of rows
     * @param embeddingDim  PyTorch {@code embedding_dim}: the width of a row
     * @param paddingIdx    PyTorch {@code padding_idx}, in [-num_embeddings, num_embeddings), or null for none
     * @param generator     the initial weights' generator, null for {@link Generator#defaultGenerator()}
     * @param kernels       the arithmetic of the backward, null for {@link KernelProvider#kernels()}
     * @throws IllegalArgumentException when a size is negative or paddingIdx is out of range
     */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Generator generator, Kernels kernels) {
        if (numEmbeddings < 0 || embeddingDim < 0) {
            throw new IllegalArgumentException("num_embeddings and embedding_dim must be >= 0, got num_embeddings="
                    + numEmbeddings + ", embedding_dim=" + embeddingDim);
        }
        if (paddingIdx != null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
            throw new IllegalArgumentException("Padding_idx must be within num_embeddings: expected "
                    + (-numEmbeddings) + " <= padding_idx < " + numEmbeddings + ", got " + paddingIdx);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.kernels = kernels != null ? kernels : KernelProvider.kernels();
        this.paddingIdx = paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        this.weight = registerParameter("weight", Parameter.zeros(numEmbeddings, embeddingDim));
        Generator g = generator != null ? generator : Generator.defaultGenerator();
        if (this.paddingIdx == null) {
            Init.embeddingDefault(g, weight.data(), numEmbeddings, embeddingDim);
        } else {
            Init.embeddingDefault(g, weight.data(), numEmbeddings, embeddingDim, this.paddingIdx);
        }
    }

    /**
     * PyTorch {@code num_embeddings}.
     *
     * @return the number of rows
     */
    public int numEmbeddings() {
        return numEmbeddings;
    }

    /**
     * PyTorch {@code embedding_dim}.
     *
     * @return the width of a row
     */
    public int embeddingDim() {
        return embeddingDim;
    }

    /**
     * The padding row as a non-negative index (PyTorch stores it normalised too), or null.
     *
     * @return the padding row, non-negative, or null
     */
    public Integer paddingIdx() {
        return paddingIdx;
    }

    /** PyTorch's {@code 10, 3} and {@code padding_idx=0} when there is one (normalised, so -1 prints as 9). */
    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx == null ? "" : ", padding_idx=" + paddingIdx);
    }

    /**
     * Looks up {@code indices} (row-major, with the given shape; no shape means 1-D) and returns
     * (*shape, embedding_dim).
     *
     * @param indices the row of each position, in [0, num_embeddings)
     * @param shape the shape of the positions; none for 1-D
     * @return (*shape, embedding_dim)
     * @throws IllegalArgumentException when the shape does not hold {@code indices.length} elements or an index is
     *                                  negative or &gt;= num_embeddings
     */
    public Tensor forward(int[] indices, int... shape) {
        long[] wide = new long[checkIndices(indices == null ? -1 : indices.length, shape)];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = indices[i];
        }
        return lookup(wide, shape);
    }

    /**
     * As {@link #forward(int[], int...)} for int64 indices (PyTorch's LongTensor).
     *
     * @param indices the row of each position, in [0, num_embeddings)
     * @param shape the shape of the positions; none for 1-D
     * @return (*shape, embedding_dim)
     */
    public Tensor forward(long[] indices, int... shape) {
        checkIndices(indices == null ? -1 : indices.length, shape);
        return lookup(indices, shape);
    }

    /**
     * As {@link #forward(long[], int...)} with the indices and shape of an int64 tensor.
     *
     * @param indices the row of each position, in [0, num_embeddings)
     * @return (*indices.shape(), embedding_dim)
     */
    public Tensor forward(LongTensor indices) {
        if (indices == null) {
            throw new IllegalArgumentException("indices must not be null");
        }
        return forward(indices.data(), indices.shape());
    }

    private int checkIndices(int count, int[] shape) {
        if (count < 0) {
            throw new IllegalArgumentException("indices must not be null");
        }
        int[] s = shape.length == 0 ? new int[] {count} : shape;
        int numel = Tensor.checkedNumel(s);
        if (numel != count) {
            throw new IllegalArgumentException("shape " + Tensor.shapeString(s) + " holds " + numel
                    + " indices, but " + count + " were given");
        }
        return count;
    }

    private Tensor lookup(long[] indices, int[] shape) {
        for (int i = 0; i < indices.length; i++) {
            long idx = indices[i];
            if (idx < 0 || idx >= numEmbeddings) {
                throw new IllegalArgumentException("index out of range in self: indices[" + i + "] = " + idx
                        + ", but Embedding(num_embeddings=" + numEmbeddings + ") needs 0 <= index < " + numEmbeddings
                        + "; hint: " + (idx < 0 ? "negative indices do not count from the end here (nor in"
                        + " PyTorch)" : "indices count from 0, so the largest valid one is " + (numEmbeddings - 1)
                        + "; is the vocabulary larger than num_embeddings?"));
            }
        }
        int[] s = shape.length == 0 ? new int[] {indices.length} : shape;
        int[] outShape = new int[s.length + 1];
        System.arraycopy(s, 0, outShape, 0, s.length);
        outShape[s.length] = embeddingDim;
        Tensor out = Tensor.zeros(outShape);
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(weight.data(), (int) indices[i] * embeddingDim, out.data(), i * embeddingDim,
                    embeddingDim);
        }
        // The caller may reuse its index array; the node keeps its own copy.
        return GradNode.shouldRecord(weight.value()) ? new Backward(indices.clone()).output(0, out) : out;
    }

    /**
     * Backward of the lookup: {@code dW[indices[i]] += dY[i]} for every position i (one axpy per row, so repeated
     * indices sum), except rows equal to {@code padding_idx}, which get no gradient. Indices are not
     * differentiable.
     */
    private final class Backward extends GradNode {
        private long[] indices;

        Backward(long[] indices) {
            super(1, weight.value());
            this.indices = indices;
        }

        @Override
        public String name() {
            return "EmbeddingBackward";
        }

        @Override
        protected float[][] backward(float[][] outputGrads) {
            float[] dY = outputGrads[0];
            float[] dW = new float[numEmbeddings * embeddingDim];
            for (int i = 0; i < indices.length; i++) {
                int row = (int) indices[i];
                if (paddingIdx == null || row != paddingIdx) {
                    kernels.axpy(embeddingDim, 1f, dY, i * embeddingDim, dW, row * embeddingDim);
                }
            }
            return new float[][] {dW};
        }

        @Override
        protected void release() {
            indices = null;
        }
    }
}
