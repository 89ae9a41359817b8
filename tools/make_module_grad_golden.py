"""Golden gradient fixtures for jrnn's Linear, Embedding, RNNCell, GRUCell and LSTMCell, produced by torch.nn
autograd (torch 1.13, CPU, float32).

Each case is one safetensors file in nn/src/test/resources/golden/grad/<case>.safetensors holding
    param.<name>      the module's state_dict (F32), e.g. param.weight_ih
    input             the input: F32 for Linear and the cells, I64 indices for Embedding
    hx, cx            the cells' initial states (F32), only when the case passes them
    output            torch's forward result (h' for the cells)
    output_c          LSTMCell only: c'
    grad_output       a random upstream gradient for output (and grad_output_c for c')
    grad.<name>       torch's .grad of every parameter after backward of
                      (output * grad_output).sum() [+ (output_c * grad_output_c).sum()]
    grad.input, grad.hx, grad.cx   the .grad of the float input and of the given states
and __metadata__ with module (Linear|Embedding|RNNCell|GRUCell|LSTMCell) and the constructor arguments
(in_features, out_features, bias / num_embeddings, embedding_dim, padding_idx / input_size, hidden_size, bias,
nonlinearity).

Run: /usr/bin/python3 tools/make_module_grad_golden.py   (writes the files; deterministic, seeded)
"""

import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "golden",
                   "grad")


def write(name, module, tensors, metadata):
    out = {"param." + k: v.detach().clone() for k, v in module.state_dict().items()}
    out.update(tensors)
    for k, p in module.named_parameters():
        out["grad." + k] = p.grad.detach().clone()
    os.makedirs(OUT, exist_ok=True)
    save_file(out, os.path.join(OUT, name + ".safetensors"), metadata={k: str(v) for k, v in metadata.items()})


def leaf(*shape):
    return torch.randn(*shape).requires_grad_(True)


def linear(name, in_features, out_features, bias, input_shape):
    m = nn.Linear(in_features, out_features, bias=bias)
    x = leaf(*input_shape)
    y = m(x)
    g = torch.randn(y.shape)
    (y * g).sum().backward()
    write(name, m, {"input": x.detach(), "output": y.detach(), "grad_output": g, "grad.input": x.grad},
          {"module": "Linear", "in_features": in_features, "out_features": out_features, "bias": bias})


def embedding(name, num, dim, padding_idx, indices):
    m = nn.Embedding(num, dim, padding_idx=padding_idx)
    idx = torch.tensor(indices, dtype=torch.int64)
    y = m(idx)
    g = torch.randn(y.shape)
    (y * g).sum().backward()
    write(name, m, {"input": idx, "output": y.detach(), "grad_output": g},
          {"module": "Embedding", "num_embeddings": num, "embedding_dim": dim,
           "padding_idx": "None" if padding_idx is None else padding_idx})


def cell(name, kind, input_size, hidden, bias, batch, with_state, nonlinearity="tanh"):
    if kind == "RNNCell":
        m = nn.RNNCell(input_size, hidden, bias=bias, nonlinearity=nonlinearity)
    elif kind == "GRUCell":
        m = nn.GRUCell(input_size, hidden, bias=bias)
    else:
        m = nn.LSTMCell(input_size, hidden, bias=bias)
    lead = () if batch is None else (batch,)
    x = leaf(*lead, input_size)
    tensors = {"input": None}
    states = {}
    if with_state:
        states["hx"] = leaf(*lead, hidden)
        if kind == "LSTMCell":
            states["cx"] = leaf(*lead, hidden)
    if kind == "LSTMCell":
        h, c = m(x, (states["hx"], states["cx"])) if with_state else m(x)
        gh, gc = torch.randn(h.shape), torch.randn(c.shape)
        ((h * gh).sum() + (c * gc).sum()).backward()
        tensors.update({"output": h.detach(), "output_c": c.detach(), "grad_output": gh, "grad_output_c": gc})
    else:
        h = m(x, states["hx"]) if with_state else m(x)
        gh = torch.randn(h.shape)
        (h * gh).sum().backward()
        tensors.update({"output": h.detach(), "grad_output": gh})
    tensors["input"] = x.detach()
    tensors["grad.input"] = x.grad
    for k, s in states.items():
        tensors[k] = s.detach()
        tensors["grad." + k] = s.grad
    write(name, m, tensors, {"module": kind, "input_size": input_size, "hidden_size": hidden, "bias": bias,
                             "nonlinearity": nonlinearity})


def main():
    torch.manual_seed(2024)
    for bias in (True, False):
        suffix = "bias" if bias else "nobias"
        linear("linear_2d_" + suffix, 5, 3, bias, (4, 5))
        linear("linear_3d_" + suffix, 5, 3, bias, (2, 3, 5))
    # Widths around the 16-float vector length exercise the vector kernels' bodies and tails.
    linear("linear_wide_3d", 19, 17, True, (3, 2, 19))

    embedding("embedding_repeated", 10, 3, None, [[1, 4, 4, 9], [0, 4, 1, 1]])
    embedding("embedding_padding", 10, 3, 2, [[2, 5, 2, 7], [5, 0, 2, 5]])
    embedding("embedding_padding_negative", 10, 3, -1, [[9, 3, 9], [3, 3, 0]])
    embedding("embedding_wide_1d", 6, 17, 0, [0, 3, 5, 3, 0, 1])

    kinds = [("RNNCell", "tanh", "rnncell_tanh"), ("RNNCell", "relu", "rnncell_relu"),
             ("GRUCell", "tanh", "grucell"), ("LSTMCell", "tanh", "lstmcell")]
    for kind, nl, prefix in kinds:
        for batch in (3, None):
            for with_state in (True, False):
                for bias in (True, False):
                    name = "%s_%s_%s_%s" % (prefix, "batched" if batch else "unbatched",
                                            "hx" if with_state else "nohx", "bias" if bias else "nobias")
                    cell(name, kind, 5, 4, bias, batch, with_state, nl)
        cell(prefix + "_wide_batched_hx_bias", kind, 19, 17, True, 5, True, nl)


if __name__ == "__main__":
    main()
