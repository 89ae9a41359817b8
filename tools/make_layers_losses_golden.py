"""Golden fixtures for jrnn's normalisation and activation layers and the element-wise losses (issue 11 part C1),
produced by torch 1.13 on the CPU in float32.

Written under nn/src/test/resources/golden/layers_losses/:
  layer_<case>.safetensors   a torch.nn.LayerNorm / Tanh / ReLU / Sigmoid / Softmax / LogSoftmax / Identity /
                             Flatten applied to `input`:
                               input, grad_output (the upstream gradient: torch's backward of (output * grad_output).sum())
                               weight, bias (LayerNorm with elementwise_affine only; the values the module used)
                               output, input_grad, weight_grad, bias_grad (the last two with elementwise_affine)
                             __metadata__: module (the class), its constructor arguments as ModuleCheckpoints spells
                             them (normalized_shape 3,4; eps; elementwise_affine; dim; start_dim; end_dim) and repr
                             (torch's repr of the module)
  loss_<case>.safetensors    a torch.nn.BCEWithLogitsLoss / L1Loss / SmoothL1Loss:
                               input, target, weight / pos_weight (when the case has them), loss, input_grad and
                               target_grad (of loss.sum())
                             __metadata__: loss, reduction, beta (SmoothL1Loss)
  sequential_model.safetensors  Sequential(Linear(5, 6), LayerNorm(6), Tanh(), Linear(6, 3)) exported by
                             tools/export_torch.py (state dict + module tree)
  sequential_io.safetensors  input (4, 5), output (torch's forward of the model), repr in __metadata__
  errors.json                each refused call (named as LayersLossesErrorTest names it) -> torch's message

Run: /usr/bin/python3 tools/make_layers_losses_golden.py   (deterministic: seeded)
"""

import json
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_torch import export_module  # noqa: E402
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "golden",
                   "layers_losses")


def write(name, tensors, metadata):
    os.makedirs(OUT, exist_ok=True)
    save_file({k: v.detach().contiguous() for k, v in tensors.items()}, os.path.join(OUT, name + ".safetensors"),
              metadata={k: str(v) for k, v in metadata.items()})


def layer(name, module, shape, arguments, scale=1.0, extremes=False):
    x = torch.randn(*shape) * scale
    if extremes:
        flat = x.view(-1)
        flat[0], flat[1], flat[2] = 30.0, -30.0, 0.0
    x.requires_grad_(True)
    y = module(x)
    gy = torch.randn(*y.shape)
    (y * gy).sum().backward()
    tensors = {"input": x, "grad_output": gy, "output": y, "input_grad": x.grad}
    for p in ("weight", "bias"):
        param = getattr(module, p, None)
        if param is not None:
            tensors[p] = param
            tensors[p + "_grad"] = param.grad
    meta = {"module": type(module).__name__, "repr": repr(module)}
    meta.update(arguments)
    write("layer_" + name, tensors, meta)


def layer_norm(name, shape, normalized_shape, eps=1e-5, affine=True, scale=1.0):
    m = nn.LayerNorm(normalized_shape, eps=eps, elementwise_affine=affine)
    if affine:
        with torch.no_grad():  # not the initial ones and zeros, so that a swapped weight and bias fail
            m.weight.copy_(torch.randn(*m.weight.shape))
            m.bias.copy_(torch.randn(*m.bias.shape))
    layer(name, m, shape, {"normalized_shape": ",".join(str(d) for d in m.normalized_shape), "eps": repr(eps),
                           "elementwise_affine": "true" if affine else "false"}, scale=scale)


def loss(name, kind, shape, reduction, weight=None, pos_weight=None, beta=None, extremes=False, ties=False):
    x = torch.randn(*shape) * 3
    if kind == "BCEWithLogitsLoss":
        t = torch.rand(*shape)
        t.view(-1)[::3] = 1.0
        t.view(-1)[1::3] = 0.0
    else:
        t = torch.randn(*shape) * 3
    if extremes:
        flat = x.view(-1)
        flat[0], flat[1], flat[2], flat[3] = 100.0, -100.0, 100.0, -100.0
        t.view(-1)[0:4] = torch.tensor([0.0, 1.0, 1.0, 0.0])
    if ties:
        t.view(-1)[0] = x.view(-1)[0]
        if beta:
            t.view(-1)[1] = x.view(-1)[1] - beta  # exactly at the switch between the quadratic and linear parts
    x.requires_grad_(True)
    t.requires_grad_(True)
    if kind == "BCEWithLogitsLoss":
        fn = nn.BCEWithLogitsLoss(weight=weight, reduction=reduction, pos_weight=pos_weight)
    elif kind == "L1Loss":
        fn = nn.L1Loss(reduction=reduction)
    else:
        fn = nn.SmoothL1Loss(reduction=reduction, beta=beta)
    out = fn(x, t)
    out.sum().backward()
    tensors = {"input": x, "target": t, "loss": out, "input_grad": x.grad, "target_grad": t.grad}
    if weight is not None:
        tensors["weight"] = weight
    if pos_weight is not None:
        tensors["pos_weight"] = pos_weight
    meta = {"loss": kind, "reduction": reduction}
    if beta is not None:
        meta["beta"] = repr(float(beta))
    write("loss_" + name, tensors, meta)


def errors():
    x = torch.randn(3, 4)
    t = torch.rand(3, 4)
    calls = {
        "bce_target_shape": lambda: nn.BCEWithLogitsLoss()(x, torch.rand(3, 2)),
        "bce_weight_shape": lambda: nn.BCEWithLogitsLoss(weight=torch.ones(3))(x, t),
        "bce_pos_weight_shape": lambda: nn.BCEWithLogitsLoss(pos_weight=torch.ones(3))(x, t),
        "smooth_l1_negative_beta": lambda: nn.SmoothL1Loss(beta=-1.0)(x, t),
        "layer_norm_1d_shape": lambda: nn.LayerNorm(4)(torch.randn(2, 3)),
        "layer_norm_2d_shape": lambda: nn.LayerNorm([3, 4])(torch.randn(2, 4, 3)),
        "layer_norm_too_few_dims": lambda: nn.LayerNorm([3, 4])(torch.randn(4)),
        "softmax_dim": lambda: nn.Softmax(dim=2)(x),
        "log_softmax_dim": lambda: nn.LogSoftmax(dim=-3)(x),
        "flatten_dim": lambda: nn.Flatten()(torch.randn(3)),
        "reduction_name": lambda: nn.L1Loss(reduction="avg")(x, t),
    }
    messages = {}
    for name, call in calls.items():
        try:
            call()
        except Exception as e:  # noqa: BLE001 - recording whatever torch raises
            messages[name] = str(e).split("\n")[0]
        else:
            raise AssertionError(name + " did not fail")
    with open(os.path.join(OUT, "errors.json"), "w") as f:
        json.dump(messages, f, indent=1, sort_keys=True)


def sequential():
    model = nn.Sequential(nn.Linear(5, 6), nn.LayerNorm(6), nn.Tanh(), nn.Linear(6, 3))
    with torch.no_grad():
        model[1].weight.copy_(torch.randn(6))
        model[1].bias.copy_(torch.randn(6))
    export_module(model, os.path.join(OUT, "sequential_model.safetensors"))
    x = torch.randn(4, 5)
    write("sequential_io", {"input": x, "output": model(x)}, {"repr": repr(model)})


def main():
    torch.manual_seed(2024)
    layer_norm("layernorm_1d_affine", (4, 7), 7)
    layer_norm("layernorm_1d_plain", (4, 7), 7, affine=False)
    layer_norm("layernorm_1d_eps", (2, 3, 5), 5, eps=1e-2)
    layer_norm("layernorm_2d_affine", (2, 3, 4), (3, 4))
    layer_norm("layernorm_2d_plain_eps", (2, 3, 4), (3, 4), eps=0.1, affine=False)
    layer_norm("layernorm_wide", (3, 37), 37, scale=100.0)
    layer_norm("layernorm_unbatched", (9,), 9)
    layer("tanh", nn.Tanh(), (3, 5), {}, extremes=True)
    layer("relu", nn.ReLU(), (3, 5), {}, extremes=True)
    layer("sigmoid", nn.Sigmoid(), (3, 5), {}, extremes=True)
    layer("softmax_1", nn.Softmax(dim=1), (3, 5), {"dim": "1"}, extremes=True)
    layer("softmax_m1_3d", nn.Softmax(dim=-1), (2, 3, 4), {"dim": "-1"})
    layer("softmax_0", nn.Softmax(dim=0), (3, 5), {"dim": "0"})
    layer("log_softmax_1", nn.LogSoftmax(dim=1), (3, 5), {"dim": "1"}, extremes=True)
    layer("log_softmax_0_3d", nn.LogSoftmax(dim=0), (2, 3, 4), {"dim": "0"})
    layer("identity", nn.Identity(), (3, 5), {})
    layer("flatten_default", nn.Flatten(), (2, 3, 4), {"start_dim": "1", "end_dim": "-1"})
    layer("flatten_0_1", nn.Flatten(0, 1), (2, 3, 4), {"start_dim": "0", "end_dim": "1"})
    for red in ("none", "mean", "sum"):
        loss("bce_" + red, "BCEWithLogitsLoss", (4, 3), red)
        loss("bce_weight_" + red, "BCEWithLogitsLoss", (4, 3), red, weight=torch.rand(3) + 0.5)
        loss("bce_pos_weight_" + red, "BCEWithLogitsLoss", (4, 3), red, pos_weight=torch.tensor([0.5, 2.0, 3.0]))
        loss("bce_both_weights_" + red, "BCEWithLogitsLoss", (2, 4, 3), red, weight=torch.rand(4, 1) + 0.5,
             pos_weight=torch.tensor([0.25, 1.5, 4.0]))
        loss("bce_extreme_" + red, "BCEWithLogitsLoss", (2, 3), red, extremes=True)
        loss("bce_extreme_pos_weight_" + red, "BCEWithLogitsLoss", (2, 3), red, extremes=True,
             pos_weight=torch.tensor([3.0, 0.5, 2.0]))
        loss("l1_" + red, "L1Loss", (4, 5), red, ties=True)
        loss("smooth_l1_" + red, "SmoothL1Loss", (4, 5), red, beta=1.0, ties=True)
        loss("smooth_l1_beta_half_" + red, "SmoothL1Loss", (4, 5), red, beta=0.5, ties=True)
        loss("smooth_l1_beta_4_" + red, "SmoothL1Loss", (3, 7), red, beta=4.0)
        loss("smooth_l1_beta_0_" + red, "SmoothL1Loss", (4, 5), red, beta=0.0, ties=True)
    sequential()
    errors()


if __name__ == "__main__":
    main()
