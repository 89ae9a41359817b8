/**
 * jrnn's float kernels: every product, element-wise operation, activation, fused recurrent gate update, row-wise
 * softmax and optimizer step that the {@code nn} module computes with, behind one API.
 *
 * <h2>One API, two implementations</h2>
 * {@link io.github.jrnn.kernels.Kernels} declares each kernel once: a public method whose Javadoc states its math
 * and shapes and which checks its arguments, and the protected {@code ...Impl} method an implementation supplies.
 * The kernels are declared by family in the abstract classes {@code Kernels} extends, one per family, listed in
 * {@link io.github.jrnn.kernels.KernelBase}; {@code Kernels} is the type to hold an instance by.
 * {@link io.github.jrnn.kernels.ScalarKernels} is the reference (plain loops in the order of each formula); the
 * Vector API implementation ({@code jdk.incubator.vector}, not public) is the fast one.
 * {@link io.github.jrnn.kernels.KernelProvider} picks one per JVM: the vector kernels when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, else the scalar ones with a warning naming the flag, and says which
 * and why. {@link io.github.jrnn.kernels.PackedMatrix} is a right operand packed once for many products,
 * {@link io.github.jrnn.kernels.KernelThreads} sets how many threads a large product may use, and
 * {@link io.github.jrnn.kernels.GemmBlocking} publishes the product's block sizes and thresholds for tests and
 * benchmarks.
 *
 * <h2>Arguments: row-major slices</h2>
 * Kernels take plain {@code float[]} arrays and compute on slices of them: a matrix is given by its array, the
 * offset of its element (0, 0) and its leading dimension, the distance between the starts of two consecutive rows
 * ({@code >=} the row length), so element (i, j) is {@code x[offset + i * ld + j]}; a vector by its array and the
 * offset of its first element. The backward cell kernels, which have six operands each, take every matrix as one
 * {@link io.github.jrnn.kernels.MatrixSlice} (array, offset and leading dimension in one reusable object) instead of
 * three positional arguments. A kernel writes only its output slices (and an input its Javadoc says it consumes);
 * which outputs may share an input's slice is stated per method.
 *
 * <h2>Checked and unchecked twins</h2>
 * Each implementation comes as two instances that compute the same thing. The checked one (what the provider hands
 * out) rejects a negative size, a null array, or an array too short for its slice with an
 * {@link java.lang.IllegalArgumentException} naming the kernel, the argument, what was expected and what was
 * given; the unchecked one ({@link io.github.jrnn.kernels.Kernels#unchecked()}) skips the checks, for callers that
 * validated their shapes once and then call kernels many times, and gives undefined results on bad arguments.
 *
 * <h2>Thread safety</h2>
 * {@code Kernels} instances hold no mutable state and may be shared by any number of threads; concurrent calls
 * must not write the same output slice. A {@code PackedMatrix} may be read by many products at once but must not
 * be refilled ({@link io.github.jrnn.kernels.Kernels#repackB}) while in use. The thread count of
 * {@code KernelThreads} is global to the JVM; results do not depend on it.
 *
 * <h2>Accuracy</h2>
 * The scalar reference rounds each operation to float in the order of its formula. The vector kernels sum in
 * another (fixed, deterministic) order and use their own polynomial approximations of exp, tanh and sigmoid; the
 * README's kernel table gives each kernel's bound against the exact result, and the property tests (class
 * {@code Tolerances} in {@code property-tests}, with the derivation of each bound) hold both implementations to
 * them.
 */
package io.github.jrnn.kernels;
