package io.github.jrnn.nn.tensor;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import java.util.Arrays;

/**
 * {@code matmul}, {@code bmm} and {@code t()} with PyTorch's rules, on the sgemm kernel. matmul: 1-D x 1-D is a dot
 * product (0-dim result); 2-D x 2-D a matrix product; a 1-D first operand is a row (its dimension removed from the
 * result), a 1-D second operand a column (likewise); with more dimensions the leading (batch) dimensions broadcast
 * and each batch is one product. Backward: {@code dA = dC B^T}, {@code dB = A^T dC} per batch, accumulated into
 * the operand's own batch (so a broadcast operand gets the sum over the batches that shared it).
 */
final class LinearAlgebra {

    private LinearAlgebra() {
    }

    private static Kernels kernels() {
        return KernelProvider.kernels();
    }

    /** torch.matmul(a, b). */
    static Tensor matmul(Tensor a, Tensor b) {
        ElementwiseOps.requireNonNull("matmul", a, b);
        int ra = a.dim();
        int rb = b.dim();
        if (ra == 0 || rb == 0) {
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are " + ra
                    + "D and " + rb + "D");
        }
        if (ra == 1 && rb == 1) {
            if (a.numel() != b.numel()) {
                throw new IllegalArgumentException("inconsistent tensor size, expected tensor [" + a.numel()
                        + "] and src [" + b.numel() + "] to have the same number of elements, but got " + a.numel()
                        + " and " + b.numel() + " elements respectively");
            }
            return batched(a.reshape(1, a.numel()), b.reshape(b.numel(), 1), "DotBackward0").reshape();
        }
        if (ra == 2 && rb == 2) {
            if (a.size(1) != b.size(0)) {
                throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + a.size(0) + "x"
                        + a.size(1) + " and " + b.size(0) + "x" + b.size(1) + "); the columns of the first must equal"
                        + " the rows of the second");
            }
            return batched(a, b, "MmBackward0");
        }
        Tensor left = ra == 1 ? a.unsqueeze(0) : a;
        Tensor right = rb == 1 ? b.unsqueeze(1) : b;
        int inner = left.size(-1);
        int rows = right.size(-2);
        if (inner != rows) {
            String hint = "; " + Tensor.shapeString(a.shape()) + " @ " + Tensor.shapeString(b.shape())
                    + ": the last dimension of the first must equal the second-to-last of the second";
            if (ra == 1 && rb == 2) {
                throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (1x" + inner + " and "
                        + rows + "x" + right.size(-1) + ")" + hint);
            }
            if (ra == 2 && rb == 1) {
                throw new IllegalArgumentException("size mismatch, got " + left.size(0) + ", " + left.size(0) + "x"
                        + inner + "," + rows + hint);
            }
            int[] batch = Broadcast.shapes(Arrays.copyOf(left.shape(), left.dim() - 2),
                    Arrays.copyOf(right.shape(), right.dim() - 2));
            int batches = Tensor.checkedNumel(batch);
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: ["
                    + batches + ", " + inner + "] but got: [" + batches + ", " + rows + "]." + hint);
        }
        Tensor out = batched(left, right, ra == 2 && rb == 1 ? "MvBackward0" : "BmmBackward0");
        if (ra == 1) {
            out = out.squeeze(-2);
        }
        if (rb == 1) {
            out = out.squeeze(-1);
        }
        return out;
    }

    /** torch.bmm(a, b): both 3-D with the same batch size. */
    static Tensor bmm(Tensor a, Tensor b) {
        ElementwiseOps.requireNonNull("bmm", a, b);
        if (a.dim() != 3) {
            throw new IllegalArgumentException("batch1 must be a 3D tensor, got " + Tensor.shapeString(a.shape()));
        }
        if (b.dim() != 3) {
            throw new IllegalArgumentException("batch2 must be a 3D tensor, got " + Tensor.shapeString(b.shape()));
        }
        if (b.size(0) != a.size(0) || b.size(1) != a.size(2)) {
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: ["
                    + a.size(0) + ", " + a.size(2) + "] but got: [" + b.size(0) + ", " + b.size(1) + "].");
        }
        return batched(a, b, "BmmBackward0");
    }

    /** t(): a 2-D tensor transposed, a 0-D or 1-D tensor as it is. */
    static Tensor t(Tensor x) {
        if (x.dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + x.dim()
                    + "D; use transpose(d0, d1) for higher dimensions");
        }
        return x.dim() == 2 ? x.transpose(0, 1) : x.view(x.shape());
    }

    /** (batchA..., n, m) @ (batchB..., m, p) with broadcast batch dimensions (both operands at least 2-D). */
    private static Tensor batched(Tensor a, Tensor b, String name) {
        int[] as = a.shape();
        int[] bs = b.shape();
        int n = as[as.length - 2];
        int m = as[as.length - 1];
        int p = bs[bs.length - 1];
        int[] batchA = Arrays.copyOf(as, as.length - 2);
        int[] batchB = Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Broadcast.shapes(batchA, batchB);
        int batches = Tensor.checkedNumel(batch);
        int[] aMatrix = Broadcast.offsets(batch, batchA);
        int[] bMatrix = Broadcast.offsets(batch, batchB);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = n;
        outShape[batch.length + 1] = p;
        float[] c = new float[Tensor.checkedNumel(outShape)];
        Kernels k = kernels();
        for (int i = 0; i < batches; i++) {
            k.sgemm(false, false, n, p, m, 1f, a.data(), aMatrix[i] * n * m, m, b.data(), bMatrix[i] * m * p, p, 0f,
                    c, i * n * p, p);
        }
        return OpBackward.record(Tensor.of(c, outShape), name, g -> {
            float[] da = a.requiresGrad() ? new float[a.numel()] : null;
            float[] db = b.requiresGrad() ? new float[b.numel()] : null;
            for (int i = 0; i < batches; i++) {
                if (da != null) { // dA += dC B^T
                    k.sgemm(false, true, n, m, p, 1f, g, i * n * p, p, b.data(), bMatrix[i] * m * p, p, 1f, da,
                            aMatrix[i] * n * m, m);
                }
                if (db != null) { // dB += A^T dC
                    k.sgemm(true, false, m, p, n, 1f, a.data(), aMatrix[i] * n * m, m, g, i * n * p, p, 1f, db,
                            bMatrix[i] * m * p, p);
                }
            }
            return new float[][] {da, db};
        }, a, b);
    }
}
