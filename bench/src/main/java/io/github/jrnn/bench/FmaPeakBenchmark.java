package io.github.jrnn.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This machine's single-core float FMA peak as the Vector API reaches it: {@link #ACCUMULATORS} independent
 * accumulators of the preferred species each take {@link #ITERATIONS} fused multiply-adds {@code acc = acc * m + c}
 * with no memory traffic. One operation is {@code 2 * lanes * ACCUMULATORS * ITERATIONS} floating-point
 * operations ({@link #flopsPerOperation()}); the study divides every GFLOP/s figure by this peak.
 *
 * <p>Why 12 accumulators: a core needs latency x throughput independent FMAs in flight (4 cycles x 2 pipes = 8 on
 * current x86 cores) to saturate its FMA units; 12 leaves margin and, with the two operands, still fits the 16
 * registers of AVX2 without spilling. With m = 0.999 and c = 0.001 every accumulator converges to 1, so no value
 * ever becomes subnormal or infinite (either could slow some cores down).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBenchmark {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int ACCUMULATORS = 12;
    static final int ITERATIONS = 4096;

    /** Floating-point operations in one call of {@link #fmaLoop()} on this JVM's preferred species. */
    public static long flopsPerOperation() {
        return 2L * SPECIES.length() * ACCUMULATORS * ITERATIONS;
    }

    private float multiplier;
    private float addend;
    private float start;

    @Setup(Level.Trial)
    public void setUp() {
        // Fields, not constants, so the JIT cannot fold the loop into its closed form.
        multiplier = 0.999f;
        addend = 0.001f;
        start = 0.5f;
    }

    @Benchmark
    public float fmaLoop() {
        FloatVector m = FloatVector.broadcast(SPECIES, multiplier);
        FloatVector c = FloatVector.broadcast(SPECIES, addend);
        FloatVector a0 = FloatVector.broadcast(SPECIES, start);
        FloatVector a1 = a0.add(0.01f);
        FloatVector a2 = a0.add(0.02f);
        FloatVector a3 = a0.add(0.03f);
        FloatVector a4 = a0.add(0.04f);
        FloatVector a5 = a0.add(0.05f);
        FloatVector a6 = a0.add(0.06f);
        FloatVector a7 = a0.add(0.07f);
        FloatVector a8 = a0.add(0.08f);
        FloatVector a9 = a0.add(0.09f);
        FloatVector a10 = a0.add(0.10f);
        FloatVector a11 = a0.add(0.11f);
        for (int i = 0; i < ITERATIONS; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10)
                .add(a11);
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
