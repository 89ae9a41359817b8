"""Golden values for torch.nn.utils.clip_grad_norm_ and clip_grad_value_ (torch 1.13, CPU, float32).

Each case: three gradients (shapes (3, 4), (5,), (2, 2, 2)) drawn from a seeded generator and scaled, clipped in
place by torch. Written to nn/src/test/resources/golden/clip/<case>.safetensors:
    grad.<i>            the gradient before clipping
    clipped.<i>         the gradient after clipping
    total_norm          clip_grad_norm_'s return value (norm cases only)
with __metadata__: kind (norm|value), max_norm, norm_type (2.0 or inf), clip_value.

Run: /usr/bin/python3 tools/make_clipping_golden.py
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "golden",
                   "clip")
SHAPES = [(3, 4), (5,), (2, 2, 2)]


def case(name, seed, scale, kind, max_norm=0.0, norm_type=2.0, clip_value=0.0):
    g = torch.Generator().manual_seed(seed)
    params = []
    tensors = {}
    for i, shape in enumerate(SHAPES):
        p = torch.zeros(shape, requires_grad=True)
        p.grad = torch.randn(shape, generator=g) * scale
        tensors["grad.%d" % i] = p.grad.clone()
        params.append(p)
    meta = {"kind": kind, "max_norm": str(max_norm), "norm_type": "inf" if norm_type == float("inf") else "2.0",
            "clip_value": str(clip_value)}
    if kind == "norm":
        tensors["total_norm"] = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type).reshape(1)
    else:
        torch.nn.utils.clip_grad_value_(params, clip_value)
    for i, p in enumerate(params):
        tensors["clipped.%d" % i] = p.grad.clone()
    os.makedirs(OUT, exist_ok=True)
    save_file(tensors, os.path.join(OUT, name + ".safetensors"), metadata=meta)


def main():
    case("norm2_clipped", 1, 3.0, "norm", max_norm=1.0)
    case("norm2_not_clipped", 2, 0.01, "norm", max_norm=5.0)
    case("norm_inf_clipped", 3, 2.0, "norm", max_norm=0.5, norm_type=float("inf"))
    case("value_clipped", 4, 2.0, "value", clip_value=0.7)


if __name__ == "__main__":
    main()
