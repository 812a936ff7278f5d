#!/usr/bin/env python3
"""`loopsim model` with no ERT/ART (loopsim estimates energy itself) against Timeloop+Accelergy.

usage: model_without_ert.py LOOPSIM CONFORMANCE_DIR

For each example design, evaluates the reference mapping on parsed-processed-input.yaml (the
ERT is not given) and compares the total energy with the reference stats. eyeriss_like must
be within 15%; the others are printed and must be within 15% too. The stats must say that the
energies come from loopsim's estimator. Exit code 77 when the conformance folder is absent.
"""
import os
import re
import subprocess
import sys
import tempfile

loopsim, root = sys.argv[1], sys.argv[2]
designs = os.path.join(root, "v04-designs")
if not os.path.isdir(designs):
    print("SKIP: no example designs at " + designs)
    sys.exit(77)


def total_uj(stats):
    m = re.search(r"^Energy: ([0-9.eE+-]+) uJ", stats, re.M)
    if not m:
        raise SystemExit("no 'Energy: ... uJ' line in the stats")
    return float(m.group(1))


bad = []
for name in sorted(os.listdir(designs)):
    ref = os.path.join(designs, name, "ref_outputs", "default_problem")
    if not os.path.exists(os.path.join(ref, "timeloop-mapper.map.yaml")):
        continue
    out = tempfile.mkdtemp()
    cmd = [loopsim, "model", "-q", os.path.join(ref, "parsed-processed-input.yaml"),
           os.path.join(ref, "timeloop-mapper.map.yaml"), "-o", out]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        bad.append("%s: loopsim model failed: %s" % (name, res.stderr.strip()))
        continue
    stats = open(os.path.join(out, "loopsim-model.stats.txt")).read()
    mine = total_uj(stats)
    theirs = total_uj(open(os.path.join(ref, "timeloop-mapper.stats.txt")).read())
    sources = sorted(set(re.findall(r"Vector access energy source\s*: (.*)", stats)))
    ratio = mine / theirs
    print("%-26s loopsim (no ERT) %10.4g uJ   Timeloop+Accelergy %10.4g uJ   ratio %.4f" % (
        name, mine, theirs, ratio))
    print("    sources: " + "; ".join(sources))
    if not all(s.startswith("loopsim estimate") for s in sources):
        bad.append("%s: a level's energy source is not loopsim's estimator" % name)
    if abs(ratio - 1) > 0.15:
        bad.append("%s: total energy off by %.1f%% (band 15%%)" % (name, 100 * (ratio - 1)))
if bad:
    print("\n".join("FAIL " + b for b in bad))
    sys.exit(1)
