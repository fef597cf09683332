"""glassbox against Captum at equal accuracy: the time each side needs to
reach completeness ≤ ``--tolerance`` on every row (issue 16).

Completeness of a row is its relative convergence delta, with the
absolute floor of our adaptive default (REL, ABS = ``--tolerance``,
default 1e-3,1e-6):

    δ = Σ_i IG_i − (F(x) − F(x')),  F = P(class 1), x' = 0
    the row meets the bar when |δ| ≤ max(REL·|ΔF|, ABS), that is when
    r = |δ| / max(|ΔF|, ABS/REL) ≤ REL

(r is the relative delta |δ|/|ΔF| with |ΔF| floored at ABS/REL = 1e-3;
"worst r" below is the maximum over the rows, the same rule on both sides).

On identical weights (the safetensors export in the PyTorch twin of
torch_glt.py, checked against ``predict_proba``, as in captum_compare.py),
for each row count n of ``--sizes`` (the first n rows of ``--data``,
missing cells filled with the training mean for the library and Captum),
with ``--threads`` threads on every side:

    Captum: IntegratedGradients(lambda x: twin(x).softmax(-1)).attribute(
                x, baselines=torch.zeros_like(x), target=1, n_steps=k,
                method="gausslegendre", internal_batch_size=B,
                return_convergence_delta=True)
        for k along ``--ladder`` (10, 15, …, 2000), stopping at the first k*
        that meets the bar on every row. This search is untimed in the
        results (each call's seconds are listed apart); at each k the rows
        that failed at an earlier k are run first, and all rows only when
        those pass, so the k* found is exactly the first k of the ladder at
        which all rows meet the bar. r is computed here in float64, from
        Captum's float32 attributions and F of a float64 copy of the twin
        (the same f32 weights, f64 arithmetic); Captum's own delta, computed
        by Captum in float32, is reported beside it. k* is an oracle choice
        (a user would not know it beforehand), which favours Captum.
    ours, whole process: explain --model M --data D --rows 0-(n-1)
        --method adaptive --tolerance REL,ABS --baseline zero --threads T
        --quiet (wall time, spawn to exit, stdout to /dev/null; an untimed
        run with ``--out`` JSON first gives every row's δ, F(x), F(x') and
        gradient evaluations, checked against the bar)
    ours, in-process: glassbox.IntegratedGradients(model, method="adaptive",
        tolerance=(REL, ABS)).attribute(X, baselines="zero", target=1,
        n_threads=T); the Explanation's delta, output, base_values and
        evaluations give r and the evaluations per row (gradient evaluations
        only: the engine's forward-only scan, 33 points per row, and the
        panel-end outputs are not reported by the package or the CLI).

    ours, doubling: the fixed rule's tolerance mode, which like Captum's k*
        looks at completeness only, but row by row and without hindsight:
        explain ... --method gausslegendre --steps S --tolerance REL (S =
        ``--start-steps``, default 10; n doubles per row until
        |δ|/|ΔF| < REL, at most 1600), and in-process
        glassbox.IntegratedGradients(model, method="gausslegendre",
        n_steps=S, tolerance=REL); float32 (precision "auto" of a fixed
        rule), evaluations per row = the n it stopped at.

Ours runs in float64 with the adaptive method (precision "auto") and in
float32 with doubling; Captum in float32. After the search and warm-up (Captum's ``internal_batch_size`` B at
k* chosen as the fastest candidate, as in captum_compare.py), the three
sides alternate within each repetition; the table gives medians, the
ratios Captum / ours (> 1: ours is faster), the worst r of each side (from
the last timed run; ours also against the float64 twin's F) and our
gradient evaluations per row (median / max); the detail lines also give
how far Captum's attributions at k* are from ours feature by feature (ours
stops only when a per-feature error estimate also meets the bar, a
stricter test than completeness). Captum's timed call includes
its convergence delta (two extra forward passes), as ours includes F(x)
and F(x'). When no k of the ladder meets the bar, Captum is timed at the
largest k and marked "not met".

From the repository root, in the benchmark environment of captum_compare.py:

    /work/bench-venv/bin/python crates/python/benches/captum_equal_accuracy.py \\
        --data rail10000.csv --sizes 1,100,10000 --reps 15,5,2 \\
        --json /tmp/captum_equal_accuracy.json d64.glt
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from captum_compare import (  # noqa: E402
    add_common_arguments, batch_candidates, environment, fmt_load, load_case, rel_diff, run_process, sizes_and_reps, timed, write_json,
)

LADDER = "10,15,20,30,40,50,75,100,150,200,300,500,1000,2000"


def completeness(delta: np.ndarray, diff: np.ndarray, rel: float, abs_: float) -> np.ndarray:
    """r = |δ| / max(|ΔF|, abs/rel) per row: ≤ rel exactly when |δ| ≤ max(rel·|ΔF|, abs)."""
    return np.abs(delta) / np.maximum(np.abs(diff), abs_ / rel)


def twin_outputs(twin64, x64: np.ndarray, chunk: int = 1000):
    """F(x) per row and F(0) of the float64 twin (class-1 probability)."""
    with torch.no_grad():
        f = np.concatenate([twin64(torch.from_numpy(x64[i : i + chunk])).softmax(-1)[:, 1].numpy() for i in range(0, len(x64), chunk)])
        f0 = twin64(torch.zeros(1, x64.shape[1], dtype=torch.float64)).softmax(-1)[0, 1].item()
    return f, f0


def captum_run(cig, x32: torch.Tensor, steps: int, batch):
    """One Captum call: (float64 attributions, Captum's float32 delta as float64)."""
    a, d = cig.attribute(
        x32, baselines=torch.zeros_like(x32), target=1, n_steps=steps, method="gausslegendre",
        internal_batch_size=batch, return_convergence_delta=True,
    )  # fmt: skip
    return a.double().numpy(), d.double().numpy()


def captum_search(cig, x32, diff, args, ladder):
    """The first k of ``ladder`` at which Captum meets the bar on every row
    (None when none does), and the trace of the calls made: the rows that
    failed at an earlier k first, all rows only when they all pass."""
    rel, abs_ = args.tol
    suspects = np.zeros(len(diff), dtype=bool)
    trace = []
    for k in ladder:
        runs = [np.flatnonzero(suspects)] if suspects.any() else []
        runs.append(np.arange(len(diff)))
        for rows in runs:
            batch = batch_candidates(len(rows), args.max_points, k)[0]
            t, (a, _) = timed(lambda: captum_run(cig, x32[torch.from_numpy(rows)], k, batch))
            r = completeness(a.sum(1) - diff[rows], diff[rows], rel, abs_)
            fail = r > rel
            trace.append({"steps": k, "rows": len(rows), "failing": int(fail.sum()), "worst": float(r.max()), "seconds": t, "batch": batch})
            suspects[rows[fail]] = True
            if fail.any():
                break
        else:
            return k, trace
    return None, trace


def integration_flags(args, mode: str):
    """The CLI's integration flags for ``mode``: "adaptive" (the default
    engine at the bar's tolerance) or "doubling" (Gauss–Legendre from
    ``--start-steps``, n doubled per row until |δ|/|ΔF| < REL)."""
    rel, abs_ = args.tol
    if mode == "adaptive":
        return ["--method", "adaptive", "--tolerance", f"{rel:g},{abs_:g}"]
    return ["--method", "gausslegendre", "--steps", str(args.start_steps), "--tolerance", f"{rel:g}"]


def explain_command(args, model_path: str, n: int, mode: str, out: str | None = None):
    """The CLI call explaining rows 0..n-1 of --data in ``mode``."""
    cmd = [
        args.explain, "--model", model_path, "--data", args.data, "--rows", f"0-{n - 1}",
        *integration_flags(args, mode), "--baseline", "zero", "--threads", str(args.threads), "--quiet",
    ]  # fmt: skip
    return cmd + ["--out", out] if out else cmd


def cli_rows(args, model_path: str, n: int, features, mode: str):
    """Runs the binary once with ``--out`` JSON (untimed) and returns its
    attributions, δ, F(x), F(x'), evaluations and converged flags per row."""
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "cli.json")
        run_process(explain_command(args, model_path, n, mode, out))
        doc = json.loads(Path(out).read_text())
    want = "adaptive" if mode == "adaptive" else "gausslegendre"
    assert doc["method"] == want and doc["features"] == features, (doc["method"], "features differ")
    assert [r["index"] for r in doc["rows"]] == list(range(n))
    rows = doc["rows"]
    col = {k: np.array([r[k] for r in rows], dtype=np.float64) for k in ("delta", "output", "baseline_output", "evaluations")}
    col["attributions"] = np.array([r["attributions"] for r in rows], dtype=np.float64)
    col["converged"] = np.array([r["converged"] for r in rows], dtype=bool)
    return col


def run_case(args, model_path, model, twin, twin64, features, x64, x_raw, reps, ladder):
    from captum.attr import IntegratedGradients as CaptumIG

    import glassbox

    rel, abs_ = args.tol
    n = x64.shape[0]
    x32 = torch.from_numpy(x64.astype(np.float32))
    f, f0 = twin_outputs(twin64, x64)
    diff = f - f0
    gig = glassbox.IntegratedGradients(model, method="adaptive", tolerance=(rel, abs_))
    dig = glassbox.IntegratedGradients(model, method="gausslegendre", n_steps=args.start_steps, tolerance=rel)
    cig = CaptumIG(lambda x: twin(x).softmax(-1))
    cmd, dcmd = explain_command(args, model_path, n, "adaptive"), explain_command(args, model_path, n, "doubling")

    def ours():
        return gig.attribute(x64, baselines="zero", target=1, n_threads=args.threads)

    def ours_doubling():
        return dig.attribute(x64, baselines="zero", target=1, n_threads=args.threads)

    # warm-up and checks: the binary with --out (every row), the library on
    # the first raw rows (the binary's attributions should equal them bit
    # for bit), then Captum's search for k* and its fastest batch at k*
    cli = cli_rows(args, model_path, n, features, "adaptive")
    dcli = cli_rows(args, model_path, n, features, "doubling")
    k = min(n, args.check_rows)
    lib = gig.attribute(np.ascontiguousarray(x_raw[:k]), baselines="zero", target=1, n_threads=args.threads)
    cli_rel = rel_diff(cli["attributions"][:k], lib.values)
    captum_run(cig, x32[:1], ladder[0], None)
    k_star, trace = captum_search(cig, x32, diff, args, ladder)
    k_time = k_star or ladder[-1]
    candidates = batch_candidates(n, args.max_points, k_time)
    best, tried = candidates[0], []
    if len(candidates) > 1:
        for b in candidates:
            t, _ = timed(lambda: captum_run(cig, x32, k_time, b))
            tried.append((b, t))
        best = min(tried, key=lambda bt: bt[1])[0]

    t_proc, t_ours, t_dproc, t_dours, t_theirs = [], [], [], [], []
    e = de = a_theirs = None
    for _ in range(reps):
        t_proc.append(run_process(cmd))
        t, e = timed(ours)
        t_ours.append(t)
        t_dproc.append(run_process(dcmd))
        t, de = timed(ours_doubling)
        t_dours.append(t)
        t, a_theirs = timed(lambda: captum_run(cig, x32, k_time, best))
        t_theirs.append(t)
    p, g, c = statistics.median(t_proc), statistics.median(t_ours), statistics.median(t_theirs)
    dp, dg = statistics.median(t_dproc), statistics.median(t_dours)
    r_doubling = completeness(de.delta, de.output - de.base_values, rel, abs_)
    r_doubling_cli = completeness(dcli["delta"], dcli["output"] - dcli["baseline_output"], rel, abs_)
    dev = np.asarray(de.evaluations)

    a, d32 = a_theirs
    r_captum = completeness(a.sum(1) - diff, diff, rel, abs_)
    r_captum_own = completeness(d32, diff, rel, abs_)  # Captum's f32 δ, floored with the f64 twin's ΔF
    r_ours = completeness(e.delta, e.output - e.base_values, rel, abs_)
    r_ours_twin = completeness(e.values.sum(1) - diff, diff, rel, abs_)
    r_cli = completeness(cli["delta"], cli["output"] - cli["baseline_output"], rel, abs_)
    # per feature: Σ_i |IG_i Captum − IG_i ours| / max(|ΔF|, abs/rel) (ours stops on a per-feature error estimate)
    gap = completeness(np.abs(a - e.values).sum(1), diff, rel, abs_)
    ev = np.asarray(e.evaluations)
    return {
        "model": model_path,
        "rows": n,
        "reps": reps,
        "captum_steps": k_star,
        "captum_timed_steps": k_time,
        "captum_met": bool(k_star is not None and r_captum.max() <= rel),
        "captum": c,
        "ours_process": p,
        "ours_inprocess": g,
        "ratio_process": c / p,
        "ratio_inprocess": c / g,
        "captum_worst": float(r_captum.max()),
        "captum_worst_own_delta": float(r_captum_own.max()),
        "captum_feature_gap_vs_ours": float(gap.max()),
        "ours_worst": float(r_ours.max()),
        "ours_worst_vs_twin": float(r_ours_twin.max()),
        "ours_process_worst": float(r_cli.max()),
        "ours_met": bool(r_ours.max() <= rel and r_cli.max() <= rel),
        "ours_not_converged": int(np.sum(~np.asarray(e.converged))),
        "ours_process_not_converged": int(np.sum(~cli["converged"])),
        "doubling_process": dp,
        "doubling_inprocess": dg,
        "doubling_ratio_process": c / dp,
        "doubling_ratio_inprocess": c / dg,
        "doubling_worst": float(r_doubling.max()),
        "doubling_process_worst": float(r_doubling_cli.max()),
        "doubling_met": bool(r_doubling.max() <= rel and r_doubling_cli.max() <= rel),
        "doubling_not_converged": int(np.sum(~np.asarray(de.converged))),
        "doubling_evaluations_median": float(np.median(dev)),
        "doubling_evaluations_max": int(dev.max()),
        "doubling_evaluations_equal_process": bool(np.array_equal(dev, dcli["evaluations"])),
        "evaluations_median": float(np.median(ev)),
        "evaluations_max": int(ev.max()),
        "evaluations_equal_process": bool(np.array_equal(ev, cli["evaluations"])),
        "rows_under_abs_floor": int(np.sum(np.abs(diff) < abs_ / rel)),
        "max_output_diff_vs_twin": float(np.max(np.abs(e.output - f))),
        "batch": best,
        "tried": tried,
        "search": trace,
        "cli_check_rows": k,
        "cli_rel": cli_rel,
        "times": {
            "ours_process": t_proc, "ours_inprocess": t_ours, "doubling_process": t_dproc,
            "doubling_inprocess": t_dours, "captum": t_theirs,
        },  # fmt: skip
        "command": " ".join(cmd),
        "doubling_command": " ".join(dcmd),
    }


def print_table(args, label, results) -> None:
    """The markdown table of one model's results."""
    rel, abs_ = args.tol
    print(
        f"{label}, data {Path(args.data).name}, zero baseline, target class 1 (probability), {args.threads} threads; "
        f"bar |δ| ≤ max({rel:g}·|ΔF|, {abs_:g}) on every row; r = |δ| / max(|ΔF|, {abs_ / rel:g}):"
    )
    print()
    print(
        "| rows | Captum n_steps k* | Captum at k* (s) | ours, side | ours whole process (s) | ours in-process (s) "
        "| Captum / ours-process | Captum / ours-in-process | worst r, Captum | worst r, ours | ours evaluations per row, median / max |"
    )
    print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        k = f"{r['captum_steps']}" if r["captum_met"] else f"> {r['captum_timed_steps']} (not met)" if r["captum_steps"] is None else f"{r['captum_steps']} (not met when timed)"
        head = f"| {r['rows']:,} | {k} | {r['captum']:.4g}"
        print(
            f"{head} | adaptive | {r['ours_process']:.4g} | {r['ours_inprocess']:.4g} "
            f"| {r['ratio_process']:.2f} | {r['ratio_inprocess']:.2f} | {r['captum_worst']:.1e} | {r['ours_worst']:.1e} "
            f"| {r['evaluations_median']:g} / {r['evaluations_max']} |"
        )
        print(
            f"{head} | doubling from {args.start_steps} | {r['doubling_process']:.4g} | {r['doubling_inprocess']:.4g} "
            f"| {r['doubling_ratio_process']:.2f} | {r['doubling_ratio_inprocess']:.2f} | {r['captum_worst']:.1e} "
            f"| {r['doubling_worst']:.1e}{'' if r['doubling_met'] else ' (not met)'} "
            f"| {r['doubling_evaluations_median']:g} / {r['doubling_evaluations_max']} |"
        )
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(ap)
    ap.add_argument("--tolerance", default="1e-3,1e-6", help="REL[,ABS]: the bar |δ| ≤ max(REL·|ΔF|, ABS), for both sides (default: %(default)s, our adaptive default)")
    ap.add_argument("--start-steps", type=int, default=10, help="ours, doubling side: the first n of Gauss–Legendre, doubled per row until |δ|/|ΔF| < REL (default: %(default)s)")
    ap.add_argument("--ladder", default=LADDER, help="Captum's n_steps tried in order (default: %(default)s)")
    args = ap.parse_args()
    sizes, reps = sizes_and_reps(args)
    tol = [float(t) for t in args.tolerance.split(",")]
    args.tol = (tol[0], tol[1] if len(tol) > 1 else 1e-6)
    if len(tol) > 2 or not args.tol[0] > 0 or not args.tol[1] >= 0:
        raise SystemExit(f"--tolerance {args.tolerance}: REL > 0 and ABS ≥ 0 expected")
    ladder = [int(k) for k in args.ladder.split(",")]

    import glassbox

    versions, load_before, spawn = environment(args)
    print(
        "precision: Captum float32 (its δ computed by Captum in float32); r for Captum computed here in float64 from its "
        "float32 attributions and a float64 copy of the twin; ours float64 (adaptive), r from its own F, cross-checked "
        "against the float64 twin's F"
    )
    df = glassbox.read_csv(args.data)
    results, labels = [], {}
    for path in args.models:
        model, twin, label, features, x_raw, x = load_case(path, df, args.data, max(sizes))
        twin64 = copy.deepcopy(twin).double()
        labels[path] = label
        for n, r in zip(sizes, reps):
            res = run_case(args, path, model, twin, twin64, features, np.ascontiguousarray(x[:n]), x_raw, r, ladder)
            tr = res["times"]
            search = ", ".join(f"{s['steps']} ({s['rows']} rows, {s['failing']} failing, worst r {s['worst']:.1e}, {s['seconds']:.3g}s)" for s in res["search"])
            print(
                f"  {n:,} row{'s' * (n != 1)}, {r} reps: spread process {min(tr['ours_process']):.4g}–{max(tr['ours_process']):.4g}s, "
                f"in-process {min(tr['ours_inprocess']):.4g}–{max(tr['ours_inprocess']):.4g}s, Captum {min(tr['captum']):.4g}–{max(tr['captum']):.4g}s"
            )
            print(f"    Captum search (untimed in the table): {search}")
            print(
                f"    Captum at {res['captum_timed_steps']}: worst r {res['captum_worst']:.2e} (from Captum's own f32 δ: {res['captum_worst_own_delta']:.2e}), "
                f"internal_batch_size {res['batch'] or 'all'}; rows with |ΔF| < {args.tol[1] / args.tol[0]:g} (absolute bar): {res['rows_under_abs_floor']}; "
                f"per feature against ours, worst Σ|ΔIG_i| / max(|ΔF|, {args.tol[1] / args.tol[0]:g}) = {res['captum_feature_gap_vs_ours']:.2e}"
            )
            print(
                f"    ours: worst r in-process {res['ours_worst']:.2e} (against the f64 twin's F: {res['ours_worst_vs_twin']:.2e}; "
                f"max |F_ours − F_twin64| = {res['max_output_diff_vs_twin']:.1e}), process {res['ours_process_worst']:.2e}; "
                f"not converged {res['ours_not_converged']} / {res['ours_process_not_converged']}; evaluations equal in both: {res['evaluations_equal_process']}; "
                f"CLI vs library on raw rows 0-{res['cli_check_rows'] - 1}: max |Δattr| / max |attr| = {res['cli_rel']:.1e}"
            )
            print(
                f"    ours, doubling from {args.start_steps}: worst r in-process {res['doubling_worst']:.2e}, process "
                f"{res['doubling_process_worst']:.2e}; not converged {res['doubling_not_converged']}; evaluations equal in both: "
                f"{res['doubling_evaluations_equal_process']}"
            )
            results.append(res)

    load_after = os.getloadavg()
    print(f"load average after: {fmt_load(load_after)}")
    print()
    for path in args.models:
        print_table(args, labels[path], [r for r in results if r["model"] == path])
    print(f"load average (1, 5, 15 min) before: {fmt_load(load_before)}; after: {fmt_load(load_after)}")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))

    run = {"versions": versions, "spawn_seconds": spawn, "load_before": load_before, "load_after": load_after}
    tolerance = {"rel": args.tol[0], "abs": args.tol[1]}
    write_json(args, run, labels, results, tolerance=tolerance, start_steps=args.start_steps, ladder=ladder, target=1)


if __name__ == "__main__":
    main()
