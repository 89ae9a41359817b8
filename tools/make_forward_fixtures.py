"""Writes the golden fixtures of `./jrnn forward` (nn/src/test/resources/forward/).

    python3 tools/make_forward_fixtures.py

For each case NAME there are three safetensors files:
    NAME.model.safetensors     the module, saved by tools/export_torch.py's export_module
    NAME.input.safetensors     `input`, and optionally `h_0`, `c_0` (F32) and `lengths` (I64)
    NAME.expected.safetensors  torch's results: `output`, `h_n`, `c_n` (LSTM) for sequence modules; `h_1`, `c_1`
                               (LSTMCell) for cells; `output` for Linear and Embedding

Sequence modules with `lengths` run on
    torch.nn.utils.rnn.pack_padded_sequence(input, lengths, batch_first=module.batch_first, enforce_sorted=False)
and their output is padded back with pad_packed_sequence(..., total_length=input.size(time dimension)), which is
what `./jrnn forward` does. Every module is in eval mode (dropout is inactive in forward).
"""

import os
import sys

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_torch import export_module  # noqa: E402
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "forward")


def run_sequence(m, inputs):
    x = inputs["input"]
    hx = None
    if "h_0" in inputs:
        hx = (inputs["h_0"], inputs["c_0"]) if isinstance(m, torch.nn.LSTM) else inputs["h_0"]
    if "lengths" in inputs:
        time_dim = 1 if m.batch_first else 0
        packed = pack_padded_sequence(x, inputs["lengths"], batch_first=m.batch_first, enforce_sorted=False)
        out, h = m(packed, hx)
        out, _ = pad_packed_sequence(out, batch_first=m.batch_first, total_length=x.size(time_dim))
    else:
        out, h = m(x, hx)
    if isinstance(m, torch.nn.LSTM):
        return {"output": out, "h_n": h[0], "c_n": h[1]}
    return {"output": out, "h_n": h}


def run_cell(m, inputs):
    x = inputs["input"]
    if isinstance(m, torch.nn.LSTMCell):
        hx = (inputs["h_0"], inputs["c_0"]) if "h_0" in inputs else None
        h, c = m(x, hx)
        return {"h_1": h, "c_1": c}
    return {"h_1": m(x, inputs.get("h_0"))}


def run_plain(m, inputs):
    return {"output": m(inputs["input"])}


def cases():
    g = torch.Generator().manual_seed(1234)

    def randn(*shape):
        return torch.randn(*shape, generator=g)

    L, N, H_IN, H = 6, 3, 5, 4
    yield ("gru_bidir_2layer", torch.nn.GRU(H_IN, H, num_layers=2, bidirectional=True), run_sequence,
           {"input": randn(L, N, H_IN), "h_0": randn(4, N, H)})
    yield ("lstm_batch_first_lengths", torch.nn.LSTM(H_IN, H, num_layers=2, batch_first=True), run_sequence,
           {"input": randn(N, L, H_IN), "h_0": randn(2, N, H), "c_0": randn(2, N, H),
            "lengths": torch.tensor([4, 6, 2], dtype=torch.int64)})
    yield ("lstm_proj_bidir_lengths", torch.nn.LSTM(H_IN, H, proj_size=3, bidirectional=True), run_sequence,
           {"input": randn(L, N, H_IN), "lengths": torch.tensor([2, 5, 5], dtype=torch.int64)})
    yield ("rnn_relu_batch_first_bidir", torch.nn.RNN(H_IN, H, nonlinearity="relu", bidirectional=True,
                                                      batch_first=True), run_sequence,
           {"input": randn(N, L, H_IN)})
    yield ("rnn_tanh_unbatched", torch.nn.RNN(H_IN, H, num_layers=2, bias=False), run_sequence,
           {"input": randn(L, H_IN), "h_0": randn(2, H)})
    yield ("gru_lengths_no_h0", torch.nn.GRU(H_IN, H), run_sequence,
           {"input": randn(L, N, H_IN), "lengths": torch.tensor([1, 6, 3], dtype=torch.int64)})
    yield ("rnncell", torch.nn.RNNCell(H_IN, H), run_cell, {"input": randn(N, H_IN)})
    yield ("grucell", torch.nn.GRUCell(H_IN, H), run_cell, {"input": randn(N, H_IN), "h_0": randn(N, H)})
    yield ("lstmcell_no_bias", torch.nn.LSTMCell(H_IN, H, bias=False), run_cell,
           {"input": randn(N, H_IN), "h_0": randn(N, H), "c_0": randn(N, H)})
    yield ("lstmcell_unbatched", torch.nn.LSTMCell(H_IN, H), run_cell, {"input": randn(H_IN)})
    yield ("linear", torch.nn.Linear(H_IN, 3), run_plain, {"input": randn(N, 2, H_IN)})
    yield ("embedding", torch.nn.Embedding(10, H, padding_idx=0), run_plain,
           {"input": torch.tensor([[0, 3, 9], [1, 1, 0]], dtype=torch.int64)})


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(99)  # module initialisation
    for name, module, run, inputs in cases():
        module.eval()
        with torch.no_grad():
            expected = run(module, inputs)
        export_module(module, os.path.join(OUT, name + ".model.safetensors"))
        save_file(inputs, os.path.join(OUT, name + ".input.safetensors"))
        save_file({k: v.contiguous() for k, v in expected.items()}, os.path.join(OUT, name + ".expected.safetensors"))
        print(name, {k: tuple(v.shape) for k, v in expected.items()})


if __name__ == "__main__":
    main()
