#!/usr/bin/env python3
"""`loopsim map` as a new user runs it (no algorithm, no budget) on a space far too large to
enumerate: AlexNet conv3 on arch-specs/eyeriss_like with the row-stationary preset (issue 12):
  - `auto` runs the optimal search (the space estimate is above the 2e7 of plain enumeration)
    and proves the optimum within the default budget: proven_optimal, gap 0, the lower bound
    equal to the answer;
  - the proven EDP is no worse than the hand-written row-stationary mapping that ships in
    mappings/ (evaluated by `loopsim model`: 261.67 J x cycles), and `loopsim model` on the
    written map.yaml gives the same EDP;
  - bounded by work (`--max-evaluations`), `auto` still anneals on such a space, and reports
    the compulsory lower bound;
  - stopped after 0.5 s, the optimal search reports a lower bound from the subtrees it left
    unexplored: above the compulsory one, and no higher than the optimum proven above.
usage: run-default-proof.py LOOPSIM SOURCE_DIR"""
import json, os, sys
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sweep"))
from harness import Harness  # noqa: E402  (check, run, finish: shared with the sweep tests)

h = Harness("loopsim-default-proof-", run_timeout=200)
src = Path(h.project)
arch = [str(src / "arch-specs/eyeriss_like" / f) for f in ("arch.yaml", "ERT.yaml", "ART.yaml")]
layer = str(src / "workloads/alexnet/conv3.yaml")
hand = str(src / "mappings/eyeriss_like.alexnet-conv3.rs.map.yaml")
tmp = Path(h.work)


def stats(folder, prefix):
    return json.loads((Path(folder) / f"{prefix}.stats.json").read_text())


p = h.run(["map", *arch, layer, "--dataflow", "row-stationary", "--threads", "2", "-q",
           "-o", str(tmp / "map")])
if p.returncode == 0:
    j = stats(tmp / "map", "loopsim-mapper")
    s, edp = j["search"], j["summary"]["edp_j_cycles"]
    h.check(s["algorithm"] == "optimal", f"auto ran the optimal search (got {s['algorithm']})")
    h.check(s["space_size"] > 2e7, f"on a space above 2e7 mappings (estimate {s['space_size']:.3g})")
    h.check(s["proven_optimal"], f"proven optimal within the default budget ({s['seconds']:.1f} s)")
    h.check(s["gap"] == 0 and abs(s["lower_bound"] - edp) <= 1e-9 * edp,
            f"gap 0, lower bound = answer ({s['gap']}, {s['lower_bound']} vs {edp})")
    if h.run(["model", *arch, layer, hand, "-q", "-o", str(tmp / "hand")]).returncode == 0:
        hand_edp = stats(tmp / "hand", "loopsim-model")["summary"]["edp_j_cycles"]
        h.check(abs(hand_edp - 261.6656) < 1e-3,
                f"the hand-written RS mapping: EDP 261.67 (got {hand_edp:.4f})")
        h.check(edp <= hand_edp,
                f"the proven optimum {edp:.4f} is no worse than the hand mapping {hand_edp:.4f}")
    if h.run(["model", *arch, layer, str(tmp / "map" / "loopsim-mapper.map.yaml"), "-q",
              "-o", str(tmp / "again")]).returncode == 0:
        again = stats(tmp / "again", "loopsim-model")["summary"]["edp_j_cycles"]
        h.check(abs(again - edp) <= 1e-9 * edp,
                f"loopsim model on the written map.yaml gives the same EDP ({again} vs {edp})")
w = h.run(["map", *arch, layer, "--dataflow", "row-stationary", "--threads", "2", "-q",
           "--max-evaluations", "20000", "-o", str(tmp / "work")])
if w.returncode == 0:
    s = stats(tmp / "work", "loopsim-mapper")["search"]
    h.check(s["algorithm"] == "anneal", f"bounded by work, auto anneals (got {s['algorithm']})")
    h.check(s["lower_bound_from"] == "compulsory", f"with the compulsory bound ({s['lower_bound_from']})")
    compulsory = s["lower_bound"]
    q = h.run(["map", *arch, layer, "--dataflow", "row-stationary", "--threads", "2",
               "--time-budget", "0.5", "-o", str(tmp / "short")])
    if q.returncode == 0 and p.returncode == 0:
        s = stats(tmp / "short", "loopsim-mapper")["search"]
        lb = s["lower_bound"]
        h.check(not s["proven_optimal"] and s["lower_bound_from"] == "unexplored",
                f"stopped after 0.5 s: bound from the unexplored subtrees ({s['lower_bound_from']})")
        h.check(compulsory < lb <= edp * (1 + 1e-9),
                f"compulsory {compulsory:.4g} < bound {lb:.6g} <= proven optimum {edp:.6g}")
        h.check("left unexplored" in q.stdout + q.stderr, "the search table names where the bound comes from")
h.finish()
