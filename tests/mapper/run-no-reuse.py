#!/usr/bin/env python3
"""`loopsim map` with a `no_reuse` constraint (tests/mapper/no-reuse/constraints.yaml) on the
conv1d golden case (DRAM -> 16-word rf -> MAC, R=3, P=8; hand-derived numbers in
tests/golden/conv1d_dram_rf/README.md):
  - the optimal search proves the optimum: 1600.4 pJ, the unconstrained optimum (1406.6 pJ)
    plus 3 more weight loads into the rf (2 DRAM iterations x 3 weights instead of 3) at
    64 pJ (DRAM read) + 0.6 pJ (rf fill) each;
  - the written map.yaml carries `no_temporal_reuse: [Weights]` and `loopsim model` gives
    the same numbers from it;
  - a misspelt data space is an error with file:line and a suggestion, exit code 2.
usage: run-no-reuse.py LOOPSIM SOURCE_DIR"""
import json, subprocess, sys, tempfile
from pathlib import Path

loopsim, src = sys.argv[1], Path(sys.argv[2])
g = src / "tests/golden/conv1d_dram_rf"
base = [str(g / "arch.yaml"), str(g / "ERT.yaml"), str(g / "problem.yaml")]
constraints = src / "tests/mapper/no-reuse/constraints.yaml"
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(args):
    return subprocess.run([loopsim] + args, capture_output=True, text=True, timeout=120)


def stats(path):
    return json.loads(Path(path).read_text())


with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    p = run(["map"] + base + [str(constraints), "-o", str(tmp / "nr"), "--threads", "2", "-q"])
    check(p.returncode == 0,
          f"loopsim map with no_reuse exits 0 (got {p.returncode}: {p.stderr.strip()})")
    if p.returncode == 0:
        s = stats(tmp / "nr/loopsim-mapper.stats.json")
        rf = {l["name"]: l for l in s["levels"]}
        check(s["search"]["proven_optimal"], "the optimum is proven")
        check(abs(s["summary"]["energy_pj"] - 1600.4) < 1e-6,
              f"optimal energy 1600.4 pJ (got {s['summary']['energy_pj']})")
        check(rf["rf"]["data_spaces"]["Weights"]["fills"] == 6, "rf loads 2 x 3 weights")
        check(rf["DRAM"]["data_spaces"]["Weights"]["reads"] == 6, "DRAM reads 6 weights")
        yaml = (tmp / "nr/loopsim-mapper.map.yaml").read_text()
        check("no_temporal_reuse: [Weights]" in yaml, "map.yaml carries no_temporal_reuse")
        m = run(["model"] + base +
                [str(tmp / "nr/loopsim-mapper.map.yaml"), "-o", str(tmp / "rt"), "-q"])
        check(m.returncode == 0, f"loopsim model accepts the map.yaml ({m.stderr.strip()})")
        if m.returncode == 0:
            e = stats(tmp / "rt/loopsim-model.stats.json")["summary"]["energy_pj"]
            check(abs(e - s["summary"]["energy_pj"]) < 1e-9,
                  f"round trip gives the same energy ({e})")

    p = run(["map"] + base +
            ["-o", str(tmp / "free"), "--threads", "2", "--algorithm", "optimal", "-q"])
    check(p.returncode == 0, "loopsim map without the constraint exits 0")
    if p.returncode == 0:
        # EDP (the default metric) and energy share their optimum: cycles are always 24.
        e = stats(tmp / "free/loopsim-mapper.stats.json")["summary"]["energy_pj"]
        check(abs(e - 1406.6) < 1e-6, f"unconstrained optimum 1406.6 pJ (got {e})")

    bad = tmp / "bad.yaml"
    bad.write_text("constraints:\n  targets:\n"
                   "  - {target: rf, type: temporal, no_reuse: [Weight]}\n")
    p = run(["map"] + base + [str(bad), "-o", str(tmp / "bad"), "-q"])
    check(p.returncode == 2, f"a misspelt data space exits 2 (got {p.returncode})")
    check(f"{bad}:3:" in p.stderr and "did you mean 'Weights'" in p.stderr,
          f"the error names file:line and suggests 'Weights' ({p.stderr.strip()})")

sys.exit(1 if failures else 0)
