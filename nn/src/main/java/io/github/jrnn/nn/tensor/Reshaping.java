package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.autograd.GradNode;

/**
 * Tensor's own shape changes. {@link Tensor#reshape} (one size may be -1 and is inferred), {@link Tensor#unsqueeze}
 * and {@link Tensor#squeeze} return a tensor over the same data array and version counter and record a
 * {@link ViewBackward}; {@link Tensor#transpose} copies into a new contiguous array and records a
 * {@link TransposeBackward}.
 */
final class Reshaping {

    private Reshaping() {
    }

    static Tensor reshape(Tensor x, int[] newShape) {
        int[] s = newShape.clone();
        int numel = x.numel();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("only one dimension can be inferred (-1), got "
                            + Tensor.shapeString(s));
                }
                inferred = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + s[i] + " in "
                        + Tensor.shapeString(s));
            } else {
                known *= s[i];
            }
        }
        if (inferred >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException("shape " + Tensor.shapeString(s)
                        + " is invalid for input of size " + numel);
            }
            s[inferred] = (int) (numel / known);
        }
        if (Tensor.checkedNumel(s) != numel) {
            throw new IllegalArgumentException("shape " + Tensor.shapeString(s) + " is invalid for input of size "
                    + numel);
        }
        return view(x, s);
    }

    static Tensor unsqueeze(Tensor x, int d) {
        int[] shape = x.shape();
        int pos = Tensor.normalizeDim(d, shape.length + 1);
        int[] s = new int[shape.length + 1];
        System.arraycopy(shape, 0, s, 0, pos);
        s[pos] = 1;
        System.arraycopy(shape, pos, s, pos + 1, shape.length - pos);
        return view(x, s);
    }

    static Tensor squeeze(Tensor x, int d) {
        int[] shape = x.shape();
        int pos = Tensor.normalizeDim(d, shape.length);
        if (shape[pos] != 1) {
            return x;
        }
        int[] s = new int[shape.length - 1];
        System.arraycopy(shape, 0, s, 0, pos);
        System.arraycopy(shape, pos + 1, s, pos, shape.length - pos - 1);
        return view(x, s);
    }

    /** {@code x} with another shape over the same data; records a {@link ViewBackward} when needed. */
    private static Tensor view(Tensor x, int[] newShape) {
        Tensor view = x.sharingData(newShape);
        return GradNode.shouldRecord(x) ? new ViewBackward(x).output(0, view) : view;
    }

    static Tensor transpose(Tensor x, int d0, int d1) {
        int[] shape = x.shape();
        int a = Tensor.normalizeDim(d0, shape.length);
        int b = Tensor.normalizeDim(d1, shape.length);
        if (a == b) {
            return x.copy();
        }
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        int[] s = shape.clone();
        s[a] = shape[b];
        s[b] = shape[a];
        // View the tensor as (outer, shape[lo], middle, shape[hi], inner) and swap the two named axes; the
        // loop moves whole inner blocks with arraycopy.
        int outer = prod(shape, 0, lo);
        int middle = prod(shape, lo + 1, hi);
        int inner = prod(shape, hi + 1, shape.length);
        int nLo = shape[lo];
        int nHi = shape[hi];
        float[] data = x.data();
        float[] out = new float[data.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < nLo; i++) {
                for (int m = 0; m < middle; m++) {
                    for (int j = 0; j < nHi; j++) {
                        int src = ((((o * nLo + i) * middle + m) * nHi) + j) * inner;
                        int dst = ((((o * nHi + j) * middle + m) * nLo) + i) * inner;
                        System.arraycopy(data, src, out, dst, inner);
                    }
                }
            }
        }
        Tensor transposed = Tensor.of(out, s);
        return GradNode.shouldRecord(x) ? new TransposeBackward(x, a, b).output(0, transposed) : transposed;
    }

    private static int prod(int[] s, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= s[i];
        }
        return p;
    }
}
