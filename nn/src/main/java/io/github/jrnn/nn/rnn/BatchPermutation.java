package io.github.jrnn.nn.rnn;

/**
 * The batch order of a packed input: sequence modules compute in the length-sorted order and take and return
 * states ({@code (states, N, width)} blocks) in the caller's order, as PyTorch does with {@code sorted_indices}.
 * An input given sorted has no permutation (both index arrays null) and nothing is copied.
 *
 * @param sorted   {@code sorted[j]} = the caller's index of sorted sequence j, or null
 * @param unsorted the inverse: {@code unsorted[i]} = the sorted position of the caller's sequence i, or null
 */
record BatchPermutation(int[] sorted, int[] unsorted) {

    /** No reordering (padded input, or a packed batch given sorted). */
    static final BatchPermutation IDENTITY = new BatchPermutation(null, null);

    /** States in the caller's order to the sorted order: {@code out[s][j] = in[s][sorted[j]]}. */
    float[] toSorted(float[] callerOrder, int states, int batch, int width) {
        return permute(callerOrder, states, batch, width, sorted);
    }

    /** States in the sorted order to the caller's order: {@code out[s][i] = in[s][unsorted[i]]}. */
    float[] toCaller(float[] sortedOrder, int states, int batch, int width) {
        return permute(sortedOrder, states, batch, width, unsorted);
    }

    /** {@code out[s][j] = in[s][index[j]]} for states s and batch rows j; null index = identity (no copy). */
    private static float[] permute(float[] in, int states, int batch, int width, int[] index) {
        if (index == null || in == null) {
            return in;
        }
        float[] out = new float[in.length];
        for (int s = 0; s < states; s++) {
            for (int j = 0; j < batch; j++) {
                System.arraycopy(in, (s * batch + index[j]) * width, out, (s * batch + j) * width, width);
            }
        }
        return out;
    }
}
