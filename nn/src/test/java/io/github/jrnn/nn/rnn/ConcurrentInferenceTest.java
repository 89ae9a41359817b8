package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.random.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One module serving many threads: every concurrent forward gives bitwise the single-threaded result (no shared
 * scratch), and no forward changes a parameter.
 *
 * <p>The module runs on the scalar reference kernels: they are deterministic, while the vector kernels' lane
 * reductions ({@code reduceLanes(ADD)}) may round differently once the JIT compiles them, which would show up here
 * as a last-bit difference that has nothing to do with thread safety.
 */
class ConcurrentInferenceTest {

    @Test
    void concurrentForwardCallsOnOneModuleAgreeBitwiseAndLeaveParametersUnchanged() throws Exception {
        Generator g = new Generator(11);
        LSTM lstm = LSTM.builder(5, 7).numLayers(2).bidirectional(true).projSize(3).generator(g)
                .kernels(KernelProvider.checkedScalar()).build();
        lstm.eval();
        Map<String, Tensor> before = lstm.stateDict();
        int threads = 4;
        List<float[]> inputs = new ArrayList<>();
        List<RecurrentOutput> reference = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            float[] x = new float[(4 + i) * 2 * 5];
            g.uniform(x, 0, x.length, -1, 1);
            inputs.add(x);
            reference.add(lstm.forward(Tensor.of(x, 4 + i, 2, 5)));
        }
        PackedSequence packed = PackedSequences.packPaddedSequence(Tensor.of(inputs.get(3), 7, 2, 5),
                new int[] {3, 7}, false, false);
        PackedRecurrentOutput packedReference = lstm.forward(packed);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int id = i;
                futures.add(pool.submit(() -> {
                    for (int rep = 0; rep < 200; rep++) {
                        RecurrentOutput out = lstm.forward(Tensor.of(inputs.get(id), 4 + id, 2, 5));
                        assertArrayEquals(reference.get(id).output().data(), out.output().data());
                        assertArrayEquals(reference.get(id).hN().data(), out.hN().data());
                        assertArrayEquals(reference.get(id).cN().data(), out.cN().data());
                        PackedRecurrentOutput p = lstm.forward(packed);
                        assertArrayEquals(packedReference.output().data().data(), p.output().data().data());
                        assertArrayEquals(packedReference.hN().data(), p.hN().data());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before, lstm.stateDict(), "forward must not change parameters");
    }
}
