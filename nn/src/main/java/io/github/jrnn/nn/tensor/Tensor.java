package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.autograd.Differentiable;
import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.kernels.BinaryOp;
import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.UnaryOp;
import io.github.jrnn.nn.random.Generator;
import java.util.Arrays;

/**
 * A dense float32 tensor: a shape and a row-major, contiguous {@code float[]} that starts at index 0.
 *
 * <p>Element {@code (i0, i1, ..., ik)} of a tensor with shape {@code (s0, s1, ..., sk)} is
 * {@code data[((i0 * s1 + i1) * s2 + i2) ... * sk + ik]}. A tensor with an empty shape is a scalar holding one
 * element; a shape containing 0 holds no elements.
 *
 * <p>This is deliberately not a general tensor library: it has the few views users of recurrent modules need.
 * {@link #reshape}, {@link #view}, {@link #unsqueeze} and {@link #squeeze} share the data array (like PyTorch's views);
 * {@link #select}, {@link #transpose} and {@link #copy} make new contiguous tensors.
 *
 * <h2>Gradients</h2>
 * Like PyTorch, a tensor either is a <em>leaf</em> (made by the user or a parameter), which may
 * {@linkplain #requiresGrad(boolean) require a gradient} and then receives one in {@link #grad()} from
 * {@link #backward()}, or is the output of a recorded operation and has a {@link #gradFn()}. The view methods
 * record their own small backward nodes, so gradients flow through {@code reshape}, {@code select} and friends.
 *
 * <p>Thread safety: a tensor is a mutable array with an immutable shape. Reading it from many threads is safe;
 * writing it while others read is not. Gradients are meant for one training thread.
 */
public final class Tensor extends Differentiable {

    /**
     * The most elements a tensor holds: the largest array HotSpot allocates ({@code Integer.MAX_VALUE - 8}; a
     * request for more fails with "Requested array size exceeds VM limit").
     */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final int[] shape;
    private final float[] data;
    /** Shared by every tensor over the same data array (views, detach), like PyTorch's version counter. */
    private final Version version;
    private boolean requiresGrad;
    private Tensor grad;

    private Tensor(float[] data, int[] shape) {
        this(data, shape, new Version());
    }

    private Tensor(float[] data, int[] shape, Version version) {
        this.shape = shape;
        this.data = data;
        this.version = version;
    }

    /** A tensor over this one's data array and version counter with another shape, recording nothing. */
    Tensor sharingData(int[] newShape) {
        return new Tensor(data, newShape, version);
    }

    /** A mutable count; one object per data array, so a change through a view is a change of its base. */
    private static final class Version {
        private long count;
    }

    /**
     * Wraps {@code data} (not copied) as a tensor of the given shape.
     *
     * @param data the elements in row-major order; wrapped, not copied
     * @param shape the dimensions
     * @return the tensor over {@code data}
     * @throws IllegalArgumentException when a dimension is negative, the element count overflows {@code int}, or
     *                                  {@code data.length} differs from the product of the dimensions
     */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(data, Shapes.shapeOf(data, shape));
    }

    /**
     * A tensor of zeros with the given shape.
     *
     * @param shape the dimensions
     * @return a new tensor of zeros
     */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(new float[checkedNumel(s)], s);
    }

    /**
     * A tensor filled with {@code value}.
     *
     * @param value the value of every element
     * @param shape the dimensions
     * @return a new tensor
     */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /**
     * The element count of a shape: the product of its dimensions, refused with an exception (never wrapped)
     * when a dimension is negative or the product is larger than {@link #MAX_ELEMENTS}.
     *
     * @param shape the dimensions
     * @return the product of the dimensions
     */
    public static int checkedNumel(int... shape) {
        return Shapes.checkedNumel(shape);
    }

    /**
     * A copy of the shape.
     *
     * @return the sizes of the dimensions, a copy
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Number of dimensions.
     *
     * @return the rank: 0 for a scalar
     */
    public int dim() {
        return shape.length;
    }

    /**
     * Size of dimension {@code d}; negative d counts from the end, like PyTorch ({@code size(-1)} is the last).
     *
     * @param d the dimension, from {@code -dim()} to {@code dim() - 1}
     * @return its size
     */
    public int size(int d) {
        return shape[normalizeDim(d, shape.length)];
    }

    /** Number of elements. */
    @Override
    public int numel() {
        return data.length;
    }

    /**
     * The backing array (not a copy): row-major, contiguous, starting at index 0.
     *
     * @return the live data array
     */
    public float[] data() {
        return data;
    }

    /**
     * Element at the given index (one index per dimension).
     *
     * @param index one index per dimension
     * @return the element
     */
    public float get(int... index) {
        return data[Shapes.flatIndex(shape, index)];
    }

    /**
     * Sets the element at the given index (an in-place change: {@link #version()} moves on).
     *
     * @param value the new value
     * @param index one index per dimension
     */
    public void set(float value, int... index) {
        data[Shapes.flatIndex(shape, index)] = value;
        version.count++;
    }

    /**
     * How many in-place changes jrnn has seen on this tensor's data, like PyTorch's {@code _version}: it moves on
     * with {@link #set}, {@link #markModified()}, and every jrnn operation that writes a tensor in place
     * ({@code Module.loadStateDict}, optimizer steps, {@code resetParameters}). Views and {@link #detach()} share
     * it with the tensor they came from, as they share its data.
     *
     * <p>Modules use it to keep prepared copies of their weights (packed for the kernels) between calls and to
     * prepare them again only after a change. A write into {@link #data()} itself cannot be seen: call
     * {@link #markModified()} after one.
     *
     * @return the number of in-place changes seen so far
     */
    public long version() {
        return version.count;
    }

    /**
     * Records an in-place change made by writing {@link #data()} directly, so that modules reading this tensor as
     * a weight prepare it again (see {@link #version()}). Not needed after jrnn's own in-place operations.
     */
    public void markModified() {
        version.count++;
    }

    // ---------------------------------------------------------------- views and transpose (the bodies in Reshaping)

    /**
     * A view with another shape over the same data. One dimension may be -1 and is then inferred.
     *
     * @param newShape the new dimensions, at most one of them -1
     * @return a view sharing this tensor's data
     * @throws IllegalArgumentException when the element counts differ
     */
    public Tensor reshape(int... newShape) {
        return Reshaping.reshape(this, newShape);
    }

    /**
     * Same as {@link #reshape} (the data is always contiguous, so every reshape is a view).
     *
     * @param newShape the new dimensions, at most one of them -1
     * @return a view sharing this tensor's data
     */
    public Tensor view(int... newShape) {
        return reshape(newShape);
    }

    /**
     * A view with a new dimension of size 1 inserted at {@code d} (negative d counts from the end).
     *
     * @param d where the new dimension goes, from {@code -dim() - 1} to {@code dim()}
     * @return a view sharing this tensor's data
     */
    public Tensor unsqueeze(int d) {
        return Reshaping.unsqueeze(this, d);
    }

    /**
     * A view without dimension {@code d} if its size is 1; otherwise this tensor itself (as PyTorch).
     *
     * @param d the dimension, from {@code -dim()} to {@code dim() - 1}
     * @return a view sharing this tensor's data, or this tensor
     */
    public Tensor squeeze(int d) {
        return Reshaping.squeeze(this, d);
    }

    /**
     * A copy of entry {@code index} along dimension 0 (shape without its first dimension): {@code select(0, index)}.
     *
     * @param index the entry, from {@code -size(0)} to {@code size(0) - 1}
     * @return a new tensor of shape {@code shape()[1:]}
     */
    public Tensor select(int index) {
        return select(0, index);
    }

    /**
     * A contiguous copy with dimensions {@code d0} and {@code d1} swapped (e.g. {@code transpose(0, 1)} turns a
     * batch-first (N, L, H) tensor into (L, N, H)).
     *
     * @param d0 one dimension (negative counts from the end)
     * @param d1 the other dimension
     * @return a new contiguous tensor
     */
    public Tensor transpose(int d0, int d1) {
        return Reshaping.transpose(this, d0, d1);
    }

    /**
     * A deep copy; gradients flow back to this tensor when it requires them (like {@code clone()}).
     *
     * @return a new tensor with a copy of the data
     */
    public Tensor copy() {
        Tensor copy = new Tensor(data.clone(), shape.clone());
        return GradNode.shouldRecord(this) ? new ViewBackward(this).output(0, copy) : copy;
    }

    /**
     * The same data as a new leaf that requires no gradient and has no history, like {@code detach()}.
     *
     * @return a new leaf over the same data
     */
    public Tensor detach() {
        return sharingData(shape.clone());
    }

    // ---------------------------------------------------------------- autograd

    @Override
    public boolean requiresGrad() {
        return requiresGrad || gradFn() != null;
    }

    /**
     * Marks this leaf as needing a gradient (PyTorch's {@code requires_grad_()}); returns this tensor.
     *
     * @param value whether a gradient is needed
     * @return this tensor
     * @throws IllegalStateException on a non-leaf, whose flag follows from its inputs
     */
    public Tensor requiresGrad(boolean value) {
        if (gradFn() != null) {
            throw new IllegalStateException("you can only change requires_grad flags of leaf variables; this"
                    + " tensor is the output of " + gradFn().name() + " (use detach() for a new leaf)");
        }
        requiresGrad = value;
        return this;
    }

    /**
     * The accumulated gradient of a leaf that requires grad, or null before the first backward (or after zeroing).
     *
     * @return the gradient, of this tensor's shape, or null
     */
    public Tensor grad() {
        return grad;
    }

    /** Forgets the accumulated gradient (PyTorch's {@code grad = None}, the default of {@code zero_grad()}). */
    public void clearGrad() {
        grad = null;
    }

    /** Adds {@code g} (one value per element) into this leaf's gradient, allocating it on first use. */
    @Override
    protected void accumulateGrad(float[] g) {
        if (!requiresGrad) {
            throw new IllegalStateException("element 0 of tensors does not require grad and does not have a"
                    + " grad_fn: call requiresGrad(true) on an input, or check that recording was not off"
                    + " (GradMode.noGrad()) during forward");
        }
        if (grad == null) {
            grad = new Tensor(g.clone(), shape.clone());
        } else {
            KernelProvider.kernels().add(g.length, grad.data, 0, g, 0, grad.data, 0);
        }
    }

    /**
     * Computes the gradient of this one-element tensor (a loss) with respect to every leaf that requires grad,
     * adding it into their {@link #grad()}, like {@code loss.backward()}.
     *
     * @throws IllegalStateException when the tensor has more than one element (pass a gradient then), or nothing
     *                               it depends on requires grad
     */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalStateException("grad can be implicitly created only for scalar outputs, but this"
                    + " tensor has shape " + shapeString(shape) + "; reduce it (e.g. a loss with reduction 'mean')"
                    + " or call backward(gradient) with a tensor of the same shape");
        }
        backward(Tensor.full(1f, shape));
    }

    /**
     * Back-propagates {@code gradient} (same shape as this tensor), like {@code tensor.backward(gradient)}.
     *
     * @param gradient the gradient of the quantity being differentiated with respect to this tensor
     */
    public void backward(Tensor gradient) {
        if (gradient == null || !Arrays.equals(gradient.shape, shape)) {
            throw new IllegalArgumentException("backward: gradient must have this tensor's shape "
                    + shapeString(shape) + ", got " + (gradient == null ? "null" : shapeString(gradient.shape)));
        }
        if (!requiresGrad()) {
            throw new IllegalStateException("element 0 of tensors does not require grad and does not have a"
                    + " grad_fn: nothing this tensor was computed from requires grad (parameters do, unless"
                    + " the forward ran under GradMode.noGrad())");
        }
        runBackward(gradient.data.clone());
    }

    /** True when both tensors have the same shape and bitwise-equal elements. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    /**
     * PyTorch's {@code repr}, character for character for the same values: {@code tensor([ 0.1000, -2.0000])},
     * {@code tensor([1., 2.], requires_grad=True)}, {@code tensor([[...]], grad_fn=<GruBackward>)}; past 1000
     * elements only the first and last 3 entries of each dimension, around {@code ...}. Rules in
     * {@code TensorFormat}.
     */
    @Override
    public String toString() {
        return TensorFormat.repr(shape, data, gradFn() == null ? null : gradFn().name(), requiresGrad);
    }

    /**
     * The shape as PyTorch prints {@code tensor.size()} lists: {@code [1, 2, 5]}.
     *
     * @param shape the dimensions
     * @return e.g. {@code [1, 2, 5]}
     */
    public static String shapeString(int... shape) {
        return Arrays.toString(shape);
    }

    /**
     * The shape as a Python tuple, the way PyTorch's expected-size messages print it: {@code (1, 2, 4)}.
     *
     * @param shape the dimensions
     * @return e.g. {@code (1, 2, 4)}
     */
    public static String shapeTuple(int... shape) {
        return Shapes.tuple(shape);
    }

    static int normalizeDim(int d, int rank) {
        if (d < -rank || d >= rank) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of [" + (-rank)
                    + ", " + (rank - 1) + "], but got " + d + ")");
        }
        return d < 0 ? d + rank : d;
    }

    // ================================================================ shape, indexing and inspection (issue 11, B)
    // Thin entry points; the operations live in ShapeOps, Joining, Indexing and Inspection. Every result is a new
    // contiguous tensor (or this one where PyTorch returns self) and records its backward node when an input requires
    // grad, named as PyTorch names it (SliceBackward0, ...). Errors use PyTorch 1.13's texts followed by a hint.

    /**
     * {@code x[..., start:end:step, ...]} along {@code dim}, PyTorch's slicing: negative bounds count from the end,
     * then both are clamped into {@code [0, size(dim)]} (an end before the start gives an empty dimension); the result
     * has {@code ceil((end - start) / step)} entries along dim. Records {@code SliceBackward0}.
     *
     * @param dim the dimension (negative counts from the end)
     * @param start the first entry taken; {@code Long.MIN_VALUE} or 0 for "from the start"
     * @param end one past the last entry; {@code Long.MAX_VALUE} for "to the end"
     * @param step the distance between taken entries, > 0
     * @return a new tensor of this shape with dimension dim shortened
     * @throws IllegalArgumentException when step is not positive or the tensor is 0-dim
     * @throws IndexOutOfBoundsException when dim is out of range
     */
    public Tensor slice(int dim, long start, long end, long step) {
        return ShapeOps.slice(this, dim, start, end, step);
    }

    /**
     * {@code x[..., start:end, ...]} along {@code dim}: {@link #slice(int, long, long, long)} with step 1.
     *
     * @param dim the dimension (negative counts from the end)
     * @param start the first entry taken (clamped)
     * @param end one past the last entry (clamped)
     * @return a new tensor
     */
    public Tensor slice(int dim, long start, long end) {
        return ShapeOps.slice(this, dim, start, end, 1);
    }

    /**
     * {@code narrow(dim, start, length)}: entries {@code start .. start + length - 1} of dimension dim (a negative
     * start counts from the end); unlike slicing, nothing is clamped. Records {@code SliceBackward0}.
     *
     * @param dim the dimension (negative counts from the end)
     * @param start the first entry, from {@code -size(dim)} to {@code size(dim) - 1}
     * @param length how many entries, with {@code start + length <= size(dim)}
     * @return a new tensor with {@code length} entries along dim
     * @throws IndexOutOfBoundsException when dim or start is out of range, or start + length exceeds the size
     */
    public Tensor narrow(int dim, int start, int length) {
        return ShapeOps.narrow(this, dim, start, length);
    }

    /**
     * {@code select(dim, index)}: entry {@code index} of dimension dim, which the result no longer has. Records
     * {@code SelectBackward0}.
     *
     * @param dim the dimension (negative counts from the end)
     * @param index the entry, from {@code -size(dim)} to {@code size(dim) - 1}
     * @return a new tensor of this shape without dimension dim
     * @throws IndexOutOfBoundsException when dim or index is out of range, or the tensor is 0-dim
     */
    public Tensor select(int dim, int index) {
        return ShapeOps.select(this, dim, index);
    }

    /**
     * {@code index_select(dim, index)}: {@code out[..., k, ...] = x[..., index[k], ...]} along dim. Records
     * {@code IndexSelectBackward0}, which adds the gradient back at each index (duplicates accumulate).
     *
     * @param dim the dimension (negative counts from the end)
     * @param index a 1-D (or 0-dim) tensor of indices in {@code [0, size(dim))}
     * @return a new tensor whose size along dim is {@code index.numel()}
     * @throws IllegalArgumentException when index has more than one dimension
     * @throws IndexOutOfBoundsException when dim or an index value is out of range
     */
    public Tensor indexSelect(int dim, LongTensor index) {
        return Indexing.indexSelect(this, dim, index);
    }

    /**
     * {@code gather(dim, index)}: {@code out[i] = x[i with i[dim] replaced by index[i]]}; index has this tensor's
     * rank and sizes no larger than this tensor's except along dim; the result has index's shape. Records
     * {@code GatherBackward0} (a scatter-add: duplicate indices accumulate).
     *
     * @param dim the dimension (negative counts from the end)
     * @param index indices in {@code [0, size(dim))}
     * @return a new tensor of index's shape
     * @throws IllegalArgumentException when index's rank or sizes do not fit
     * @throws IndexOutOfBoundsException when dim or an index value is out of range
     */
    public Tensor gather(int dim, LongTensor index) {
        return Indexing.gather(this, dim, index);
    }

    /**
     * {@code expand(*sizes)}: dimensions of size 1 repeated to the given sizes, new leading dimensions added; -1
     * keeps a size. A copy in jrnn (PyTorch returns a view). Records {@code ExpandBackward0}, which sums the
     * gradient over the expanded dimensions.
     *
     * @param sizes the new sizes, at least {@code dim()} of them, aligned at the last dimension
     * @return a new tensor of the given sizes
     * @throws IllegalArgumentException when a size does not match a non-singleton dimension (PyTorch's text)
     */
    public Tensor expand(int... sizes) {
        return ShapeOps.expand(this, sizes.clone());
    }

    /**
     * {@code repeat(*repeats)}: the tensor tiled {@code repeats[i]} times along each dimension (extra leading counts
     * add dimensions). Records {@code RepeatBackward0}, which sums the gradient over the copies.
     *
     * @param repeats one count per dimension (at least {@code dim()}), each >= 0
     * @return a new tensor of shape {@code shape[i] * repeats[i]}
     * @throws IllegalArgumentException when fewer counts than dimensions are given or a count is negative
     */
    public Tensor repeat(int... repeats) {
        return ShapeOps.repeat(this, repeats.clone());
    }

    /**
     * {@code permute(*dims)}: dimension {@code i} of the result is dimension {@code dims[i]} of this tensor.
     * Records {@code PermuteBackward0}.
     *
     * @param dims a permutation of the dimensions (negative counts from the end)
     * @return a new contiguous tensor
     * @throws IllegalArgumentException when dims is not a permutation of this tensor's dimensions
     */
    public Tensor permute(int... dims) {
        return ShapeOps.permute(this, dims.clone());
    }

    /**
     * {@code contiguous()}: jrnn tensors are always contiguous, so this tensor itself (as PyTorch returns self for a
     * contiguous tensor).
     *
     * @return this tensor
     */
    public Tensor contiguous() {
        return this;
    }

    /**
     * {@code flatten()}: all dimensions in one (a 0-dim tensor becomes 1-D).
     *
     * @return a view of shape {@code (numel())}
     */
    public Tensor flatten() {
        return ShapeOps.flatten(this, 0, -1);
    }

    /**
     * {@code flatten(start_dim, end_dim)}: dimensions {@code startDim .. endDim} merged into one, as a view.
     *
     * @param startDim the first merged dimension (negative counts from the end)
     * @param endDim the last merged dimension, not before startDim
     * @return a view sharing this tensor's data (this tensor when startDim == endDim)
     * @throws IllegalArgumentException when startDim comes after endDim
     */
    public Tensor flatten(int startDim, int endDim) {
        return ShapeOps.flatten(this, startDim, endDim);
    }

    /**
     * {@code split(split_size, dim)}: consecutive pieces of {@code splitSize} entries along dim, the last one
     * shorter. The pieces are outputs of one {@code SplitBackward0} node.
     *
     * @param splitSize entries per piece, > 0 (0 only for an empty dimension)
     * @param dim the dimension (negative counts from the end)
     * @return the pieces, in order (an unmodifiable list)
     */
    public java.util.List<Tensor> split(int splitSize, int dim) {
        return Joining.split(this, splitSize, dim);
    }

    /**
     * {@code split(split_sizes, dim)}: pieces of the given sizes along dim, which must sum to {@code size(dim)}.
     * Records {@code SplitWithSizesBackward0}.
     *
     * @param splitSizes the size of each piece, each >= 0
     * @param dim the dimension (negative counts from the end)
     * @return the pieces, in order (an unmodifiable list)
     */
    public java.util.List<Tensor> split(int[] splitSizes, int dim) {
        return Joining.splitWithSizes(this, splitSizes, dim);
    }

    /**
     * {@code chunk(chunks, dim)}: pieces of {@code ceil(size(dim) / chunks)} entries (PyTorch's rule, so there may
     * be fewer than chunks pieces, e.g. 5 entries in 4 chunks give 2, 2, 1).
     *
     * @param chunks the wanted number of pieces, > 0
     * @param dim the dimension (negative counts from the end)
     * @return the pieces, in order (an unmodifiable list)
     */
    public java.util.List<Tensor> chunk(int chunks, int dim) {
        return Joining.chunk(this, chunks, dim);
    }

    /**
     * {@code item()}: the one value of a one-element tensor.
     *
     * @return the value
     * @throws IllegalStateException when the tensor does not hold exactly one element
     */
    public float item() {
        return Inspection.item(this);
    }

    /**
     * {@code torch.allclose(this, other)} with torch's defaults {@code rtol = 1e-5, atol = 1e-8}.
     *
     * @param other the reference, broadcastable with this tensor
     * @return whether every pair is close, see {@link #allclose(Tensor, double, double)}
     */
    public boolean allclose(Tensor other) {
        return Inspection.allclose(this, other, 1e-5, 1e-8);
    }

    /**
     * {@code torch.allclose(this, other, rtol, atol)}: true when {@code |this - other| <= atol + |rtol * other|}
     * for every broadcast pair (float32 arithmetic, as torch), or the pair is equal (equal infinities); NaN is close
     * to nothing.
     *
     * @param other the reference, broadcastable with this tensor
     * @param rtol the relative tolerance
     * @param atol the absolute tolerance
     * @return whether every pair is close
     * @throws IllegalArgumentException when the shapes do not broadcast (PyTorch's text)
     */
    public boolean allclose(Tensor other, double rtol, double atol) {
        return Inspection.allclose(this, other, rtol, atol);
    }

    /**
     * {@code torch.equal(this, other)}: same shape and equal elements ({@code -0 == 0}, NaN equals nothing). Unlike
     * {@link #equals(Object)}, which compares bits.
     *
     * @param other the other tensor
     * @return whether they are equal; false for different shapes or null
     */
    public boolean equal(Tensor other) {
        return Inspection.equal(this, other);
    }

    // ================================================================ element-wise, reductions, softmax, matmul
    // (issue 11 part A: thin entry points; the operations live in ElementwiseOps, Reductions, LinearAlgebra)
    //
    // Broadcasting follows PyTorch: shapes align at the last dimension and a size-1 or missing dimension repeats;
    // mismatches throw IllegalArgumentException "The size of tensor a (5) must match the size of tensor b (4) at
    // non-singleton dimension 1". A bad dim throws IndexOutOfBoundsException "Dimension out of range (expected to be
    // in range of [-2, 1], but got 2)". Each operation records its backward when an input requires grad and
    // recording is on; the gradient of a broadcast operand is summed back to its shape.

    /**
     * {@code this + other} with broadcasting ({@code torch.add}).
     *
     * @param other the other operand, broadcastable with this tensor
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor add(Tensor other) {
        return ElementwiseOps.arithmetic(BinaryOp.ADD, this, other);
    }

    /**
     * {@code this + s} element-wise.
     *
     * @param s the scalar
     * @return a new tensor of this shape
     */
    public Tensor add(float s) {
        return ElementwiseOps.arithmetic(BinaryOp.ADD, this, s);
    }

    /**
     * {@code this - other} with broadcasting ({@code torch.sub}).
     *
     * @param other the other operand, broadcastable with this tensor
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor sub(Tensor other) {
        return ElementwiseOps.arithmetic(BinaryOp.SUB, this, other);
    }

    /**
     * {@code this - s} element-wise.
     *
     * @param s the scalar
     * @return a new tensor of this shape
     */
    public Tensor sub(float s) {
        return ElementwiseOps.arithmetic(BinaryOp.SUB, this, s);
    }

    /**
     * {@code this * other} element-wise with broadcasting ({@code torch.mul}).
     *
     * @param other the other operand, broadcastable with this tensor
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor mul(Tensor other) {
        return ElementwiseOps.arithmetic(BinaryOp.MUL, this, other);
    }

    /**
     * {@code this * s} element-wise.
     *
     * @param s the scalar
     * @return a new tensor of this shape
     */
    public Tensor mul(float s) {
        return ElementwiseOps.arithmetic(BinaryOp.MUL, this, s);
    }

    /**
     * {@code this / other} element-wise with broadcasting ({@code torch.div}, true division; x/0 is +-Inf or NaN).
     *
     * @param other the divisor, broadcastable with this tensor
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor div(Tensor other) {
        return ElementwiseOps.arithmetic(BinaryOp.DIV, this, other);
    }

    /**
     * {@code this / s} element-wise (e.g. logits divided by a temperature).
     *
     * @param s the divisor
     * @return a new tensor of this shape
     */
    public Tensor div(float s) {
        return ElementwiseOps.arithmetic(BinaryOp.DIV, this, s);
    }

    /**
     * {@code -this}.
     *
     * @return a new tensor of this shape
     */
    public Tensor neg() {
        return ElementwiseOps.unary(UnaryOp.NEG, this);
    }

    /**
     * {@code e^x} element-wise.
     *
     * @return a new tensor of this shape
     */
    public Tensor exp() {
        return ElementwiseOps.activation(ElementwiseOps.Activation.EXP, this);
    }

    /**
     * Natural logarithm element-wise: log(0) = -Inf, log of a negative number NaN.
     *
     * @return a new tensor of this shape
     */
    public Tensor log() {
        return ElementwiseOps.unary(UnaryOp.LOG, this);
    }

    /**
     * {@code tanh} element-wise.
     *
     * @return a new tensor of this shape
     */
    public Tensor tanh() {
        return ElementwiseOps.activation(ElementwiseOps.Activation.TANH, this);
    }

    /**
     * The logistic sigmoid {@code 1 / (1 + e^-x)} element-wise.
     *
     * @return a new tensor of this shape
     */
    public Tensor sigmoid() {
        return ElementwiseOps.activation(ElementwiseOps.Activation.SIGMOID, this);
    }

    /**
     * {@code max(x, 0)} element-wise (NaN stays NaN).
     *
     * @return a new tensor of this shape
     */
    public Tensor relu() {
        return ElementwiseOps.activation(ElementwiseOps.Activation.RELU, this);
    }

    /**
     * {@code x^p} element-wise ({@code torch.pow(x, p)}, with PyTorch's exact forms for p = 2, 3, 0.5, -0.5, -1,
     * -2); gradient {@code p x^(p-1)}, zero for p = 0.
     *
     * @param p the exponent
     * @return a new tensor of this shape
     */
    public Tensor pow(float p) {
        return ElementwiseOps.pow(this, p);
    }

    /**
     * {@code min(max(x, min), max)} element-wise ({@code torch.clamp}); pass {@code Float.NaN} for an open bound.
     * When min &gt; max every element becomes max, as in PyTorch. The gradient passes where min &lt;= x &lt;= max.
     *
     * @param min the lower bound, or NaN for none
     * @param max the upper bound, or NaN for none
     * @return a new tensor of this shape
     * @throws IllegalArgumentException when both bounds are NaN
     */
    public Tensor clamp(float min, float max) {
        return ElementwiseOps.clamp(this, min, max);
    }

    /**
     * Square root element-wise (NaN below 0).
     *
     * @return a new tensor of this shape
     */
    public Tensor sqrt() {
        return ElementwiseOps.unary(UnaryOp.SQRT, this);
    }

    /**
     * {@code 1 / sqrt(x)} element-wise.
     *
     * @return a new tensor of this shape
     */
    public Tensor rsqrt() {
        return ElementwiseOps.unary(UnaryOp.RSQRT, this);
    }

    /**
     * {@code |x|} element-wise; gradient {@code sign(x)} (0 at 0).
     *
     * @return a new tensor of this shape
     */
    public Tensor abs() {
        return ElementwiseOps.unary(UnaryOp.ABS, this);
    }

    /**
     * {@code this == other} element-wise with broadcasting.
     *
     * @param other the other operand
     * @return a mask of the broadcast shape
     */
    public BoolTensor eq(Tensor other) {
        return ElementwiseOps.compare(BinaryOp.EQ, this, other);
    }

    /**
     * {@code this == s} element-wise.
     *
     * @param s the scalar
     * @return a mask of this shape
     */
    public BoolTensor eq(float s) {
        return ElementwiseOps.compare(BinaryOp.EQ, this, s);
    }

    /**
     * {@code this != other} element-wise with broadcasting (true for NaN).
     *
     * @param other the other operand
     * @return a mask of the broadcast shape
     */
    public BoolTensor ne(Tensor other) {
        return ElementwiseOps.compare(BinaryOp.NE, this, other);
    }

    /**
     * {@code this > other} element-wise with broadcasting.
     *
     * @param other the other operand
     * @return a mask of the broadcast shape
     */
    public BoolTensor gt(Tensor other) {
        return ElementwiseOps.compare(BinaryOp.GT, this, other);
    }

    /**
     * {@code this > s} element-wise.
     *
     * @param s the scalar
     * @return a mask of this shape
     */
    public BoolTensor gt(float s) {
        return ElementwiseOps.compare(BinaryOp.GT, this, s);
    }

    /**
     * {@code this >= other} element-wise with broadcasting.
     *
     * @param other the other operand
     * @return a mask of the broadcast shape
     */
    public BoolTensor ge(Tensor other) {
        return ElementwiseOps.compare(BinaryOp.GE, this, other);
    }

    /**
     * {@code this < other} element-wise with broadcasting.
     *
     * @param other the other operand
     * @return a mask of the broadcast shape
     */
    public BoolTensor lt(Tensor other) {
        return ElementwiseOps.compare(BinaryOp.LT, this, other);
    }

    /**
     * {@code this < s} element-wise.
     *
     * @param s the scalar
     * @return a mask of this shape
     */
    public BoolTensor lt(float s) {
        return ElementwiseOps.compare(BinaryOp.LT, this, s);
    }

    /**
     * {@code this <= other} element-wise with broadcasting.
     *
     * @param other the other operand
     * @return a mask of the broadcast shape
     */
    public BoolTensor le(Tensor other) {
        return ElementwiseOps.compare(BinaryOp.LE, this, other);
    }

    /**
     * This tensor with {@code value} where {@code mask} (broadcast to this shape) is true
     * ({@code masked_fill}, e.g. -Inf at padded positions before a softmax); no gradient flows there.
     *
     * @param mask where to fill, broadcastable to this shape
     * @param value the fill value
     * @return a new tensor of this shape
     * @throws IllegalArgumentException when the mask does not broadcast to this shape
     */
    public Tensor maskedFill(BoolTensor mask, float value) {
        return ElementwiseOps.maskedFill(this, mask, value);
    }

    /**
     * Sum of all elements ({@code sum()}): a 0-dim tensor.
     *
     * @return the sum
     */
    public Tensor sum() {
        return Reductions.sum(this, Reductions.Along.all(numel()));
    }

    /**
     * Sum along {@code dim} ({@code sum(dim, keepdim)}).
     *
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether to keep it with size 1
     * @return the sums
     * @throws IndexOutOfBoundsException when dim is out of range
     */
    public Tensor sum(int dim, boolean keepdim) {
        return Reductions.sum(this, Reductions.Along.of(shape, dim, keepdim));
    }

    /**
     * Sum over several dimensions at once ({@code sum(dim=(0, 2), keepdim)}); an empty {@code dims} sums every
     * element, as PyTorch's {@code dim=[]}.
     *
     * @param dims the dimensions (negative counts from the end), each once
     * @param keepdim whether to keep them with size 1
     * @return the sums
     * @throws IndexOutOfBoundsException when a dim is out of range
     * @throws IllegalArgumentException when a dimension is named twice
     */
    public Tensor sum(int[] dims, boolean keepdim) {
        return Reductions.overDims(this, dims.clone(), keepdim, false);
    }

    /**
     * Mean of all elements (NaN for an empty tensor).
     *
     * @return the mean, 0-dim
     */
    public Tensor mean() {
        return Reductions.mean(this, Reductions.Along.all(numel()));
    }

    /**
     * Mean along {@code dim}.
     *
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether to keep it with size 1
     * @return the means
     * @throws IndexOutOfBoundsException when dim is out of range
     */
    public Tensor mean(int dim, boolean keepdim) {
        return Reductions.mean(this, Reductions.Along.of(shape, dim, keepdim));
    }

    /**
     * Mean over several dimensions at once ({@code mean(dim=(0, 2), keepdim)}); NaN for an empty line.
     *
     * @param dims the dimensions (negative counts from the end), each once; empty: every element
     * @param keepdim whether to keep them with size 1
     * @return the means
     * @throws IndexOutOfBoundsException when a dim is out of range
     * @throws IllegalArgumentException when a dimension is named twice
     */
    public Tensor mean(int[] dims, boolean keepdim) {
        return Reductions.overDims(this, dims.clone(), keepdim, true);
    }

    /**
     * The largest element ({@code max()}); NaN if any is NaN. The gradient is shared evenly among equal maxima.
     *
     * @return the maximum, 0-dim
     * @throws IllegalArgumentException when the tensor is empty
     */
    public Tensor max() {
        return Reductions.extremeAll(this, true);
    }

    /**
     * The largest elements along {@code dim} and their positions ({@code max(dim, keepdim)}): the first position
     * among equal maxima, the first NaN if there is one.
     *
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether to keep it with size 1
     * @return values (differentiable, gradient to the chosen positions) and indices
     * @throws IndexOutOfBoundsException when dim is out of range
     * @throws IllegalArgumentException when the dimension is empty
     */
    public ValuesAndIndices max(int dim, boolean keepdim) {
        return Reductions.extremeAlong(this, dim, keepdim, true);
    }

    /**
     * The smallest element ({@code min()}); see {@link #max()}.
     *
     * @return the minimum, 0-dim
     * @throws IllegalArgumentException when the tensor is empty
     */
    public Tensor min() {
        return Reductions.extremeAll(this, false);
    }

    /**
     * The smallest elements along {@code dim} and their positions; see {@link #max(int, boolean)}.
     *
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether to keep it with size 1
     * @return values and indices
     * @throws IndexOutOfBoundsException when dim is out of range
     * @throws IllegalArgumentException when the dimension is empty
     */
    public ValuesAndIndices min(int dim, boolean keepdim) {
        return Reductions.extremeAlong(this, dim, keepdim, false);
    }

    /**
     * Position of the largest element of the flattened tensor ({@code argmax()}), first among equals.
     *
     * @return a 0-dim index
     * @throws IllegalArgumentException when the tensor is empty
     */
    public LongTensor argmax() {
        return Reductions.argExtreme(this, 0, false, true, true);
    }

    /**
     * Positions of the largest elements along {@code dim} ({@code argmax(dim, keepdim)}).
     *
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether to keep it with size 1
     * @return the indices
     * @throws IndexOutOfBoundsException when dim is out of range
     */
    public LongTensor argmax(int dim, boolean keepdim) {
        return Reductions.argExtreme(this, dim, keepdim, false, true);
    }

    /**
     * Position of the smallest element of the flattened tensor ({@code argmin()}).
     *
     * @return a 0-dim index
     * @throws IllegalArgumentException when the tensor is empty
     */
    public LongTensor argmin() {
        return Reductions.argExtreme(this, 0, false, true, false);
    }

    /**
     * Positions of the smallest elements along {@code dim}.
     *
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether to keep it with size 1
     * @return the indices
     * @throws IndexOutOfBoundsException when dim is out of range
     */
    public LongTensor argmin(int dim, boolean keepdim) {
        return Reductions.argExtreme(this, dim, keepdim, false, false);
    }

    /**
     * The k largest (or smallest) elements along {@code dim}, sorted, and their positions
     * ({@code topk(k, dim, largest, sorted=True)}); NaN counts as the largest value. Equal values come with torch
     * 1.13's CPU indices, which are not in position order (they follow libstdc++'s selection and sort steps; see
     * {@link io.github.jrnn.kernels.Kernels#topkAlong}).
     *
     * @param k how many, 0 to size(dim)
     * @param dim the dimension (negative counts from the end)
     * @param largest true for the largest in decreasing order, false for the smallest in increasing order
     * @return values (shape with size(dim) = k, differentiable) and indices
     * @throws IllegalArgumentException when k is out of range
     */
    public ValuesAndIndices topk(int k, int dim, boolean largest) {
        return Reductions.topk(this, k, dim, largest);
    }

    /**
     * {@code log(sum(exp(x)))} along {@code dim}, computed stably ({@code torch.logsumexp}).
     *
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether to keep it with size 1
     * @return the results
     * @throws IndexOutOfBoundsException when dim is out of range
     */
    public Tensor logsumexp(int dim, boolean keepdim) {
        return Reductions.logSumExp(this, Reductions.Along.of(shape, dim, keepdim));
    }

    /**
     * The 2-norm of all elements ({@code norm()}).
     *
     * @return {@code sqrt(sum x^2)}, 0-dim
     */
    public Tensor norm() {
        return Reductions.norm(this, 2f, Reductions.Along.all(numel()));
    }

    /**
     * The p-norm along {@code dim} ({@code norm(p, dim, keepdim)}): p = 1, 2, any p &gt; 0, or
     * {@code Float.POSITIVE_INFINITY} (largest |x|) / {@code NEGATIVE_INFINITY} (smallest |x|).
     *
     * @param p the order
     * @param dim the dimension (negative counts from the end)
     * @param keepdim whether to keep it with size 1
     * @return the norms
     * @throws IllegalArgumentException when p is not positive or infinite
     */
    public Tensor norm(float p, int dim, boolean keepdim) {
        return Reductions.norm(this, p, Reductions.Along.of(shape, dim, keepdim));
    }

    /**
     * {@code softmax(dim)}: {@code exp(x - max) / sum exp(x - max)} along any dimension.
     *
     * @param dim the dimension (negative counts from the end)
     * @return a new tensor of this shape
     * @throws IndexOutOfBoundsException when dim is out of range
     */
    public Tensor softmax(int dim) {
        return Reductions.softmax(this, dim, false);
    }

    /**
     * {@code log_softmax(dim)}: {@code (x - max) - log sum exp(x - max)} along any dimension.
     *
     * @param dim the dimension (negative counts from the end)
     * @return a new tensor of this shape
     * @throws IndexOutOfBoundsException when dim is out of range
     */
    public Tensor logSoftmax(int dim) {
        return Reductions.softmax(this, dim, true);
    }

    /**
     * Matrix product with PyTorch's {@code matmul} rules (see {@link Torch#matmul}).
     *
     * @param other the right operand
     * @return the product
     * @throws IllegalArgumentException when the shapes do not multiply
     */
    public Tensor matmul(Tensor other) {
        return LinearAlgebra.matmul(this, other);
    }

    /**
     * Batched matrix product of (B, n, m) and (B, m, p) tensors ({@code torch.bmm}).
     *
     * @param other the (B, m, p) right operand
     * @return the (B, n, p) products
     * @throws IllegalArgumentException when an operand is not 3-D or the sizes differ
     */
    public Tensor bmm(Tensor other) {
        return LinearAlgebra.bmm(this, other);
    }

    /**
     * The transpose of a 2-D tensor; a 0-D or 1-D tensor unchanged ({@code t()}).
     *
     * @return a new tensor
     * @throws IllegalArgumentException for more than 2 dimensions
     */
    public Tensor t() {
        return LinearAlgebra.t(this);
    }

    // ---------------------------------------------------------------- sampling (torch's tensor methods)

    /**
     * {@code probs.multinomial(num_samples, replacement)} from the default generator: this tensor holds the
     * (categories) or (rows, categories) weights; see {@link Torch#multinomial(Generator, Tensor, int, boolean)}.
     *
     * @param numSamples how many samples per row, at least 1
     * @param replacement whether a category may be drawn more than once
     * @return the sampled category indices, (numSamples) or (rows, numSamples)
     * @throws IllegalArgumentException as {@link Torch#multinomial(Generator, Tensor, int, boolean)} lists
     */
    public LongTensor multinomial(int numSamples, boolean replacement) {
        return Torch.multinomial(this, numSamples, replacement);
    }

    /**
     * {@code probs.multinomial(num_samples, replacement, generator=g)}; see
     * {@link Torch#multinomial(Generator, Tensor, int, boolean)}.
     *
     * @param numSamples how many samples per row, at least 1
     * @param replacement whether a category may be drawn more than once
     * @param g the generator to draw from
     * @return the sampled category indices, (numSamples) or (rows, numSamples)
     * @throws IllegalArgumentException as {@link Torch#multinomial(Generator, Tensor, int, boolean)} lists
     */
    public LongTensor multinomial(int numSamples, boolean replacement, Generator g) {
        return Torch.multinomial(g, this, numSamples, replacement);
    }

    /**
     * {@code p.bernoulli()} from the default generator: 1 with probability p per element of this tensor; see
     * {@link Torch#bernoulli(Generator, Tensor)}.
     *
     * @return a new tensor of 0 and 1 of this shape
     * @throws IllegalArgumentException when an element is outside [0, 1] or NaN
     */
    public Tensor bernoulli() {
        return Torch.bernoulli(this);
    }

    /**
     * {@code p.bernoulli(generator=g)}; see {@link Torch#bernoulli(Generator, Tensor)}.
     *
     * @param g the generator to draw from
     * @return a new tensor of 0 and 1 of this shape
     * @throws IllegalArgumentException when an element is outside [0, 1] or NaN
     */
    public Tensor bernoulli(Generator g) {
        return Torch.bernoulli(g, this);
    }
}
