"""Golden optimizer trajectories from torch.optim (torch 1.13, CPU, float32, single-tensor code path).

For each configuration, two parameters (shapes (3, 4) and (5,)) start from seeded random values and take STEPS
steps, each from a recorded random gradient; at step 3 the second parameter has no gradient (grad = None), which
torch.optim skips (no update, no step count). Written to nn/src/test/resources/golden/optim/<name>.safetensors:
    p<i>.init               initial value of parameter i
    grad.<step>.p<i>        the gradient given at step <step> (0-based), absent where it was None
    p<i>.final              the value after all steps
    state.<i>.<buffer>      torch's optimizer state after all steps (exp_avg, exp_avg_sq, max_exp_avg_sq, step,
                            momentum_buffer), named as jrnn's Optimizer.stateTensors()
and __metadata__: optimizer (SGD|Adam|AdamW), its arguments as strings, steps.

Run: /usr/bin/python3 tools/make_optimizer_golden.py
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "golden",
                   "optim")
STEPS = 8
SKIP_STEP = 3

CONFIGS = [
    ("sgd_plain", "SGD", dict(lr=0.1)),
    ("sgd_momentum", "SGD", dict(lr=0.05, momentum=0.9)),
    ("sgd_momentum_dampening_decay", "SGD", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("sgd_nesterov", "SGD", dict(lr=0.05, momentum=0.9, weight_decay=0.01, nesterov=True)),
    ("adam_default", "Adam", dict(lr=0.01)),
    ("adam_weight_decay", "Adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("adam_amsgrad", "Adam", dict(lr=0.02, amsgrad=True)),
    ("adamw_default", "AdamW", dict(lr=0.01)),
    ("adamw_amsgrad", "AdamW", dict(lr=0.02, betas=(0.85, 0.995), eps=1e-7, weight_decay=0.05, amsgrad=True)),
]


def run(name, kind, kwargs, seed):
    g = torch.Generator().manual_seed(seed)
    params = [torch.randn(3, 4, generator=g).requires_grad_(True), torch.randn(5, generator=g).requires_grad_(True)]
    tensors = {"p%d.init" % i: p.detach().clone() for i, p in enumerate(params)}
    opt = getattr(torch.optim, kind)(params, foreach=False, **kwargs)
    for step in range(STEPS):
        for i, p in enumerate(params):
            if i == 1 and step == SKIP_STEP:
                p.grad = None
                continue
            grad = torch.randn(p.shape, generator=g) * (0.5 + step)
            p.grad = grad
            tensors["grad.%d.p%d" % (step, i)] = grad.clone()
        opt.step()
    for i, p in enumerate(params):
        tensors["p%d.final" % i] = p.detach().clone()
        for key, value in opt.state[p].items():
            if value is None:  # SGD without momentum keeps momentum_buffer = None
                continue
            tensors["state.%d.%s" % (i, key)] = value.detach().clone().float().reshape(value.shape)
    meta = {"optimizer": kind, "steps": str(STEPS)}
    for key, value in kwargs.items():
        if key == "betas":
            meta["beta1"], meta["beta2"] = str(value[0]), str(value[1])
        else:
            meta[key] = str(value).lower() if isinstance(value, bool) else str(value)
    os.makedirs(OUT, exist_ok=True)
    save_file(tensors, os.path.join(OUT, name + ".safetensors"), metadata=meta)


def main():
    for seed, (name, kind, kwargs) in enumerate(CONFIGS):
        run(name, kind, kwargs, 100 + seed)


if __name__ == "__main__":
    main()
