"""glassbox against Captum on identical weights: whole process, in-process
and Captum's ``attribute`` call, for 1, 100 and 10,000 rows (issue 16).

For each model, the glassbox model is exported to safetensors and loaded
into a PyTorch module of the same architecture (torch_glt.py, checked
against ``predict_proba`` first). Then, in one run, for each row count n
of ``--sizes`` (default 1,100,10000: the first n rows of ``--data``), with
2 threads on every side, this times three things:

    ours, whole process: the ``explain`` binary as a subprocess, wall time
        from spawn to exit (process start, model load, reading the full
        --data CSV up to row n-1, explaining, printing to /dev/null):
            explain --model M --data D --rows 0-(n-1) --method gausslegendre
                    --steps 50 --baseline zero --threads 2 --quiet
    ours, in-process: glassbox.IntegratedGradients(model, method="gausslegendre",
                  n_steps=50).attribute(X, baselines="zero", n_threads=2)
    Captum:   IntegratedGradients(lambda x: twin(x).softmax(-1)[:, 1]).attribute(
                  x, baselines=torch.zeros_like(x), n_steps=50,
                  method="gausslegendre", internal_batch_size=B)

after warm-up, the three alternating within each repetition (process,
in-process, Captum; each after a pause of ``--settle`` seconds, default
0.3, so that none runs beside torch's OpenMP workers still spinning from
Captum's last call), and prints the median seconds, the ratios Captum /
ours (> 1: ours is faster) and how far ours and Captum's attributions are
apart, as a markdown table; ``--json PATH`` also writes every time.

Why the pause: torch's CPU wheels run their threads on GNU OpenMP, whose
idle workers spin-wait for a while before they sleep (OMP_WAIT_POLICY and
GOMP_SPINCOUNT unset). Back to back (``--settle 0``) our process then
runs beside a spinning torch worker on one of the cores, and Captum's
next call finds its workers awake. ``OMP_WAIT_POLICY=passive`` in the
environment (read when torch is imported) makes them sleep at once; the
script prints and records both variables. On the 2-core test machine, one
row: back to back 1.0× with the default policy, 1.9–2.05× with
``passive``, 1.9–2.2× settled with either (crates/explainer/README.md).

Captum's ``internal_batch_size`` B is chosen per case as the fastest of a
few candidates during warm-up (all points in one pass when n × 50 ≤
--max-points, else 2, 5 or 10 steps of every row per pass; when not even
that fits, one step of every row per pass, the least Captum accepts; each
candidate timed once, no trial when there is only one); the table says
which won. The twin's attention is PyTorch's fused
``scaled_dot_product_attention`` (a little faster under Captum than
explicit matmuls).

Inputs: missing cells are filled with the model's training mean before
the in-process and Captum sides see them, so both explain the same finite
rows. glassbox gets a float64 numpy array and Captum a float32 tensor,
built outside the timed region. The binary reads the raw CSV itself. Its
attributions (``--out`` JSON of the first min(n, --check-rows) rows, an
extra untimed run that also warms it up) are checked against the library
on the same raw rows: they should be bit-identical. The cost of spawning a
process from this Python (``/bin/true``) is printed too; it is included
in the whole-process times, as it would be from a shell.

Targets (issue 16): one row as a whole process ≥ 1.5× faster than
Captum's in-process call (Captum / ours-process ≥ 1.5), and 10,000 rows
≥ 3× faster (Captum / ours-process ≥ 3).

torch and captum are installed for this benchmark only (they are not
dependencies of the package). Setup and run, from the repository root:

    python3 -m venv /work/bench-venv
    /work/bench-venv/bin/pip install numpy pandas torch captum /tmp/wheels/glassbox_glt-*.whl
    cargo build --release --bin explain --bin synth
    target/release/synth railway --rows 10000 --seed 7 --out /tmp/railway10k.csv
    /work/bench-venv/bin/python crates/python/benches/captum_compare.py \\
        --data /tmp/railway10k.csv --sizes 1,100,10000 --json /tmp/captum_compare.json \\
        models/railway-demo.glt

Repetitions per size: ``--reps`` (one count per size; default 21 for one
row, 5 up to 100 rows, 3 up to 1,000, 2 above). The 10,000-row case takes
minutes on 2 cores.

At equal accuracy (Captum at the smallest n_steps meeting completeness
≤ 1e-3 on every row, against ours adaptive): captum_equal_accuracy.py,
which imports its helpers from here.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from torch_glt import check_twin, twin_of  # noqa: E402

N_STEPS = 50
REPO = Path(__file__).resolve().parents[3]
# How torch's OpenMP workers wait when idle (GNU OpenMP reads these when
# torch is imported; unset: spin for a while, then sleep).
OPENMP_ENV = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")


def openmp_env() -> dict:
    """The OpenMP wait settings of this run (None: unset)."""
    return {k: os.environ.get(k) for k in OPENMP_ENV}


def captum_attribute(ig, x: torch.Tensor, batch):
    return ig.attribute(x, baselines=torch.zeros_like(x), n_steps=N_STEPS, method="gausslegendre", internal_batch_size=batch)


def timed(f):
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def rel_diff(a: np.ndarray, ref: np.ndarray) -> float:
    """max |a − ref| / max |ref|."""
    return float(np.max(np.abs(a - ref)) / np.max(np.abs(ref)))


def default_reps(n: int) -> int:
    return 21 if n <= 1 else 5 if n <= 100 else 3 if n <= 1000 else 2


def batch_candidates(rows: int, max_points: int, steps: int = N_STEPS):
    """Captum's internal_batch_size candidates (points = rows × steps per
    forward pass; Captum needs ≥ rows): everything at once when it fits,
    else whole numbers of steps per pass, up to ``max_points``; else one
    step per pass (``rows`` points, Captum's minimum)."""
    if rows * steps <= max_points:
        return [None]
    return [rows * s for s in (2, 5, 10) if rows * s <= max_points] or [rows]


def explain_command(args, model_path: str, n: int, out: str | None = None):
    """The CLI call explaining rows 0..n-1 of --data like Captum does."""
    cmd = [
        args.explain, "--model", model_path, "--data", args.data, "--rows", f"0-{n - 1}",
        "--method", "gausslegendre", "--steps", str(N_STEPS), "--baseline", "zero",
        "--threads", str(args.threads), "--quiet",
    ]  # fmt: skip
    return cmd + ["--out", out] if out else cmd


def run_process(cmd) -> float:
    """Wall seconds of one subprocess run (stdout to /dev/null)."""
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited with {p.returncode}:\n{p.stderr.decode(errors='replace')[-2000:]}")
    return t


def cli_agreement(args, model_path, gig, features, x_raw, k: int) -> float:
    """Runs the binary on rows 0..k-1 with ``--out`` JSON (untimed) and
    returns max |Δattr| / max |attr| against the library on the same raw
    rows (0 when bit-identical)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "cli.json")
        run_process(explain_command(args, model_path, k, out))
        doc = json.loads(Path(out).read_text())
    assert doc["method"] == "gausslegendre" and doc["steps"] == N_STEPS, (doc["method"], doc["steps"])
    assert doc["features"] == features, "the CLI's features differ from the model's"
    assert [r["index"] for r in doc["rows"]] == list(range(k))
    a_cli = np.array([r["attributions"] for r in doc["rows"]], dtype=np.float64)
    a_lib = gig.attribute(np.ascontiguousarray(x_raw[:k]), baselines="zero", n_threads=args.threads).values
    return rel_diff(a_cli, a_lib)


def run_case(args, model_path, model, twin, features, x64, x_raw, reps):
    from captum.attr import IntegratedGradients as CaptumIG

    import glassbox

    n = x64.shape[0]
    x32 = torch.from_numpy(x64.astype(np.float32))
    gig = glassbox.IntegratedGradients(model, method="gausslegendre", n_steps=N_STEPS)
    cig = CaptumIG(lambda x: twin(x).softmax(-1)[:, 1])
    cmd = explain_command(args, model_path, n)

    def ours():
        return gig.attribute(x64, baselines="zero", n_threads=args.threads).values

    # warm-up: the CLI check (one run of the binary and one library call),
    # the library, Captum, and Captum's fastest internal_batch_size
    k = min(n, args.check_rows)
    cli_rel = cli_agreement(args, model_path, gig, features, x_raw, k)
    gig.attribute(np.ascontiguousarray(x64[: min(n, 100)]), baselines="zero", n_threads=args.threads)
    captum_attribute(cig, x32[:1], None)
    candidates = batch_candidates(n, args.max_points)
    best, tried = candidates[0], []
    if len(candidates) > 1:
        for b in candidates:
            t, _ = timed(lambda: captum_attribute(cig, x32, b))
            tried.append((b, t))
        best = min(tried, key=lambda bt: bt[1])[0]

    t_proc, t_ours, t_theirs = [], [], []
    a_ours = a_theirs = None
    for _ in range(reps):
        # Each side starts on an idle machine: torch's OpenMP workers spin
        # for a while after Captum's call, and without the pause the next
        # repetition's process ran beside them (one row: median 17.6 ms
        # right after Captum against 15.2 ms 0.3 s later).
        time.sleep(args.settle)
        t_proc.append(run_process(cmd))
        time.sleep(args.settle)
        t, a_ours = timed(ours)
        t_ours.append(t)
        time.sleep(args.settle)
        t, a_theirs = timed(lambda: captum_attribute(cig, x32, best))
        t_theirs.append(t)
    p, g, c = statistics.median(t_proc), statistics.median(t_ours), statistics.median(t_theirs)
    return {
        "model": model_path,
        "rows": n,
        "reps": reps,
        "ours_process": p,
        "ours_inprocess": g,
        "captum": c,
        "ratio_process": c / p,
        "ratio_inprocess": c / g,
        "batch": best,
        "tried": tried,
        "rel": rel_diff(a_ours, a_theirs.double().numpy()),
        "cli_check_rows": k,
        "cli_rel": cli_rel,
        "times": {"ours_process": t_proc, "ours_inprocess": t_ours, "captum": t_theirs},
        "command": " ".join(cmd),
    }


def fmt_load(load) -> str:
    return " ".join(f"{v:.2f}" for v in load)


def load_case(path: str, df, data_path: str, max_n: int):
    """Loads a model and its torch twin, checks the twin against
    ``predict_proba`` (the demo rows, when present, and the first ``max_n``
    rows of ``df``) and returns (model, twin, label, features, raw rows,
    rows with missing cells filled with the training mean)."""
    import glassbox

    model = glassbox.load(path)
    with tempfile.TemporaryDirectory() as tmp:
        twin, meta = twin_of(model, tmp)
    c = meta["config"]
    label = f"{Path(path).name} (d={c['d_model']}, {c['n_heads']} heads, {c['n_blocks']} blocks, d_ff={c['d_ff']})"
    features = list(model.feature_names_in_)
    demo_csv = REPO / "models" / "railway-demo.csv"
    if demo_csv.exists():
        demo = glassbox.read_csv(str(demo_csv))[features].to_numpy(dtype=np.float64)
        print(f"{label}: twin vs predict_proba on {demo_csv.name} ({len(demo)} rows): max |diff| = {check_twin(model, twin, demo):.3g}")
    x_raw = df[features].to_numpy(dtype=np.float64)[:max_n]
    if len(x_raw) < max_n:
        raise SystemExit(f"{data_path} has {len(x_raw)} rows, fewer than the largest of --sizes ({max_n})")
    x = np.where(np.isnan(x_raw), twin.mean.double().numpy(), x_raw)
    print(f"{label}: twin vs predict_proba on {len(x)} rows of {Path(data_path).name}: max |diff| = {check_twin(model, twin, x):.3g}")
    return model, twin, label, features, x_raw, x


def environment(args):
    """Sets torch's threads to ``--threads``, prints the versions, threads,
    load average and the cost of spawning a process from here; returns
    (versions, load average before, spawn seconds)."""
    import captum

    import glassbox

    torch.set_num_threads(args.threads)
    load_before = os.getloadavg()
    explain_version = subprocess.run([args.explain, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    versions = {
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "captum": captum.__version__,
        "glassbox": getattr(glassbox, "__version__", "?"),
        "numpy": np.__version__,
        "explain": explain_version,
    }
    print(", ".join(f"{k} {v}" for k, v in versions.items()))
    print(
        f"torch threads: intra-op {torch.get_num_threads()}, inter-op {torch.get_num_interop_threads()}; "
        f"glassbox n_threads={args.threads}; explain --threads {args.threads}; cores {os.cpu_count()}; grad mode on, params frozen, eval mode"
    )
    waits = ", ".join(f"{k}={v if v is not None else 'unset'}" for k, v in openmp_env().items())
    print(f"OpenMP wait: {waits} (unset: torch's idle workers spin before they sleep)")
    print(f"load average before: {fmt_load(load_before)}")
    spawn = statistics.median(run_process(["true"]) for _ in range(11))
    print(f"spawning a process from here (`true`, median of 11): {spawn * 1e3:.2f} ms, included in the whole-process times")
    return versions, load_before, spawn


def add_common_arguments(ap: argparse.ArgumentParser) -> None:
    """The flags both Captum benchmarks take: models, data, binary, sizes,
    repetitions, threads, Captum's batch bound, the CLI check and --json."""
    ap.add_argument("models", nargs="*", default=[str(REPO / "models" / "railway-demo.glt")], help=".glt model files (tabular; default: the railway demo)")
    ap.add_argument("--data", required=True, help="CSV with the models' feature columns and ≥ max(--sizes) rows (read in full by the binary)")
    ap.add_argument("--explain", default=str(REPO / "target" / "release" / "explain"), help="the explain binary (default: %(default)s)")
    ap.add_argument("--sizes", default="1,100,10000", help="row counts, comma-separated (default: %(default)s)")
    ap.add_argument("--reps", help="repetitions per size, comma-separated, one per size (default: 21 for 1 row, 5 up to 100, 3 up to 1,000, else 2)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-points", type=int, default=10000, help="largest Captum internal_batch_size tried (memory)")
    ap.add_argument("--check-rows", type=int, default=100, help="rows whose CLI attributions are checked against the library (default: %(default)s)")
    ap.add_argument("--json", help="also write the results as JSON to this path")


def sizes_and_reps(args):
    """--sizes and --reps as lists (one positive count per size), after
    checking that --explain exists."""
    sizes = [int(s) for s in args.sizes.split(",")]
    reps = [int(r) for r in args.reps.split(",")] if args.reps else [default_reps(n) for n in sizes]
    if len(reps) != len(sizes) or min(sizes) < 1 or min(reps) < 1:
        raise SystemExit(f"--reps {args.reps}: need one positive count per size of --sizes {args.sizes}")
    if not Path(args.explain).is_file():
        raise SystemExit(f"{args.explain}: no such binary (cargo build --release --bin explain, or --explain PATH)")
    return sizes, reps


def write_json(args, run: dict, labels: dict, results: list, **settings) -> None:
    """With --json, the results with the run's environment (``run``:
    versions, spawn seconds, load before and after) and the benchmark's own
    ``settings``."""
    if not args.json:
        return
    doc = {
        "versions": run["versions"],
        "threads": args.threads,
        "cores": os.cpu_count(),
        "data": args.data,
        "explain": args.explain,
        **settings,
        "baseline": "zero",
        "openmp_env": openmp_env(),
        "spawn_seconds": run["spawn_seconds"],
        "load_before": list(run["load_before"]),
        "load_after": list(run["load_after"]),
        "models": labels,
        "results": results,
    }
    Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
    print(f"wrote {args.json}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(ap)
    ap.add_argument("--settle", type=float, default=0.3, help="seconds of pause before each timed call, so no side runs beside the last one's spinning threads (default: %(default)s)")
    args = ap.parse_args()
    if args.settle < 0:
        raise SystemExit(f"--settle {args.settle}: must be ≥ 0")
    sizes, reps = sizes_and_reps(args)

    import glassbox

    versions, load_before, spawn = environment(args)
    df = glassbox.read_csv(args.data)
    max_n = max(sizes)
    results, labels = [], {}
    for path in args.models:
        model, twin, label, features, x_raw, x = load_case(path, df, args.data, max_n)
        labels[path] = label
        for n, r in zip(sizes, reps):
            res = run_case(args, path, model, twin, features, np.ascontiguousarray(x[:n]), x_raw, r)
            tr = res["times"]
            tried = ", ".join(f"{b}: {t:.3g}s" for b, t in res["tried"]) or "one candidate, not tried"
            print(
                f"  {n:,} row{'s' * (n != 1)}, {r} reps: spread process {min(tr['ours_process']):.4g}–{max(tr['ours_process']):.4g}s, "
                f"in-process {min(tr['ours_inprocess']):.4g}–{max(tr['ours_inprocess']):.4g}s, "
                f"Captum {min(tr['captum']):.4g}–{max(tr['captum']):.4g}s; internal_batch_size {tried}; "
                f"CLI vs library on raw rows 0-{res['cli_check_rows'] - 1}: max |Δattr| / max |attr| = {res['cli_rel']:.1e}"
            )
            results.append(res)

    load_after = os.getloadavg()
    print(f"load average after: {fmt_load(load_after)}")
    print()
    for path in args.models:
        print(f"{labels[path]}, data {Path(args.data).name}, 50 Gauss–Legendre steps, zero baseline, {args.threads} threads, {args.settle} s pause before each timed call:")
        print()
        print(
            "| rows | ours whole process (s) | ours in-process (s) | Captum attribute (s) | Captum / ours-process "
            "| Captum / ours-in-process | Captum batch | max \\|Δattr\\| / max \\|attr\\| |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in (r for r in results if r["model"] == path):
            b = "all" if r["batch"] is None else f"{r['batch']:,}"
            print(
                f"| {r['rows']:,} | {r['ours_process']:.4g} | {r['ours_inprocess']:.4g} | {r['captum']:.4g} "
                f"| {r['ratio_process']:.2f} | {r['ratio_inprocess']:.2f} | {b} | {r['rel']:.1e} |"
            )
        print()
        for r in (r for r in results if r["model"] == path and r["rows"] in (1, 10000)):
            goal = 1.5 if r["rows"] == 1 else 3.0
            verdict = "met" if r["ratio_process"] >= goal else "not met"
            print(f"target (issue 16), {r['rows']:,} row{'s' * (r['rows'] != 1)}: Captum / ours-process ≥ {goal:g}: {r['ratio_process']:.2f}, {verdict}")
    print(f"load average (1, 5, 15 min) before: {fmt_load(load_before)}; after: {fmt_load(load_after)}")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))

    run = {"versions": versions, "spawn_seconds": spawn, "load_before": load_before, "load_after": load_after}
    write_json(args, run, labels, results, steps=N_STEPS, method="gausslegendre", settle_seconds=args.settle)


if __name__ == "__main__":
    main()
