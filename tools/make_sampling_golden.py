"""Golden sampling results from torch 1.13 (CPU, float32 probabilities): torch.multinomial, torch.bernoulli with a
tensor of probabilities, and rand/randn/randint with shapes, each followed by the next torch.rand draw so that the
generator's state after the call is checked too.

Writes nn/src/test/resources/golden/sampling/sampling.json:
    {"topk_ties": [{"values" (flat), "shape", "k", "dim", "largest", "indices" and "top" (flat
                    torch.topk(values, k, dim, largest=largest) indices and values)}],
     "multinomial": [{"name", "seed", "shape", "probs" (flat, row-major), "num_samples", "replacement",
                      "result" (flat int64, row-major), "result_shape", "next_rand" (torch.rand(NEXT))}],
     "exponential": [{"name", "seed", "n", "lambda", "result" (torch.empty(n).exponential_(lambda)), "next_rand"}],
     "bernoulli": [{"name", "seed", "shape", "p" (flat), "result" (flat), "next_rand"}],
     "creation": [{"name", "seed", "call" (rand|randn|randint), "shape", "low", "high", "result", "next_rand"}],
     "errors": [{"name", "seed", "call" (multinomial|bernoulli), arguments as above, "message",
                 "next_rand" (the draw after the refused call: a refusal after some draws has consumed them)}]}
Each entry: torch.manual_seed(seed), the call, then torch.rand(NEXT). float32 values are written as Python floats
(exact), so the JSON holds torch's bits.

Run: /usr/bin/python3 tools/make_sampling_golden.py
"""

import json
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "golden",
                   "sampling")
NEXT = 5


def flat(t):
    return t.reshape(-1).tolist()


def probabilities(seed, shape, zeros=0):
    g = torch.Generator().manual_seed(1000 + seed)
    p = torch.rand(shape, generator=g) * 3
    if zeros:
        idx = torch.randperm(shape[-1], generator=g)[:zeros]
        p[..., idx] = 0
    return p


def multinomial_cases():
    specs = [
        # name, seed, shape, zeros, num_samples, replacement
        ("1d_replacement", 0, (5,), 0, 20, True),
        ("1d_replacement_one_sample", 1, (5,), 0, 1, True),
        ("1d_no_replacement", 2, (8,), 0, 5, False),
        ("1d_no_replacement_all", 3, (6,), 0, 6, False),
        ("1d_no_replacement_one", 4, (7,), 0, 1, False),
        ("1d_zeros_replacement", 5, (10,), 4, 50, True),
        ("1d_zeros_no_replacement_past_nonzero", 6, (6,), 3, 5, False),
        ("2d_replacement", 7, (4, 9), 0, 12, True),
        ("2d_no_replacement", 8, (3, 12), 0, 7, False),
        ("2d_one_sample", 42, (5, 4), 0, 1, True),
        ("2d_zeros_replacement", 9, (3, 20), 5, 30, True),
        ("large_categories_replacement", 10, (1000,), 0, 300, True),
        ("large_categories_no_replacement", 11, (2, 1000), 0, 100, False),
        ("many_rows_replacement", 12, (64, 3), 0, 4, True),
        ("seed_2_32_plus_5", 2**32 + 5, (7,), 0, 9, True),
        ("one_category", 13, (3, 1), 0, 4, True),
        ("one_category_no_replacement", 14, (3, 1), 0, 1, False),
        ("partial_sort_path_no_replacement", 16, (2, 1300), 400, 20, False),
        ("zeros_past_nonzero_2d", 17, (3, 40), 30, 25, False),
    ]
    out = []
    for name, seed, shape, zeros, n, replacement in specs:
        p = probabilities(seed % 1000, shape, zeros)
        torch.manual_seed(seed)
        r = torch.multinomial(p, n, replacement)
        out.append({"name": name, "seed": seed, "shape": list(shape), "probs": flat(p), "num_samples": n,
                    "replacement": replacement, "result": flat(r), "result_shape": list(r.shape),
                    "next_rand": flat(torch.rand(NEXT))})
    # a one-hot row: only one category possible
    p = torch.tensor([0.0, 0.0, 2.5, 0.0])
    torch.manual_seed(15)
    r = torch.multinomial(p, 6, True)
    out.append({"name": "one_hot", "seed": 15, "shape": [4], "probs": flat(p), "num_samples": 6,
                "replacement": True, "result": flat(r), "result_shape": list(r.shape),
                "next_rand": flat(torch.rand(NEXT))})
    return out


def topk_ties():
    """torch.topk on tensors full of ties: its CPU order of equal values (libstdc++'s selection and sorting).

    1-D lines of few distinct values, largest first, on both of torch's paths (partial sort when 64 k <= n, else
    nth_element then sort) below and above the 16-element insertion-sort threshold; then the smallest, lines with
    NaN (above every number, both ways) and -0.0 (equal to 0.0), and 2-D tensors along each dim.
    """
    g = torch.Generator().manual_seed(3000)
    levels = torch.tensor([0.0, 0.0, 0.0, 0.25, 0.5, 1.0])
    out = []

    def case(values, k, dim=0, largest=True):
        r = torch.topk(values, k, dim, largest=largest)
        out.append({"values": flat(values), "shape": list(values.shape), "k": k, "dim": dim, "largest": largest,
                    "indices": flat(r.indices), "top": flat(r.values)})

    for n, k in [(6, 5), (8, 3), (17, 16), (20, 19), (33, 2), (64, 1), (65, 1), (128, 2), (200, 3), (300, 150),
                 (1000, 999), (1000, 15), (2000, 31), (40, 40), (1, 1), (3, 3)]:
        case(levels[torch.randint(0, len(levels), (n,), generator=g)], k)
    for n, k in [(8, 3), (20, 19), (128, 2), (300, 150), (40, 40)]:
        case(levels[torch.randint(0, len(levels), (n,), generator=g)], k, largest=False)
    odd = torch.tensor([0.0, -0.0, float("nan"), 1.0, float("-inf"), float("inf"), 0.0, float("nan")])
    for n, k in [(24, 10), (24, 24), (200, 3), (70, 1)]:
        values = odd[torch.randint(0, len(odd), (n,), generator=g)]
        case(values, k)
        case(values, k, largest=False)
    for shape, k, dim, largest in [((6, 20), 7, 1, True), ((20, 6), 7, 0, True), ((20, 6), 19, 0, False),
                                   ((3, 17, 4), 16, 1, True), ((3, 17, 4), 5, -2, False)]:
        case(levels[torch.randint(0, len(levels), shape, generator=g)], k, dim, largest)
    return out


def exponential_cases():
    """torch.empty(n).exponential_(lambd): the draws multinomial without replacement divides by."""
    out = []
    for seed, n, lambd in [(0, 2000, 1.0), (1, 17, 2.5), (2**32 + 5, 500, 0.3)]:
        torch.manual_seed(seed)
        r = torch.empty(n).exponential_(lambd)
        out.append({"name": "exponential_%d_%g" % (n, lambd), "seed": seed, "n": n, "lambda": lambd,
                    "result": flat(r), "next_rand": flat(torch.rand(NEXT))})
    return out


def bernoulli_cases():
    specs = [("vector", 0, (10,)), ("matrix", 1, (4, 6)), ("large", 2, (3, 100)), ("scalar_shape", 3, (1,))]
    out = []
    for name, seed, shape in specs:
        g = torch.Generator().manual_seed(2000 + seed)
        p = torch.rand(shape, generator=g)
        p.reshape(-1)[0] = 0.0
        if p.numel() > 1:
            p.reshape(-1)[-1] = 1.0
        torch.manual_seed(seed)
        r = torch.bernoulli(p)
        out.append({"name": name, "seed": seed, "shape": list(shape), "p": flat(p), "result": flat(r),
                    "next_rand": flat(torch.rand(NEXT))})
    return out


def creation_cases():
    out = []
    for name, seed, call, shape, low, high in [("rand_2x3x4", 0, "rand", (2, 3, 4), None, None),
                                               ("randn_3x5", 1, "randn", (3, 5), None, None),
                                               ("randn_4x6", 2, "randn", (4, 6), None, None),
                                               ("randint_3x4", 3, "randint", (3, 4), -5, 7)]:
        torch.manual_seed(seed)
        if call == "randint":
            r = torch.randint(low, high, shape)
        else:
            r = getattr(torch, call)(*shape)
        out.append({"name": name, "seed": seed, "call": call, "shape": list(shape), "low": low, "high": high,
                    "result": flat(r), "next_rand": flat(torch.rand(NEXT))})
    return out


def error_cases():
    def m(name, probs, n, replacement, seed=0):
        return (name, "multinomial", seed, torch.tensor(probs, dtype=torch.float32), n, replacement)

    specs = [
        m("negative_replacement", [0.2, -0.1, 0.5], 4, True),
        m("negative_no_replacement", [0.2, -0.1, 0.5], 2, False),
        m("negative_second_row_replacement", [[0.2, 0.1, 0.5], [0.3, -1.0, 0.2]], 3, True),
        m("infinite_replacement", [0.2, float("inf"), 0.5], 4, True),
        m("nan_replacement", [0.2, float("nan"), 0.5], 4, True),
        m("infinite_no_replacement", [0.2, float("inf"), 0.5], 2, False),
        m("zero_sum_replacement", [0.0, 0.0, 0.0], 4, True),
        m("zero_sum_no_replacement", [0.0, 0.0, 0.0], 2, False),
        m("zero_sum_second_row_replacement", [[0.2, 0.1, 0.5], [0.0, 0.0, 0.0]], 3, True),
        m("zero_sum_row_no_replacement", [[0.2, 0.1, 0.5], [0.0, 0.0, 0.0]], 2, False),
        m("too_many_without_replacement", [0.2, 0.3, 0.5], 4, False),
        m("zero_samples", [0.2, 0.3, 0.5], 0, True),
        m("three_dims", [[[0.2, 0.3]]], 1, True),
        m("no_categories_replacement", [[], []], 2, True),
        m("zero_dims", 0.5, 1, True),
        ("bernoulli_above_one", "bernoulli", 0, torch.tensor([0.2, 0.7, 1.5, 0.1]), None, None),
        ("bernoulli_negative_first", "bernoulli", 0, torch.tensor([-0.2, 0.7]), None, None),
        ("bernoulli_nan", "bernoulli", 0, torch.tensor([0.3, 0.4, 0.5, float("nan")]), None, None),
    ]
    out = []
    for name, call, seed, probs, n, replacement in specs:
        torch.manual_seed(seed)
        try:
            if call == "multinomial":
                torch.multinomial(probs, n, replacement)
            else:
                torch.bernoulli(probs)
        except RuntimeError as e:
            message = str(e).split("\n")[0]
        else:
            raise AssertionError(name + " was accepted")
        entry = {"name": name, "call": call, "seed": seed, "shape": list(probs.shape), "probs": flat(probs),
                 "message": message, "next_rand": flat(torch.rand(NEXT))}
        if call == "multinomial":
            entry.update({"num_samples": n, "replacement": replacement})
        out.append(entry)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    data = {"topk_ties": topk_ties(), "multinomial": multinomial_cases(), "exponential": exponential_cases(), "bernoulli": bernoulli_cases(), "creation": creation_cases(),
            "errors": error_cases()}
    with open(os.path.join(OUT, "sampling.json"), "w") as f:
        json.dump(data, f, indent=1, allow_nan=True)
        f.write("\n")


if __name__ == "__main__":
    main()
