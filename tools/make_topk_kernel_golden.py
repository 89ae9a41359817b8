"""Golden torch.topk results for the kernel Kernels.topkAlong (kernels module), from torch 1.13 on the CPU (float32):
lines full of ties, so that the indices record torch's order of equal values, which is libstdc++'s selection and
sorting order (std::partial_sort when 64 k <= n, else std::nth_element at k - 1 then std::sort of the first k - 1).

The cases cover both paths at every line length around their thresholds: k = 1, 2, 3, k - 1 around the 16-element
insertion-sort threshold, k = n - 1 and k = n; partial sorts with k = n // 64 and a heap of 1, 2, 3 and many
elements; the smallest as well as the largest; lines with NaN (above every number, both ways), +-Inf and -0.0
(equal to 0.0); 3-D tensors along their middle dim (outer and inner > 1); and lines on which nth_element, or the sort
of the first k - 1 after it, runs out of its depth limit (2 lg n partitions) and finishes with a heap (DEPTH_KILLERS).

Writes kernels/src/test/resources/golden/topk_ties.txt, one case per four lines:
    case <largest 0|1> <outer> <size> <inner> <k>     the input is (outer, size, inner), the top k along size
    x <outer * size * inner floats, row-major, as Java's Float.parseFloat reads them (NaN, Infinity, -0.0)>
    indices <outer * k * inner int64 indices of torch.topk, row-major (outer, k, inner)>
    values <outer * k * inner floats: its values>
Every value is one of a few short binary fractions, so the decimal text is exact.

Run: /usr/bin/python3 tools/make_topk_kernel_golden.py   (deterministic, seeded)
"""

import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kernels", "src", "test", "resources", "golden")

NAN = float("nan")
INF = float("inf")
# Few distinct values (ties everywhere); two values only; the special values torch orders apart from numbers.
LEVELS = torch.tensor([0.0, 0.0, 0.0, 0.25, 0.5, 1.0])
TWO = torch.tensor([0.0, 1.0])
SPECIAL = torch.tensor([0.0, -0.0, NAN, 1.0, -INF, INF, 0.0, NAN])
# (line, k): lines that make each median-of-three partition of introselect split off only a few elements, so that
# it exhausts its depth limit and switches to heap selection, which orders ties differently. Found by running
# McIlroy's adversary ("A killer adversary for quicksort", Software: Practice and Experience, 1999) against the
# selection of the k smallest of distinct values, then halving the values (floor(v / 2): pairs of equal values)
# and checking that the line still exhausts the limit. In the two short ones the values the adversary had not fixed
# when the limit ran out are shuffled, so that the heap selection also replaces its top (with the heap not at the
# start of the line). The last one exhausts the limit of the sort instead: there the adversary fixed the values
# of the selection (quickly done) and then attacked the sort of the first k - 1. Used as they are (smallest) and
# negated (largest).
DEPTH_KILLERS = [
    ([11, 0, 6, 1, 8, 2, 7, 3, 9, 4, 12, 5, 0, 1, 2, 3, 4, 5, 6, 7, 11, 8, 10, 9, 10], 24),
    ([6, 0, 12, 1, 7, 2, 8, 3, 10, 4, 9, 5, 13, 0, 1, 2, 3, 4, 5, 6, 7, 11, 8, 9, 10, 12, 11], 18),
    ([16, 0, 16, 1, 17, 2, 17, 3, 18, 4, 18, 5, 19, 6, 19, 7, 20, 8, 20, 9, 21, 10, 21, 11, 15, 14, 15, 12, 14, 12,
      13, 13, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 22, 22, 23, 23, 24, 24, 25, 25, 26, 26, 27, 27, 28, 28, 29, 29,
      30, 30, 31, 31], 32),
    ([25, 0, 25, 1, 26, 2, 26, 3, 27, 4, 27, 5, 28, 6, 28, 7, 29, 8, 29, 9, 30, 10, 30, 11, 24, 23, 22, 21, 20, 19,
      24, 20, 22, 19, 23, 18, 12, 17, 18, 16, 17, 15, 16, 14, 15, 13, 14, 12, 13, 21, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
      10, 11, 31, 31, 32, 32, 33, 33, 34, 34, 35, 35, 36, 36, 37, 37, 38, 38, 39, 39, 40, 40, 41, 41, 42, 42, 43,
      43, 44, 44, 45, 45, 46, 46, 47, 47, 48, 48, 49, 49], 50),
    ([14, 0, 15, 1, 14, 2, 17, 3, 15, 4, 17, 5, 19, 6, 20, 19, 13, 8, 16, 0, 1, 18, 3, 4, 5, 6, 7, 8, 20, 12, 12, 21,
      11, 10, 10, 9, 9, 11, 13, 2, 7, 16, 18], 39),
]


def text(t):
    names = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}
    return " ".join(names.get(repr(v), repr(v)) for v in t.reshape(-1).tolist())


def main():
    g = torch.Generator().manual_seed(1413)
    lines = []

    def case(pool, outer, size, inner, k, largest):
        given(pool[torch.randint(0, len(pool), (outer, size, inner), generator=g)], k, largest)

    def given(x, k, largest):
        r = torch.topk(x, k, 1, largest=largest)
        lines.append("case %d %d %d %d %d" % ((largest,) + tuple(x.shape) + (k,)))
        lines.append("x " + text(x))
        lines.append("indices " + " ".join(str(i) for i in r.indices.reshape(-1).tolist()))
        lines.append("values " + text(r.values))

    pools = [LEVELS, TWO, SPECIAL]
    count = 0
    for n in [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 17, 18, 19, 20, 24, 31, 32, 33, 40, 48, 63, 64, 65, 100, 128, 129,
              191, 192, 200, 256]:
        ks = {1, 2, 3, n // 2, n - 1, n, 17, 18, n // 64, n // 64 + 1}
        for k in sorted(kk for kk in ks if 1 <= kk <= n):
            for largest in (True, False):
                case(pools[count % len(pools)], 1, n, 1, k, largest)
                count += 1
    for n, k in [(1000, 15), (1000, 16), (1000, 999), (2000, 31), (640, 10), (700, 300)]:
        case(pools[count % len(pools)], 1, n, 1, k, count % 2 == 0)
        count += 1
    for outer, size, inner, k in [(3, 17, 4, 16), (2, 20, 5, 7), (2, 130, 3, 2), (4, 6, 9, 6), (3, 40, 2, 19)]:
        for largest in (True, False):
            case(pools[count % len(pools)], outer, size, inner, k, largest)
            count += 1

    for line, k in DEPTH_KILLERS:
        x = torch.tensor(line, dtype=torch.float32).reshape(1, -1, 1)
        given(x, k, False)
        given(-x, k, True)

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "topk_ties.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
