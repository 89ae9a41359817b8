#!/usr/bin/env python3
"""Golden fixtures for jrnn's recurrent modules, computed by torch 1.13 on CPU.

Run from the repository root with the system Python that has torch:

    /usr/bin/python3 tools/make_recurrent_golden.py

Each fixture is one safetensors file in nn/src/test/resources/golden/recurrent/ holding

    state.<name>            the module's state_dict (torch.nn.LSTM(...).state_dict() etc.)
    input                   the padded (or unbatched) input tensor
    lengths                 (I64) packed fixtures: the lengths given to pack_padded_sequence
    h0, c0                  the initial states when the fixture passes them (in the caller's batch order)
    expected.output         torch's output: the padded output tensor, or for packed input the PackedSequence's data
    expected.h_n, .c_n      torch's final states
    expected.batch_sizes    (I64) packed: the output's batch_sizes
    expected.sorted_indices (I64) packed with enforce_sorted=False: the output's sorted_indices
    expected.padded_output  packed: pad_packed_sequence(output, batch_first)[0]
    cells: expected.h, expected.c (torch.nn.RNNCell/GRUCell/LSTMCell(...)(input, hx))

and in __metadata__ init_seed (the state_dict is the module's initialisation right after
torch.manual_seed(init_seed), so it also pins the initialisation order bit for bit), the constructor arguments under PyTorch's names (module, mode, input_size, hidden_size,
num_layers, bias, batch_first, dropout, bidirectional, proj_size, nonlinearity; booleans as "true"/"false"), how
the module was called (input_kind, enforce_sorted, h0) and the literal torch call (torch_call). Modules run in
eval mode, so a fixture's dropout value must have no effect.

Covering design (the full cartesian product would be 5 x 240 sequence fixtures): for each of the five modes
RNN_TANH, RNN_RELU, GRU, LSTM and LSTM with proj_size, a greedy pairwise covering array over the options
num_layers {1, 2, 3} x bidirectional {F, T} x batch_first {F, T} x bias {T, F} x input {batched, unbatched,
packed_sorted, packed_unsorted, packed_equal} x h0 {given, omitted}: every pair of option values appears together
with every mode at least once (so in particular every option value appears with every mode). Sizes cycle through
hidden 3..7, input 5, sequence length 4..6, batch 1..3 (packed: 3), none a multiple of the 16-float vector width;
one extra "wide" fixture per mode (input 19, hidden 17, 2 layers, bidirectional) crosses one vector width. The cells
are the full product {RNNCell tanh, RNNCell relu, GRUCell, LSTMCell} x {batched, unbatched} x bias {T, F} x
hx {given, omitted}, plus a wide fixture per cell.
"""

import itertools
import os
import sys

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join("nn", "src", "test", "resources", "golden", "recurrent")

MODES = ["RNN_TANH", "RNN_RELU", "GRU", "LSTM", "LSTM_PROJ"]
OPTIONS = [
    ("num_layers", [1, 2, 3]),
    ("bidirectional", [False, True]),
    ("batch_first", [False, True]),
    ("bias", [True, False]),
    ("input", ["batched", "unbatched", "packed_sorted", "packed_unsorted", "packed_equal"]),
    ("h0", ["given", "omitted"]),
]


def pairwise_rows():
    """A greedy pairwise covering array over OPTIONS (deterministic: ties go to the first candidate)."""
    names = [n for n, _ in OPTIONS]
    values = [v for _, v in OPTIONS]
    uncovered = set()
    for i, j in itertools.combinations(range(len(names)), 2):
        for a in values[i]:
            for b in values[j]:
                uncovered.add((i, a, j, b))
    candidates = list(itertools.product(*values))
    rows = []
    while uncovered:
        best, best_gain = None, -1
        for cand in candidates:
            gain = sum(1 for i, j in itertools.combinations(range(len(names)), 2)
                       if (i, cand[i], j, cand[j]) in uncovered)
            if gain > best_gain:
                best, best_gain = cand, gain
        rows.append(dict(zip(names, best)))
        for i, j in itertools.combinations(range(len(names)), 2):
            uncovered.discard((i, best[i], j, best[j]))
    return rows


def flag(b):
    return "true" if b else "false"


def module_for(mode, input_size, hidden, layers, bias, batch_first, dropout, bidirectional, proj):
    kwargs = dict(num_layers=layers, bias=bias, batch_first=batch_first, dropout=dropout,
                  bidirectional=bidirectional)
    if mode in ("RNN_TANH", "RNN_RELU"):
        kwargs["nonlinearity"] = "tanh" if mode == "RNN_TANH" else "relu"
        cls = nn.RNN
    elif mode == "GRU":
        cls = nn.GRU
    else:
        cls = nn.LSTM
        kwargs["proj_size"] = proj
    call = "torch.nn.%s(%d, %d, %s)" % (cls.__name__, input_size, hidden,
                                        ", ".join("%s=%r" % kv for kv in kwargs.items()))
    return cls(input_size, hidden, **kwargs), call


def sequence_fixture(name, seed, mode, row, input_size, hidden, steps, batch):
    torch.manual_seed(seed)
    layers, bidir, batch_first, bias = row["num_layers"], row["bidirectional"], row["batch_first"], row["bias"]
    kind, give_h0 = row["input"], row["h0"] == "given"
    proj = max(1, hidden // 2) if mode == "LSTM_PROJ" else 0
    dropout = 0.25 if layers > 1 else 0.0
    m, call = module_for(mode, input_size, hidden, layers, bias, batch_first, dropout, bidir, proj)
    m.eval()
    is_lstm = mode.startswith("LSTM")
    d = 2 if bidir else 1
    h_out = proj if proj > 0 else hidden
    packed = kind.startswith("packed")
    if kind == "unbatched":
        x = torch.randn(steps, input_size)
        state_batch = ()
    else:
        if packed:
            batch = 3
        x = torch.randn(batch, steps, input_size) if batch_first else torch.randn(steps, batch, input_size)
        state_batch = (batch,)
    tensors = {"state." + k: v.detach().clone() for k, v in m.state_dict().items()}
    tensors["input"] = x
    args_text = "input"
    hx = None
    if give_h0:
        h0 = torch.randn(d * layers, *state_batch, h_out)
        tensors["h0"] = h0
        if is_lstm:
            c0 = torch.randn(d * layers, *state_batch, hidden)
            tensors["c0"] = c0
            hx = (h0, c0)
            args_text += ", (h0, c0)"
        else:
            hx = h0
            args_text += ", h0"
    meta = {"module": type(m).__name__, "mode": "LSTM" if is_lstm else mode, "input_size": str(input_size),
            "hidden_size": str(hidden), "num_layers": str(layers), "bias": flag(bias),
            "batch_first": flag(batch_first), "dropout": repr(dropout), "bidirectional": flag(bidir),
            "proj_size": str(proj), "input_kind": kind, "h0": row["h0"], "init_seed": str(seed)}
    if mode in ("RNN_TANH", "RNN_RELU"):
        meta["nonlinearity"] = "tanh" if mode == "RNN_TANH" else "relu"
    with torch.no_grad():
        if packed:
            if kind == "packed_sorted":
                lengths = [steps, steps - 1, 2]
                enforce = True
            elif kind == "packed_unsorted":
                lengths = [2, steps, steps - 1]
                enforce = False
            else:
                lengths = [steps, steps, steps]
                enforce = True
            tensors["lengths"] = torch.tensor(lengths, dtype=torch.int64)
            meta["enforce_sorted"] = flag(enforce)
            p = pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=enforce)
            out, hn = m(p, hx) if hx is not None else m(p)
            tensors["expected.output"] = out.data
            tensors["expected.batch_sizes"] = out.batch_sizes.to(torch.int64)
            if out.sorted_indices is not None:
                tensors["expected.sorted_indices"] = out.sorted_indices.to(torch.int64)
            tensors["expected.padded_output"] = pad_packed_sequence(out, batch_first=batch_first)[0]
            args_text = args_text.replace("input", "pack_padded_sequence(input, lengths=%r, batch_first=%r,"
                                                   " enforce_sorted=%r)" % (lengths, batch_first, enforce), 1)
        else:
            out, hn = m(x, hx) if hx is not None else m(x)
            tensors["expected.output"] = out
    if is_lstm:
        tensors["expected.h_n"], tensors["expected.c_n"] = hn
    else:
        tensors["expected.h_n"] = hn
    meta["torch_call"] = call + ".eval()(" + args_text + ")"
    save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(OUT, name + ".safetensors"), meta)


def cell_fixture(name, seed, kind, batched, bias, give_hx, input_size, hidden, batch):
    torch.manual_seed(seed)
    if kind in ("RNNCell_tanh", "RNNCell_relu"):
        nonlin = kind.split("_")[1]
        m = nn.RNNCell(input_size, hidden, bias=bias, nonlinearity=nonlin)
        call = "torch.nn.RNNCell(%d, %d, bias=%r, nonlinearity=%r)" % (input_size, hidden, bias, nonlin)
    elif kind == "GRUCell":
        m = nn.GRUCell(input_size, hidden, bias=bias)
        call = "torch.nn.GRUCell(%d, %d, bias=%r)" % (input_size, hidden, bias)
    else:
        m = nn.LSTMCell(input_size, hidden, bias=bias)
        call = "torch.nn.LSTMCell(%d, %d, bias=%r)" % (input_size, hidden, bias)
    shape = (batch,) if batched else ()
    x = torch.randn(*shape, input_size)
    tensors = {"state." + k: v.detach().clone() for k, v in m.state_dict().items()}
    tensors["input"] = x
    meta = {"module": type(m).__name__, "input_size": str(input_size), "hidden_size": str(hidden),
            "bias": flag(bias), "h0": "given" if give_hx else "omitted", "init_seed": str(seed)}
    if type(m) is nn.RNNCell:
        meta["nonlinearity"] = nonlin
    is_lstm = type(m) is nn.LSTMCell
    with torch.no_grad():
        if give_hx:
            hx = torch.randn(*shape, hidden)
            tensors["hx"] = hx
            if is_lstm:
                cx = torch.randn(*shape, hidden)
                tensors["cx"] = cx
                h, c = m(x, (hx, cx))
                args = "input, (hx, cx)"
            else:
                h = m(x, hx)
                args = "input, hx"
        else:
            args = "input"
            if is_lstm:
                h, c = m(x)
            else:
                h = m(x)
    tensors["expected.h"] = h
    if is_lstm:
        tensors["expected.c"] = c
    meta["torch_call"] = call + "(" + args + ")"
    save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(OUT, name + ".safetensors"), meta)


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".safetensors"):
            os.remove(os.path.join(OUT, f))
    rows = pairwise_rows()
    seed = 1000
    for mode in MODES:
        for i, row in enumerate(rows):
            hidden = 3 + (i % 5)
            steps = 4 + (i % 3)
            batch = 1 + (i % 3)
            name = "%s_%02d_l%d_%s_%s_%s_%s_h0%s" % (
                mode.lower(), i, row["num_layers"], "bidir" if row["bidirectional"] else "uni",
                "bf" if row["batch_first"] else "tm", "bias" if row["bias"] else "nobias", row["input"],
                "given" if row["h0"] == "given" else "omitted")
            sequence_fixture(name, seed, mode, row, 5, hidden, steps, batch)
            seed += 1
        wide = {"num_layers": 2, "bidirectional": True, "batch_first": False, "bias": True,
                "input": "packed_unsorted", "h0": "given"}
        sequence_fixture("%s_wide_in19_h17_l2_bidir_packed_unsorted_h0given" % mode.lower(), seed, mode, wide,
                         19, 17, 5, 3)
        seed += 1
    for kind in ["RNNCell_tanh", "RNNCell_relu", "GRUCell", "LSTMCell"]:
        for batched, bias, give_hx in itertools.product([True, False], [True, False], [True, False]):
            name = "cell_%s_%s_%s_hx%s" % (kind.lower(), "batched" if batched else "unbatched",
                                           "bias" if bias else "nobias", "given" if give_hx else "omitted")
            cell_fixture(name, seed, kind, batched, bias, give_hx, 5, 3 + seed % 5, 2 + seed % 2)
            seed += 1
        cell_fixture("cell_%s_wide_in19_h17_batched_hxgiven" % kind.lower(), seed, kind, True, True, True, 19, 17, 3)
        seed += 1
    print("covering design: %d option rows per mode" % len(rows))


if __name__ == "__main__":
    main()
