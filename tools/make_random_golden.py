#!/usr/bin/env python3
"""Golden fixtures for jrnn's PyTorch-compatible random generator (io.github.jrnn.nn.random).

Run with the interpreter that has torch 1.13 (CPU):  /usr/bin/python3 tools/make_random_golden.py
It writes nn/src/test/resources/golden/random/*.safetensors. Each file holds one tensor per recorded torch call.
A tensor's name says exactly what produced it:

    <case>@<seed>/<step>/<call>

meaning: torch.manual_seed(<seed>) once at the start of <case>, then the calls of that case in <step> order on the
default generator, where <call> is one of the call forms documented in CALLS below. The Java tests parse the
names, replay the calls on a jrnn Generator seeded the same way and compare bitwise.

The safetensors files are written by a small writer here (8-byte little-endian header length, JSON header with
dtype/shape/data_offsets per tensor, then the raw little-endian data), so the script needs nothing but torch.
"""
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "golden",
                   "random")

SEEDS = [0, 1, 42, 2**32 + 5, 0xDEADBEEFCAFEF00D]
SIZES = [1, 3, 15, 16, 17, 100, 1000]

# Call forms (the text after the step number) and the torch expression each stands for:
CALLS = {
    "uniform(n,from,to)": "torch.empty(n).uniform_(from, to)",
    "state()": "torch.get_rng_state()  (uint8, the 5056-byte CPU generator state)",
}


def run_call(call):
    """Evaluates one call form on the default generator and returns the resulting tensor."""
    name, args = call[:call.index("(")], call[call.index("(") + 1:-1]
    a = [x for x in args.split(",")] if args else []
    if name == "uniform":
        return torch.empty(int(a[0])).uniform_(float(a[1]), float(a[2]))
    if name == "state":
        return torch.get_rng_state()
    raise ValueError("unknown call " + call)


def record(cases):
    """cases: list of (case label, seed, [call, ...]). Returns {tensor name: tensor}."""
    tensors = {}
    for label, seed, calls in cases:
        torch.manual_seed(seed)
        for step, call in enumerate(calls):
            tensors["%s@%d/%03d/%s" % (label, seed, step, call)] = run_call(call).contiguous()
    return tensors


DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.uint8: "U8", torch.bool: "BOOL"}


def write_safetensors(path, tensors):
    header = {"__metadata__": {"producer": "tools/make_random_golden.py", "torch": torch.__version__}}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        data = t.numpy().tobytes()  # numpy arrays are little-endian on every machine torch supports
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * (-len(head) % 8)  # the format allows space padding; 8-byte alignment keeps the data aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    print("wrote %s (%d tensors, %d bytes)" % (os.path.relpath(path), len(tensors), 8 + len(head) + offset))


def uniform_cases():
    cases = []
    bounds = [(0.0, 1.0), (-0.3, 0.7), (-1 / 3 ** 0.5, 1 / 3 ** 0.5), (2.0, 100.0), (-1e-3, 5e-4)]
    for seed in SEEDS:
        calls = ["state()"]
        for n in SIZES:
            for lo, hi in bounds:
                calls.append("uniform(%d,%r,%r)" % (n, lo, hi))
        calls.append("state()")
        cases.append(("uniform", seed, calls))
    # A run across several twists of the 624-word state.
    cases.append(("uniform_long", 3, ["uniform(2000,-2.0,2.0)", "state()"]))
    return cases


def main():
    if not torch.__version__.startswith("1.13"):
        raise SystemExit("expected torch 1.13, found " + torch.__version__)
    os.makedirs(OUT, exist_ok=True)
    write_safetensors(os.path.join(OUT, "uniform.safetensors"), record(uniform_cases()))


if __name__ == "__main__":
    main()
