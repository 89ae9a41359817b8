package io.github.jrnn.kernels;

import java.util.function.Function;

/**
 * Every float kernel jrnn computes with: BLAS-style products, vector arithmetic, activations, the fused
 * recurrent gate updates and their backward forms, and row-wise softmax. Each kernel is written once, in the class
 * of its family that this one extends (the chain is listed in {@link KernelBase}: {@link ElementwiseKernels},
 * {@link ProductKernels}, {@link CellKernels}, {@link NormAndLossKernels}, {@link OptimizerKernels},
 * {@link MovementKernels}, {@link TensorOpKernels}): a public method that states its math and shapes and checks
 * its arguments, and the protected {@code ...Impl} method an implementation supplies ({@link ScalarKernels}, the
 * reference, and {@code VectorKernels}). {@code Kernels} itself adds only the constructors an implementation
 * calls; it is the type to hold an instance by.
 *
 * <h2>Memory layout</h2>
 * All matrices are row-major {@code float[]} slices: element (i, j) of a matrix stored at offset {@code off} with
 * leading dimension {@code ld} (the distance between the starts of two consecutive rows, {@code ld >= cols}) is
 * {@code x[off + i * ld + j]}. Vectors are contiguous ({@code x[off + i]}). Sizes are element counts.
 *
 * <h2>Checked and unchecked instances</h2>
 * Every implementation exists as a pair of twins that compute the same thing. The <b>checked</b> one (what
 * {@link KernelProvider} hands out, {@link #checked()}) validates every argument before computing: sizes
 * non-negative, arrays present and long enough for their shape, offset and leading dimension; a failure is an
 * {@link IllegalArgumentException} naming the kernel, the argument, what was expected and what was given. The
 * <b>unchecked</b> one ({@link #unchecked()}) skips that, and a bad argument has undefined results (usually an
 * {@link ArrayIndexOutOfBoundsException}, possibly wrong numbers): it is for callers that validated their shapes
 * once and then call kernels many times on slices of them, like a recurrent module's time loop. Unless a method
 * says otherwise, an output may not overlap an input except as the exact same slice (same array and offset), which
 * is allowed for the element-wise methods.
 *
 * <h2>Thread safety</h2>
 * Instances hold no mutable state, so one serves any number of threads; each call touches only the slices it is
 * given. Implementations may keep scratch memory per calling thread and helper threads behind a call (the vector
 * products pack into thread-owned buffers and split large products over a shared pool); results do not depend on it.
 *
 * <h2>Accuracy</h2>
 * The scalar reference rounds each operation to float in the order of the formula (activations in double, rounded
 * once). The vector implementation may reorder sums and uses its own polynomial approximations, held to the bounds
 * in the README and the property tests' {@code Tolerances}. NaN propagates like PyTorch's.
 *
 * <h2>Adding a kernel or an implementation</h2>
 * A kernel is one public method in its family's class (Javadoc, {@code if (checked)} its checks, then its Impl)
 * with its protected abstract {@code ...Impl}, implemented by the scalar and the vector class and compared by one
 * property; the property tests' completeness test finds the kernels by reflection and also wants one valid call of
 * each in their {@code FrontDoorCalls} (from which every argument is made bad in turn). Test doubles need nothing:
 * nn's recording kernels are generated at test time with a body for every Impl. An implementation extends this
 * class with the constructor pair below, so each instance knows its twin; its Impls may assume valid arguments.
 */
public abstract class Kernels extends TensorOpKernels {

    /**
     * Builds the checked instance of an implementation and, with {@code makeUncheckedTwin} (which must call
     * {@link #Kernels(Kernels)} with this instance), its unchecked twin.
     *
     * @param makeUncheckedTwin builds the unchecked twin of the instance it is given, e.g. {@code MyKernels::new}
     *                          for a constructor {@code MyKernels(Kernels checkedTwin)}
     * @throws IllegalStateException when {@code makeUncheckedTwin} returns null, an instance of another class, or
     *                               one that was not built from this instance
     */
    protected Kernels(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin); // KernelBase builds and checks the pair: the twin fields are its own
    }

    /**
     * Builds the unchecked twin of {@code checkedTwin}, from the function of {@link #Kernels(Function)}.
     *
     * @param checkedTwin the checked instance whose constructor is building this twin
     * @throws IllegalArgumentException when {@code checkedTwin} is not a checked instance in construction
     */
    protected Kernels(Kernels checkedTwin) {
        super(checkedTwin);
    }
}
