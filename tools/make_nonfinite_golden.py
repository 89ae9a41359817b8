"""Golden fixtures for NaN and Inf propagation: torch 1.13 (CPU, float32) modules and losses fed inputs that hold
NaN, +Inf and -Inf, so jrnn can check it propagates them as PyTorch does (same NaN and Inf positions, the finite
values within the usual tolerance) and never crashes.

One safetensors file per case in nn/src/test/resources/golden/nonfinite/<case>.safetensors holding
    module.<name>   the module's state dict (modules only)
    input           the input, with NaN / +Inf / -Inf at the positions the case names
    h0, c0          initial states (only where the case gives them)
    lengths         I64 sequence lengths (packed cases: non-finite values sit in the padding past each length)
    target          loss target: I64 class indices or F32 values
    output, h_n, c_n   torch's results (modules; for packed cases the padded output of pad_packed_sequence)
    loss            torch's loss (losses)
and __metadata__ with case = the case name and kind = the torch.nn class.

Run: /usr/bin/python3 tools/make_nonfinite_golden.py   (writes the files; deterministic, seeded)
"""

import os
import sys
import zlib

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "golden",
                   "nonfinite")
NAN, INF = float("nan"), float("inf")


def write(case, kind, tensors):
    os.makedirs(OUT, exist_ok=True)
    save_file({k: v.detach().contiguous() for k, v in tensors.items()}, os.path.join(OUT, case + ".safetensors"),
              metadata={"case": case, "kind": kind})


def poisoned(*shape):
    """randn with NaN, +Inf and -Inf in separate places (first element, middle, last)."""
    x = torch.randn(*shape)
    flat = x.view(-1)
    flat[0] = NAN
    flat[flat.numel() // 2] = INF
    flat[-1] = -INF
    return x


def state(module):
    return {"module." + k: v for k, v in module.state_dict().items()}


def recurrent(case, module, kind, with_state=False, lstm=False):
    torch.manual_seed(zlib.crc32(case.encode()))
    x = poisoned(5, 3, module.input_size)
    tensors = {"input": x, **state(module)}
    d = 2 if module.bidirectional else 1
    h_out = module.proj_size if getattr(module, "proj_size", 0) else module.hidden_size
    if with_state:
        h0 = torch.randn(d * module.num_layers, 3, h_out)
        h0[0, 1, 0] = NAN
        tensors["h0"] = h0
        if lstm:
            c0 = torch.randn(d * module.num_layers, 3, module.hidden_size)
            c0[-1, 2, -1] = INF
            tensors["c0"] = c0
            out, (hn, cn) = module(x, (h0, c0))
        else:
            out, hn = module(x, h0)
    else:
        out, hn = module(x)
        if lstm:
            hn, cn = hn
    tensors.update(output=out, h_n=hn)
    if lstm:
        tensors["c_n"] = cn
    write(case, kind, tensors)


def packed(case, module, kind, lstm=False):
    """Non-finite values only in the padding: they must not reach any output."""
    torch.manual_seed(7)
    x = torch.randn(5, 3, module.input_size)
    lengths = torch.tensor([5, 3, 2])
    x[3:, 1] = NAN
    x[2:, 2] = INF
    out, hn = module(pack_padded_sequence(x, lengths, enforce_sorted=True))
    padded, _ = pad_packed_sequence(out, total_length=5)
    tensors = {"input": x, "lengths": lengths, "output": padded, **state(module)}
    if lstm:
        hn, cn = hn
        tensors["c_n"] = cn
    tensors["h_n"] = hn
    write(case, kind, tensors)


def cell(case, module, kind, lstm=False):
    torch.manual_seed(11)
    x = poisoned(4, module.input_size)
    tensors = {"input": x, **state(module)}
    if lstm:
        h, c = module(x)
        tensors.update(h_n=h, c_n=c)
    else:
        tensors["h_n"] = module(x)
    write(case, kind, tensors)


def classification(case, fn, kind, log_probs=False):
    torch.manual_seed(13)
    x = torch.randn(6, 4)
    if log_probs:
        x = torch.log_softmax(x, dim=1)
    x[0, 1] = NAN            # NaN logit: the row's loss is NaN whatever the target
    x[1, 2] = INF            # +Inf on the target class
    x[2, 0] = INF            # +Inf on another class
    x[3, 3] = -INF           # -Inf on the target class
    x[4, 1] = -INF           # -Inf on another class
    target = torch.tensor([1, 2, 1, 3, 0, 2])
    write(case, kind, {"input": x, "target": target, "loss": fn(x, target)})


def main():
    torch.manual_seed(0)
    recurrent("rnn_tanh", nn.RNN(3, 4, num_layers=2), "RNN")
    recurrent("rnn_relu_state", nn.RNN(3, 4, nonlinearity="relu"), "RNN", with_state=True)
    recurrent("gru_bidirectional", nn.GRU(3, 4, bidirectional=True), "GRU")
    recurrent("gru_state", nn.GRU(3, 4, num_layers=2), "GRU", with_state=True)
    recurrent("lstm", nn.LSTM(3, 4), "LSTM", lstm=True)
    recurrent("lstm_proj_bidirectional_state", nn.LSTM(3, 5, num_layers=2, bidirectional=True, proj_size=2), "LSTM",
              with_state=True, lstm=True)
    packed("gru_packed_padding", nn.GRU(3, 4), "GRU")
    packed("lstm_packed_padding", nn.LSTM(3, 4, bidirectional=True), "LSTM", lstm=True)
    cell("rnn_cell", nn.RNNCell(3, 4), "RNNCell")
    cell("gru_cell", nn.GRUCell(3, 4), "GRUCell")
    cell("lstm_cell", nn.LSTMCell(3, 4), "LSTMCell", lstm=True)
    linear = nn.Linear(3, 4)
    x = poisoned(2, 3)
    write("linear", "Linear", {"input": x, "output": linear(x), **state(linear)})
    emb = nn.Embedding(5, 3)
    with torch.no_grad():
        emb.weight[1, 0] = NAN
        emb.weight[3, 2] = -INF
    idx = torch.tensor([3, 1, 0, 1])
    write("embedding", "Embedding", {"input": idx, "output": emb(idx), **state(emb)})
    for reduction in ("none", "mean", "sum"):
        classification("cross_entropy_" + reduction, nn.CrossEntropyLoss(reduction=reduction), "CrossEntropyLoss")
        classification("nll_" + reduction, nn.NLLLoss(reduction=reduction), "NLLLoss", log_probs=True)
        x = poisoned(3, 4)
        y = torch.randn(3, 4)
        y[1, 1] = INF
        y[2, 3] = -INF   # against -Inf input at [2, 3]: (-Inf) - (-Inf) = NaN
        write("mse_" + reduction, "MSELoss", {"input": x, "target": y, "loss": nn.MSELoss(reduction=reduction)(x, y)})


if __name__ == "__main__":
    main()
