"""Saves a PyTorch model to a safetensors file that jrnn loads.

Supported: torch.nn.RNN, GRU, LSTM, RNNCell, GRUCell, LSTMCell, Linear, Embedding, Dropout, LayerNorm, Tanh, ReLU,
Sigmoid, Softmax, LogSoftmax, Identity, Flatten, and models made of them: torch.nn.Sequential and your own nn.Module
subclasses, walked by named_children (their own parameters and buffers are saved too). Other torch.nn modules
(Conv1d, BatchNorm1d, ...) are refused, naming where they are.

From Python:

    import sys; sys.path.insert(0, "path/to/jrnn/tools")
    from export_torch import export_module
    gru = torch.nn.GRU(input_size=5, hidden_size=4, num_layers=2, batch_first=True)
    ...  # train it
    export_module(gru, "gru.safetensors")

From the shell:

    python3 tools/export_torch.py --demo gru out.safetensors [--seed 0]   # a seeded demo module
    python3 tools/export_torch.py --from-pt model.pt out.safetensors      # a module saved with torch.save(module)
    python3 tools/export_torch.py --from-state-dict m.pt out.safetensors  # torch.save(model.state_dict(), "m.pt")
    python3 tools/export_torch.py --list-demos

Then, in Java: `./jrnn forward --model out.safetensors --input in.safetensors --output out.safetensors` (one
module), `ModuleCheckpoints.load(path, Sequential.class)` or `ModuleCheckpoints.loadInto(path, new MyModel())`.

What the file holds:
- every entry of `model.state_dict()` under its PyTorch name (e.g. `weight_ih_l0`, `encoder.rnn.bias_hh_l1`);
  floating tensors as F32, integer buffers (e.g. `num_batches_tracked`) in their own integer dtype; tied
  parameters under each of their names;
- `__metadata__` with `jrnn_layout` = "2" and the module tree: `module` (the root's class name) and its constructor
  arguments, and for every descendant `<path>.module` and `<path>.<argument>` (e.g. `encoder.rnn.hidden_size`).
  A user's class and Sequential have no arguments. The arguments as strings, booleans spelled `true`/`false`:
    RNN, GRU, LSTM:  input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                     nonlinearity (RNN only: tanh or relu), proj_size (LSTM only)
    RNNCell, GRUCell, LSTMCell:  input_size, hidden_size, bias, nonlinearity (RNNCell only)
    Linear:     in_features, out_features, bias
    Embedding:  num_embeddings, embedding_dim, padding_idx (only when set)
    Dropout:    p
    LayerNorm:  normalized_shape (comma-separated, e.g. 3,4), eps, elementwise_affine
    Softmax, LogSoftmax:  dim          Flatten:  start_dim, end_dim
    Tanh, ReLU, Sigmoid, Identity:  no arguments
  A missing key means PyTorch's default for that argument. `torch_version` records the exporting torch.
  --from-state-dict writes the tensors of a plain state-dict file with their dtypes and no module metadata
  (`./jrnn convert` does the same in Java, bit for bit).

Embedding options that change the forward computation and that jrnn does not implement (max_norm) are refused, and
so are ReLU(inplace=True) and Softmax/LogSoftmax(dim=None) (jrnn's layers never work in place and need a dim).
"""

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402


def _bool(v):
    return "true" if v else "false"


def _rnn_metadata(m):
    meta = {
        "input_size": str(m.input_size),
        "hidden_size": str(m.hidden_size),
        "num_layers": str(m.num_layers),
        "bias": _bool(m.bias),
        "batch_first": _bool(m.batch_first),
        "dropout": repr(float(m.dropout)),
        "bidirectional": _bool(m.bidirectional),
    }
    if isinstance(m, torch.nn.RNN):
        meta["nonlinearity"] = m.nonlinearity
    if isinstance(m, torch.nn.LSTM):
        meta["proj_size"] = str(m.proj_size)
    return meta


def _cell_metadata(m):
    meta = {"input_size": str(m.input_size), "hidden_size": str(m.hidden_size), "bias": _bool(m.bias)}
    if isinstance(m, torch.nn.RNNCell):
        meta["nonlinearity"] = m.nonlinearity
    return meta


def _linear_metadata(m):
    return {"in_features": str(m.in_features), "out_features": str(m.out_features),
            "bias": _bool(m.bias is not None)}


def _embedding_metadata(m):
    if m.max_norm is not None:
        raise ValueError("Embedding(max_norm=%r) renormalizes rows during forward; jrnn does not implement it"
                         % m.max_norm)
    meta = {"num_embeddings": str(m.num_embeddings), "embedding_dim": str(m.embedding_dim)}
    if m.padding_idx is not None:
        meta["padding_idx"] = str(m.padding_idx)
    return meta


# Most specific first: a user subclass of GRU is saved as a GRU.
_KINDS = [
    (torch.nn.RNN, "RNN", _rnn_metadata),
    (torch.nn.GRU, "GRU", _rnn_metadata),
    (torch.nn.LSTM, "LSTM", _rnn_metadata),
    (torch.nn.RNNCell, "RNNCell", _cell_metadata),
    (torch.nn.GRUCell, "GRUCell", _cell_metadata),
    (torch.nn.LSTMCell, "LSTMCell", _cell_metadata),
    (torch.nn.Linear, "Linear", _linear_metadata),
    (torch.nn.Embedding, "Embedding", _embedding_metadata),
]


def _dropout_metadata(m):
    if m.inplace:
        raise ValueError("Dropout(inplace=True): jrnn's Dropout never works in place; use inplace=False")
    return {"p": repr(float(m.p))}


def _layer_norm_metadata(m):
    return {"normalized_shape": ",".join(str(d) for d in m.normalized_shape), "eps": repr(float(m.eps)),
            "elementwise_affine": _bool(m.elementwise_affine)}


def _relu_metadata(m):
    if m.inplace:
        raise ValueError("ReLU(inplace=True): jrnn's ReLU never works in place; use inplace=False")
    return {}


def _softmax_metadata(m):
    if m.dim is None:
        raise ValueError("%s(dim=None) picks its dimension implicitly; jrnn needs it named, e.g. dim=-1"
                         % type(m).__name__)
    return {"dim": str(m.dim)}


def _no_arguments(m):
    return {}


_CONTAINERS = [(torch.nn.Sequential, "Sequential")]
_LEAVES = _KINDS + [
    (torch.nn.Dropout, "Dropout", _dropout_metadata),
    (torch.nn.LayerNorm, "LayerNorm", _layer_norm_metadata),
    (torch.nn.Tanh, "Tanh", _no_arguments),
    (torch.nn.ReLU, "ReLU", _relu_metadata),
    (torch.nn.Sigmoid, "Sigmoid", _no_arguments),
    (torch.nn.Softmax, "Softmax", _softmax_metadata),
    (torch.nn.LogSoftmax, "LogSoftmax", _softmax_metadata),
    (torch.nn.Identity, "Identity", _no_arguments),
    (torch.nn.Flatten, "Flatten", lambda m: {"start_dim": str(m.start_dim), "end_dim": str(m.end_dim)}),
]
LAYOUT = 2


def _describe(module, prefix, meta):
    """Adds `module` at `prefix` and its descendants to `meta` (the flattened module tree)."""
    for cls, name, describe in _LEAVES:
        if isinstance(module, cls):
            meta[prefix + "module"] = name
            for k, v in describe(module).items():
                meta[prefix + k] = v
            return
    container = next((n for cls, n in _CONTAINERS if type(module) is cls), None)
    if container is None and type(module).__module__.startswith("torch."):
        where = prefix[:-1] if prefix else "the model"
        raise TypeError("cannot export %s (at %s): jrnn loads %s, Sequential and your own nn.Module classes made"
                        " of them" % (type(module).__name__, where, ", ".join(n for _, n, _ in _LEAVES)))
    meta[prefix + "module"] = container or type(module).__name__
    for child_name, child in module.named_children():
        _describe(child, prefix + child_name + ".", meta)


def module_metadata(module):
    """The `__metadata__` dict (str -> str): the layout, then `module`'s tree of classes and constructor arguments."""
    meta = {"jrnn_layout": str(LAYOUT)}
    _describe(module, "", meta)
    meta["torch_version"] = torch.__version__
    return meta


def _stored(t):
    """A tensor as jrnn stores it: floating types as float32, integer and bool types unchanged."""
    t = t.detach()
    return (t.to(torch.float32) if t.is_floating_point() else t).contiguous()


def export_module(module, path):
    """Saves `module`'s state_dict (floats as F32, integers as they are) plus its module tree to `path`."""
    meta = module_metadata(module)
    tensors = {name: _stored(t) for name, t in module.state_dict().items()}
    save_file(tensors, path, metadata=meta)
    return meta


def export_state_dict(pt_path, path):
    """Converts a plain state-dict file (torch.save(model.state_dict(), pt_path)) to safetensors, dtypes kept."""
    state = torch.load(pt_path, map_location="cpu", weights_only=True)
    if not isinstance(state, dict) or not all(isinstance(t, torch.Tensor) for t in state.values()):
        raise TypeError("%s does not hold a state dict (a dict of name -> tensor)" % pt_path)
    save_file({name: t.detach().contiguous() for name, t in state.items()}, path, metadata={})
    return {"tensors": str(len(state))}


def demo_module(kind, seed=0):
    """A small seeded module of the given demo kind (see DEMOS)."""
    torch.manual_seed(seed)
    return DEMOS[kind]()


DEMOS = {
    "rnn": lambda: torch.nn.RNN(5, 4, num_layers=2),
    "rnn_relu": lambda: torch.nn.RNN(5, 4, nonlinearity="relu", bidirectional=True, batch_first=True),
    "gru": lambda: torch.nn.GRU(5, 4, num_layers=2, bidirectional=True),
    "lstm": lambda: torch.nn.LSTM(5, 4, num_layers=2, batch_first=True),
    "lstm_proj": lambda: torch.nn.LSTM(5, 4, proj_size=3, bidirectional=True),
    "rnncell": lambda: torch.nn.RNNCell(5, 4),
    "grucell": lambda: torch.nn.GRUCell(5, 4),
    "lstmcell": lambda: torch.nn.LSTMCell(5, 4, bias=False),
    "linear": lambda: torch.nn.Linear(5, 3),
    "embedding": lambda: torch.nn.Embedding(10, 4, padding_idx=0),
}


def main(argv=None):
    p = argparse.ArgumentParser(description="Save a torch.nn module as a safetensors file for jrnn.")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--demo", choices=sorted(DEMOS), help="save a small seeded demo module of this kind")
    src.add_argument("--from-pt", metavar="MODEL.pt", help="load a module saved with torch.save(module)")
    src.add_argument("--from-state-dict", metavar="M.pt",
                     help="convert a file of torch.save(model.state_dict()) (tensors only, dtypes kept)")
    src.add_argument("--list-demos", action="store_true", help="list the demo kinds and exit")
    p.add_argument("output", nargs="?", help="the safetensors file to write")
    p.add_argument("--seed", type=int, default=0, help="torch.manual_seed for --demo (default 0)")
    args = p.parse_args(argv)
    if args.list_demos:
        for kind in sorted(DEMOS):
            print(kind, "=", DEMOS[kind]())
        return 0
    if args.output is None:
        p.error("the output file is required")
    if args.from_state_dict:
        meta = export_state_dict(args.from_state_dict, args.output)
        print("wrote %s: %s tensors" % (args.output, meta["tensors"]))
        return 0
    if args.demo:
        module = demo_module(args.demo, args.seed)
    else:
        # torch.load unpickles: only load files you trust.
        module = torch.load(args.from_pt)
        if not isinstance(module, torch.nn.Module):
            p.error("%s holds a %s, not a torch.nn.Module (save the module itself, or call export_module "
                    "on a module you build and load_state_dict into)" % (args.from_pt, type(module).__name__))
    meta = export_module(module, args.output)
    print("wrote %s: %s" % (args.output, ", ".join("%s=%s" % kv for kv in meta.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
