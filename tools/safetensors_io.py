"""Minimal reader/writer of the safetensors format, using only the standard library and torch.

Debian's torch 1.13 ships without the ``safetensors`` package, so jrnn's tools use this instead. The format
(https://huggingface.co/docs/safetensors) is:

    8 bytes   N, the header length, unsigned little-endian
    N bytes   UTF-8 JSON object: {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
              "__metadata__": {"key": "value", ...}}   (optional metadata, string -> string only)
              padded with spaces so that 8 + N is a multiple of 8
    rest      the data section: each tensor's elements, row-major, little-endian, at [begin, end) relative to the
              start of the data section; tensors are stored back to back in header order without gaps

Usage:
    from safetensors_io import save_file, load_file
    save_file({"weight": torch.randn(3, 4)}, "w.safetensors", metadata={"module": "Linear"})
    tensors, metadata = load_file("w.safetensors")

Supported dtypes: F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL.
"""

import json
import os
import struct
import sys

import torch

_DTYPES = {
    "F32": torch.float32,
    "F64": torch.float64,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I64": torch.int64,
    "I32": torch.int32,
    "I16": torch.int16,
    "I8": torch.int8,
    "U8": torch.uint8,
    "BOOL": torch.bool,
}
_NAMES = {dtype: name for name, dtype in _DTYPES.items()}

if sys.byteorder != "little":
    # Tensor bytes are written as they lie in memory; the format is little-endian.
    raise ImportError("safetensors_io needs a little-endian machine")


def _tensor_bytes(t):
    flat = t.detach().contiguous().reshape(-1)
    return flat.view(torch.uint8).numpy().tobytes()


def encode(tensors, metadata=None):
    """The safetensors encoding of ``tensors`` (a dict name -> torch.Tensor, kept in its order) as bytes."""
    header = {}
    if metadata is not None:
        for k, v in metadata.items():
            if not isinstance(k, str) or not isinstance(v, str):
                raise TypeError("metadata must map str to str, got %r: %r" % (k, v))
        header["__metadata__"] = dict(metadata)
    chunks = []
    offset = 0
    for name, t in tensors.items():
        if name == "__metadata__":
            raise ValueError("'__metadata__' is reserved and cannot name a tensor")
        if t.dtype not in _NAMES:
            raise TypeError("tensor %r has unsupported dtype %s" % (name, t.dtype))
        data = _tensor_bytes(t)
        header[name] = {
            "dtype": _NAMES[t.dtype],
            "shape": list(t.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def save_file(tensors, path, metadata=None):
    """Writes ``tensors`` (dict name -> torch.Tensor) and optional string metadata to ``path``."""
    blob = encode(tensors, metadata)
    tmp = "%s.tmp%d" % (path, os.getpid())
    with open(tmp, "wb") as f:
        f.write(blob)
    os.replace(tmp, path)


def decode(blob):
    """Parses safetensors bytes into (dict name -> torch.Tensor in file order, metadata dict or {})."""
    if len(blob) < 8:
        raise ValueError("file is shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", blob[:8])
    if 8 + n > len(blob):
        raise ValueError("header length %d exceeds file size %d" % (n, len(blob)))
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    if not isinstance(header, dict):
        raise ValueError("header is not a JSON object")
    metadata = header.pop("__metadata__", {}) or {}
    data = blob[8 + n:]
    tensors = {}
    ranges = []
    for name, info in header.items():
        dtype = _DTYPES[info["dtype"]]
        shape = [int(d) for d in info["shape"]]
        begin, end = info["data_offsets"]
        count = 1
        for d in shape:
            count *= d
        itemsize = torch.tensor([], dtype=dtype).element_size()
        if end < begin or end > len(data) or end - begin != count * itemsize:
            raise ValueError("tensor %r: data_offsets %r do not fit shape %r of %s in %d data bytes"
                             % (name, info["data_offsets"], shape, info["dtype"], len(data)))
        ranges.append((begin, end, name))
        if count == 0:
            tensors[name] = torch.empty(shape, dtype=dtype)
        else:
            raw = bytearray(data[begin:end])
            tensors[name] = torch.frombuffer(raw, dtype=torch.uint8).view(dtype).reshape(shape).clone()
    # The ranges, in offset order (which need not be header order), must tile the data section exactly.
    expected = 0
    for begin, end, name in sorted(ranges):
        if begin != expected:
            raise ValueError("tensor %r starts at %d, expected %d (gap or overlap)" % (name, begin, expected))
        expected = end
    if expected != len(data):
        raise ValueError("%d trailing bytes after the last tensor" % (len(data) - expected))
    return tensors, metadata


def load_file(path):
    """Reads a safetensors file: returns (dict name -> torch.Tensor in file order, metadata dict or {})."""
    with open(path, "rb") as f:
        return decode(f.read())


if __name__ == "__main__":
    # Self-check: every dtype survives a round trip bit for bit.
    sample = {
        "f32": torch.tensor([[1.5, -2.25], [3.0, 0.1]], dtype=torch.float32),
        "f64": torch.tensor([0.1, -1e300], dtype=torch.float64),
        "f16": torch.tensor([0.5, -65504.0], dtype=torch.float16),
        "bf16": torch.tensor([1.0, -3.0e38], dtype=torch.bfloat16),
        "i64": torch.tensor([1, -(2 ** 62)], dtype=torch.int64),
        "i32": torch.tensor([7, -8], dtype=torch.int32),
        "i16": torch.tensor([-32768, 32767], dtype=torch.int16),
        "i8": torch.tensor([-128, 127], dtype=torch.int8),
        "u8": torch.tensor([0, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False]),
        "scalar": torch.tensor(4.0),
        "empty": torch.zeros(0, 3),
    }
    blob = encode(sample, {"k": "v"})
    back, meta = decode(blob)
    assert meta == {"k": "v"}, meta
    assert list(back) == list(sample)
    for key, value in sample.items():
        assert back[key].dtype == value.dtype and back[key].shape == value.shape, key
        assert torch.equal(back[key], value), key
    print("safetensors_io self-check passed")
