"""Sampled text of the README's character model (torch 1.13, CPU), the golden of the Java generation loop written
with tensor operations (CharModel.sample in nn's composite tests).

The model is the committed nn/src/test/resources/composites/char_model.pt (tools/make_composite_fixtures.py); its
vocabulary and prompt come from char_model.expected.pt. For each case (seed, temperature), with
g = torch.Generator().manual_seed(seed), the prompt is fed once, then per character:
    probs = (logits[:, -1] / temperature).softmax(-1)       # (1, vocab)
    next = torch.multinomial(probs, 1, True, generator=g)    # (1, 1), fed back with the LSTM state (h, c)
Written to nn/src/test/resources/composites/char_model.sampled.safetensors: metadata "cases" (seed:temperature,
comma-separated) and "<seed>:<temperature>" the prompt followed by LENGTH sampled characters (no tensors).

Run: /usr/bin/python3 tools/make_char_sampling_golden.py   (writes the file; deterministic)
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_composite_fixtures import OUT, CharModel  # noqa: E402
from safetensors_io import save_file  # noqa: E402

CASES = [(0, 0.5), (1, 1.0), (2, 1.5)]
LENGTH = 60


def sample(model, vocab, prompt, seed, temperature):
    g = torch.Generator().manual_seed(seed)
    text = prompt
    with torch.no_grad():
        logits, state = model(torch.tensor([[vocab.index(c) for c in prompt]]))
        for _ in range(LENGTH):
            probs = (logits[:, -1] / temperature).softmax(-1)
            nxt = torch.multinomial(probs, 1, True, generator=g)
            text += vocab[int(nxt)]
            logits, state = model(nxt, state)
    return text


def main():
    expected = torch.load(os.path.join(OUT, "char_model.expected.pt"))
    vocab, prompt = expected["vocab"], expected["prompt"]
    model = CharModel(len(vocab))
    model.load_state_dict(torch.load(os.path.join(OUT, "char_model.pt")))
    model.eval()
    meta = {"cases": ",".join("%d:%s" % c for c in CASES)}
    for seed, temperature in CASES:
        key = "%d:%s" % (seed, temperature)
        text = sample(model, vocab, prompt, seed, temperature)
        meta[key] = text
        print(key, repr(text))
    save_file({}, os.path.join(OUT, "char_model.sampled.safetensors"), metadata=meta)


if __name__ == "__main__":
    main()
