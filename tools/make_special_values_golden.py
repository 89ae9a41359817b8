#!/usr/bin/env python3
"""Golden cases at the edges (torch 1.13), beside the other tensor_ops fixtures and read by TensorOpsGoldenTest:
empty dimensions (sums of nothing, means of nothing, softmax over an empty tensor, matmul with an empty inner size)
and non-finite values (NaN, +-inf through the element-wise functions, the reductions and softmax), each with the
gradients of out.backward(gout) where torch has them. Non-finite results must be equal, not close.
Run with /usr/bin/python3 tools/make_special_values_golden.py."""
import torch

from make_tensor_ops_golden import run

NAN = float("nan")
INF = float("inf")


def main():
    torch.manual_seed(13)
    # empty dimensions
    empty = torch.zeros(0, 3)
    run("edge_sum_empty_dim0", "sum", lambda t: t.sum(0), empty, dim=0, keepdim=0)
    run("edge_sum_empty_all", "sum", torch.sum, empty)
    run("edge_mean_empty_dim0", "mean", lambda t: t.mean(0), empty, dim=0, keepdim=0)
    run("edge_logsumexp_empty_dim0", "logsumexp", lambda t: t.logsumexp(0), empty, dim=0, keepdim=0)
    run("edge_softmax_empty", "softmax", lambda t: torch.softmax(t, 1), empty, dim=1)
    run("edge_add_empty", "add", torch.add, empty, torch.randn(3))
    run("edge_matmul_empty_inner", "matmul", torch.matmul, torch.zeros(2, 0), torch.zeros(0, 3))
    run("edge_exp_empty", "exp", torch.exp, torch.zeros(2, 0))
    # non-finite values through element-wise functions
    special = torch.tensor([[NAN, INF, -INF, 0.0, -0.0, 1.0], [-1.0, 88.0, -104.0, 1e-30, 3.0, -3.0]])
    for op in ("exp", "log", "tanh", "sigmoid", "relu", "sqrt", "rsqrt", "abs", "neg"):
        run(f"edge_{op}_special", op, getattr(torch, op), special)
    run("edge_clamp_special", "clamp", lambda t: torch.clamp(t, -2.0, 2.0), special, min=-2.0, max=2.0)
    run("edge_pow2_special", "pow", lambda t: torch.pow(t, 2.0), special, p=2.0)
    run("edge_mul_inf_zero", "mul", torch.mul, special, torch.tensor([0.0, 0.0, 2.0, INF, INF, -1.0]))
    run("edge_div_by_zero", "div", torch.div, special, torch.tensor([0.0, 1.0, 0.0, 0.0, -0.0, INF]))
    # reductions and softmax with non-finite entries
    rows = torch.tensor([[1.0, NAN, 2.0], [INF, 1.0, 2.0], [-INF, -INF, -INF], [INF, INF, 0.0], [-INF, 0.0, 1.0]])
    run("edge_sum_rows", "sum", lambda t: t.sum(1), rows, dim=1, keepdim=0)
    run("edge_mean_rows", "mean", lambda t: t.mean(1), rows, dim=1, keepdim=0)
    run("edge_logsumexp_rows", "logsumexp", lambda t: t.logsumexp(1), rows, dim=1, keepdim=0)
    run("edge_softmax_rows", "softmax", lambda t: torch.softmax(t, 1), rows, dim=1)
    run("edge_log_softmax_rows", "log_softmax", lambda t: torch.log_softmax(t, 1), rows, dim=1)
    run("edge_max_rows", "max_dim", lambda t: tuple(t.max(1)), rows, dim=1, keepdim=0)
    run("edge_argmin_rows", "argmin", lambda t: t.argmin(1), rows, dim=1, keepdim=0)
    run("edge_norm_rows", "norm", lambda t: t.norm(2, 1), rows, p=2.0, dim=1, keepdim=0)


if __name__ == "__main__":
    main()
