#!/usr/bin/env python3
"""Golden gradients for backpropagation through time in jrnn's sequence modules, computed by torch 1.13 on CPU.

Run from the repository root with the system Python that has torch:

    /usr/bin/python3 tools/make_recurrent_grad_golden.py

Each fixture is one safetensors file in nn/src/test/resources/golden/recurrent_grad/ holding

    state.<name>             the module's state_dict (the initialisation right after torch.manual_seed(init_seed))
    input                    the padded (L, N, H_in) / (N, L, H_in) or unbatched (L, H_in) input
    lengths                  (I64) packed fixtures: the lengths given to pack_padded_sequence
    h0, c0                   the initial states when the fixture passes them (caller's batch order)
    upstream.output          the gradient g_out of the output: the padded output's shape, or for packed input
                             the shape of the output PackedSequence's data
    upstream.h_n, .c_n       g_h, g_c: the gradients of h_n and c_n, present only when the loss uses them
    expected.output, .h_n, .c_n   torch's forward results
    grad.<name>              torch's .grad of every parameter after loss.backward()
    grad.input               the input's .grad; for packed input the .grad of the packed data (the module's input
                             rows, kept with retain_grad)
    grad.padded_input        packed: the padded input's .grad, through pack_padded_sequence
    grad.h0, grad.c0         the initial states' .grad when they are given

with loss = sum(output * g_out) [+ sum(h_n * g_h) + sum(c_n * g_c)], and metadata as in make_recurrent_golden.py
plus loss_terms ("output", "output,h_n" / "output,h_n,c_n", or "h_n" / "h_n,c_n": which outputs the loss reads, so
that a backward with no gradient for an output is covered too) and torch_call. For packed_unsorted input the output
term is "padded_output", pad_packed_sequence(output, batch_first)[0] (upstream.padded_output has the padded shape),
so the gradient also passes through unpacking and its permutation.

Covering design: the same greedy pairwise covering array as make_recurrent_golden.py (num_layers {1, 2, 3} x
bidirectional x batch_first x bias x input {batched, unbatched, packed_sorted, packed_unsorted, packed_equal} x
h0 {given, omitted}: every pair of option values appears together, 16 rows) for each of the five modes RNN_TANH,
RNN_RELU, GRU, LSTM and LSTM with proj_size, so 80 fixtures. The loss terms cycle through the three kinds along
the rows. Modules run in training mode with dropout = 0 (PyTorch's inter-layer dropout masks cannot be replayed
exactly here, so dropout gradients are checked by jrnn's finite-difference test instead). Sizes stay small:
hidden 3..6, input 4..5, sequence length 3..5, batch 1..3 (packed: 3 sequences).
"""

import os
import sys

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_recurrent_golden import MODES, flag, module_for, pairwise_rows  # noqa: E402
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join("nn", "src", "test", "resources", "golden", "recurrent_grad")
LOSS_TERMS = ["all", "output", "states"]


def fixture(name, seed, mode, row, input_size, hidden, steps, batch, loss_kind):
    torch.manual_seed(seed)
    layers, bidir, batch_first, bias = row["num_layers"], row["bidirectional"], row["batch_first"], row["bias"]
    kind, give_h0 = row["input"], row["h0"] == "given"
    proj = max(1, hidden // 2) if mode == "LSTM_PROJ" else 0
    m, call = module_for(mode, input_size, hidden, layers, bias, batch_first, 0.0, bidir, proj)
    m.train()
    is_lstm = mode.startswith("LSTM")
    d = 2 if bidir else 1
    h_out = proj if proj > 0 else hidden
    packed = kind.startswith("packed")
    if packed:
        batch = 3
    if kind == "unbatched":
        x = torch.randn(steps, input_size)
        state_batch = ()
    else:
        x = torch.randn(batch, steps, input_size) if batch_first else torch.randn(steps, batch, input_size)
        state_batch = (batch,)
    tensors = {"state." + k: v.detach().clone() for k, v in m.state_dict().items()}
    tensors["input"] = x.clone()
    meta = {"module": type(m).__name__, "mode": "LSTM" if is_lstm else mode, "input_size": str(input_size),
            "hidden_size": str(hidden), "num_layers": str(layers), "bias": flag(bias),
            "batch_first": flag(batch_first), "dropout": "0.0", "bidirectional": flag(bidir),
            "proj_size": str(proj), "input_kind": kind, "h0": row["h0"], "init_seed": str(seed)}
    if mode in ("RNN_TANH", "RNN_RELU"):
        meta["nonlinearity"] = "tanh" if mode == "RNN_TANH" else "relu"
    hx = None
    args_text = "input"
    states = []
    if give_h0:
        h0 = torch.randn(d * layers, *state_batch, h_out)
        tensors["h0"] = h0.clone()
        states.append(("h0", h0.requires_grad_()))
        if is_lstm:
            c0 = torch.randn(d * layers, *state_batch, hidden)
            tensors["c0"] = c0.clone()
            states.append(("c0", c0.requires_grad_()))
            hx = (h0, c0)
            args_text += ", (h0, c0)"
        else:
            hx = h0
            args_text += ", h0"
    if packed:
        if kind == "packed_sorted":
            lengths, enforce = [steps, steps - 1, 2], True
        elif kind == "packed_unsorted":
            lengths, enforce = [2, steps, steps - 1], False
        else:
            lengths, enforce = [steps, steps, steps], True
        tensors["lengths"] = torch.tensor(lengths, dtype=torch.int64)
        meta["enforce_sorted"] = flag(enforce)
        x.requires_grad_()
        module_input = pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=enforce)
        leaf = module_input.data
        leaf.retain_grad()
        args_text = args_text.replace("input", "pack_padded_sequence(input, lengths=%r, batch_first=%r,"
                                               " enforce_sorted=%r)" % (lengths, batch_first, enforce), 1)
    else:
        leaf = x.requires_grad_()
        module_input = leaf
    out, hn = m(module_input, hx) if hx is not None else m(module_input)
    out_rows = out.data if packed else out
    h_n, c_n = hn if is_lstm else (hn, None)
    terms = {"all": ["output", "h_n", "c_n"], "output": ["output"], "states": ["h_n", "c_n"]}[loss_kind]
    if not is_lstm:
        terms = [t for t in terms if t != "c_n"]
    if kind == "packed_unsorted":
        terms = ["padded_output" if t == "output" else t for t in terms]
    padded_output = pad_packed_sequence(out, batch_first=batch_first)[0] if packed else None
    loss = 0
    for term, value in (("output", out_rows), ("padded_output", padded_output), ("h_n", h_n), ("c_n", c_n)):
        if term in terms:
            g = torch.randn(value.shape)
            tensors["upstream." + term] = g
            loss = loss + (value * g).sum()
    loss.backward()
    meta["loss_terms"] = ",".join(terms)
    tensors["expected.output"] = out_rows.detach()
    tensors["expected.h_n"] = h_n.detach()
    if is_lstm:
        tensors["expected.c_n"] = c_n.detach()
    for k, v in m.named_parameters():
        tensors["grad." + k] = v.grad.detach().clone()
    tensors["grad.input"] = leaf.grad.detach().clone()
    if packed:
        tensors["grad.padded_input"] = x.grad.detach().clone()
    for k, v in states:
        tensors["grad." + k] = v.grad.detach().clone()
    meta["torch_call"] = ("%s.train()(%s) then (%s).backward()"
                          % (call, args_text, " + ".join("(%s * upstream.%s).sum()" % (t, t) for t in terms)))
    save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(OUT, name + ".safetensors"), meta)


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".safetensors"):
            os.remove(os.path.join(OUT, f))
    rows = pairwise_rows()
    seed = 5000
    for mode in MODES:
        for i, row in enumerate(rows):
            hidden = 3 + (i % 4)
            input_size = 4 + (i % 2)
            steps = 3 + (i % 3)
            batch = 1 + (i % 3)
            loss_kind = LOSS_TERMS[(i + MODES.index(mode)) % len(LOSS_TERMS)]
            name = "%s_%02d_l%d_%s_%s_%s_%s_h0%s_loss%s" % (
                mode.lower(), i, row["num_layers"], "bidir" if row["bidirectional"] else "uni",
                "bf" if row["batch_first"] else "tm", "bias" if row["bias"] else "nobias", row["input"],
                "given" if row["h0"] == "given" else "omitted", loss_kind)
            fixture(name, seed, mode, row, input_size, hidden, steps, batch, loss_kind)
            seed += 1
    print("covering design: %d option rows x %d modes" % (len(rows), len(MODES)))


if __name__ == "__main__":
    main()
