"""Golden values for jrnn's tensor shape, indexing and creation operations (issue 11, part B), from torch 1.13.

Writes nn/src/test/resources/golden/shape/:
    ops.safetensors      per case <c>: inputs "x.<c>.<k>" (F32), an index "index.<c>" (stored as F32, exact small
                         integers) where the op takes one, the outputs "out.<c>.<k>", the weights "w.<c>.<k>" of the
                         loss sum_k (out_k * w_k).sum(), and the gradients "grad.<c>.<k>" of that loss for each
                         input; metadata "op.<c>" is the operation as "name arg arg ..." (see OPS below) and
                         "pieces.<c>" the number of outputs
    errors.safetensors   metadata "op.<c>" (same grammar), "shape.<c>" (the input shapes, "2x3;2x4"), "index.<c>"
                         (index values, "0,5") and "error.<c>", torch's message for running it on zeros
    creation.safetensors arange cases "arange.<c>" with metadata "args.<c>" = "start end step"; eye cases
                         "eye.<c>" with "args.<c>" = "n m"; allclose cases "a.<c>", "b.<c>" with "args.<c>" =
                         "rtol atol" (empty: torch's defaults) and "close.<c>" = "True"/"False" (and equal.<c>)
    repr.safetensors     metadata "repr.<c>": torch's repr of the result of "op.<c>" (same grammar) on "x.<c>.<k>"
                         that require grad, or of "x.<c>.0" itself as int64 when "long.<c>" is "True"
The Java tests (io.github.jrnn.nn.tensor.ShapeOpsGoldenTest and friends) rerun each op and compare.

Run: /usr/bin/python3 tools/make_tensor_shape_golden.py
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "golden",
                   "shape")

LONG_MAX = 2 ** 63 - 1


def ints(text):
    return [int(v) for v in text.split(",")] if text else []


def run(spec, xs, index):
    """Runs an op spec in torch; returns the list of outputs."""
    name, *args = spec.split(" ")
    x = xs[0]
    if name == "slice":
        dim, start, end, step = (int(a) for a in args)
        sl = [slice(None)] * x.dim()
        sl[dim] = slice(None if start == -LONG_MAX - 1 else start, None if end == LONG_MAX else end, step)
        return [x[tuple(sl)]]
    if name == "narrow":
        return [x.narrow(int(args[0]), int(args[1]), int(args[2]))]
    if name == "select":
        return [x.select(int(args[0]), int(args[1]))]
    if name == "index_select":
        return [x.index_select(int(args[0]), index)]
    if name == "gather":
        return [x.gather(int(args[0]), index)]
    if name == "cat":
        return [torch.cat(xs, int(args[0]))]
    if name == "stack":
        return [torch.stack(xs, int(args[0]))]
    if name == "split":
        return list(x.split(int(args[0]), int(args[1])))
    if name == "split_sizes":
        return list(x.split(ints(args[0]), int(args[1])))
    if name == "chunk":
        return list(x.chunk(int(args[0]), int(args[1])))
    if name == "expand":
        return [x.expand(*ints(args[0]))]
    if name == "repeat":
        return [x.repeat(*ints(args[0]))]
    if name == "permute":
        return [x.permute(*ints(args[0]))]
    if name == "flatten":
        return [x.flatten(int(args[0]), int(args[1]))]
    if name == "contiguous":
        return [x.permute(1, 0).contiguous()]
    raise ValueError(spec)


# name: (op spec, input shapes, index values (shape, values) or None)
OPS = {
    "slice_step_neg_start": ("slice 1 -5 100 2", [(3, 7)], None),
    "slice_inner_step3": ("slice 2 1 9223372036854775807 3", [(2, 3, 8)], None),
    "slice_clamped_start": ("slice 0 -100 2 1", [(4, 3)], None),
    "slice_empty_end_before_start": ("slice 1 4 2 1", [(2, 5)], None),
    "slice_past_end": ("slice 0 5 10 1", [(3, 2)], None),
    "slice_neg_dim": ("slice -1 0 -1 2", [(2, 2, 5)], None),
    "narrow_neg_start": ("narrow 1 -3 2", [(2, 5)], None),
    "narrow_dim0": ("narrow 0 1 2", [(4, 3)], None),
    "select_dim1": ("select 1 2", [(2, 4, 3)], None),
    "select_neg_index_neg_dim": ("select -1 -1", [(2, 3)], None),
    "select_dim0": ("select 0 1", [(3, 2)], None),
    "index_select_dup": ("index_select 1", [(2, 4, 3)], ((5,), [3, 0, 3, 3, 1])),
    "index_select_dim0": ("index_select 0", [(3, 4)], ((2,), [2, 2])),
    "index_select_last": ("index_select -1", [(2, 5)], ((4,), [4, 0, 4, 1])),
    "gather_dim1_dup": ("gather 1", [(3, 4)], ((3, 5), [0, 0, 3, 1, 1, 2, 2, 2, 2, 0, 3, 3, 1, 1, 0])),
    "gather_dim0_smaller": ("gather 0", [(3, 4)], ((2, 3), [2, 1, 0, 2, 2, 2])),
    "gather_3d_last": ("gather -1", [(2, 3, 4)], ((2, 2, 3), [3, 0, 0, 1, 1, 1, 2, 3, 2, 0, 0, 0])),
    "cat_dim0": ("cat 0", [(2, 3), (1, 3), (4, 3)], None),
    "cat_inner": ("cat 1", [(2, 1, 3), (2, 4, 3)], None),
    "cat_last_neg": ("cat -1", [(2, 3, 2), (2, 3, 5), (2, 3, 1)], None),
    "cat_skips_empty_1d": ("cat 0", [(0,), (2, 3), (1, 3)], None),
    "stack_dim0": ("stack 0", [(2, 3), (2, 3)], None),
    "stack_inner": ("stack 1", [(2, 3), (2, 3), (2, 3)], None),
    "stack_last": ("stack -1", [(4,), (4,)], None),
    "split_inner": ("split 2 1", [(3, 5)], None),
    "split_sizes": ("split_sizes 1,3,0,1 -1", [(2, 5)], None),
    "chunk_uneven": ("chunk 4 0", [(5, 2)], None),
    "chunk_fewer": ("chunk 4 1", [(2, 6)], None),
    "expand_minus_one": ("expand 3,-1,4", [(2, 1)], None),
    "expand_middle": ("expand 2,3,4", [(2, 1, 4)], None),
    "expand_scalar": ("expand 2,3", [()], None),
    "repeat_2d": ("repeat 2,3", [(2, 3)], None),
    "repeat_new_dims": ("repeat 2,1,2", [(3,)], None),
    "permute_3d": ("permute 2,0,1", [(2, 3, 4)], None),
    "permute_neg": ("permute -1,0,-2", [(2, 3, 4)], None),
    "flatten_middle": ("flatten 1 2", [(2, 3, 4, 2)], None),
    "flatten_all": ("flatten 0 -1", [(2, 3)], None),
    "contiguous_after_permute": ("contiguous", [(3, 4)], None),
}

ERRORS = {
    "dim_out_of_range": ("narrow 2 0 1", "2x3", ""),
    "narrow_exceeds": ("narrow 1 2 2", "2x3", ""),
    "narrow_start": ("narrow 1 4 0", "2x3", ""),
    "slice_step_zero": ("slice 1 0 3 0", "2x3", ""),
    "select_range": ("select 1 5", "2x3", ""),
    "select_0d": ("select 0 0", "", ""),
    "index_select_oob": ("index_select 1", "2x3", "0,5"),
    "gather_oob": ("gather 1", "2x3", "0,5"),
    "cat_sizes": ("cat 0", "2x3;2x4", ""),
    "cat_rank": ("cat 0", "2x3;2", ""),
    "stack_sizes": ("stack 0", "2x3;2x4", ""),
    "split_zero": ("split 0 1", "2x3", ""),
    "split_sizes_sum": ("split_sizes 1,1 1", "2x3", ""),
    "chunk_zero": ("chunk 0 1", "2x3", ""),
    "expand_mismatch": ("expand 4,3", "2x3", ""),
    "expand_fewer": ("expand 3", "2x3", ""),
    "expand_new_minus_one": ("expand -1,2,3", "2x3", ""),
    "repeat_fewer": ("repeat 2", "2x3", ""),
    "repeat_negative": ("repeat 2,-1", "2x3", ""),
    "permute_duplicate": ("permute 0,0", "2x3", ""),
    "flatten_order": ("flatten 1 0", "2x3", ""),
}


def shapes_of(text):
    return [tuple(int(v) for v in part.split("x")) if part else () for part in text.split(";")]


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(20261206)
    tensors, meta = {}, {}
    for case, (spec, shapes, index_spec) in OPS.items():
        xs = [torch.randn(s, generator=g).requires_grad_(True) for s in shapes]
        index = None
        if index_spec is not None:
            index = torch.tensor(index_spec[1], dtype=torch.int64).reshape(index_spec[0])
            tensors["index." + case] = index.to(torch.float32)
        outs = run(spec, xs, index)
        loss = 0
        for k, out in enumerate(outs):
            w = torch.randn(out.shape, generator=g)
            loss = loss + (out * w).sum()
            tensors["out.%s.%d" % (case, k)] = out.detach().clone()
            tensors["w.%s.%d" % (case, k)] = w
        loss.backward()
        for k, x in enumerate(xs):
            tensors["x.%s.%d" % (case, k)] = x.detach().clone()
            tensors["grad.%s.%d" % (case, k)] = x.grad.clone()
        meta["op." + case] = spec
        meta["inputs." + case] = str(len(xs))
        meta["pieces." + case] = str(len(outs))
    meta["producer"] = "tools/make_tensor_shape_golden.py"
    meta["torch"] = torch.__version__
    save_file(tensors, os.path.join(OUT, "ops.safetensors"), metadata=meta)

    meta = {}
    for case, (spec, shapes, index_text) in ERRORS.items():
        xs = [torch.zeros(s) for s in shapes_of(shapes)]
        index = torch.tensor(ints(index_text), dtype=torch.int64)
        if spec.startswith("gather"):
            index = index.reshape(1, -1)
        try:
            run(spec, xs, index)
            raise AssertionError("no error for " + case)
        except (RuntimeError, IndexError, ValueError) as e:
            meta["error." + case] = str(e).split("\n")[0]
        meta["op." + case] = spec
        meta["shape." + case] = shapes
        meta["index." + case] = index_text
    save_file({}, os.path.join(OUT, "errors.safetensors"), metadata=meta)

    tensors, meta = {}, {}
    aranges = {"int_end": (0, 10, 1), "fractions": (0.1, 1.0, 0.1), "negative_step": (3.0, -50.0, -0.77),
               "long_float": (-1.7, 300.3, 0.37), "big": (0, 20000, 0.9), "exact_end": (0, 2, 0.5),
               "empty": (1, 1, 1)}
    for case, (start, end, step) in aranges.items():
        tensors["arange." + case] = torch.arange(start, end, step, dtype=torch.float32)
        meta["args.arange." + case] = "%r %r %r" % (float(start), float(end), float(step))
    for case, (n, m) in {"square": (3, 3), "wide": (2, 4), "tall": (4, 2), "empty": (0, 3)}.items():
        tensors["eye." + case] = torch.eye(n, m)
        meta["args.eye." + case] = "%d %d" % (n, m)
    closes = {
        "defaults_close": ([1.0, 2.0, -3.0], [1.0 + 1e-6, 2.0, -3.00002], None),
        "defaults_far": ([1.0, 2.0], [1.0, 2.001], None),
        "nan": ([float("nan"), 1.0], [float("nan"), 1.0], None),
        "equal_infinities": ([float("inf"), -float("inf")], [float("inf"), -float("inf")], None),
        "inf_vs_big": ([float("inf")], [3e38], None),
        "loose": ([1.0, 10.0], [1.05, 10.4], (0.05, 0.01)),
        "broadcast": ([[1.0, 2.0], [1.0, 2.0]], [1.0, 2.0000001], None),
        "signed_zero": ([0.0, -0.0], [-0.0, 0.0], (0.0, 0.0)),
    }
    for case, (a, b, tol) in closes.items():
        ta, tb = torch.tensor(a), torch.tensor(b)
        tensors["a." + case] = ta
        tensors["b." + case] = tb
        close = torch.allclose(ta, tb) if tol is None else torch.allclose(ta, tb, rtol=tol[0], atol=tol[1])
        meta["args.allclose." + case] = "" if tol is None else "%r %r" % tol
        meta["close." + case] = str(close)
        meta["equal." + case] = str(torch.equal(ta, tb))
    save_file(tensors, os.path.join(OUT, "creation.safetensors"), metadata=meta)

    tensors, meta = {}, {}
    reprs = {
        "cat_summarized": ("cat 0", [(30, 40), (10, 40)]),
        "expand_summarized": ("expand 40,3,30", [(3, 1)]),
        "select_small": ("select 1 0", [(2, 3)]),
        "slice_small": ("slice 1 1 9223372036854775807 1", [(2, 3)]),
        "gather_summarized": ("index_select 0", [(1200,)]),
        "permute_summarized": ("permute 1,0", [(20, 60)]),
        "repeat_summarized": ("repeat 400,3", [(2, 1)]),
        "stack_small": ("stack 0", [(2,), (2,)]),
    }
    for case, (spec, shapes) in reprs.items():
        xs = [torch.randn(s, generator=g).requires_grad_(True) for s in shapes]
        index = None
        if spec.startswith("index_select"):
            index = torch.arange(1199, -1, -1)
            tensors["index." + case] = index.to(torch.float32)
        meta["repr." + case] = repr(run(spec, xs, index)[0])
        meta["op." + case] = spec
        meta["inputs." + case] = str(len(xs))
        for k, x in enumerate(xs):
            tensors["x.%s.%d" % (case, k)] = x.detach().clone()
    longs = {
        "long_matrix": torch.arange(10).reshape(2, 5),
        "long_negative": torch.tensor([-5, 100, 3]),
        "long_summarized": torch.arange(3000).reshape(3, 1000) - 1500,
        "long_wraps": torch.arange(0, 100000, 3000),
        "long_empty": torch.zeros(0, dtype=torch.int64),
        "long_empty_2d": torch.zeros(0, 2, dtype=torch.int64),
        "long_scalar": torch.tensor(7),
    }
    for case, t in longs.items():
        tensors["x.%s.0" % case] = t.to(torch.float32)
        meta["repr." + case] = repr(t)
        meta["long." + case] = "True"
    meta["producer"] = "tools/make_tensor_shape_golden.py"
    meta["torch"] = torch.__version__
    save_file(tensors, os.path.join(OUT, "repr.safetensors"), metadata=meta)
    print("wrote %d op cases, %d error texts, %d reprs to %s" % (len(OPS), len(ERRORS), len(reprs) + len(longs),
                                                               os.path.relpath(OUT)))


if __name__ == "__main__":
    main()
