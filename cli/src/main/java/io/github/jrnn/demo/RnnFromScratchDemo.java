package io.github.jrnn.demo;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.tensor.Torch;
import io.github.jrnn.nn.rnn.RNN;
import io.github.jrnn.nn.rnn.RecurrentOutput;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The RNN-from-scratch document: {@code nn.RNN(6, 3)} next to its equations written out by hand,
 * <pre>
 * H_t = tanh(X_t W_ih^T + b_ih + H_{t-1} W_hh^T + b_hh)
 * </pre>
 * on the same weights. The calls reproduce the document's printout exactly (found with torch 1.13):
 * <pre>
 * torch.manual_seed(42)
 * X = torch.randn(4, 6)          # 4 time steps of 6 features: 1.9269, 1.4873, 0.9007, -2.1055, 0.6784, -1.2345, ...
 * H0 = torch.randn(1, 1, 3)      # 1.3525, 0.6863, -0.3278
 * rnn = nn.RNN(6, 3)             # weights drawn after X and H0
 * output, h_n = rnn(X.view(4, 1, 6), H0)    # [-0.5428, 0.9207, 0.7060], ..., [0.9281, -0.7660, 0.5954]
 * </pre>
 * (leaving out h0, or building the RNN before drawing X, gives other numbers). The hand-written version is the
 * "from scratch" part: one {@code sgemm} per product, {@code add} for the sums and {@code tanh}, per time step.
 */
final class RnnFromScratchDemo implements Demo {

    static final int STEPS = 4;
    static final int INPUT = 6;
    static final int HIDDEN = 3;

    /** X (4, 6), H0 (1, 1, 3), the module's output (4, 1, 3) and h_n, and the hand-written H_1..H_4 (4, 3). */
    record Result(Tensor x, Tensor h0, Tensor moduleOutput, Tensor moduleHn, Tensor byHand) {
    }

    @Override
    public String name() {
        return "rnn-from-scratch";
    }

    @Override
    public String description() {
        return "nn.RNN(6, 3) after manual_seed(42) next to H_t = tanh(X_t W_ih^T + b_ih + H_{t-1} W_hh^T + b_hh)";
    }

    /** The document's calls, from {@code Torch.manualSeed(seed)} on the default generator. */
    static Result compute(long seed) {
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(STEPS, INPUT);
        Tensor h0 = Torch.randn(1, 1, HIDDEN);
        RNN rnn = new RNN(INPUT, HIDDEN);
        try (GradMode.Scope _ = GradMode.noGrad()) {
            RecurrentOutput out = rnn.forward(x.reshape(STEPS, 1, INPUT), h0);
            return new Result(x, h0, out.output(), out.hN(), byHand(rnn, x, h0));
        }
    }

    /** H_t for t = 1..4 from the module's parameters, each product, sum and activation one kernel call. */
    private static Tensor byHand(RNN rnn, Tensor x, Tensor h0) {
        Kernels k = KernelProvider.kernels();
        Map<String, Parameter> p = rnn.namedParameters();
        float[] wIh = p.get("weight_ih_l0").data(); // (3, 6)
        float[] wHh = p.get("weight_hh_l0").data(); // (3, 3)
        float[] bIh = p.get("bias_ih_l0").data();   // (3)
        float[] bHh = p.get("bias_hh_l0").data();   // (3)
        float[] hs = new float[STEPS * HIDDEN]; // row t holds H_{t+1}
        float[] xw = new float[HIDDEN];
        float[] hw = new float[HIDDEN];
        for (int t = 0; t < STEPS; t++) {
            float[] hPrev = t == 0 ? h0.data() : hs;
            int hPrevOffset = t == 0 ? 0 : (t - 1) * HIDDEN;
            k.sgemm(false, true, 1, HIDDEN, INPUT, 1f, x.data(), t * INPUT, INPUT, wIh, 0, INPUT, 0f, xw, 0, HIDDEN);
            k.add(HIDDEN, xw, 0, bIh, 0, xw, 0);                                 // X_t W_ih^T + b_ih
            k.sgemm(false, true, 1, HIDDEN, HIDDEN, 1f, hPrev, hPrevOffset, HIDDEN, wHh, 0, HIDDEN, 0f, hw, 0, HIDDEN);
            k.add(HIDDEN, hw, 0, bHh, 0, hw, 0);                                 // H_{t-1} W_hh^T + b_hh
            k.add(HIDDEN, xw, 0, hw, 0, xw, 0);
            k.tanh(HIDDEN, xw, 0, hs, t * HIDDEN);                               // H_t
        }
        return Tensor.of(hs, STEPS, HIDDEN);
    }

    @Override
    public void run(long seed, PrintStream out) {
        Result r = compute(seed);
        out.println("torch.manual_seed(" + seed + ")");
        out.println("X = torch.randn(4, 6):");
        for (int t = 0; t < STEPS; t++) {
            out.println("  " + row(r.x().data(), t * INPUT, INPUT));
        }
        out.println("H0 = torch.randn(1, 1, 3): " + row(r.h0().data(), 0, HIDDEN));
        out.println("rnn = nn.RNN(6, 3); output, h_n = rnn(X.view(4, 1, 6), H0)");
        out.printf("%-4s %-27s %s%n", "t", "nn.RNN output", "by hand: tanh(X_t W_ih^T + b_ih + H_{t-1} W_hh^T + b_hh)");
        double maxDiff = 0;
        float[] m = r.moduleOutput().data();
        float[] h = r.byHand().data();
        for (int t = 0; t < STEPS; t++) {
            out.printf("%-4d %-27s %s%n", t + 1, row(m, t * HIDDEN, HIDDEN), row(h, t * HIDDEN, HIDDEN));
        }
        for (int i = 0; i < m.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(m[i] - h[i]));
        }
        out.println("h_n = " + row(r.moduleHn().data(), 0, HIDDEN) + " (the last output)");
        out.printf(Locale.ROOT, "largest difference between the two: %.1e%n", maxDiff);
    }

    /** {@code [a, b, c]} with 4 decimals, as the document prints a row. */
    static String row(float[] v, int offset, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v[offset + i]));
        }
        return sb.append(']').toString();
    }
}
