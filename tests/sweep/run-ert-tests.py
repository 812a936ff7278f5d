#!/usr/bin/env python3
"""Energy follows the design (docs/sweep.md): tests/sweep/ert/sweep.yaml sweeps the global
buffer of tests/sweep/arch.yaml from 512 (the design its hand-written ERT.yaml was made for)
to 1024 words. Re-estimated (the default), point 1's glb read energy is the CACTI-fitted SRAM
law of docs/energy-model.md for 1024 x 64 bits at 45 nm (computed here) and what `loopsim
energy --set` writes; pinned, it stays the ERT's 5 pJ with one warning at the ERT entry.
`loopsim map/model --set` warn the same way (did you mean --energy reestimate).
Usage: run-ert-tests.py LOOPSIM PROJECT_DIR"""
import csv
import json
import math
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Harness  # noqa: E402

h = Harness("loopsim-ert-")
loopsim, project, here, work = h.loopsim, h.project, h.here, h.work
failures, check, run = h.failures, h.check, h.run
ert_dir = os.path.join(here, "ert")


def close(a, b, rel=1e-6):
    return abs(a - b) <= rel * abs(b)


def sram_read_pj(depth, width):
    """docs/energy-model.md, SRAM: ln y = c0 + c1 L + c2 L^2 + c9 L^3 + c3 W + c4 W^2 + c5 L W
    + t(45 nm), one bank, one port (B = T = 0)."""
    c = [-2.97006253, -0.564762774, 0.160220994, -0.230724691, 0.160302597, -0.012379824,
         -0.0438584482, -0.00238771309, -0.00824428009, -0.0068477139]
    L, W = math.log(depth), math.log(width)
    return math.exp(c[0] + c[1] * L + c[2] * L * L + c[3] * W + c[4] * W * W + c[5] * L * W
                    + c[9] * L ** 3 + 1.78164255)


def glb_read(stats):
    return next(lv["read_energy_pj"] for lv in stats["levels"] if lv["name"] == "glb")


ert_file = os.path.join(ert_dir, "ERT.yaml")
glb_line = open(ert_file).read().split("\n").index("  - name: system.glb[1..1]") + 1
expected = sram_read_pj(1024, 64)
check(close(expected, 5.874153206, 1e-9), f"the law's 1024 x 64 read: {expected}")
# `loopsim energy` for the 1024-word design gives the same read energy.
run(["energy", os.path.join(here, "arch.yaml"), "-o", os.path.join(work, "en"),
     "--set", "variables.GLB_DEPTH=1024"])
text = open(os.path.join(work, "en", "ERT.yaml")).read()
glb = text[text.index(".glb["):]
read = float(glb.split("- name: read")[1].split("energy:")[1].split()[0])
check(close(read, expected), f"loopsim energy: glb read {read} == {expected}")

# 1. The sweep, re-estimating (the default).
sweep = os.path.join(ert_dir, "sweep.yaml")
a = os.path.join(work, "a")
r = run(["sweep", sweep, "-o", a, "-q"])
con = sqlite3.connect(os.path.join(a, "sweep.sqlite"))
st = [json.loads(x[0]) for x in con.execute("select stats from points order by id")]
notes = [json.loads(x[0]) for x in con.execute("select ert_notes from points order by id")]
con.close()
check(glb_read(st[0]) == 5.0, f"point 0 (the ERT's design): glb read {glb_read(st[0])} == 5")
check(close(glb_read(st[1]), expected), f"point 1 re-estimated: {glb_read(st[1])} == {expected}")
check(notes[0] == [] and st[0]["ert"] == [], "point 0: nothing re-estimated")
check([(n["component"], n["action"], n["change"]) for n in notes[1]] ==
      [("glb", "reestimated", "depth: 512 -> 1024")], f"point 1's notes: {notes[1]}")
check(st[1]["ert"] == notes[1], "stats.json lists the re-estimated component")
check("warning" not in r.stderr, f"re-estimating warns nothing: {r.stderr}")
with open(os.path.join(a, "points.csv")) as f:
    pts = list(csv.DictReader(f))
check([(p["ert.reestimated"], p["ert.pinned"]) for p in pts] == [("", ""), ("glb", "")],
      "points.csv: ert.reestimated names glb at point 1")

# 2. Pinned: the ERT's energies, one warning at the ERT entry.
b = os.path.join(work, "b")
r = run(["sweep", sweep, "-o", b, "-q", "--energy", "pin"])
con = sqlite3.connect(os.path.join(b, "sweep.sqlite"))
st = [json.loads(x[0]) for x in con.execute("select stats from points order by id")]
con.close()
check(glb_read(st[1]) == 5.0, f"pinned: point 1's glb read {glb_read(st[1])} == 5")
check(r.stderr.count("warning:") == 1 and f"ERT.yaml:{glb_line}: warning:" in r.stderr and
      "'glb' no longer matches" in r.stderr, f"one warning at the entry: {r.stderr}")
check(any("no longer matches" in w["message"] and w["line"] == glb_line
          for w in st[1]["warnings"]), "point 1's stats.json has the warning")
with open(os.path.join(b, "points.csv")) as f:
    check([p["ert.pinned"] for p in csv.DictReader(f)] == ["", "glb"], "ert.pinned names glb")
# The energy policy is part of a point's hash: the pinned store refuses the other policy.
r = run(["sweep", sweep, "-o", b, "-q"], expect=2)
check("--force" in r.stderr, "another energy policy on the same store is refused")

# 3. map and model with --set: the warning, and --energy reestimate.
files = [os.path.join(here, "arch.yaml"), os.path.join(here, "conv.yaml"), ert_file]
m = os.path.join(work, "m")
r = run(["map"] + files + ["-q", "--max-evaluations", "200", "--seed", "1", "-o", m,
                           "--set", "variables.GLB_DEPTH=1024"])
check(f"ERT.yaml:{glb_line}: " in r.stderr and "did you mean --energy reestimate" in r.stderr,
      f"map --set warns at the ERT entry: {r.stderr}")
mapping = os.path.join(m, "loopsim-mapper.map.yaml")
r = run(["model"] + files + [mapping, "-o", m, "--set", "variables.GLB_DEPTH=1024"])
check(f"ERT.yaml:{glb_line}: " in r.stderr and "did you mean --energy reestimate" in r.stderr,
      f"model --set warns at the ERT entry: {r.stderr}")
check(glb_read(json.load(open(os.path.join(m, "loopsim-model.stats.json")))) == 5.0,
      "model --set: pinned by default")
run(["model"] + files + [mapping, "-o", m, "--set", "variables.GLB_DEPTH=1024", "--strict"],
    expect=2)
r = run(["model"] + files + [mapping, "-o", m, "--set", "variables.GLB_DEPTH=1024",
                              "--energy", "reestimate"])
check("warning" not in r.stderr, f"--energy reestimate: no warning: {r.stderr}")
got = glb_read(json.load(open(os.path.join(m, "loopsim-model.stats.json"))))
check(close(got, expected), f"model --energy reestimate: glb read {got} == {expected}")
# An override that changes no priced attribute warns nothing.
r = run(["model"] + files + [mapping, "-o", m, "--set", "variables.GLB_DEPTH=512"])
check("warning" not in r.stderr, f"--set to the same depth: no warning: {r.stderr}")

h.finish()
