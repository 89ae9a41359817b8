package io.github.jrnn.kernels;

/**
 * {@link Kernels#topkAlong} for both implementations, in exactly PyTorch 1.13's CPU order, ties included: its
 * {@code topk} puts each line's (value, position) pairs through libstdc++'s {@code std::partial_sort} when
 * {@code 64 k <= n}, else {@code std::nth_element} at k - 1 followed by {@code std::sort} of the first k - 1,
 * comparing {@code a > b} with NaN above everything (largest) or {@code a < b} with NaN after everything (smallest).
 * Those algorithms (introselect, introsort with median-of-three partitions and insertion sort under 16 elements,
 * heap selection) are deterministic, and this class repeats their steps, so equal values come out in the positions
 * PyTorch gives them, which is not position order (multinomial without replacement, where zero weights tie, depends
 * on it). Selecting and ordering is comparisons and moves, no float arithmetic, so there is nothing for vector lanes
 * to do, and one shared routine guarantees both implementations order ties and NaN alike.
 *
 * <p>One line at a time, in place on two parallel arrays reused across the lines of a call.
 */
final class TopK {

    private static final int SORT_THRESHOLD = 16; // libstdc++'s _S_threshold

    private final boolean largest;
    private final float[] v; // the values of the pairs
    private final int[] p;   // their positions

    private TopK(boolean largest, int size) {
        this.largest = largest;
        v = new float[size];
        p = new int[size];
    }

    static void along(boolean largest, int outer, int size, int inner, int k, float[] x, int xOffset,
                      float[] values, int valuesOffset, int[] indices, int indicesOffset) {
        if (k == 0) {
            return;
        }
        TopK q = new TopK(largest, size);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                for (int j = 0; j < size; j++) {
                    q.v[j] = x[xOffset + (o * size + j) * inner + i];
                    q.p[j] = j;
                }
                q.select(k, size);
                for (int j = 0; j < k; j++) {
                    int out = (o * k + j) * inner + i;
                    values[valuesOffset + out] = q.v[j];
                    indices[indicesOffset + out] = q.p[j];
                }
            }
        }
    }

    /** Moves the k first pairs of the comparator's order to the front, in that order, as torch's topk does. */
    private void select(int k, int n) {
        if ((long) k * 64 <= n) {
            partialSort(0, k, n);
        } else {
            nthElement(0, k - 1, n);
            sort(0, k - 1);
        }
    }

    /** torch's comparator: pair i before pair j. */
    private boolean before(int i, int j) {
        return before(v[i], v[j]);
    }

    private boolean before(float x, float y) {
        return largest ? (Float.isNaN(x) && !Float.isNaN(y)) || x > y
                : (!Float.isNaN(x) && Float.isNaN(y)) || x < y;
    }

    private void swap(int i, int j) {
        float tv = v[i];
        v[i] = v[j];
        v[j] = tv;
        int tp = p[i];
        p[i] = p[j];
        p[j] = tp;
    }

    private void set(int to, int from) {
        v[to] = v[from];
        p[to] = p[from];
    }

    private static int lg(int n) {
        return 31 - Integer.numberOfLeadingZeros(n);
    }

    // ---------------------------------------------------------------- selection and sorting (libstdc++'s steps)

    private void nthElement(int first, int nth, int last) {
        if (first == last || nth == last) {
            return;
        }
        int depth = lg(last - first) * 2;
        while (last - first > 3) {
            if (depth == 0) {
                heapSelect(first, nth + 1, last);
                swap(first, nth);
                return;
            }
            depth--;
            int cut = partitionPivot(first, last);
            if (cut <= nth) {
                first = cut;
            } else {
                last = cut;
            }
        }
        insertionSort(first, last);
    }

    private void sort(int first, int last) {
        if (first != last) {
            introsortLoop(first, last, lg(last - first) * 2);
            finalInsertionSort(first, last);
        }
    }

    private void introsortLoop(int first, int last, int depth) {
        while (last - first > SORT_THRESHOLD) {
            if (depth == 0) {
                partialSort(first, last, last);
                return;
            }
            depth--;
            int cut = partitionPivot(first, last);
            introsortLoop(cut, last, depth);
            last = cut;
        }
    }

    private void finalInsertionSort(int first, int last) {
        if (last - first > SORT_THRESHOLD) {
            insertionSort(first, first + SORT_THRESHOLD);
            for (int i = first + SORT_THRESHOLD; i < last; i++) {
                unguardedLinearInsert(i);
            }
        } else {
            insertionSort(first, last);
        }
    }

    private void partialSort(int first, int middle, int last) {
        heapSelect(first, middle, last);
        while (middle - first > 1) { // sort_heap
            middle--;
            popHeap(first, middle, middle);
        }
    }

    private int partitionPivot(int first, int last) {
        int mid = first + (last - first) / 2;
        moveMedianToFirst(first, first + 1, mid, last - 1);
        return unguardedPartition(first + 1, last, first);
    }

    private void moveMedianToFirst(int result, int a, int b, int c) {
        if (before(a, b)) {
            if (before(b, c)) {
                swap(result, b);
            } else if (before(a, c)) {
                swap(result, c);
            } else {
                swap(result, a);
            }
        } else if (before(a, c)) {
            swap(result, a);
        } else if (before(b, c)) {
            swap(result, c);
        } else {
            swap(result, b);
        }
    }

    private int unguardedPartition(int first, int last, int pivot) {
        while (true) {
            while (before(first, pivot)) {
                first++;
            }
            last--;
            while (before(pivot, last)) {
                last--;
            }
            if (first >= last) {
                return first;
            }
            swap(first, last);
            first++;
        }
    }

    private void insertionSort(int first, int last) {
        if (first == last) {
            return;
        }
        for (int i = first + 1; i < last; i++) {
            if (before(i, first)) {
                float val = v[i];
                int pos = p[i];
                System.arraycopy(v, first, v, first + 1, i - first);
                System.arraycopy(p, first, p, first + 1, i - first);
                v[first] = val;
                p[first] = pos;
            } else {
                unguardedLinearInsert(i);
            }
        }
    }

    private void unguardedLinearInsert(int last) {
        float val = v[last];
        int pos = p[last];
        int next = last - 1;
        while (before(val, v[next])) {
            set(last, next);
            last = next;
            next--;
        }
        v[last] = val;
        p[last] = pos;
    }

    private void heapSelect(int first, int middle, int last) {
        makeHeap(first, middle);
        for (int i = middle; i < last; i++) {
            if (before(i, first)) {
                popHeap(first, middle, i);
            }
        }
    }

    private void makeHeap(int first, int last) {
        int len = last - first;
        if (len < 2) {
            return;
        }
        for (int parent = (len - 2) / 2; ; parent--) {
            adjustHeap(first, parent, len, v[first + parent], p[first + parent]);
            if (parent == 0) {
                return;
            }
        }
    }

    private void popHeap(int first, int last, int result) {
        float val = v[result];
        int pos = p[result];
        set(result, first);
        adjustHeap(first, 0, last - first, val, pos);
    }

    private void adjustHeap(int first, int hole, int len, float val, int pos) {
        int top = hole;
        int second = hole;
        while (second < (len - 1) / 2) {
            second = 2 * (second + 1);
            if (before(first + second, first + second - 1)) {
                second--;
            }
            set(first + hole, first + second);
            hole = second;
        }
        if ((len & 1) == 0 && second == (len - 2) / 2) {
            second = 2 * (second + 1);
            set(first + hole, first + second - 1);
            hole = second - 1;
        }
        // push_heap
        int parent = (hole - 1) / 2;
        while (hole > top && before(v[first + parent], val)) {
            set(first + hole, first + parent);
            hole = parent;
            parent = (hole - 1) / 2;
        }
        v[first + hole] = val;
        p[first + hole] = pos;
    }
}
