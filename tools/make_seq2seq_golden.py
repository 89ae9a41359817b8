"""Golden training trajectory for `./jrnn demo seq2seq-attention` (torch 1.13, CPU, float32): the same model, the
same initial weights, the same batches and the same Adam steps as the Java demo (class Seq2SeqAttentionDemo).

The task: reverse a string of 2 to 5 digits. Tokens: 0 = padding, 1 = start of the decoder input, 2..11 = the
digits 0..9. After torch.manual_seed(seed) the modules draw their initial weights in this order:
    encoder Embedding(12, 16, padding_idx=0), encoder GRU(16, 64), decoder Embedding(12, 16, padding_idx=0),
    decoder GRU(16, 64), combine Linear(128, 64), out Linear(64, 12)
then every training step draws its batch of 32 from the same generator:
    lengths = randint(2, 6, (32,)); digits = randint(0, 10, (32, 5))   (positions >= length become padding)
The encoder packs the padded (5, 32) source (pack_padded_sequence, enforce_sorted=False); the decoder GRU runs from
the encoder's h_n over the teacher-forced input [start, y_0, ..., y_3]; Luong dot attention over the encoder
outputs with the padding masked to -inf, softmax over source positions; then tanh(combine([h_t; context])) and the
output layer; CrossEntropyLoss(ignore_index=0) against the reversed digits; Adam(lr=0.01).

Written to cli/src/test/resources/golden/demo/seq2seq_attention.safetensors: for each seed in metadata "seeds",
tensor seed_<s>.loss (F32, STEPS) holds the loss of every step (before that step's update).

Run: /usr/bin/python3 tools/make_seq2seq_golden.py   (writes the file; deterministic)
"""

import os
import sys

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli", "src", "test", "resources", "golden",
                   "demo")

PAD, START, DIGIT0 = 0, 1, 2
VOCAB = 12
EMBEDDING, HIDDEN = 16, 64
BATCH, MIN_LEN, MAX_LEN = 32, 2, 5
LR = 0.01
STEPS = 30          # the golden part of the trajectory
SEEDS = [42, 0, 1]


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc_embed = nn.Embedding(VOCAB, EMBEDDING, padding_idx=PAD)
        self.enc_gru = nn.GRU(EMBEDDING, HIDDEN)
        self.dec_embed = nn.Embedding(VOCAB, EMBEDDING, padding_idx=PAD)
        self.dec_gru = nn.GRU(EMBEDDING, HIDDEN)
        self.combine = nn.Linear(2 * HIDDEN, HIDDEN)
        self.out = nn.Linear(HIDDEN, VOCAB)

    def encode(self, src, lengths):
        """src (S, N) -> keys (N, S, H), h_n (1, N, H), mask (N, 1, S) true at padding."""
        packed = pack_padded_sequence(self.enc_embed(src), lengths, enforce_sorted=False)
        enc_packed, h = self.enc_gru(packed)
        enc_out, _ = pad_packed_sequence(enc_packed, total_length=src.size(0))
        mask = torch.arange(src.size(0)).view(1, 1, -1) >= lengths.view(-1, 1, 1)
        return enc_out.transpose(0, 1), h, mask

    def decode(self, dec_in, h, keys, mask):
        """dec_in (T, N) -> logits (N, T, V), attention (N, T, S), h."""
        dec_out, h = self.dec_gru(self.dec_embed(dec_in), h)
        q = dec_out.transpose(0, 1)
        scores = q.bmm(keys.transpose(1, 2)).masked_fill(mask, float("-inf"))
        attention = scores.softmax(-1)
        context = attention.bmm(keys)
        logits = self.out(torch.tanh(self.combine(torch.cat([q, context], -1))))
        return logits, attention, h


def batch():
    lengths = torch.randint(MIN_LEN, MAX_LEN + 1, (BATCH,))
    digits = torch.randint(0, 10, (BATCH, MAX_LEN))
    src = torch.full((BATCH, MAX_LEN), PAD, dtype=torch.long)
    tgt = torch.full((BATCH, MAX_LEN), PAD, dtype=torch.long)
    for b in range(BATCH):
        n = int(lengths[b])
        src[b, :n] = digits[b, :n] + DIGIT0
        tgt[b, :n] = src[b, :n].flip(0)
    dec_in = torch.cat([torch.full((BATCH, 1), START, dtype=torch.long), tgt[:, :-1]], 1)
    return src.t().contiguous(), lengths, dec_in.t().contiguous(), tgt


def train(seed, steps):
    torch.manual_seed(seed)
    model = Seq2Seq()
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    criterion = nn.CrossEntropyLoss(ignore_index=PAD)
    losses = []
    for _ in range(steps):
        src, lengths, dec_in, tgt = batch()
        optimizer.zero_grad()
        keys, h, mask = model.encode(src, lengths)
        logits, _, _ = model.decode(dec_in, h, keys, mask)
        loss = criterion(logits.reshape(-1, VOCAB), tgt.reshape(-1))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def main():
    tensors, meta = {}, {"seeds": ",".join(str(s) for s in SEEDS), "steps": str(STEPS)}
    for seed in SEEDS:
        losses = train(seed, STEPS)
        tensors["seed_%d.loss" % seed] = torch.tensor(losses, dtype=torch.float32)
    os.makedirs(OUT, exist_ok=True)
    save_file(tensors, os.path.join(OUT, "seq2seq_attention.safetensors"), metadata=meta)


if __name__ == "__main__":
    main()
