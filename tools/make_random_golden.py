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
import hashlib
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test", "resources", "golden",
                   "random")

SEEDS = [0, 1, 42, 2**32 + 5, 0xDEADBEEFCAFEF00D]
SIZES = [1, 3, 15, 16, 17, 100, 1000]

# Call forms (the text after the step number) and the torch 1.13 expression each stands for. A shape is written
# with "x" between dimensions ("4x6" is (4, 6)); "None" stands for Python's None.
CALLS = {
    "seed(s)": "torch.manual_seed(s); the result is torch.get_rng_state() right after",
    "state()": "torch.get_rng_state()  (uint8, the 5056-byte CPU generator state)",
    "uniform(n,from,to)": "torch.empty(n).uniform_(from, to)",
    "rand(shape)": "torch.rand(*shape)",
    "randn(shape)": "torch.randn(*shape)",
    "normal(n,mean,std)": "torch.empty(n).normal_(mean, std)",
    "bernoulli(n,p)": "torch.empty(n).bernoulli_(p)",
    "dropout(n,p)": "torch.nn.functional.dropout(torch.ones(n), p, training=True)  (= the dropout noise)",
    "randint(low,high,n)": "torch.randint(low, high, (n,))  (int64)",
    "randperm(n)": "torch.randperm(n)  (int64)",
    "sha256(call,count)": "SHA-256 (uint8[32]) of the little-endian bytes of <count> consecutive results of <call>, where "
                          "call is one of the forms above with ';' instead of ',' between its arguments; for runs too "
                          "long to store (a million samples find transform details that small fixtures cannot)",
    "init_uniform(shape,a,b)": "torch.nn.init.uniform_(torch.empty(shape), a, b)",
    "init_normal(shape,mean,std)": "torch.nn.init.normal_(torch.empty(shape), mean, std)",
    "init_kaiming_uniform(shape,a,mode,nonlinearity)": "torch.nn.init.kaiming_uniform_(torch.empty(shape), a, mode, nonlinearity)",
    "init_kaiming_normal(shape,a,mode,nonlinearity)": "torch.nn.init.kaiming_normal_(torch.empty(shape), a, mode, nonlinearity)",
    "init_xavier_uniform(shape,gain)": "torch.nn.init.xavier_uniform_(torch.empty(shape), gain)",
    "init_xavier_normal(shape,gain)": "torch.nn.init.xavier_normal_(torch.empty(shape), gain)",
    "linear(in,out,bias)": "torch.nn.Linear(in, out, bias): all parameters flattened and concatenated in registration order",
    "embedding(num,dim,padding_idx)": "torch.nn.Embedding(num, dim, padding_idx).weight",
    "recurrent(mode,input,hidden,layers,bias,bidirectional,proj)": "torch.nn.RNN/GRU/LSTM (mode RNN_TANH, RNN_RELU, GRU, LSTM; proj only for LSTM): all parameters flattened and concatenated in registration order",
    "cell(mode,input,hidden,bias)": "torch.nn.RNNCell/GRUCell/LSTMCell (mode RNN_TANH, RNN_RELU, GRU, LSTM): parameters as above",
}


def shape_of(text):
    return tuple(int(d) for d in text.split("x"))


def opt_float(text):
    return None if text == "None" else float(text)


def flat_parameters(module):
    return torch.cat([p.detach().reshape(-1) for p in module.parameters()])


def make_recurrent(mode, input_size, hidden, layers, bias, bidirectional, proj):
    kw = dict(num_layers=layers, bias=bias, bidirectional=bidirectional)
    if mode == "LSTM":
        return torch.nn.LSTM(input_size, hidden, proj_size=proj, **kw)
    if mode == "GRU":
        return torch.nn.GRU(input_size, hidden, **kw)
    return torch.nn.RNN(input_size, hidden, nonlinearity="relu" if mode == "RNN_RELU" else "tanh", **kw)


def make_cell(mode, input_size, hidden, bias):
    if mode == "LSTM":
        return torch.nn.LSTMCell(input_size, hidden, bias)
    if mode == "GRU":
        return torch.nn.GRUCell(input_size, hidden, bias)
    return torch.nn.RNNCell(input_size, hidden, bias, nonlinearity="relu" if mode == "RNN_RELU" else "tanh")


def run_call(call):
    """Evaluates one call form on the default generator and returns the resulting tensor."""
    name, args = call[:call.index("(")], call[call.index("(") + 1:-1]
    a = args.split(",") if args else []
    init = torch.nn.init
    if name == "seed":
        torch.manual_seed(int(a[0]))
        return torch.get_rng_state()
    if name == "state":
        return torch.get_rng_state()
    if name == "sha256":
        inner = a[0].replace(";", ",")
        digest = hashlib.sha256()
        for _ in range(int(a[1])):
            digest.update(run_call(inner).numpy().tobytes())
        return torch.tensor(list(digest.digest()), dtype=torch.uint8)
    if name == "uniform":
        return torch.empty(int(a[0])).uniform_(float(a[1]), float(a[2]))
    if name == "rand":
        return torch.rand(*shape_of(a[0]))
    if name == "randn":
        return torch.randn(*shape_of(a[0]))
    if name == "normal":
        return torch.empty(int(a[0])).normal_(float(a[1]), float(a[2]))
    if name == "bernoulli":
        return torch.empty(int(a[0])).bernoulli_(float(a[1]))
    if name == "dropout":
        return torch.nn.functional.dropout(torch.ones(int(a[0])), float(a[1]), training=True)
    if name == "randint":
        return torch.randint(int(a[0]), int(a[1]), (int(a[2]),))
    if name == "randperm":
        return torch.randperm(int(a[0]))
    if name == "init_uniform":
        return init.uniform_(torch.empty(shape_of(a[0])), float(a[1]), float(a[2]))
    if name == "init_normal":
        return init.normal_(torch.empty(shape_of(a[0])), float(a[1]), float(a[2]))
    if name == "init_kaiming_uniform":
        return init.kaiming_uniform_(torch.empty(shape_of(a[0])), float(a[1]), a[2], a[3])
    if name == "init_kaiming_normal":
        return init.kaiming_normal_(torch.empty(shape_of(a[0])), float(a[1]), a[2], a[3])
    if name == "init_xavier_uniform":
        return init.xavier_uniform_(torch.empty(shape_of(a[0])), float(a[1]))
    if name == "init_xavier_normal":
        return init.xavier_normal_(torch.empty(shape_of(a[0])), float(a[1]))
    if name == "linear":
        return flat_parameters(torch.nn.Linear(int(a[0]), int(a[1]), a[2] == "True"))
    if name == "embedding":
        return torch.nn.Embedding(int(a[0]), int(a[1]), None if a[2] == "None" else int(a[2])).weight.detach()
    if name == "recurrent":
        return flat_parameters(make_recurrent(a[0], int(a[1]), int(a[2]), int(a[3]), a[4] == "True",
                                              a[5] == "True", int(a[6])))
    if name == "cell":
        return flat_parameters(make_cell(a[0], int(a[1]), int(a[2]), a[3] == "True"))
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


RANDN_SHAPES = [str(n) for n in SIZES] + ["31", "32", "33", "48", "4x6", "1x1x3", "2x3x5"]


def randn_cases():
    cases = []
    for seed in SEEDS:
        cases.append(("randn", seed, ["randn(%s)" % sh for sh in RANDN_SHAPES] + ["state()"]))
    # Many scalar-path samples (each call under 16 elements) to show the double Box-Muller matches in practice.
    cases.append(("randn_scalar_many", 7, ["randn(15)"] * 400 + ["state()"]))
    # Millions of samples as digests: the vector path's fused multiply-adds and the scalar path's libm agreement.
    cases.append(("digests", 0, ["sha256(randn(1048576),1)", "sha256(randn(1000003),1)",
                                 "sha256(normal(1048576;0.3;2.5),1)", "sha256(uniform(1048576;-0.37;0.81),1)",
                                 "sha256(randn(15),70000)", "sha256(normal(3;-1.0;0.5),100000)", "state()"]))
    return cases


def rand_and_normal_cases():
    cases = []
    for seed in SEEDS:
        cases.append(("rand", seed, ["rand(%s)" % sh for sh in RANDN_SHAPES] + ["state()"]))
        cases.append(("normal", seed, ["normal(%d,%r,%r)" % (n, m, sd) for n in SIZES
                                       for m, sd in [(0.0, 1.0), (0.3, 2.5), (-1.0, 0.02)]] + ["state()"]))
    return cases


def bernoulli_cases():
    cases = []
    for seed in SEEDS:
        calls = []
        for n in SIZES:
            probabilities = [0.5] if n == 1000 else [0.0, 0.1, 0.5, 0.9, 1.0]
            calls += ["bernoulli(%d,%r)" % (n, p) for p in probabilities]
            calls += ["dropout(%d,%r)" % (n, p) for p in ([0.2] if n == 1000 else [0.0, 0.2, 0.5, 1.0])]
        calls.append("state()")
        cases.append(("bernoulli", seed, calls))
    return cases


def integer_cases():
    cases = []
    for seed in SEEDS:
        calls = []
        for low, high in [(0, 10), (-5, 5), (0, 2**32 - 1), (0, 2**32), (-2**40, 2**40), (-2**63, 2**63 - 1),
                          (3, 4)]:
            calls += ["randint(%d,%d,%d)" % (low, high, n) for n in [1, 17, 100]]
        calls += ["randperm(%d)" % n for n in [0, 1, 2, 3, 10, 100, 1000]]
        calls.append("state()")
        cases.append(("integers", seed, calls))
    cases.append(("randperm_long", 42, ["randperm(5000)", "state()"]))
    return cases


def sequence_cases():
    seq = ["randn(3)", "rand(20)", "randn(17)", "randn(1)", "uniform(5,-1.0,1.0)", "randn(16)", "randn(2)",
           "bernoulli(7,0.5)", "randn(1)", "randint(0,100,3)", "randperm(6)", "dropout(9,0.25)", "randn(5)",
           "seed(3)", "randn(1)", "state()", "seed(3)", "randn(2)", "state()"]
    cases = [("sequence", seed, seq) for seed in SEEDS]
    # The seed document's printout: manual_seed(42), randn(4, 6), then randn(1, 1, 3).
    cases.append(("seed_document", 42, ["randn(4x6)", "randn(1x1x3)"]))
    return cases


def init_cases():
    cases = []
    shapes = ["5x3", "16x16", "3x40", "7x2x3", "4x3x2x2"]
    calls = []
    for sh in shapes:
        calls += ["init_uniform(%s,-0.5,0.25)" % sh, "init_normal(%s,0.1,0.7)" % sh]
        for a, mode, nl in [(5 ** 0.5, "fan_in", "leaky_relu"), (0.0, "fan_in", "relu"),
                            (0.0, "fan_out", "relu"), (0.2, "fan_out", "leaky_relu"), (0.0, "fan_in", "tanh"),
                            (0.0, "fan_in", "linear"), (0.0, "fan_in", "sigmoid"), (0.0, "fan_in", "selu")]:
            calls.append("init_kaiming_uniform(%s,%r,%s,%s)" % (sh, a, mode, nl))
            calls.append("init_kaiming_normal(%s,%r,%s,%s)" % (sh, a, mode, nl))
        for gain in [1.0, 5.0 / 3]:
            calls.append("init_xavier_uniform(%s,%r)" % (sh, gain))
            calls.append("init_xavier_normal(%s,%r)" % (sh, gain))
    calls.append("state()")
    cases.append(("init", 0, calls))
    for seed in [0, 42, 2**32 + 5]:
        modules = ["linear(3,5,True)", "linear(10,4,False)", "linear(1,1,True)", "linear(16,32,True)",
                   "embedding(10,3,None)", "embedding(7,4,2)", "embedding(5,2,-1)", "embedding(3,1,None)"]
        for mode in ["RNN_TANH", "RNN_RELU", "GRU", "LSTM"]:
            modules += ["recurrent(%s,3,4,1,True,False,0)" % mode, "recurrent(%s,5,2,2,True,True,0)" % mode,
                        "recurrent(%s,4,3,2,False,False,0)" % mode,
                        "cell(%s,3,4,True)" % mode, "cell(%s,2,5,False)" % mode]
        modules += ["recurrent(LSTM,3,5,2,True,True,2)", "recurrent(LSTM,4,3,1,False,False,1)"]
        cases.append(("modules", seed, modules + ["state()"]))
    return cases


def main():
    if not torch.__version__.startswith("1.13"):
        raise SystemExit("expected torch 1.13, found " + torch.__version__)
    os.makedirs(OUT, exist_ok=True)
    write_safetensors(os.path.join(OUT, "uniform.safetensors"), record(uniform_cases()))
    write_safetensors(os.path.join(OUT, "randn.safetensors"), record(randn_cases()))
    write_safetensors(os.path.join(OUT, "normal.safetensors"), record(rand_and_normal_cases()))
    write_safetensors(os.path.join(OUT, "bernoulli.safetensors"), record(bernoulli_cases()))
    write_safetensors(os.path.join(OUT, "integers.safetensors"), record(integer_cases()))
    write_safetensors(os.path.join(OUT, "sequence.safetensors"), record(sequence_cases()))
    write_safetensors(os.path.join(OUT, "init.safetensors"), record(init_cases()))


if __name__ == "__main__":
    main()
