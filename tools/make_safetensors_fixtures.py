"""Writes the safetensors fixtures the Java checkpoint tests read (nn/src/test/resources/checkpoint/).

    python3 tools/make_safetensors_fixtures.py

torch_dtypes.safetensors
    One tensor of every dtype jrnn reads (F32, F64, F16, BF16, I64, I32, U8, BOOL), a 0-dim and an empty tensor,
    and metadata with a non-ASCII value, written by tools/safetensors_io.py from torch tensors.
torch_dtypes.expected.txt
    What those tensors hold according to torch, one line per tensor in file order:
        <name> <dtype> <shape, comma separated, '-' for 0-dim> <kind> <values...>
    kind 'f32bits': the float32 bit patterns (hex) of torch's `t.to(torch.float32)` (F64 rounds, F16/BF16 exact);
    kind 'int': the values as decimal integers (`t.to(torch.int64).tolist()`).
    Followed by 'meta <key> <value>' lines (value is the rest of the line).
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "checkpoint")


def tensors():
    g = torch.Generator().manual_seed(20240611)
    return {
        "f32": torch.randn(2, 3, generator=g),
        # Values that are not floats: the reader must round them to nearest like torch's .float().
        "f64": torch.tensor([[0.1, -1.0 / 3.0], [1e-40, 3.4e38], [2.0 ** -150, 123456789.123]], dtype=torch.float64),
        "f16": torch.tensor([0.5, -65504.0, 6.1e-5, 5.96e-8, float("inf"), -0.0], dtype=torch.float16),
        "bf16": torch.tensor([[1.0, -3.0e38], [1.17e-38, 0.333]], dtype=torch.bfloat16),
        "i64": torch.tensor([5, 3, -(2 ** 62), 2 ** 63 - 1], dtype=torch.int64),
        "i32": torch.tensor([[7, -8], [2 ** 31 - 1, -(2 ** 31)]], dtype=torch.int32),
        "u8": torch.tensor([0, 1, 128, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "scalar": torch.tensor(-2.5),
        "empty": torch.zeros(0, 3),
    }


METADATA = {"module": "GRU", "hidden_size": "3", "note": "gr\u00fc\u00dfe \u2713"}

_DTYPE_NAMES = {
    torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8", torch.bool: "BOOL",
}


def describe(name, t):
    shape = ",".join(str(d) for d in t.shape) if t.dim() > 0 else "-"
    if t.is_floating_point():
        bits = t.to(torch.float32).reshape(-1).view(torch.int32).tolist()
        values = ["%08x" % (b & 0xFFFFFFFF) for b in bits]
        kind = "f32bits"
    else:
        values = [str(v) for v in t.to(torch.int64).reshape(-1).tolist()]
        kind = "int"
    return " ".join([name, _DTYPE_NAMES[t.dtype], shape, kind] + values)


def main():
    os.makedirs(OUT, exist_ok=True)
    ts = tensors()
    save_file(ts, os.path.join(OUT, "torch_dtypes.safetensors"), metadata=METADATA)
    with open(os.path.join(OUT, "torch_dtypes.expected.txt"), "w", encoding="utf-8") as f:
        for name, t in ts.items():
            f.write(describe(name, t) + "\n")
        for key, value in METADATA.items():
            f.write("meta %s %s\n" % (key, value))
    print("wrote fixtures to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
