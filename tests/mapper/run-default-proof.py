#!/usr/bin/env python3
"""`loopsim map` as a new user runs it (no algorithm, no budget) on a space far too large to
enumerate: AlexNet conv3 on arch-specs/eyeriss_like with the row-stationary preset (issue 12):
  - `auto` runs the optimal search (the space estimate is above the 2e7 of plain enumeration)
    and proves the optimum within the default budget: proven_optimal, gap 0, the lower bound
    equal to the answer;
  - the proven EDP is no worse than the hand-written row-stationary mapping that ships in
    mappings/ (evaluated by `loopsim model`: 261.67 J x cycles), and `loopsim model` on the
    written map.yaml gives the same EDP;
  - bounded by work (`--max-evaluations`), `auto` still anneals on such a space.
usage: run-default-proof.py LOOPSIM SOURCE_DIR"""
import json, subprocess, sys, tempfile
from pathlib import Path

loopsim, src = sys.argv[1], Path(sys.argv[2])
arch = [str(src / "arch-specs/eyeriss_like" / f) for f in ("arch.yaml", "ERT.yaml", "ART.yaml")]
layer = str(src / "workloads/alexnet/conv3.yaml")
hand = str(src / "mappings/eyeriss_like.alexnet-conv3.rs.map.yaml")
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(args):
    return subprocess.run([loopsim] + args, capture_output=True, text=True, timeout=200)


def stats(folder, prefix):
    return json.loads((Path(folder) / f"{prefix}.stats.json").read_text())


with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    p = run(["map", *arch, layer, "--dataflow", "row-stationary", "--threads", "2", "-q",
             "-o", str(tmp / "map")])
    check(p.returncode == 0, f"loopsim map exits 0 (got {p.returncode}: {p.stderr.strip()[-300:]})")
    if p.returncode == 0:
        j = stats(tmp / "map", "loopsim-mapper")
        s, edp = j["search"], j["summary"]["edp_j_cycles"]
        check(s["algorithm"] == "optimal", f"auto ran the optimal search (got {s['algorithm']})")
        check(s["space_size"] > 2e7, f"on a space above 2e7 mappings (estimate {s['space_size']:.3g})")
        check(s["proven_optimal"], f"proven optimal within the default budget ({s['seconds']:.1f} s)")
        check(s["gap"] == 0 and abs(s["lower_bound"] - edp) <= 1e-9 * edp,
              f"gap 0, lower bound = answer ({s['gap']}, {s['lower_bound']} vs {edp})")
        h = run(["model", *arch, layer, hand, "-q", "-o", str(tmp / "hand")])
        check(h.returncode == 0, f"loopsim model on the hand-written RS mapping exits 0 ({h.stderr.strip()[-200:]})")
        if h.returncode == 0:
            hand_edp = stats(tmp / "hand", "loopsim-model")["summary"]["edp_j_cycles"]
            check(abs(hand_edp - 261.6656) < 1e-3, f"the hand-written RS mapping: EDP 261.67 (got {hand_edp:.4f})")
            check(edp <= hand_edp, f"the proven optimum {edp:.4f} is no worse than the hand mapping {hand_edp:.4f}")
        m = run(["model", *arch, layer, str(tmp / "map" / "loopsim-mapper.map.yaml"), "-q",
                 "-o", str(tmp / "again")])
        check(m.returncode == 0, f"loopsim model on the written map.yaml exits 0 ({m.stderr.strip()[-200:]})")
        if m.returncode == 0:
            again = stats(tmp / "again", "loopsim-model")["summary"]["edp_j_cycles"]
            check(abs(again - edp) <= 1e-9 * edp, f"and gives the same EDP ({again} vs {edp})")
    w = run(["map", *arch, layer, "--dataflow", "row-stationary", "--threads", "2", "-q",
             "--max-evaluations", "20000", "-o", str(tmp / "work")])
    check(w.returncode == 0, f"bounded by work, loopsim map exits 0 ({w.stderr.strip()[-200:]})")
    if w.returncode == 0:
        s = stats(tmp / "work", "loopsim-mapper")["search"]
        check(s["algorithm"] == "anneal", f"bounded by work, auto anneals (got {s['algorithm']})")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
