"""Golden fixtures for jrnn's tensor operations (issue 11 part A), produced by torch 1.13 on the CPU in float32:
element-wise operations with broadcasting, comparisons, where / masked_fill, reductions (sum, mean, max, min, argmax,
argmin, topk, logsumexp, norm), softmax / log_softmax on every dim, matmul / bmm.

Each case is one safetensors file nn/src/test/resources/golden/tensor_ops/<case>.safetensors holding
    a, b        the operands (F32; b only for binary operations; cond (BOOL) for where / masked_fill)
    out         torch's result (F32; for comparisons the mask as F32 0/1)
    indices     the I64 result of max/min(dim), argmax, argmin, topk
    gout        the gradient fed to out.backward(gout) (F32, random), when the operation is differentiable
    grad_a      a.grad after out.backward(gout); grad_b likewise for b
and __metadata__: op (the torch call), and its arguments (dim, keepdim, p, k, largest, scalar, min, max, value).
errors.json maps each refused call (named as TensorOpsErrorTest names it) to the first line of torch's message.

Run: /usr/bin/python3 tools/make_tensor_ops_golden.py   (writes the files; deterministic, seeded)
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "golden",
                   "tensor_ops")

INF = float("inf")


def write(name, tensors, metadata):
    os.makedirs(OUT, exist_ok=True)
    tensors = {k: v.detach().contiguous() for k, v in tensors.items() if v is not None}
    save_file(tensors, os.path.join(OUT, name + ".safetensors"), metadata={k: str(v) for k, v in metadata.items()})


def leaf(t):
    return t.detach().clone().requires_grad_(True)


def run(name, op, fn, a, b=None, cond=None, **meta):
    """Calls fn(a[, b]) on leaves; saves the forward result and the gradients of out.backward(gout)."""
    a = leaf(a)
    b = leaf(b) if b is not None else None
    result = fn(a) if b is None else fn(a, b)
    indices = None
    if isinstance(result, tuple):
        result, indices = result
    tensors = {"a": a, "b": b, "cond": cond, "indices": indices}
    if result.dtype == torch.bool:
        tensors["out"] = result.float()
    elif result.dtype == torch.int64:
        tensors["indices"] = result
    else:
        tensors["out"] = result
        gout = torch.randn(result.shape)
        result.backward(gout)
        tensors.update(gout=gout, grad_a=a.grad, grad_b=None if b is None else b.grad)
    write(name, tensors, dict(op=op, **meta))


def main():
    torch.manual_seed(11)
    r = lambda *s: torch.randn(s)  # noqa: E731  (a tuple, so () gives a 0-dim tensor)
    positive = lambda *s: torch.rand(s) + 0.5  # noqa: E731
    # binary arithmetic: same shape, row, column, scalar tensor, batched broadcast on both sides
    shapes = {"same": ((2, 3), (2, 3)), "row": ((2, 3), (3,)), "column": ((2, 3), (2, 1)),
              "scalar": ((2, 3), ()), "batched": ((2, 1, 4), (3, 1)), "both": ((4, 1), (1, 5))}
    ops = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div}
    for op, fn in ops.items():
        for case, (sa, sb) in shapes.items():
            b = positive(*sb) if op == "div" else r(*sb)
            run(f"{op}_{case}", op, fn, r(*sa), b)
        run(f"{op}_float", op + "_scalar", lambda x, fn=fn: fn(x, 2.5), r(3, 4), scalar=2.5)
    # unary
    run("neg", "neg", torch.neg, r(2, 5))
    run("exp", "exp", torch.exp, r(2, 5))
    run("log", "log", torch.log, positive(2, 5))
    run("tanh", "tanh", torch.tanh, r(2, 5))
    run("sigmoid", "sigmoid", torch.sigmoid, r(2, 5))
    run("relu", "relu", torch.relu, r(2, 5))
    run("sqrt", "sqrt", torch.sqrt, positive(2, 5))
    run("rsqrt", "rsqrt", torch.rsqrt, positive(2, 5))
    run("abs", "abs", torch.abs, r(2, 5))
    for p in (2.0, 3.0, 0.5, 1.5, -1.0, 0.0):
        run(f"pow_{p}", "pow", lambda x, p=p: torch.pow(x, p), positive(3, 4), p=p)
    run("clamp", "clamp", lambda x: torch.clamp(x, -0.5, 0.7), r(4, 5), min=-0.5, max=0.7)
    run("clamp_min_only", "clamp", lambda x: torch.clamp(x, min=0.1), r(4, 5), min=0.1, max="nan")
    # comparisons (masks), where, masked_fill
    ints = lambda *s: torch.randint(-2, 3, s).float()  # noqa: E731  (small integers: equal values occur)
    for op in ("eq", "ne", "gt", "ge", "lt", "le"):
        run(f"cmp_{op}", op, getattr(torch, op), ints(3, 4), ints(4))
    cond = torch.rand(3, 1) > 0.5
    run("where", "where", lambda x, y: torch.where(cond, x, y), r(3, 4), r(4), cond=cond)
    mask = torch.rand(4) > 0.5
    run("masked_fill", "masked_fill", lambda x: x.masked_fill(mask, -INF), r(3, 4), cond=mask, value="-inf")
    # reductions
    x = r(2, 3, 4)
    run("sum_all", "sum", torch.sum, x)
    run("mean_all", "mean", torch.mean, x)
    for dim in (0, 1, -1):
        for keepdim in (False, True):
            suffix = f"{dim}_{int(keepdim)}".replace("-", "m")
            run(f"sum_{suffix}", "sum", lambda t, d=dim, k=keepdim: t.sum(d, keepdim=k), x, dim=dim,
                keepdim=int(keepdim))
            run(f"mean_{suffix}", "mean", lambda t, d=dim, k=keepdim: t.mean(d, keepdim=k), x, dim=dim,
                keepdim=int(keepdim))
            run(f"logsumexp_{suffix}", "logsumexp", lambda t, d=dim, k=keepdim: t.logsumexp(d, keepdim=k), x,
                dim=dim, keepdim=int(keepdim))
            run(f"norm2_{suffix}", "norm", lambda t, d=dim, k=keepdim: t.norm(2, d, keepdim=k), x, p=2.0, dim=dim,
                keepdim=int(keepdim))
    tied = ints(3, 5)  # ties everywhere
    for dim in (0, 1, -1):
        for keepdim in (False, True):
            suffix = f"{dim}_{int(keepdim)}".replace("-", "m")
            for op in ("max", "min"):
                run(f"{op}_dim_{suffix}", op + "_dim",
                    lambda t, op=op, d=dim, k=keepdim: tuple(getattr(t, op)(d, keepdim=k)), tied, dim=dim,
                    keepdim=int(keepdim))
            run(f"argmax_{suffix}", "argmax", lambda t, d=dim, k=keepdim: t.argmax(d, keepdim=k), tied, dim=dim,
                keepdim=int(keepdim))
            run(f"argmin_{suffix}", "argmin", lambda t, d=dim, k=keepdim: t.argmin(d, keepdim=k), tied, dim=dim,
                keepdim=int(keepdim))
    run("max_all_ties", "max", torch.max, tied)
    run("min_all_ties", "min", torch.min, tied)
    run("argmax_all", "argmax_all", torch.argmax, tied)
    run("argmin_all", "argmin_all", torch.argmin, tied)
    run("max_dim_nan", "max_dim", lambda t: tuple(t.max(1)), torch.tensor([[1.0, float("nan"), 3.0, float("nan")]]),
        dim=1, keepdim=0)
    distinct = torch.randperm(24).float().reshape(2, 3, 4) * 0.25 - 3
    for dim in (0, 1, 2, -1):
        for largest in (True, False):
            run(f"topk_{dim}_{int(largest)}".replace("-", "m"), "topk",
                lambda t, d=dim, l=largest: tuple(torch.topk(t, 2, d, largest=l)), distinct, k=2, dim=dim,
                largest=int(largest))
    for p, tag in ((1.0, "1"), (2.0, "2"), (INF, "inf"), (3.0, "3")):
        run(f"norm_p{tag}_dim1", "norm", lambda t, p=p: t.norm(p, 1), distinct, p=p, dim=1, keepdim=0)
    run("norm_all", "norm_all", torch.norm, x)
    # softmax on every dim
    for dim in (0, 1, 2, -1, -3):
        tag = str(dim).replace("-", "m")
        run(f"softmax_{tag}", "softmax", lambda t, d=dim: torch.softmax(t, d), x, dim=dim)
        run(f"log_softmax_{tag}", "log_softmax", lambda t, d=dim: torch.log_softmax(t, d), x, dim=dim)
    # matmul
    cases = {"dot": ((4,), (4,)), "mm": ((3, 4), (4, 5)), "vm": ((4,), (4, 5)), "mv": ((3, 4), (4,)),
             "bmm3": ((2, 3, 4), (2, 4, 5)), "batch_mat": ((2, 3, 4), (4, 5)), "mat_batch": ((3, 4), (2, 4, 5)),
             "broadcast": ((2, 1, 3, 4), (3, 4, 5)), "vec_batch": ((4,), (2, 4, 5)), "batch_vec": ((2, 3, 4), (4,))}
    for case, (sa, sb) in cases.items():
        run(f"matmul_{case}", "matmul", torch.matmul, r(*sa), r(*sb))
    run("bmm", "bmm", torch.bmm, r(2, 3, 4), r(2, 4, 5))
    run("t", "t", torch.t, r(3, 4))
    errors()


def errors():
    ones = torch.ones
    calls = {
        "add_mismatch": lambda: ones(2, 5) + ones(2, 4),
        "sum_dim_out_of_range": lambda: ones(2, 3).sum(2),
        "softmax_dim_out_of_range": lambda: ones(2, 3).softmax(-3),
        "mm_mismatch": lambda: ones(2, 3) @ ones(2, 3),
        "dot_mismatch": lambda: ones(3) @ ones(4),
        "vm_mismatch": lambda: ones(4) @ ones(3, 2),
        "mv_mismatch": lambda: ones(2, 3) @ ones(4),
        "batched_inner_mismatch": lambda: ones(2, 3, 4) @ ones(2, 5, 6),
        "batch_broadcast_mismatch": lambda: ones(3, 2, 5) @ ones(4, 5, 2),
        "matmul_0d": lambda: ones(()) @ ones(3),
        "t_3d": lambda: ones(2, 3, 4).t(),
        "bmm_2d": lambda: ones(2, 3).bmm(ones(2, 3, 3)),
        "bmm_mismatch": lambda: ones(2, 2, 3).bmm(ones(2, 4, 3)),
        "topk_too_many": lambda: ones(2, 3).topk(4, 1),
        "max_empty": lambda: torch.tensor([]).max(),
        "max_dim_empty": lambda: ones(0, 3).max(0),
        "where_mismatch": lambda: torch.where(ones(2, dtype=torch.bool), ones(3), ones(2)),
        "masked_fill_mismatch": lambda: ones(2, 3).masked_fill(ones(2, 4, dtype=torch.bool), 1.0),
        "argmax_empty": lambda: torch.tensor([]).argmax(),
        "max_dim_out_of_range": lambda: ones(2, 3).max(2),
    }
    messages = {}
    for name, call in calls.items():
        try:
            call()
        except (RuntimeError, IndexError) as e:
            messages[name] = str(e).split("\n")[0]
        else:
            raise AssertionError(name + " did not fail")
    with open(os.path.join(OUT, "errors.json"), "w") as f:
        json.dump(messages, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
