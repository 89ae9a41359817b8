"""Writes the whole-model fixtures the Java composite tests read (nn/src/test/resources/composites/).

    /usr/bin/python3 tools/make_composite_fixtures.py      # PyTorch 1.13 (Debian's python3-torch)

Every model is built after torch.manual_seed, so the files are deterministic. For each model NAME:

<NAME>.pt
    torch.save(model.state_dict(), ...): the file a PyTorch user has (zip format, nested names, tied parameters
    stored once and named twice, buffers including an int64 one).
<NAME>.safetensors
    tools/export_torch.export_module(model, ...): the same state dict plus the module tree in __metadata__.
<NAME>.expected.pt
    torch.save of a dict, read by the Java tests with StateDicts.read:
        input               the forward's input (float, or int64 token indices)
        output              model(input) in eval mode
        grad_output         the upstream gradient g of the training step
        train_seed          (int) torch.manual_seed before the training step's forward (dropout masks)
        grad.<name>         after model.train(); model.zero_grad(); (model(input) * g).sum().backward():
                            the .grad of every parameter, under its first name in named_parameters()
<NAME>.<f16|bf16|f64>.pt (some models)
    The state dict in another dtype (integer buffers unchanged); <NAME>.<...>.as_f32.pt holds torch's .float() of
    each floating tensor, the values a float32 model must hold after loading it.

forward_gru.input.pt
    torch.save({"input": ..., "h_0": ..., "note": "..."}) of the tensors of forward/gru_bidir_2layer.input.safetensors:
    `./jrnn forward` reads torch.save input files too, and must give forward/gru_bidir_2layer.expected.safetensors.

The README model (char_model): Embedding(V, 16) -> LSTM(16, 32, num_layers=2, batch_first=True) -> Linear(32, V),
trained for a few hundred Adam steps on a short text; char_model.expected.pt also holds `vocab` (str), `prompt`
(str) and `generated` (str): greedy generation of 40 characters from the prompt, one character at a time
carrying (h, c).
"""

import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_torch import export_module  # noqa: E402
from safetensors_io import load_file  # noqa: E402

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test",
                                    "resources", "composites"))
TRAIN_SEED = 1234


# ----------------------------------------------------------------------------------------------------------------
# The models (their Java twins live in nn/src/test/java/io/github/jrnn/nn/models/composites/)
# ----------------------------------------------------------------------------------------------------------------

def sequential_mlp():
    """Nested Sequential, Dropout (active in the training step), a bias-free Linear."""
    return nn.Sequential(nn.Linear(6, 8), nn.Dropout(0.25), nn.Linear(8, 8, bias=False),
                         nn.Sequential(nn.Dropout(0.1), nn.Linear(8, 3)))


class CharGru(nn.Module):
    """Embedding(padding_idx) -> bidirectional 2-layer batch_first GRU -> Linear."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(12, 6, padding_idx=0)
        self.rnn = nn.GRU(6, 5, num_layers=2, batch_first=True, bidirectional=True)
        self.head = nn.Linear(10, 12)

    def forward(self, x):
        return self.head(self.rnn(self.embed(x))[0])


class Encoder(nn.Module):
    """A bias-free ReLU RNN whose initial state is a float buffer, and an int64 buffer like BatchNorm's."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(4, 4, nonlinearity="relu", bias=False)
        self.register_buffer("h0", torch.randn(1, 2, 4))
        self.register_buffer("num_batches_tracked", torch.tensor(5, dtype=torch.long))

    def forward(self, x):
        return self.rnn(x, self.h0)[0]


class TiedLM(nn.Module):
    """Embedding -> Encoder -> LSTM(proj_size) -> Linear whose weight IS the embedding's (tied)."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(10, 4)
        self.encoder = Encoder()
        self.decoder = nn.LSTM(4, 6, proj_size=4)
        self.head = nn.Linear(4, 10)
        self.head.weight = self.embed.weight

    def forward(self, x):
        return self.head(self.decoder(self.encoder(self.embed(x)))[0])


class CellStack(nn.Module):
    """RNNCell(relu) -> GRUCell(no bias) -> LSTMCell -> Linear, stepped over time by hand; the last step's output."""

    def __init__(self):
        super().__init__()
        self.rnn_cell = nn.RNNCell(3, 4, nonlinearity="relu")
        self.gru_cell = nn.GRUCell(4, 4, bias=False)
        self.lstm_cell = nn.LSTMCell(4, 5)
        self.head = nn.Linear(5, 2)

    def forward(self, x):
        h1 = h2 = None
        state = None
        for t in range(x.size(0)):
            h1 = self.rnn_cell(x[t], h1)
            h2 = self.gru_cell(h1, h2)
            state = self.lstm_cell(h2, state)
        return self.head(state[0])


class CharModel(nn.Module):
    """The README's character model."""

    def __init__(self, vocab_size):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, 16)
        self.lstm = nn.LSTM(16, 32, num_layers=2, batch_first=True)
        self.head = nn.Linear(32, vocab_size)

    def forward(self, x, state=None):
        out, state = self.lstm(self.embed(x), state)
        return self.head(out), state


# ----------------------------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------------------------

def write_model(name, model, x, forward=None, extra=None):
    forward = forward or model
    torch.save(model.state_dict(), os.path.join(OUT, name + ".pt"))
    export_module(model, os.path.join(OUT, name + ".safetensors"))
    model.eval()
    with torch.no_grad():
        out = forward(x)
    g = torch.randn(out.shape)
    model.train()
    model.zero_grad()
    torch.manual_seed(TRAIN_SEED)
    (forward(x) * g).sum().backward()
    expected = {"input": x, "output": out, "grad_output": g, "train_seed": TRAIN_SEED}
    for pname, p in model.named_parameters():
        expected["grad." + pname] = p.grad.clone()
    expected.update(extra or {})
    torch.save(expected, os.path.join(OUT, name + ".expected.pt"))


def write_dtype_variant(name, model, dtype, suffix):
    sd = {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in model.state_dict().items()}
    torch.save(sd, os.path.join(OUT, "%s.%s.pt" % (name, suffix)))
    as_f32 = {k: v.float() for k, v in sd.items() if v.is_floating_point()}
    torch.save(as_f32, os.path.join(OUT, "%s.%s.as_f32.pt" % (name, suffix)))


def char_model():
    text = "hello world, hello java, hello torch. " * 4
    vocab = "".join(sorted(set(text)))
    ids = torch.tensor([vocab.index(c) for c in text])
    torch.manual_seed(7)
    model = CharModel(len(vocab))
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    x, y = ids[:-1].unsqueeze(0), ids[1:].unsqueeze(0)
    for _ in range(150):
        opt.zero_grad()
        logits, _ = model(x)
        nn.functional.cross_entropy(logits.reshape(-1, len(vocab)), y.reshape(-1)).backward()
        opt.step()
    model.eval()
    prompt = "hello"
    generated = prompt
    with torch.no_grad():
        logits, state = model(torch.tensor([[vocab.index(c) for c in prompt]]))
        for _ in range(40):
            nxt = int(logits[0, -1].argmax())
            generated += vocab[nxt]
            logits, state = model(torch.tensor([[nxt]]), state)
    sample = torch.tensor([[vocab.index(c) for c in "hello java"]])
    write_model("char_model", model, sample, forward=lambda inp: model(inp)[0],
                extra={"vocab": vocab, "prompt": prompt, "generated": generated})
    return generated


def main():
    os.makedirs(OUT, exist_ok=True)

    torch.manual_seed(0)
    mlp = sequential_mlp()
    write_model("sequential_mlp", mlp, torch.randn(4, 6))
    write_dtype_variant("sequential_mlp", mlp, torch.float16, "f16")

    torch.manual_seed(1)
    gru = CharGru()
    write_model("char_gru", gru, torch.randint(0, 12, (3, 7)))
    write_dtype_variant("char_gru", gru, torch.bfloat16, "bf16")

    torch.manual_seed(2)
    tied = TiedLM()
    assert tied.head.weight is tied.embed.weight
    write_model("tied_lm", tied, torch.randint(0, 10, (5, 2)))
    write_dtype_variant("tied_lm", tied, torch.float64, "f64")

    torch.manual_seed(3)
    write_model("cell_stack", CellStack(), torch.randn(3, 2, 3))

    tensors, _ = load_file(os.path.join(OUT, "..", "forward", "gru_bidir_2layer.input.safetensors"))
    torch.save({"input": tensors["input"], "h_0": tensors["h_0"], "note": "the inputs of gru_bidir_2layer"},
               os.path.join(OUT, "forward_gru.input.pt"))

    print("char_model greedy:", repr(char_model()))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
