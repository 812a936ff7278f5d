#!/usr/bin/env python3
"""Timeloop exercise 05 (conv1d + output channels, 3 levels) with its three constraint sets:
`loopsim map --algorithm auto --threads 2` on the exercise's own v0.4 files (arch, problem,
constraints, mapper.yaml) must find the exact optimum and prove it:
  - baked, freebypass: Timeloop's reference (cycles, fJ/Compute from its stats.txt);
  - null: 1536 cycles and 29112.77 fJ/Compute (the exhaustive optimum; the reference itself
    is Timeloop 2024's early stop on `timeout: 0`, see the conformance README).
The written map.yaml must evaluate to the same numbers with `loopsim model` (round trip).
usage: run-05-mapper.py LOOPSIM SHARED_CONFORMANCE_DIR; exit 77 when the directory is absent."""
import json, re, subprocess, sys, tempfile
from pathlib import Path

loopsim, shared = sys.argv[1], Path(sys.argv[2])
case = shared / "v04-ispass2020" / "05-mapper-conv1d+oc-3level"
if not case.is_dir():
    print(f"SKIP: {case} is absent; the 05-mapper case is not checked")
    sys.exit(77)

def ref_of(variant):
    text = (case / "ref-output" / variant / "timeloop-mapper.stats.txt").read_text()
    summary = text[text.index("Summary Stats"):]
    cycles = int(re.search(r"^Cycles: (\d+)", summary, re.M).group(1))
    total = float(re.search(r"^\s+Total\s+= ([\d.]+)", summary, re.M).group(1))
    return cycles, total

variants = {
    "baked": ("conv1d+oc-3level-1mapping", ref_of("baked")),
    "freebypass": ("conv1d+oc-3level-freebypass", ref_of("freebypass")),
    "null": ("null", (1536, 29112.77)),
}
failed = 0
for name, (cfile, (want_cycles, want_fj)) in variants.items():
    ert = case / "ref-output" / name / "timeloop-mapper.ERT.yaml"
    art = case / "ref-output" / name / "timeloop-mapper.ART.yaml"
    with tempfile.TemporaryDirectory() as out:
        inputs = [str(case / "arch/3level.arch.yaml"), str(case / "prob/conv1d+oc.prob.yaml"),
                  str(case / f"constraints/{cfile}.constraints.yaml"),
                  str(case / "mapper/exhaustive.mapper.yaml"), str(ert), str(art)]
        r = subprocess.run([loopsim, "map", *inputs, "--algorithm", "auto", "--threads", "2",
                            "-q", "-o", out], capture_output=True, text=True)
        if r.returncode != 0:
            print(f"FAIL {name}: exit {r.returncode}: {r.stderr}")
            failed += 1
            continue
        j = json.loads((Path(out) / "loopsim-mapper.stats.json").read_text())
        cyc, fj, s = j["summary"]["cycles"], j["summary"]["fj_per_compute"], j["search"]
        ok = cyc == want_cycles and abs(fj - want_fj) <= 0.005 and s["proven_optimal"]
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {cyc} cycles, {fj:.2f} fJ/Compute "
              f"(want {want_cycles}, {want_fj:.2f}); {s['algorithm']}, {s['evaluated']} "
              f"evaluated, {s['seconds']:.2f} s, proven_optimal={s['proven_optimal']}")
        failed += not ok
        # Round trip: the map.yaml alone (with the same arch/problem/ERT) through `model`.
        m = subprocess.run([loopsim, "model", inputs[0], inputs[1], str(ert), str(art),
                            str(Path(out) / "loopsim-mapper.map.yaml"), "-q", "-o", out],
                           capture_output=True, text=True)
        if m.returncode != 0:
            print(f"FAIL {name} round trip: exit {m.returncode}: {m.stderr}")
            failed += 1
            continue
        jm = json.loads((Path(out) / "loopsim-model.stats.json").read_text())
        same = (jm["summary"]["cycles"] == cyc and
                abs(jm["summary"]["energy_pj"] - j["summary"]["energy_pj"]) <= 1e-9 * abs(fj))
        print(f"{'ok  ' if same else 'FAIL'} {name} round trip through loopsim model")
        failed += not same
sys.exit(1 if failed else 0)
