"""glassbox against Captum, in-process, on identical weights (issue 12).

For each model, the glassbox model is exported to safetensors and loaded
into a PyTorch module of the same architecture (torch_glt.py, checked
against ``predict_proba`` first). Then, in one process, with 2 threads on
each side, after warm-up, this times

    Captum:   IntegratedGradients(lambda x: twin(x).softmax(-1)[:, 1]).attribute(
                  x, baselines=torch.zeros_like(x), n_steps=50,
                  method="gausslegendre", internal_batch_size=B)
    glassbox: glassbox.IntegratedGradients(model, method="gausslegendre",
                  n_steps=50).attribute(X, baselines="zero", n_threads=2)

for 1 row and for 1,000 rows, the two sides alternating within each
repetition, and prints the median seconds, the ratio Captum / glassbox
(> 1: glassbox is faster) and how far the two attributions are apart, as
a markdown table. Captum's ``internal_batch_size`` B is chosen per case as
the fastest of a few candidates during warm-up (all points in one pass
when rows × 50 ≤ --max-points, else 2, 5 or 10 steps of every row per
pass; each candidate timed once); the table says which won. The twin's
attention is PyTorch's fused ``scaled_dot_product_attention`` (a little
faster under Captum than explicit matmuls).

Inputs: missing cells are filled with the model's training mean before
either side sees them, so both explain the same finite rows (glassbox
would impute them the same way). glassbox gets a float64 numpy array and
Captum a float32 tensor, built outside the timed region.

torch and captum are installed for this benchmark only (they are not
dependencies of the package). Setup and run, from the repository root:

    python3 -m venv /work/venv-bench
    /work/venv-bench/bin/pip install numpy pandas torch captum /tmp/wheels/glassbox_glt-*.whl
    cargo run --release --bin synth -- railway --rows 2000 --seed 7 --out /tmp/railway.csv
    cargo run --release --bin train -- --data /tmp/railway.csv --label Tc_target \\
        --id Tc_BaseCode,Tc_SectionBreakStartKM,Tc_date --lambda 0 --epochs 5 --out /tmp/default.glt
    /work/venv-bench/bin/python crates/python/benches/captum_compare.py \\
        --data /tmp/railway.csv models/railway-demo.glt /tmp/default.glt
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from torch_glt import check_twin, twin_of  # noqa: E402

N_STEPS = 50


def captum_attribute(ig, x: torch.Tensor, batch):
    return ig.attribute(x, baselines=torch.zeros_like(x), n_steps=N_STEPS, method="gausslegendre", internal_batch_size=batch)


def timed(f):
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def batch_candidates(rows: int, max_points: int):
    """Captum's internal_batch_size candidates (points = rows × steps per
    forward pass; Captum needs ≥ rows): everything at once when it fits,
    else whole numbers of steps per pass, up to ``max_points``."""
    if rows * N_STEPS <= max_points:
        return [None]
    return [rows * s for s in (2, 5, 10) if rows * s <= max_points]


def run_case(name, model, twin, x64, reps, threads, max_points):
    from captum.attr import IntegratedGradients as CaptumIG

    import glassbox

    x32 = torch.from_numpy(x64.astype(np.float32))
    gig = glassbox.IntegratedGradients(model, method="gausslegendre", n_steps=N_STEPS)
    cig = CaptumIG(lambda x: twin(x).softmax(-1)[:, 1])

    def ours():
        return gig.attribute(x64, baselines="zero", n_threads=threads).values

    # warm-up, and Captum's fastest internal_batch_size
    ours()
    best, best_t = None, float("inf")
    tried = []
    captum_attribute(cig, x32[:1], None)
    for b in batch_candidates(x64.shape[0], max_points):
        t, _ = timed(lambda: captum_attribute(cig, x32, b))
        tried.append((b, t))
        if t < best_t:
            best, best_t = b, t

    t_ours, t_theirs = [], []
    a_ours = a_theirs = None
    for _ in range(reps):
        t, a_ours = timed(ours)
        t_ours.append(t)
        t, a_theirs = timed(lambda: captum_attribute(cig, x32, best))
        t_theirs.append(t)
    g, c = statistics.median(t_ours), statistics.median(t_theirs)
    a_theirs = a_theirs.double().numpy()
    rel = float(np.max(np.abs(a_ours - a_theirs)) / np.max(np.abs(a_ours)))
    return {
        "case": name,
        "rows": x64.shape[0],
        "glassbox": g,
        "captum": c,
        "ratio": c / g,
        "batch": best,
        "tried": tried,
        "rel": rel,
        "spread": (min(t_ours), max(t_ours), min(t_theirs), max(t_theirs)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs="+", help=".glt model files (tabular)")
    ap.add_argument("--data", required=True, help="CSV with the models' feature columns and ≥ 1,000 rows")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps-one", type=int, default=21, help="repetitions for 1 row")
    ap.add_argument("--reps-many", type=int, default=3, help="repetitions for 1,000 rows")
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--max-points", type=int, default=10000, help="largest Captum internal_batch_size tried (memory)")
    args = ap.parse_args()

    import captum

    import glassbox

    torch.set_num_threads(args.threads)
    load_before = os.getloadavg()
    print(f"torch {torch.__version__}, captum {captum.__version__}, glassbox {getattr(glassbox, '__version__', '?')}, numpy {np.__version__}")
    print(
        f"torch threads: intra-op {torch.get_num_threads()}, inter-op {torch.get_num_interop_threads()}; "
        f"glassbox n_threads={args.threads}; cores {os.cpu_count()}; grad mode on, params frozen, eval mode"
    )
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")

    df = glassbox.read_csv(args.data)
    demo_csv = Path(__file__).resolve().parents[3] / "models" / "railway-demo.csv"
    results = []
    for path in args.models:
        model = glassbox.load(path)
        with tempfile.TemporaryDirectory() as tmp:
            twin, meta = twin_of(model, tmp)
        c = meta["config"]
        label = f"{Path(path).name} (d={c['d_model']}, {c['n_heads']} heads, {c['n_blocks']} blocks, d_ff={c['d_ff']})"
        features = list(model.feature_names_in_)
        if demo_csv.exists():
            demo = glassbox.read_csv(str(demo_csv))[features].to_numpy(dtype=np.float64)
            print(f"{label}: twin vs predict_proba on {demo_csv.name} ({len(demo)} rows): max |diff| = {check_twin(model, twin, demo):.3g}")
        x = df[features].to_numpy(dtype=np.float64)[: args.rows]
        if len(x) < args.rows:
            raise SystemExit(f"{args.data} has {len(x)} rows, fewer than --rows {args.rows}")
        mean = twin.mean.double().numpy()
        x = np.where(np.isnan(x), mean, x)
        print(f"{label}: twin vs predict_proba on {len(x)} rows of {Path(args.data).name}: max |diff| = {check_twin(model, twin, x):.3g}")
        for n, reps in ((1, args.reps_one), (args.rows, args.reps_many)):
            r = run_case(label, model, twin, np.ascontiguousarray(x[:n]), reps, args.threads, args.max_points)
            tried = ", ".join(f"{b}: {t:.3g}s" for b, t in r["tried"])
            print(f"  {n} rows: internal_batch_size tried (one call each) {tried}; spread glassbox {r['spread'][0]:.4g}–{r['spread'][1]:.4g}s, Captum {r['spread'][2]:.4g}–{r['spread'][3]:.4g}s")
            results.append(r)

    load_after = os.getloadavg()
    print(f"load average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    print()
    print("| model | rows | glassbox (s) | Captum (s) | Captum / glassbox | Captum internal_batch_size | max \\|Δattr\\| / max \\|attr\\| |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        b = "all" if r["batch"] is None else r["batch"]
        print(f"| {r['case']} | {r['rows']:,} | {r['glassbox']:.4g} | {r['captum']:.4g} | {r['ratio']:.2f} | {b} | {r['rel']:.1e} |")


if __name__ == "__main__":
    main()
