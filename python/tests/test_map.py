"""map(): the same best mapping as `loopsim map` for a seed and a work bound; progress
callback; Ctrl-C (KeyboardInterrupt) during a long search."""

import os
import signal
import threading
import time

import pytest

import loopsim
from conftest import CASE06, CONV3_2, EYERISS, read_json

SEARCH_KEYS_THAT_VARY = {"seconds", "valid_per_second", "evaluated_per_second", "threads"}


def test_map_equals_loopsim_map(cli, tmp_path):
    args = dict(algorithm="random_pruned", seed=7, max_evaluations=3000,
                dataflow="row-stationary")
    r = loopsim.map(*EYERISS, CONV3_2, threads=1, **args)
    cli("map", *EYERISS, CONV3_2, "--algorithm", "random_pruned", "--seed", 7,
        "--max-evaluations", 3000, "--dataflow", "row-stationary", "--threads", 2, "-q",
        "-o", tmp_path)
    ref = read_json(tmp_path / "loopsim-mapper.stats.json")
    # Bounded by work, the answer does not depend on the thread count (docs/mapper.md).
    for k in ("workload", "summary", "arithmetic", "levels"):
        assert r.stats[k] == ref[k]
    for k, v in ref["search"].items():
        if k not in SEARCH_KEYS_THAT_VARY:
            assert r.search[k] == v, k
    assert r.map_yaml == (tmp_path / "loopsim-mapper.map.yaml").read_text()
    assert r.search["evaluated"] <= 3000
    back = loopsim.read_output(str(tmp_path))
    assert type(back) is loopsim.MapResult and back.mapping == r.mapping
    # The best mapping, evaluated again, gives the same figures.
    again = loopsim.evaluate(*EYERISS, CONV3_2, mapping=r.mapping)
    assert again.energy_pj == r.energy_pj and again.cycles == r.cycles


def test_progress_callback_can_stop_the_search():
    calls = []

    def progress(p):
        calls.append(p)
        return False  # stop at the first report

    t = time.monotonic()
    r = loopsim.map(*EYERISS, CONV3_2, algorithm="random", seed=1, time_budget=30,
                    threads=1, progress=progress)
    assert time.monotonic() - t < 10
    assert len(calls) == 1
    assert calls[0]["evaluated"] > 0 and calls[0]["seconds"] >= 0.5
    assert r.stopped and r.search["interrupted"]
    assert r.search["evaluated"] >= calls[0]["evaluated"]


def test_exception_in_progress_callback_propagates():
    def progress(p):
        raise ValueError("from the callback")

    with pytest.raises(ValueError, match="from the callback"):
        loopsim.map(*EYERISS, CONV3_2, algorithm="random", seed=1, time_budget=30, threads=1,
                    progress=progress)


def test_ctrl_c_raises_keyboard_interrupt_during_a_long_map():
    timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
    t = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            # No limit at all (time budget 0): only the interrupt ends it.
            loopsim.map(*EYERISS, CONV3_2, algorithm="random", seed=1, time_budget=0,
                        threads=2)
    finally:
        timer.cancel()
    elapsed = time.monotonic() - t
    assert 0.9 < elapsed < 5


def test_gil_is_released_during_map():
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    th = threading.Thread(target=ticker)
    th.start()
    try:
        loopsim.map(*EYERISS, CONV3_2, algorithm="random", seed=1, time_budget=1.0, threads=1)
    finally:
        done.set()
        th.join()
    assert len(ticks) > 30  # the other thread ran while the search held no GIL


def test_infeasible_constraints_raise_config_error():
    constraints = {"constraints": {"targets": [
        {"target": "shared_glb", "type": "temporal", "factors": "C=256"},
        {"target": "DRAM", "type": "temporal", "factors": "C=2"}]}}
    with pytest.raises(loopsim.ConfigError) as ei:
        loopsim.map(*EYERISS, CONV3_2, constraints, max_evaluations=100)
    assert "C" in ei.value.message


@pytest.mark.skipif(not os.path.isdir(CASE06), reason="../shared/conformance is absent")
def test_exercise_06_map_equals_loopsim_map(cli, tmp_path):
    files = [os.path.join(CASE06, f) for f in
             ("parsed-processed-input.yaml", "timeloop-mapper.ERT.yaml",
              "timeloop-mapper.ART.yaml")]
    r = loopsim.map(*files, algorithm="hybrid", seed=11, max_evaluations=5000, threads=1)
    cli("map", *files, "--algorithm", "hybrid", "--seed", 11, "--max-evaluations", 5000,
        "--threads", 2, "-q", "-o", tmp_path)
    ref = read_json(tmp_path / "loopsim-mapper.stats.json")
    for k in ("workload", "summary", "arithmetic", "levels"):
        assert r.stats[k] == ref[k]
    assert r.map_yaml == (tmp_path / "loopsim-mapper.map.yaml").read_text()
