"""The GIL is released during work, thread counts do not change the bits,
and a forked child does not deadlock."""

import multiprocessing as mp
import threading
import time

import numpy as np
import pytest

import glassbox

FIXED = dict(method="gausslegendre", n_steps=400)


def test_gil_released_during_attribute(demo_model, demo_df):
    ig = glassbox.IntegratedGradients(demo_model, **FIXED)
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    start = time.perf_counter()
    ig.attribute(demo_df, n_threads=1)
    elapsed = time.perf_counter() - start
    stop.set()
    t.join()
    during = [x for x in ticks if start <= x <= start + elapsed]
    assert elapsed > 0.2, f"the call took only {elapsed:.3f} s: too short to judge"
    # a thread blocked by the GIL would tick a handful of times at most
    assert len(during) > 0.25 * elapsed / 0.0015, (len(during), elapsed)


def test_thread_count_does_not_change_bits(demo_model, demo_df):
    ig = glassbox.IntegratedGradients(demo_model)
    a = ig.attribute(demo_df.iloc[:10], n_threads=1)
    b = ig.attribute(demo_df.iloc[:10], n_threads=2)
    assert np.array_equal(a.values, b.values) and np.array_equal(a.evaluations, b.evaluations)


def _child(q, model_path, csv_path):
    import glassbox as g

    m = g.load(model_path)
    df = g.read_csv(csv_path)
    q.put(g.IntegratedGradients(m, method="gausslegendre", n_steps=50).attribute(df.iloc[:3]).values)


def test_fork_safety(demo_model, demo_df, demo_model_path, demo_csv_path):
    if "fork" not in mp.get_all_start_methods():
        pytest.skip("no fork on this platform")
    parent = glassbox.IntegratedGradients(demo_model, method="gausslegendre", n_steps=50).attribute(demo_df.iloc[:3])
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(q, str(demo_model_path), str(demo_csv_path)))
    p.start()
    p.join(60)
    assert not p.is_alive(), "the forked child hung"
    assert p.exitcode == 0
    assert np.array_equal(q.get(timeout=5), parent.values)
