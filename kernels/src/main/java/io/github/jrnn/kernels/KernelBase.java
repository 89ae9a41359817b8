package io.github.jrnn.kernels;

import java.util.function.Function;

/**
 * The root of {@link Kernels}: the checked and unchecked twins every implementation comes as ({@link #isChecked()},
 * {@link #checked()}, {@link #unchecked()}; {@code Kernels}' class comment says what each promises) and the
 * implementation's {@link #name()}. It declares no kernel.
 *
 * <h2>Kernels by family</h2>
 * The kernels are declared in a chain of abstract classes, one per family, each extending the one before:
 * <ol>
 * <li>{@link ElementwiseKernels}: BLAS level 1, element-wise arithmetic, activations;</li>
 * <li>{@link ProductKernels}: matrix products, packed right operands;</li>
 * <li>{@link CellKernels}: fused recurrent cells, whole recurrences;</li>
 * <li>{@link NormAndLossKernels}: the row-wise softmax family, layer normalisation, element-wise losses;</li>
 * <li>{@link OptimizerKernels}: optimizer updates;</li>
 * <li>{@link MovementKernels}: strided copies, gathers and scatters;</li>
 * <li>{@link TensorOpKernels}: broadcasting, unary functions, reductions along a dimension;</li>
 * </ol>
 * and then {@link Kernels}, which adds the constructors an implementation calls and is the type everybody holds. A
 * family's Javadoc refers only to kernels of its own class or an earlier one (a packed product's bias row is a
 * {@code broadcastRows}; a recurrence is packed products and cells), which fixes the order.
 *
 * <h2>Why the families are public</h2>
 * A public method can be called by reflection or through a method handle from outside this package only when the
 * class that declares it is public. The kernels are final, so javac gives {@code Kernels} no public bridge to them:
 * {@code Kernels.class.getMethod("sgemm", ...)} returns {@code ProductKernels}' method. Code that calls kernels
 * reflectively (the property tests' front-door suite, nn's generated recording kernels) therefore needs the family
 * classes public, and the API documentation then shows each kernel on its family's page. Their constructors are
 * package-private, so no class outside this package extends a family directly: an implementation extends
 * {@code Kernels}, and callers hold {@code Kernels} (a family type only says where a kernel is declared).
 */
public abstract class KernelBase {

    // Package-private so that each family's front door reads it as `if (checked)`; implementations never read it.
    final boolean checked;      // whether the public methods validate their arguments before the Impls
    private final Kernels twin; // the same implementation with the opposite checked

    /** See {@link Kernels#Kernels(Function)}. */
    @SuppressWarnings("this-escape") // the twin only keeps the reference; it reads nothing from it until used
    KernelBase(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        this.checked = true;
        this.twin = makeUncheckedTwin.apply((Kernels) this); // only Kernels' constructors lead here
        if (twin == null || ((KernelBase) twin).twin != this || twin.getClass() != getClass()) {
            throw new IllegalStateException(getClass().getName() + ": makeUncheckedTwin must return a new instance"
                    + " of the same class built with Kernels(checkedTwin) from this one, got " + twin);
        }
    }

    /** See {@link Kernels#Kernels(Kernels)}. */
    KernelBase(Kernels checkedTwin) {
        if (checkedTwin == null || !checkedTwin.checked || ((KernelBase) checkedTwin).twin != null) {
            throw new IllegalArgumentException("checkedTwin must be the checked instance that is building its twin");
        }
        this.checked = false;
        this.twin = checkedTwin;
    }

    /**
     * Whether this is the instance that validates every argument.
     *
     * @return true for the checked instance, false for its unchecked twin
     */
    public final boolean isChecked() {
        return checked;
    }

    /**
     * The checked instance of this implementation.
     *
     * @return this instance when it is checked, else its twin
     */
    public final Kernels checked() {
        return checked ? (Kernels) this : twin; // every instance is a Kernels
    }

    /**
     * The unchecked instance of this implementation, for callers that validated their shapes already (see
     * {@link Kernels}' class comment).
     *
     * @return this instance when it is unchecked, else its twin
     */
    public final Kernels unchecked() {
        return checked ? twin : (Kernels) this;
    }

    @Override // the implementation's name, marked when unchecked: "vector", "scalar (unchecked)"
    public String toString() {
        return checked ? name() : name() + " (unchecked)";
    }

    /**
     * A short name for logs and benchmark tables, the same for both twins.
     *
     * @return the implementation's name, e.g. {@code "scalar"} or {@code "vector"}
     */
    public abstract String name();
}
