"""Golden fixtures for jrnn's losses, produced by torch.nn.CrossEntropyLoss, NLLLoss and MSELoss (torch 1.13, CPU,
float32).

Each case is one safetensors file in nn/src/test/resources/golden/loss/<case>.safetensors holding
    input            the loss input (F32)
    target           class indices (I64) for CrossEntropyLoss/NLLLoss, or a float tensor (F32) for MSELoss
    weight           per-class weights (F32), only when the case uses them
    loss             torch's result (F32; shape [] for mean/sum, the target's shape for none)
    input_grad       d(loss.sum())/d(input) from torch autograd (F32)
    target_grad      MSELoss only: d(loss.sum())/d(target)
and __metadata__ with loss (CrossEntropyLoss|NLLLoss|MSELoss), reduction, ignore_index, label_smoothing.

Run: /usr/bin/python3 tools/make_loss_golden.py   (writes the files; deterministic, seeded)
"""

import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "golden",
                   "loss")


def write(name, tensors, metadata):
    os.makedirs(OUT, exist_ok=True)
    save_file(tensors, os.path.join(OUT, name + ".safetensors"), metadata={k: str(v) for k, v in metadata.items()})


def classification(name, loss_kind, shape, target, weight=None, ignore_index=-100, reduction="mean",
                   label_smoothing=0.0, log_probs=False):
    x = torch.randn(*shape)
    if log_probs:
        x = torch.log_softmax(x, dim=1 if len(shape) > 1 else 0)
    x = x.detach().requires_grad_(True)
    t = torch.tensor(target, dtype=torch.int64)
    if loss_kind == "CrossEntropyLoss":
        fn = nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_index, reduction=reduction,
                                 label_smoothing=label_smoothing)
    else:
        fn = nn.NLLLoss(weight=weight, ignore_index=ignore_index, reduction=reduction)
    loss = fn(x, t)
    loss.sum().backward()
    tensors = {"input": x.detach(), "target": t}
    if weight is not None:
        tensors["weight"] = weight
    tensors["loss"] = loss.detach()
    tensors["input_grad"] = x.grad
    write(name, tensors, {"loss": loss_kind, "reduction": reduction, "ignore_index": ignore_index,
                          "label_smoothing": label_smoothing})


def mse(name, shape, reduction):
    x = torch.randn(*shape).requires_grad_(True)
    y = torch.randn(*shape).requires_grad_(True)
    loss = nn.MSELoss(reduction=reduction)(x, y)
    loss.sum().backward()
    write(name, {"input": x.detach(), "target": y.detach(), "loss": loss.detach(), "input_grad": x.grad,
                 "target_grad": y.grad},
          {"loss": "MSELoss", "reduction": reduction, "ignore_index": -100, "label_smoothing": 0.0})


def main():
    torch.manual_seed(1234)
    w = torch.tensor([0.5, 1.0, 2.0, 1.5])
    targets = [0, 3, 2, 2, 1]
    with_ignored = [0, -100, 2, 3, -100]
    for red in ("mean", "sum", "none"):
        classification("ce_basic_" + red, "CrossEntropyLoss", (5, 4), targets, reduction=red)
        classification("ce_weighted_ignore_" + red, "CrossEntropyLoss", (5, 4), with_ignored, weight=w,
                       reduction=red)
        classification("ce_smoothing_" + red, "CrossEntropyLoss", (5, 4), with_ignored, reduction=red,
                       label_smoothing=0.2)
        classification("ce_smoothing_weighted_" + red, "CrossEntropyLoss", (5, 4), with_ignored, weight=w,
                       reduction=red, label_smoothing=0.1)
        classification("nll_weighted_ignore_" + red, "NLLLoss", (5, 4), with_ignored, weight=w, reduction=red,
                       log_probs=True)
        mse("mse_" + red, (3, 4), red)
    classification("ce_custom_ignore_index", "CrossEntropyLoss", (4, 3), [1, 0, 2, 0], ignore_index=0)
    classification("ce_kdim_mean", "CrossEntropyLoss", (2, 3, 4), [[0, 1, 2, 1], [2, 2, 0, -100]])
    classification("ce_kdim_none", "CrossEntropyLoss", (2, 3, 2, 2), [[[0, 1], [2, 1]], [[2, 2], [0, 1]]],
                   reduction="none", label_smoothing=0.05)
    classification("ce_unbatched", "CrossEntropyLoss", (7,), 3)
    # Logits of magnitude ~100: a naive exp would overflow in float32.
    x = (torch.randn(3, 5) * 80.0).requires_grad_(True)
    t = torch.tensor([4, 0, 2])
    loss = nn.CrossEntropyLoss()(x, t)
    loss.backward()
    write("ce_large_logits", {"input": x.detach(), "target": t, "loss": loss.detach(), "input_grad": x.grad},
          {"loss": "CrossEntropyLoss", "reduction": "mean", "ignore_index": -100, "label_smoothing": 0.0})


if __name__ == "__main__":
    main()
