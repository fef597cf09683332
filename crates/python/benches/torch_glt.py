"""A PyTorch twin of the Group Lasso Transformer, for the Captum benchmark only.

The module is the architecture of SPEC §3 (tabular mode), built from the
safetensors export of a glassbox model (names and conventions of SPEC §5),
so that Captum can explain exactly the weights glassbox explains:

    raw x → z = (x − mean) / std → token_f = z_f·W[f,:] + B[f,:] → [CLS; tokens]
      → n_blocks × (h += MHA(LN₁ h); h += FFN(LN₂ h)) → LN(h_CLS) → Linear → logits

torch (and captum, in captum_compare.py) are installed for the benchmark
only; they are not dependencies of the glassbox package. Sequence mode is
not covered: the loader refuses a sequence model.

Run the self-check (the twin's probabilities against glassbox's
``predict_proba`` on the demo rows) from the repository root, in a
virtual environment with glassbox, numpy, pandas and torch:

    python crates/python/benches/torch_glt.py [models/railway-demo.glt models/railway-demo.csv]

The safetensors file is read with a few lines of Python (8-byte header
length, JSON header, little-endian f32 data), so no ``safetensors``
package is needed.
"""

from __future__ import annotations

import json
import math
import struct
import sys
import tempfile
from pathlib import Path
from typing import Dict, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def read_safetensors(path: str) -> Tuple[Dict[str, torch.Tensor], Dict[str, str]]:
    """The tensors (all f32) and the metadata of a safetensors file."""
    blob = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + n])
    metadata = header.pop("__metadata__", {})
    data = blob[8 + n :]
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{name}: dtype {info['dtype']}, expected F32")
        start, end = info["data_offsets"]
        values = np.frombuffer(data[start:end], dtype="<f4").reshape(info["shape"])
        tensors[name] = torch.from_numpy(values.copy())
    return tensors, metadata


class Block(nn.Module):
    """One pre-norm encoder block: h += MHA(LN₁ h); h += FFN(LN₂ h)."""

    #: attention by ``F.scaled_dot_product_attention`` (True, the default:
    #: somewhat faster under Captum on CPU) or by explicit matmuls (False)
    fused = True

    def __init__(self, d: int, n_heads: int, d_ff: int, eps: float):
        super().__init__()
        self.n_heads, self.eps = n_heads, eps
        self.attn_norm = nn.LayerNorm(d, eps=eps)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.ffn_norm = nn.LayerNorm(d, eps=eps)
        self.up, self.down = nn.Linear(d, d_ff), nn.Linear(d_ff, d)

    def attention(self, x: torch.Tensor) -> torch.Tensor:
        n, t, d = x.shape
        dh = d // self.n_heads

        def heads(y: torch.Tensor) -> torch.Tensor:  # [N, T, d] → [N, H, T, dh]
            return y.view(n, t, self.n_heads, dh).transpose(1, 2)

        q, k, v = heads(self.q(x)), heads(self.k(x)), heads(self.v(x))
        if self.fused:  # the same softmax(qkᵀ/√d_head)v, in PyTorch's fused kernel (its default scale is 1/√d_head)
            a = F.scaled_dot_product_attention(q, k, v)
        else:
            a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh), dim=-1) @ v
        return self.o(a.transpose(1, 2).reshape(n, t, d))

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        h = h + self.attention(self.attn_norm(h))
        return h + self.down(F.gelu(self.up(self.ffn_norm(h)), approximate="tanh"))


class TorchGLT(nn.Module):
    """The GLT of SPEC §3 (tabular mode) as a function of the raw input
    ``x [N, F]`` (f32) → logits ``[N, C]``. Missing values (NaN) become the
    training mean (z = 0), as in glassbox."""

    def __init__(self, n_features: int, d: int, n_heads: int, n_blocks: int, d_ff: int, n_classes: int, eps: float):
        super().__init__()
        self.register_buffer("mean", torch.zeros(n_features))
        self.register_buffer("std", torch.ones(n_features))
        self.tok_w = nn.Parameter(torch.zeros(n_features, d))
        self.tok_b = nn.Parameter(torch.zeros(n_features, d))
        self.cls = nn.Parameter(torch.zeros(d))
        self.blocks = nn.ModuleList(Block(d, n_heads, d_ff, eps) for _ in range(n_blocks))
        self.head_norm = nn.LayerNorm(d, eps=eps)
        self.head = nn.Linear(d, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.where(torch.isnan(x), self.mean, x)
        z = (x - self.mean) / self.std  # [N, F]
        tokens = z.unsqueeze(-1) * self.tok_w + self.tok_b  # [N, F, d]
        cls = self.cls.expand(x.shape[0], 1, -1)
        h = torch.cat([cls, tokens], dim=1)  # [N, F+1, d]
        for block in self.blocks:
            h = block(h)
        return self.head(self.head_norm(h[:, 0]))

    @classmethod
    def from_safetensors(cls, path: str) -> Tuple["TorchGLT", Dict]:
        """The twin of an export (``glassbox.load(p).to_safetensors(path)``)
        in eval mode with frozen parameters, and the export's metadata
        (``config``, ``feature_names``, ``groups``, parsed)."""
        tensors, meta = read_safetensors(path)
        meta = {k: json.loads(v) for k, v in meta.items()}
        c = meta["config"]
        if c["mode"] != "tabular":
            raise ValueError(f"mode {c['mode']!r}: the twin covers tabular models only")
        if c.get("activation", "gelu_tanh") != "gelu_tanh":
            raise ValueError(f"activation {c['activation']!r}, expected gelu_tanh")
        n_features = tensors["scaler.mean"].shape[0]
        m = cls(n_features, c["d_model"], c["n_heads"], c["n_blocks"], c["d_ff"], c["n_classes"], c["layer_norm_eps"])
        names = {
            "scaler.mean": "mean",
            "scaler.std": "std",
            "tokenizer.weight": "tok_w",
            "tokenizer.bias": "tok_b",
            "cls": "cls",
            "head_norm.weight": "head_norm.weight",
            "head_norm.bias": "head_norm.bias",
            "head.weight": "head.weight",
            "head.bias": "head.bias",
        }
        for i in range(c["n_blocks"]):
            p = f"blocks.{i}"
            for part in ("attn_norm", "ffn_norm"):
                for w in ("weight", "bias"):
                    names[f"{p}.{part}.{w}"] = f"{p}.{part}.{w}"
            for lin in ("q", "k", "v", "o"):
                for w in ("weight", "bias"):
                    names[f"{p}.attn.{lin}.{w}"] = f"{p}.{lin}.{w}"
            for lin in ("up", "down"):
                for w in ("weight", "bias"):
                    names[f"{p}.ffn.{lin}.{w}"] = f"{p}.{lin}.{w}"
        if set(names) != set(tensors):
            raise ValueError(f"unexpected tensor names: missing {sorted(set(names) - set(tensors))}, extra {sorted(set(tensors) - set(names))}")
        state = {ours: tensors[theirs] for theirs, ours in names.items()}
        m.load_state_dict(state, strict=True)
        m.eval().requires_grad_(False)
        return m, meta


def twin_of(model, workdir: str) -> Tuple[TorchGLT, Dict]:
    """Exports a glassbox model to ``workdir`` and loads its twin."""
    path = str(Path(workdir) / "model.safetensors")
    model.to_safetensors(path)
    return TorchGLT.from_safetensors(path)


def check_twin(model, twin: TorchGLT, x: np.ndarray, tol: float = 1e-5) -> float:
    """Max |twin probabilities − ``model.predict_proba``| on the rows ``x``
    (raw feature values, the model's features in order); asserts ≤ ``tol``."""
    ours = model.predict_proba(x)
    with torch.no_grad():
        theirs = twin(torch.from_numpy(np.asarray(x, dtype=np.float32))).softmax(-1).double().numpy()
    diff = float(np.max(np.abs(ours - theirs)))
    assert diff <= tol, f"the twin's probabilities differ from predict_proba by {diff:.3g} (> {tol:g})"
    return diff


def main(argv) -> None:
    import glassbox

    model_path = argv[1] if len(argv) > 1 else "models/railway-demo.glt"
    csv_path = argv[2] if len(argv) > 2 else "models/railway-demo.csv"
    model = glassbox.load(model_path)
    df = glassbox.read_csv(csv_path)
    x = df[list(model.feature_names_in_)].to_numpy(dtype=np.float64)
    with tempfile.TemporaryDirectory() as tmp:
        twin, meta = twin_of(model, tmp)
    diff = check_twin(model, twin, x)
    print(f"{model_path}: config {meta['config']}")
    print(f"{csv_path}: {x.shape[0]} rows ({int(np.isnan(x).sum())} missing cells); max |p_torch − p_glassbox| = {diff:.3g}")


if __name__ == "__main__":
    main(sys.argv)
