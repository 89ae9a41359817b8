"""Exports the performance study's recurrent models to every engine's format, with inputs and torch's outputs.

For each mode (RNN_TANH, GRU, LSTM) and hidden size (128, 256, 512, 1024) one seeded torch module
(input = hidden, one layer, biases, sequence-first: jrnn's and PyTorch's defaults) is written as

    models/{mode}_h{H}.safetensors   jrnn (tools/export_torch.py export_module)
    models/{mode}_h{H}.onnx          ONNX opset 17, one fused RNN/GRU/LSTM node: inputs input (L, N, H) with
                                     dynamic L and N, h_0 (1, N, H) [, c_0]; outputs output, h_n [, c_n]
    models/{mode}_h{H}.pt            torch.jit.trace of the same forward(x, h_0[, c_0]) -> (output, h_n[, c_n])

One model serves both the whole sequence (L = 100 from zero states) and the streaming step (L = 1, the state fed
back), so ONNX Runtime and DJL run the same graph in both benchmarks. Reference data, from torch under no_grad:

    data/{mode}_h{H}_b{N}.safetensors   input (100, N, H) uniform in [-1, 1), output, h_n [, c_n] from zero
                                        states, for N in 1, 32, 64 (batch 1 is also the streaming check: 100
                                        steps of it from zero states give the same output)
    data/train_{mode}.safetensors       the train step (GRU, LSTM) on the H = 256 model: input and target
                                        (50, 32, 256), loss = MSELoss (mean) of the output from zero states,
                                        and grad.<parameter name> after loss.backward()
    manifest.json                       torch version, opset, this script's SHA-256, the operators each ONNX
                                        graph and each TorchScript graph holds

Usage: python3 tools/export_peer_models.py OUT_DIR
(torch 1.13 at /usr/bin/python3; python3-onnx adds the operator list; the study runs this when OUT_DIR lacks a
manifest written by the current script.)
"""

import hashlib
import json
import os
import sys
import warnings

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_torch import export_module  # noqa: E402
from safetensors_io import save_file  # noqa: E402

MODES = {"RNN_TANH": 0, "GRU": 1, "LSTM": 2}
HIDDENS = [128, 256, 512, 1024]
BATCHES = [1, 32, 64]
SEQ_LEN = 100
TRAIN_MODES = ["GRU", "LSTM"]
TRAIN_HIDDEN = 256
TRAIN_BATCH = 32
TRAIN_SEQ_LEN = 50
OPSET = 17  # the newest opset torch 1.13's exporter knows


class Recurrent(torch.nn.Module):
    """forward(x, h_0[, c_0]) -> flat tuple (output, h_n[, c_n]): the signature every engine is given."""

    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn
        self.lstm = isinstance(rnn, torch.nn.LSTM)

    def forward(self, x, h0, c0=None):
        if self.lstm:
            out, (h, c) = self.rnn(x, (h0, c0))
            return out, h, c
        out, h = self.rnn(x, h0)
        return out, h


def build(mode, hidden):
    torch.manual_seed(1000 + 10 * hidden + MODES[mode])
    if mode == "RNN_TANH":
        return torch.nn.RNN(hidden, hidden, nonlinearity="tanh")
    return torch.nn.GRU(hidden, hidden) if mode == "GRU" else torch.nn.LSTM(hidden, hidden)


def state_names(mode):
    return (["h_0", "c_0"], ["output", "h_n", "c_n"]) if mode == "LSTM" else (["h_0"], ["output", "h_n"])


def zero_states(mode, batch, hidden):
    h = torch.zeros(1, batch, hidden)
    return (h, torch.zeros(1, batch, hidden)) if mode == "LSTM" else (h,)


def quietly(what, fn):
    """Runs fn, printing each distinct warning once (the exporters warn about batch_first and tracing)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    for message in sorted({str(w.message).splitlines()[0][:160] for w in caught}):
        print("  %s: %s" % (what, message))
    return result


def export_model(mode, hidden, models):
    rnn = build(mode, hidden).eval()
    stem = os.path.join(models, "%s_h%d" % (mode.lower(), hidden))
    export_module(rnn, stem + ".safetensors")
    wrapper = Recurrent(rnn).eval()
    example = (torch.rand(3, 2, hidden) * 2 - 1,) + zero_states(mode, 2, hidden)
    states, outputs = state_names(mode)
    dynamic = {"input": {0: "steps", 1: "batch"}, "output": {0: "steps", 1: "batch"}}
    dynamic.update({n: {1: "batch"} for n in states + outputs[1:]})
    quietly("onnx export", lambda: torch.onnx.export(
        wrapper, example, stem + ".onnx", opset_version=OPSET, do_constant_folding=True,
        input_names=["input"] + states, output_names=outputs, dynamic_axes=dynamic))
    traced = quietly("jit.trace", lambda: torch.jit.trace(wrapper, example))
    traced.save(stem + ".pt")
    graph_ops = sorted({n.kind() for n in traced.inlined_graph.nodes() if n.kind().startswith("aten::")})
    return wrapper, graph_ops


def reference_data(mode, hidden, wrapper, data):
    generator = torch.Generator().manual_seed(7 + 10 * hidden + MODES[mode])
    _, outputs = state_names(mode)
    for batch in BATCHES:
        x = torch.rand(SEQ_LEN, batch, hidden, generator=generator) * 2 - 1
        with torch.no_grad():
            result = wrapper(x, *zero_states(mode, batch, hidden))
        tensors = {"input": x.contiguous()}
        tensors.update({name: t.contiguous() for name, t in zip(outputs, result)})
        save_file(tensors, os.path.join(data, "%s_h%d_b%d.safetensors" % (mode.lower(), hidden, batch)))


def train_reference(mode, data):
    """One forward and backward of the train step on the H = 256 model (before any optimizer step)."""
    rnn = build(mode, TRAIN_HIDDEN).train()
    generator = torch.Generator().manual_seed(11 + MODES[mode])
    shape = (TRAIN_SEQ_LEN, TRAIN_BATCH, TRAIN_HIDDEN)
    x = torch.rand(*shape, generator=generator) * 2 - 1
    target = torch.rand(*shape, generator=generator) * 2 - 1
    out, _ = rnn(x)
    loss = torch.nn.functional.mse_loss(out, target)
    loss.backward()
    tensors = {"input": x, "target": target, "loss": loss.detach().reshape(1)}
    for name, p in rnn.named_parameters():
        tensors["grad." + name] = p.grad.contiguous()
    save_file(tensors, os.path.join(data, "train_%s.safetensors" % mode.lower()))


def onnx_operators(models):
    try:
        import onnx
    except ImportError:
        return None
    ops = {}
    for f in sorted(os.listdir(models)):
        if f.endswith(".onnx"):
            m = onnx.load(os.path.join(models, f), load_external_data=False)
            ops[f] = sorted({n.op_type for n in m.graph.node})
    return ops


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: export_peer_models.py OUT_DIR")
    out = sys.argv[1]
    models = os.path.join(out, "models")
    data = os.path.join(out, "data")
    os.makedirs(models, exist_ok=True)
    os.makedirs(data, exist_ok=True)
    manifest_path = os.path.join(out, "manifest.json")
    if os.path.exists(manifest_path):
        os.remove(manifest_path)  # a half-done export must not look complete
    with open(os.path.abspath(__file__), "rb") as f:
        script_sha = hashlib.sha256(f.read()).hexdigest()
    torchscript_ops = {}
    for mode in MODES:
        for hidden in HIDDENS:
            wrapper, ops = export_model(mode, hidden, models)
            torchscript_ops["%s_h%d.pt" % (mode.lower(), hidden)] = ops
            reference_data(mode, hidden, wrapper, data)
            print("exported %s hidden %d" % (mode, hidden), flush=True)
    for mode in TRAIN_MODES:
        train_reference(mode, data)
    manifest = {"torch": torch.__version__, "opset": OPSET, "scriptSha256": script_sha,
                "modes": list(MODES), "hiddens": HIDDENS, "batches": BATCHES, "seqLen": SEQ_LEN,
                "trainModes": TRAIN_MODES, "trainHidden": TRAIN_HIDDEN, "trainBatch": TRAIN_BATCH,
                "trainSeqLen": TRAIN_SEQ_LEN, "onnxOperators": onnx_operators(models),
                "torchScriptOperators": torchscript_ops}
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
