package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.KernelThreads;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Batch-1 inference on modules large enough for the vector kernels to split each recurrence over two threads
 * ({@link KernelThreads#SPLIT_RECURRENCE_MIN_STEP_MULTIPLY_ADDS}): many threads calling forward at once on shared
 * modules (dense batch 1, unbatched, a packed single sequence, stacked and bidirectional) get bit for bit what one
 * thread computed with splitting off. Only one caller at a time gets the helper thread; the others run their
 * recurrences alone, and nobody waits for another caller's sequence.
 */
class BatchOneSplitConcurrencyTest {

    private static final int THREADS = 6;
    private static final int CALLS_PER_THREAD = 60;

    private record Request(String what, RNNBase module, Function<RNNBase, float[]> call) {
    }

    private static float[] flatten(Tensor... parts) {
        List<Float> values = new ArrayList<>();
        for (Tensor t : parts) {
            if (t != null) {
                for (float v : t.data()) {
                    values.add(v);
                }
            }
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static Tensor random(Random rnd, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.numel(); i++) {
            t.data()[i] = (float) (rnd.nextGaussian() * 0.8);
        }
        return t;
    }

    private static List<Request> workload(Kernels k) {
        // 192 (GRU, LSTM) and 384 (RNN): at the threshold and multiples of the panel width at every vector width
        int steps = KernelThreads.SPLIT_RECURRENCE_MIN_STEPS + 4;
        Generator g = new Generator(77);
        List<RNNBase> modules = List.of(
                GRU.builder(8, 192).numLayers(2).generator(g).kernels(k).build(),
                LSTM.builder(8, 192).bidirectional(true).generator(g).kernels(k).build(),
                RNN.builder(8, 384).nonlinearity("relu").generator(g).kernels(k).build(),
                GRU.builder(8, 256).batchFirst(true).generator(g).kernels(k).build());
        Random rnd = new Random(5);
        List<Request> requests = new ArrayList<>();
        for (RNNBase m : modules) {
            m.eval();
            RecurrentOptions o = m.options();
            int states = o.numLayers() * o.numDirections();
            Tensor x = o.batchFirst() ? random(rnd, 1, steps, 8) : random(rnd, steps, 1, 8);
            Tensor unbatched = random(rnd, steps + 3, 8);
            Tensor h0 = random(rnd, states, 1, o.hiddenSize());
            Tensor c0 = o.mode() == RecurrentMode.LSTM ? random(rnd, states, 1, o.hiddenSize()) : null;
            PackedSequence packed = PackedSequences.packSequence(List.of(random(rnd, steps + 1, 8)), false);
            String name = o.mode() + " " + o.hiddenSize();
            requests.add(new Request(name + " batch 1", m, mod -> {
                RecurrentOutput r = mod.forward(x, h0, c0);
                return flatten(r.output(), r.hN(), r.cN());
            }));
            requests.add(new Request(name + " unbatched", m, mod -> {
                RecurrentOutput r = mod.forward(unbatched);
                return flatten(r.output(), r.hN(), r.cN());
            }));
            requests.add(new Request(name + " packed", m, mod -> {
                PackedRecurrentOutput r = mod.forward(packed);
                return flatten(r.output().data(), r.hN(), r.cN());
            }));
        }
        return requests;
    }

    @Test
    void concurrentBatchOneForwardsGiveTheUnsplitResultsBitForBit() throws Exception {
        List<Request> requests = workload(KernelProvider.checkedVector());
        int threadsBefore = KernelThreads.count();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (GradMode.Scope _ = GradMode.noGrad()) {
            KernelThreads.setCount(1);
            List<float[]> expected = new ArrayList<>();
            for (Request r : requests) {
                expected.add(r.call().apply(r.module()));
            }
            KernelThreads.setCount(2);
            for (int i = 0; i < requests.size(); i++) { // one thread, splitting
                assertArrayEquals(expected.get(i), requests.get(i).call().apply(requests.get(i).module()),
                        requests.get(i).what() + " split on one calling thread");
            }
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    Random order = new Random(id);
                    try (GradMode.Scope _ = GradMode.noGrad()) {
                        for (int call = 0; call < CALLS_PER_THREAD; call++) {
                            int i = order.nextInt(requests.size());
                            Request r = requests.get(i);
                            assertArrayEquals(expected.get(i), r.call().apply(r.module()),
                                    () -> "thread " + id + ", " + r.what());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            KernelThreads.setCount(threadsBefore);
        }
        // the splits ran on the recurrence helper, which exists once a recurrence has been split in this JVM
        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("jrnn-recurrence")),
                "no recurrence was split");
    }
}
