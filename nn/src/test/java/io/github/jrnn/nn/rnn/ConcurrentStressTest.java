package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.loss.MSELoss;
import io.github.jrnn.nn.optim.Adam;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.random.Generator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Many threads, one shared module per mode: {@value #THREADS} threads make {@value #CALLS_PER_THREAD} forward calls
 * each, in their own random order, over a mixed workload (sequence lengths 1 to 7, batches 1 to 4, unbatched
 * inputs, given initial states, packed batches with unsorted lengths) on RNN (tanh and relu), GRU and LSTM modules
 * (stacked, bidirectional, with projections, batch-first), and every result must equal bit for bit the one a
 * single thread computed first. Half the threads run with gradient recording off ({@code GradMode.noGrad()}),
 * half with it on, as a service that forgets {@code no_grad} would. Meanwhile one more thread trains a copy of a
 * module (forward, loss, backward, Adam), which must not disturb the shared one. Runs on both kernels: the vector
 * kernels are deterministic, so bitwise equality holds there too.
 */
class ConcurrentStressTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 1500;

    /** One forward call and its flattened result (output, h_n, c_n one after the other). */
    private record Request(String what, Function<RNNBase, float[]> call, int module) {
    }

    private static List<RNNBase> modules(Kernels k) {
        Generator g = new Generator(2024);
        return List.of(
                RNN.builder(5, 6).numLayers(2).bidirectional(true).generator(g).kernels(k).build(),
                RNN.builder(5, 6).nonlinearity("relu").batchFirst(true).generator(g).kernels(k).build(),
                GRU.builder(5, 7).numLayers(2).bidirectional(true).generator(g).kernels(k).build(),
                LSTM.builder(5, 7).numLayers(2).bidirectional(true).projSize(3).generator(g).kernels(k).build(),
                LSTM.builder(5, 8).batchFirst(true).generator(g).kernels(k).build());
    }

    private static float[] flatten(Tensor... parts) {
        int n = 0;
        for (Tensor t : parts) {
            n += t == null ? 0 : t.numel();
        }
        float[] out = new float[n];
        int at = 0;
        for (Tensor t : parts) {
            if (t != null) {
                System.arraycopy(t.data(), 0, out, at, t.numel());
                at += t.numel();
            }
        }
        return out;
    }

    private static float[] flatten(RecurrentOutput r) {
        return flatten(r.output(), r.hN(), r.cN());
    }

    private static float[] flatten(PackedRecurrentOutput r) {
        return flatten(r.output().data(), r.hN(), r.cN());
    }

    private static Tensor random(Random rnd, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.numel(); i++) {
            t.data()[i] = (float) (rnd.nextGaussian() * 0.8);
        }
        return t;
    }


    private static List<Request> workload(List<RNNBase> modules) {
        Random rnd = new Random(99);
        List<Request> out = new ArrayList<>();
        for (int mi = 0; mi < modules.size(); mi++) {
            RecurrentOptions o = modules.get(mi).options();
            int d = o.numDirections() * o.numLayers();
            int hOut = o.projSize() > 0 ? o.projSize() : o.hiddenSize();
            boolean lstm = o.mode() == RecurrentMode.LSTM;
            for (int r = 0; r < 10; r++) {
                int steps = 1 + rnd.nextInt(7);
                int batch = 1 + rnd.nextInt(4);
                Tensor x = o.batchFirst() ? random(rnd, batch, steps, 5) : random(rnd, steps, batch, 5);
                Tensor h0 = random(rnd, d, batch, hOut);
                Tensor c0 = lstm ? random(rnd, d, batch, o.hiddenSize()) : null;
                int[] lengths = new int[batch];
                for (int b = 0; b < batch; b++) {
                    lengths[b] = 1 + rnd.nextInt(steps);
                }
                lengths[rnd.nextInt(batch)] = steps;
                PackedSequence packed = PackedSequences.packPaddedSequence(x, lengths, o.batchFirst(), false);
                Tensor unbatched = random(rnd, steps, 5);
                String shape = Arrays.toString(x.shape());
                out.add(new Request(mi + " padded " + shape, m -> flatten(m.forward(x)), mi));
                out.add(new Request(mi + " with state " + shape, m -> flatten(m.forward(x, h0, c0)), mi));
                out.add(new Request(mi + " unbatched " + steps, m -> flatten(m.forward(unbatched)), mi));
                out.add(new Request(mi + " packed " + Arrays.toString(lengths), m -> flatten(m.forward(packed)), mi));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} kernels")
    @ValueSource(strings = {"scalar", "vector"})
    void sharedModulesGiveTheSingleThreadedResultsBitForBit(String kernelsName) throws Exception {
        Kernels kernels = kernelsName.equals("scalar") ? KernelProvider.checkedScalar()
                : KernelProvider.checkedVector();
        List<RNNBase> modules = modules(kernels);
        modules.forEach(RNNBase::eval);
        List<Map<String, Parameter>> parametersBefore = modules.stream().map(RNNBase::namedParameters).toList();
        List<Map<String, Tensor>> valuesBefore = modules.stream().map(RNNBase::stateDict).toList();
        List<Request> requests = workload(modules);
        List<float[]> expected = new ArrayList<>();
        for (Request r : requests) {
            expected.add(r.call().apply(modules.get(r.module())));
        }

        // A copy of the LSTM with the same weights, trained at the same time on its own thread.
        LSTM trained = LSTM.builder(5, 7).numLayers(2).bidirectional(true).projSize(3).kernels(kernels).build();
        trained.loadStateDict(modules.get(3).stateDict(), true);
        Map<String, Tensor> trainedBefore = trained.stateDict();

        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    Random order = new Random(id);
                    try (GradMode.Scope _ = id % 2 == 0 ? GradMode.noGrad() : GradMode.enableGrad()) {
                        for (int call = 0; call < CALLS_PER_THREAD; call++) {
                            int i = order.nextInt(requests.size());
                            Request r = requests.get(i);
                            assertArrayEquals(expected.get(i), r.call().apply(modules.get(r.module())),
                                    () -> "thread " + id + ", " + r.what());
                        }
                    }
                    return CALLS_PER_THREAD;
                }));
            }
            Future<Integer> training = pool.submit(train(trained));
            int calls = 0;
            for (Future<Integer> f : futures) {
                calls += f.get();
            }
            assertEquals(THREADS * CALLS_PER_THREAD, calls);
            training.get();
        } finally {
            pool.shutdownNow();
        }

        for (int m = 0; m < modules.size(); m++) {
            assertEquals(valuesBefore.get(m), modules.get(m).stateDict(), "forward changed parameter values");
            Map<String, Parameter> now = modules.get(m).namedParameters();
            for (Map.Entry<String, Parameter> p : parametersBefore.get(m).entrySet()) {
                assertSame(p.getValue(), now.get(p.getKey()), "parameter object replaced: " + p.getKey());
                assertNull(p.getValue().grad(), "an inference forward left a gradient on " + p.getKey());
            }
        }
        assertFalse(trainedBefore.equals(trained.stateDict()), "the training thread changed its own copy");
    }

    /** 40 Adam steps on the copy, regressing its output towards zero. */
    private static Callable<Integer> train(LSTM copy) {
        return () -> {
            copy.train();
            Adam adam = new Adam(copy.parameters(), 0.01);
            Random rnd = new Random(5);
            for (int step = 0; step < 40; step++) {
                Tensor x = random(rnd, 4, 3, 5);
                adam.zeroGrad();
                Tensor out = copy.forward(x).output();
                Tensor loss = new MSELoss().forward(out, Tensor.zeros(out.shape()));
                loss.backward();
                adam.step();
            }
            return 40;
        };
    }
}
