#!/usr/bin/env python3
"""Golden cases for sum / mean over several dimensions at once (torch 1.13), written beside the other tensor_ops
fixtures (same format, read by TensorOpsGoldenTest): values and the gradients of out.backward(gout), for dim tuples
with negative entries, keepdim, the empty tuple (every element), a 0-dim input and empty inputs.
Run with /usr/bin/python3 tools/make_multidim_golden.py (needs torch and safetensors' numpy-free writer used by
make_tensor_ops_golden.py)."""
import json
import os

import torch

from make_tensor_ops_golden import OUT, run


def main():
    torch.manual_seed(12)
    x = torch.randn(2, 3, 4, 5)
    cases = {"0_2": (0, 2), "m1_1": (-1, 1), "0_1_2_3": (0, 1, 2, 3), "3": (3,), "none": ()}
    for name, dims in cases.items():
        for keepdim in (False, True):
            spelled = ",".join(str(d) for d in dims)
            for op in ("sum", "mean"):
                run(f"{op}_dims_{name}_{int(keepdim)}", op + "_dims",
                    lambda t, op=op, d=dims, k=keepdim: getattr(t, op)(list(d), keepdim=k), x, dims=spelled,
                    keepdim=int(keepdim))
    run("sum_dims_scalar", "sum_dims", lambda t: t.sum([0]), torch.tensor(2.5), dims="0", keepdim=0)
    run("mean_dims_empty_line", "mean_dims", lambda t: t.mean([1]), torch.zeros(2, 0), dims="1", keepdim=0)
    run("sum_dims_empty_lines", "sum_dims", lambda t: t.sum([0]), torch.zeros(0, 3), dims="0", keepdim=0)
    errors = {}
    for name, call in {"sum_dims_repeated": lambda: x.sum([0, -4]), "mean_dims_out_of_range": lambda: x.mean([1, 4])
                       }.items():
        try:
            call()
        except (RuntimeError, IndexError) as e:
            errors[name] = str(e)
    with open(os.path.join(OUT, "..", "tensor_ops_multidim_errors.json"), "w") as f:
        json.dump(errors, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
