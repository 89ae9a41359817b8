package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.properties.kernels.KernelShapes.Layout;
import io.github.jrnn.properties.kernels.KernelShapes.Layouts;
import io.github.jrnn.properties.kernels.KernelShapes.Length;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.function.DoubleSupplier;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;

/**
 * The fused optimizer updates (sgdStep, adamStep): parameters and state within their {@link Tracked} bounds of the
 * update in the {@code Kernels} Javadoc evaluated in double, for any length, offsets and hyperparameters
 * (PyTorch's defaults and random values), with the optional state absent or present; the gradient is not
 * modified, and state that must not be read (the momentum buffer when momentum is 0) holds NaN.
 */
class OptimizerProperties {

    private static final DoubleSupplier NOT_READ = () -> Double.NaN;

    @Provide
    Arbitrary<Float> learningRates() {
        return Arbitraries.oneOf(Arbitraries.of(0.1f, 0.01f, 1e-3f),
                Arbitraries.floats().between(1e-4f, 1f).ofScale(6));
    }

    @Provide
    Arbitrary<Float> momenta() {
        return Arbitraries.oneOf(Arbitraries.of(0f, 0.9f),
                Arbitraries.floats().between(0f, 0.99f).ofScale(6));
    }

    @Provide
    Arbitrary<Float> smallCoefficients() {
        return Arbitraries.oneOf(Arbitraries.of(0f, 0.1f, 1e-2f),
                Arbitraries.floats().between(0f, 0.5f).ofScale(6));
    }

    @Provide
    Arbitrary<Float> betas() {
        return Arbitraries.oneOf(Arbitraries.of(0.9f, 0.999f),
                Arbitraries.floats().between(0f, 0.9999f).ofScale(6));
    }

    @Provide
    Arbitrary<Float> epsilons() {
        return Arbitraries.of(1e-8f, 1e-6f, 1e-3f);
    }

    @Provide
    Arbitrary<Integer> steps() {
        return Arbitraries.integers().between(1, 1000).edgeCases(c -> c.add(1, 2));
    }

    @Property(tries = 300)
    @Compares("sgdStep")
    void sgdStepMatchesTorchOptimSgdForAnyHyperparameters(
            @ForAll(supplier = Length.class) int n,
            @ForAll("learningRates") float lr, @ForAll("momenta") float momentum,
            @ForAll("smallCoefficients") float dampening, @ForAll("smallCoefficients") float weightDecay,
            @ForAll boolean nesterov, @ForAll boolean firstStep, @ForAll boolean bufferPassed,
            @ForAll(supplier = Layouts.class) Layout layoutParam, @ForAll(supplier = Layouts.class) Layout layoutGrad,
            @ForAll(supplier = Layouts.class) Layout layoutBuffer, @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix param = StridedMatrix.outputVector(n, layoutParam, data.uniform(-2, 2));
        StridedMatrix grad = StridedMatrix.inputVector(n, layoutGrad, data.matrixEntries());
        // the buffer is read only when momentum != 0 and not on the first step
        boolean bufferRead = momentum != 0 && !firstStep;
        StridedMatrix buffer = StridedMatrix.outputVector(n, layoutBuffer,
                bufferRead ? data.matrixEntries() : NOT_READ);
        boolean passBuffer = momentum != 0 || bufferPassed;

        for (Kernels impl : BOTH) {
            StridedMatrix paramRun = param.copy();
            StridedMatrix gradRun = grad.copy();
            StridedMatrix bufferRun = buffer.copy();
            impl.sgdStep(n, paramRun.data, paramRun.offset, gradRun.data, gradRun.offset,
                    passBuffer ? bufferRun.data : null, bufferRun.offset, lr, momentum, dampening, weightDecay,
                    nesterov, firstStep);
            String name = impl.name() + " sgdStep";
            paramRun.assertOnlyRegionChanged(param, name + " param");
            gradRun.assertUnchanged(grad, name + " grad");
            if (momentum == 0) {
                bufferRun.assertUnchanged(buffer, name + " momentumBuffer (momentum 0)");
            } else {
                bufferRun.assertOnlyRegionChanged(buffer, name + " momentumBuffer");
            }
            for (int i = 0; i < n; i++) {
                Tracked p = Tracked.exact(param.get(i));
                Tracked d = Tracked.exact(grad.get(i));
                if (weightDecay != 0) {
                    d = d.plus(Tracked.exact(weightDecay).times(p));
                }
                if (momentum != 0) {
                    Tracked mu = Tracked.exact(momentum);
                    Tracked buf = firstStep ? d
                            : mu.times(Tracked.exact(buffer.get(i))).plus(
                                    Tracked.exact(dampening).oneMinus().times(d));
                    int index = i;
                    Expect.within(() -> name + " momentumBuffer[" + index + "]", bufferRun.get(i), buf);
                    d = nesterov ? d.plus(mu.times(buf)) : buf;
                }
                Tracked expected = p.minus(Tracked.exact(lr).times(d));
                int index = i;
                Expect.within(() -> name + " param[" + index + "]", paramRun.get(i), expected);
            }
        }
    }

    @Property(tries = 300)
    @Compares("adamStep")
    void adamStepMatchesTorchOptimAdamAndAdamWForAnyHyperparameters(
            @ForAll(supplier = Length.class) int n,
            @ForAll("learningRates") float lr, @ForAll("betas") float beta1, @ForAll("betas") float beta2,
            @ForAll("epsilons") float eps, @ForAll("smallCoefficients") float weightDecay,
            @ForAll boolean decoupled, @ForAll boolean amsgrad, @ForAll("steps") int step,
            @ForAll(supplier = Layouts.class) Layout layoutParam, @ForAll(supplier = Layouts.class) Layout layoutGrad,
            @ForAll(supplier = Layouts.class) Layout layoutM, @ForAll(supplier = Layouts.class) Layout layoutV,
            @ForAll(supplier = Layouts.class) Layout layoutVMax, @ForAll long seed) {
        // the caller's part, as torch.optim.Adam(W) computes it (in double)
        float paramScale = decoupled ? (float) (1 - (double) lr * weightDecay) : 1f;
        float gradDecay = decoupled ? 0f : weightDecay;
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float biasCorrection2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));

        FloatData data = new FloatData(seed);
        StridedMatrix param = StridedMatrix.outputVector(n, layoutParam, data.uniform(-2, 2));
        StridedMatrix grad = StridedMatrix.inputVector(n, layoutGrad, data.matrixEntries());
        StridedMatrix m = StridedMatrix.outputVector(n, layoutM, data.uniform(-0.5, 0.5));
        DoubleSupplier second = data.uniform(0, 0.25);
        StridedMatrix v = StridedMatrix.outputVector(n, layoutV, second);
        StridedMatrix vMax = StridedMatrix.outputVector(n, layoutVMax, second);

        for (Kernels impl : BOTH) {
            StridedMatrix paramRun = param.copy();
            StridedMatrix gradRun = grad.copy();
            StridedMatrix mRun = m.copy();
            StridedMatrix vRun = v.copy();
            StridedMatrix vMaxRun = vMax.copy();
            impl.adamStep(n, paramRun.data, paramRun.offset, gradRun.data, gradRun.offset, mRun.data, mRun.offset,
                    vRun.data, vRun.offset, amsgrad ? vMaxRun.data : null, vMaxRun.offset, beta1, beta2, eps,
                    paramScale, gradDecay, stepSize, biasCorrection2Sqrt);
            String name = impl.name() + " adamStep";
            paramRun.assertOnlyRegionChanged(param, name + " param");
            gradRun.assertUnchanged(grad, name + " grad");
            mRun.assertOnlyRegionChanged(m, name + " expAvg");
            vRun.assertOnlyRegionChanged(v, name + " expAvgSq");
            if (amsgrad) {
                vMaxRun.assertOnlyRegionChanged(vMax, name + " maxExpAvgSq");
            } else {
                vMaxRun.assertUnchanged(vMax, name + " maxExpAvgSq (passed null)");
            }
            for (int i = 0; i < n; i++) {
                Tracked p = Tracked.exact(paramScale).times(Tracked.exact(param.get(i)));
                Tracked g = Tracked.exact(grad.get(i)).plus(Tracked.exact(gradDecay).times(p));
                Tracked b1 = Tracked.exact(beta1);
                Tracked b2 = Tracked.exact(beta2);
                Tracked mNew = b1.times(Tracked.exact(m.get(i))).plus(b1.oneMinus().times(g));
                Tracked vNew = b2.times(Tracked.exact(v.get(i))).plus(b2.oneMinus().times(g).times(g));
                Tracked vUsed = amsgrad ? vNew.max(Tracked.exact(vMax.get(i))) : vNew;
                Tracked denominator = vUsed.sqrt().dividedBy(Tracked.exact(biasCorrection2Sqrt))
                        .plus(Tracked.exact(eps));
                Tracked expected = p.minus(Tracked.exact(stepSize).times(mNew).dividedBy(denominator));
                String at = "[" + i + "]";
                Expect.within(() -> name + " expAvg" + at, mRun.get(i), mNew);
                Expect.within(() -> name + " expAvgSq" + at, vRun.get(i), vNew);
                if (amsgrad) {
                    Expect.within(() -> name + " maxExpAvgSq" + at, vMaxRun.get(i), vUsed);
                }
                Expect.within(() -> name + " param" + at, paramRun.get(i), expected);
            }
        }
    }
}
