package io.github.jrnn.kernels;

import java.util.Arrays;

/**
 * {@link Kernels#topkAlong} for both implementations: selecting and ordering k of n elements is comparisons and
 * moves, not float arithmetic, so there is nothing for vector lanes to do, and one shared routine guarantees both
 * implementations order ties and NaN alike.
 */
final class TopK {

    private TopK() {
    }

    static void along(boolean largest, int outer, int size, int inner, int k, float[] x, int xOffset,
                      float[] values, int valuesOffset, int[] indices, int indicesOffset) {
        Integer[] order = new Integer[size];
        float[] line = new float[size];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                for (int p = 0; p < size; p++) {
                    line[p] = x[xOffset + (o * size + p) * inner + i];
                    order[p] = p;
                }
                // Float.compare orders NaN above +Inf, as topk does; the sort is stable, so ties keep position order.
                Arrays.sort(order, largest ? (p, q) -> Float.compare(line[q], line[p])
                        : (p, q) -> Float.compare(line[p], line[q]));
                for (int j = 0; j < k; j++) {
                    int out = (o * k + j) * inner + i;
                    values[valuesOffset + out] = line[order[j]];
                    indices[indicesOffset + out] = order[j];
                }
            }
        }
    }
}
