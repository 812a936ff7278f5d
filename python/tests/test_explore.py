"""sweep() and compare(): the same tables as `loopsim sweep` and `loopsim compare` (the CLI's
own code run in-process), results read back as rows and data frames; errors as ConfigError."""

import csv
import os

import pytest

import loopsim
from conftest import EYERISS, src

SMALL_SWEEP = src("tests", "sweep", "small.yaml")
LAYER = "problem:\n  version: 0.4\n  instance: {C: 8, M: 16, R: 3, S: 3, N: 1, P: 8, Q: 8}\n"


def csv_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def test_sweep_equals_loopsim_sweep(cli, tmp_path):
    r = loopsim.sweep(SMALL_SWEEP, out_dir=tmp_path / "py", threads=2)
    cli("sweep", SMALL_SWEEP, "-o", tmp_path / "cli", "--threads", 1, "-q")
    # Work-bounded searches: the same points on any thread count, in Python or on the CLI.
    assert csv_text(tmp_path / "py" / "points.csv") == csv_text(tmp_path / "cli" / "points.csv")
    assert csv_text(tmp_path / "py" / "pareto.csv") == csv_text(tmp_path / "cli" / "pareto.csv")
    assert r.info["points"] == 9 and len(r.points) == 9
    assert {p["point"] for p in r.pareto} <= {p["point"] for p in r.points}
    best = r.best("energy_pj")
    assert best["energy_pj"] == min(p["energy_pj"] for p in r.points
                                    if isinstance(p["energy_pj"], float))
    df = r.to_dataframe(pareto_only=True)
    assert len(df) == len(r.pareto) and "energy_pj" in df.columns
    # Running again resumes: nothing is recomputed, the same rows.
    again = loopsim.sweep(SMALL_SWEEP, out_dir=tmp_path / "py")
    assert again.points == r.points


def test_sweep_bad_file_is_a_config_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    inputs = ", ".join(src("tests", "sweep", f) for f in ("arch.yaml", "conv.yaml"))
    bad.write_text(f"sweep:\n  inputs: [{inputs}]\n  run: map\n"
                   "  mapper: {algorithm: random_pruned, max_evaluations: 100, seed: 1}\n"
                   "  parameters:\n"
                   "    a: {set: variables.PEX, range: {from: 1, to: 4, step: 0}}\n")
    with pytest.raises(loopsim.ConfigError) as e:
        loopsim.sweep(bad, out_dir=tmp_path / "out")
    assert e.value.file.endswith("bad.yaml") and e.value.line > 0


def test_compare_equals_loopsim_compare(cli, tmp_path):
    layer = tmp_path / "small.yaml"
    layer.write_text(LAYER)
    r = loopsim.compare(*EYERISS, layer, dataflow=["ws", "os"], max_evaluations=600,
                        out_dir=tmp_path / "py", threads=1)
    cli("compare", *EYERISS, layer, "--dataflow", "ws,os", "--max-evaluations", 600,
        "--threads", 2, "-q", "-o", tmp_path / "cli")
    for name in ("summary.csv", "compare.csv"):
        assert csv_text(tmp_path / "py" / name) == csv_text(tmp_path / "cli" / name), name
    with open(tmp_path / "cli" / "summary.csv", newline="") as f:
        totals = {row["config"]: float(row["energy_per_mac_pj"])
                  for row in csv.DictReader(f) if row["layer"] == "total"}
    assert r.totals() == pytest.approx(totals, rel=1e-12)
    assert r.best() == min(totals, key=totals.get)
    assert list(r.to_dataframe()["config"].unique()) == ["ws", "os"]


def test_compare_dict_layer_and_errors(tmp_path):
    r = loopsim.compare(*EYERISS, {"problem": {"version": 0.4, "instance":
                                                {"C": 8, "M": 16, "R": 3, "S": 3, "N": 1,
                                                 "P": 8, "Q": 8}}},
                        dataflow="ws", max_evaluations=300, out_dir=tmp_path / "d")
    assert list(r.totals()) == ["ws"] and os.path.isfile(tmp_path / "d" / "compare.json")
    with pytest.raises(loopsim.ConfigError) as e:
        loopsim.compare(*EYERISS, {"problem": {"version": 0.4, "instance": {"C": 8}}},
                        dataflow="no-such-dataflow", out_dir=tmp_path / "e")
    assert "no-such-dataflow" in str(e.value)
