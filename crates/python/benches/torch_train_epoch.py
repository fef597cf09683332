"""Seconds per training epoch: glassbox against a PyTorch twin (issue 15).

Both sides train the SPEC §3 architecture (d = 64, 4 heads, 3 blocks,
d_ff = 128, dropout 0.1 on the attention probabilities, after the GELU and
on both residual branches), weighted cross-entropy with balanced class
weights, AdamW (lr 1e-3, weight decay 1e-5 on the matrix weights only),
batch 256, shuffled, on 2 threads, λ = 0 (no proximal step), and score the
validation rows after every epoch (loss and ROC-AUC), on the same table:
`synth railway --rows 6000 --seed 7` without its id columns (70 % train,
15 % validation, as glassbox splits it).

- glassbox: `GroupLassoTransformer(penalty=0.0, …).fit` in-process for
  `E1` and `E2` epochs (patience beyond both, so no early stop); the
  seconds per epoch are `(t(E2) − t(E1)) / (E2 − E1)`, which leaves out the
  once-per-fit work (split, scaler, final metrics).
- torch: the same loop written plainly (`TrainTwin` below); the seconds per
  epoch are the median over `E2 − E1` epochs after one warm-up epoch.

The sides alternate `--repeats` times in one process; each repeat prints
both and the ratio torch/glassbox (> 1: glassbox faster). torch is
installed for the benchmark only (a separate virtual environment with
glassbox, numpy, pandas, scikit-learn and torch). Run on a quiet machine:

    python crates/python/benches/torch_train_epoch.py [--repeats 3] [--size spec|small] [--out bench-epoch.json]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
D, HEADS, BLOCKS, D_FF, DROPOUT, BATCH, LR, WD = 64, 4, 3, 128, 0.1, 256, 1e-3, 1e-5
# `--size`: the SPEC §3 size, or the one `train` picks by default for tables
# under 20 000 rows (crates/glt/src/sizing.rs).
SIZES = {"spec": (64, 4, 3, 128), "small": (32, 4, 2, 64)}


class TrainBlock(nn.Module):
    """A pre-norm encoder block with glassbox's training dropout."""

    def __init__(self):
        super().__init__()
        self.attn_norm, self.ffn_norm = nn.LayerNorm(D, eps=1e-5), nn.LayerNorm(D, eps=1e-5)
        self.q, self.k, self.v, self.o = (nn.Linear(D, D) for _ in range(4))
        self.up, self.down = nn.Linear(D, D_FF), nn.Linear(D_FF, D)

    def forward(self, h):
        n, t, _ = h.shape
        x = self.attn_norm(h)
        q, k, v = (lin(x).view(n, t, HEADS, D // HEADS).transpose(1, 2) for lin in (self.q, self.k, self.v))
        a = F.scaled_dot_product_attention(q, k, v, dropout_p=DROPOUT if self.training else 0.0)
        h = h + F.dropout(self.o(a.transpose(1, 2).reshape(n, t, D)), DROPOUT, self.training)
        f = self.down(F.dropout(F.gelu(self.up(self.ffn_norm(h)), approximate="tanh"), DROPOUT, self.training))
        return h + F.dropout(f, DROPOUT, self.training)


class TrainTwin(nn.Module):
    """Tokens z_f·W_f + B_f, [CLS; tokens], blocks, LN(h_CLS) → Linear."""

    def __init__(self, n_features: int):
        super().__init__()
        self.tok_w = nn.Parameter(torch.randn(n_features, D) * 0.02)
        self.tok_b = nn.Parameter(torch.zeros(n_features, D))
        self.cls = nn.Parameter(torch.randn(D) * 0.02)
        self.blocks = nn.ModuleList(TrainBlock() for _ in range(BLOCKS))
        self.head_norm, self.head = nn.LayerNorm(D, eps=1e-5), nn.Linear(D, 2)

    def forward(self, z):
        h = torch.cat([self.cls.expand(z.shape[0], 1, -1), z.unsqueeze(-1) * self.tok_w + self.tok_b], dim=1)
        for block in self.blocks:
            h = block(h)
        return self.head(self.head_norm(h[:, 0]))


def torch_epochs(z_tr, y_tr, z_va, y_va, epochs: int, seed: int) -> list:
    """Seconds of each epoch (train, then validation loss and ROC-AUC)."""
    from sklearn.metrics import roc_auc_score

    torch.manual_seed(seed)
    model = TrainTwin(z_tr.shape[1])
    decay = [p for n, p in model.named_parameters() if n.endswith("weight") and p.dim() == 2 and "norm" not in n]
    rest = [p for n, p in model.named_parameters() if not (n.endswith("weight") and p.dim() == 2 and "norm" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WD}, {"params": rest, "weight_decay": 0.0}], lr=LR)
    counts = torch.bincount(y_tr, minlength=2).double()
    weights = (len(y_tr) / (2 * counts)).float()
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        model.train()
        for idx in torch.randperm(len(y_tr)).split(BATCH):
            loss = F.cross_entropy(model(z_tr[idx]), y_tr[idx], weight=weights)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            logits = model(z_va)
            F.cross_entropy(logits, y_va, weight=weights).item()
            roc_auc_score(y_va.numpy(), logits.softmax(-1)[:, 1].numpy())
        times.append(time.perf_counter() - t0)
    return times


def glassbox_seconds(glassbox, x, y, epochs: int, seed: int) -> float:
    model = glassbox.GroupLassoTransformer(
        penalty=0.0, d_model=D, n_heads=HEADS, n_blocks=BLOCKS, d_ff=D_FF, epochs=epochs,
        patience=epochs + 1, refit=False, seed=seed, n_threads=2,
    )
    t0 = time.perf_counter()
    model.fit(x, y)
    elapsed = time.perf_counter() - t0
    assert model.report_["epochs_run"] == [epochs], model.report_["epochs_run"]
    return elapsed


def main(argv) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--epochs", default="2,10", help="E1,E2 (glassbox's marginal epochs; torch times E2−E1)")
    p.add_argument("--out", default=None, help="write the figures as JSON")
    p.add_argument("--size", choices=sorted(SIZES), default="spec",
                   help="spec: d 64, 4 heads, 3 blocks, d_ff 128; small: d 32, 4 heads, 2 blocks, d_ff 64")
    a = p.parse_args(argv[1:])
    global D, HEADS, BLOCKS, D_FF
    D, HEADS, BLOCKS, D_FF = SIZES[a.size]
    e1, e2 = map(int, a.epochs.split(","))
    import glassbox

    torch.set_num_threads(2)
    with tempfile.TemporaryDirectory() as tmp:
        csv = os.path.join(tmp, "railway.csv")
        subprocess.run([os.path.join(ROOT, "target", "release", "synth"), "railway", "--rows", "6000", "--seed", "7",
                        "--out", csv, "--quiet"], check=True)
        df = pd.read_csv(csv)
    y = df.pop("Tc_target").to_numpy()
    x = df.drop(columns=["Tc_BaseCode", "Tc_SectionBreakStartKM", "Tc_date"])
    x = x.select_dtypes("number")
    # The twin's rows: a seeded 70/15 split, standardised on the training rows.
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))
    tr, va = order[: int(0.7 * len(y))], order[int(0.7 * len(y)) : int(0.85 * len(y))]
    xv = np.nan_to_num(x.to_numpy(dtype=np.float64), nan=0.0)
    mean, std = xv[tr].mean(0), xv[tr].std(0) + 1e-12
    z = torch.from_numpy(((xv - mean) / std).astype(np.float32))
    yt = torch.from_numpy(y.astype(np.int64))
    print(f"table: {len(y)} rows × {x.shape[1]} features; train {len(tr)}, validation {len(va)}; "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)
    runs = []
    for r in range(a.repeats):
        ours = (glassbox_seconds(glassbox, x, y, e2, r) - glassbox_seconds(glassbox, x, y, e1, r)) / (e2 - e1)
        theirs = statistics.median(torch_epochs(z[tr], yt[tr], z[va], yt[va], e2 - e1 + 1, r)[1:])
        runs.append({"glassbox_s_per_epoch": ours, "torch_s_per_epoch": theirs, "ratio": theirs / ours})
        print(f"repeat {r}: glassbox {ours:.3f} s/epoch, torch {theirs:.3f} s/epoch, "
              f"torch/glassbox {theirs / ours:.2f}×", flush=True)
    ratios = [run["ratio"] for run in runs]
    print(f"ratio torch/glassbox: min {min(ratios):.2f}×, median {statistics.median(ratios):.2f}×, max {max(ratios):.2f}×")
    if a.out:
        with open(a.out, "w") as f:
            json.dump({"rows": len(y), "features": x.shape[1], "size": a.size, "torch": torch.__version__, "runs": runs},
                      f, indent=1)


if __name__ == "__main__":
    main(sys.argv)
