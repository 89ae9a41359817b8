"""Golden repr strings: how torch 1.13 prints modules and float32 tensors (repr / print), for jrnn's toString.

Writes, under nn/src/test/resources/golden/repr/:
    modules.safetensors   no tensors; __metadata__ maps a case name to repr(module) for the module that
                          MODULES[case] builds (the expression is stored too, under "expr.<case>")
    tensors.safetensors   one F32 tensor per case and __metadata__ mapping the case name to repr(tensor); a case
                          whose name starts with "requires_grad." is printed as a leaf with requires_grad=True
The Java test (io.github.jrnn.nn.layers.ReprGoldenTest) builds the same modules and tensors and compares
toString() with these strings exactly.

Run: /usr/bin/python3 tools/make_repr_golden.py
"""

import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "golden",
                   "repr")


class Head(nn.Module):
    """A module with two children and no arguments of its own."""

    def __init__(self):
        super().__init__()
        self.dropout = nn.Dropout(0.1)
        self.linear = nn.Linear(4, 2)


class Tagger(nn.Module):
    """Children nested two levels deep."""

    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(10, 3, padding_idx=0)
        self.rnn = nn.LSTM(3, 4, num_layers=2, dropout=0.25, bidirectional=True)
        self.head = Head()


class Empty(nn.Module):
    pass


MODULES = {
    "gru_2layer_bidir": "nn.GRU(5, 4, num_layers=2, bidirectional=True)",
    "gru_defaults": "nn.GRU(5, 4)",
    "lstm_batch_first_proj": "nn.LSTM(10, 20, batch_first=True, proj_size=5)",
    "lstm_everything": "nn.LSTM(3, 6, num_layers=3, bias=False, batch_first=True, dropout=0.5, bidirectional=True, "
                       "proj_size=2)",
    "rnn_relu_no_bias_dropout": "nn.RNN(3, 4, num_layers=3, nonlinearity='relu', bias=False, dropout=0.25)",
    "rnn_tiny_dropout": "nn.RNN(3, 4, num_layers=2, dropout=1e-05)",
    "rnncell": "nn.RNNCell(5, 4)",
    "rnncell_relu_no_bias": "nn.RNNCell(5, 4, bias=False, nonlinearity='relu')",
    "grucell": "nn.GRUCell(5, 4)",
    "lstmcell_no_bias": "nn.LSTMCell(5, 4, bias=False)",
    "linear": "nn.Linear(3, 4)",
    "linear_no_bias": "nn.Linear(3, 4, bias=False)",
    "embedding": "nn.Embedding(10, 3)",
    "embedding_padding": "nn.Embedding(10, 3, padding_idx=0)",
    "embedding_negative_padding": "nn.Embedding(10, 3, padding_idx=-1)",
    "dropout": "nn.Dropout(p=0.5)",
    "dropout_small": "nn.Dropout(p=0.1)",
    "nested": "Tagger()",
    "children_only": "Head()",
    "empty": "Empty()",
}


def tensor_cases():
    g = torch.Generator().manual_seed(1234)

    def randn(*shape, scale=1.0):
        return torch.randn(*shape, generator=g) * scale

    return {
        "scalar": torch.tensor(3.5),
        "scalar_negative_fixed": torch.tensor(-0.123456),
        "int_mode": torch.tensor([1.0, 2.0, -3.0]),
        "int_mode_sci": torch.tensor([1.0, 5000.0]),
        "int_mode_big": torch.tensor([1e9, 1.0]),
        "fixed": torch.tensor([0.1, -2.0]),
        "fixed_matrix": randn(3, 4),
        "sci_small": torch.tensor([1e-5, 1.0]),
        "sci_ratio": torch.tensor([0.5, 2000.0, -3.25]),
        "nonfinite_int": torch.tensor([float("nan"), float("inf"), -float("inf"), 1.0]),
        "nonfinite_fixed": torch.tensor([float("nan"), 0.5, -float("inf")]),
        "only_nonfinite": torch.tensor([float("nan"), float("inf")]),
        "zeros": torch.zeros(2, 3),
        "signed_zeros": torch.tensor([-0.0, 0.0, 1.5]),
        "half_even_ties": torch.tensor([0.03125, -0.09375, 1.65625, 0.40625]),
        "rounds_to_zero": torch.tensor([-0.00004, 0.25]),
        "wraps_at_80": randn(30),
        "wraps_sci": randn(25, scale=1e6),
        "three_d": randn(2, 3, 4),
        "four_d": randn(2, 2, 2, 2),
        "empty_1d": torch.zeros(0),
        "empty_2d": torch.zeros(0, 3),
        "at_threshold": randn(1000),
        "summarized_1d": randn(1001),
        "summarized_2d": randn(40, 30),
        "summarized_3d": randn(11, 10, 10),
        "summarized_rows_only": randn(600, 2),
        "summarized_int": torch.arange(2000.0),
        "requires_grad.vector": torch.tensor([1.0, 2.0]),
        "requires_grad.suffix_wraps": randn(7, scale=10.0),
        "requires_grad.scalar": torch.tensor(-1.25),
        "requires_grad.empty": torch.zeros(0, 3),
        "requires_grad.matrix": randn(2, 3),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    modules = {}
    for case, expr in MODULES.items():
        modules[case] = repr(eval(expr))
        modules["expr." + case] = expr
    modules["producer"] = "tools/make_repr_golden.py"
    modules["torch"] = torch.__version__
    save_file({}, os.path.join(OUT, "modules.safetensors"), metadata=modules)

    tensors = tensor_cases()
    reprs = {}
    for case, t in tensors.items():
        shown = t.clone().requires_grad_(True) if case.startswith("requires_grad.") else t
        reprs[case] = repr(shown)
    reprs["producer"] = "tools/make_repr_golden.py"
    reprs["torch"] = torch.__version__
    save_file(tensors, os.path.join(OUT, "tensors.safetensors"), metadata=reprs)
    print("wrote %d module and %d tensor reprs to %s" % (len(MODULES), len(tensors), os.path.relpath(OUT)))


if __name__ == "__main__":
    main()
