#!/usr/bin/env python3
"""loopsim sweep, the inputs of a point (docs/sweep.md): a file an input `!include`s is part
of the point's hash (changing it is refused unless --force); `run: network` maps a tiny network
per point (its totals equal `loopsim network`'s on the same design and search bound);
`--render-only` shows the --set overrides. Usage: run-inputs-tests.py LOOPSIM PROJECT_DIR"""
import csv
import json
import os
import shutil
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Harness  # noqa: E402

h = Harness("loopsim-inputs-")
loopsim, project, here, work = h.loopsim, h.project, h.here, h.work
failures, check, run = h.failures, h.check, h.run


def points(out):
    with open(os.path.join(out, "points.csv")) as f:
        return list(csv.DictReader(f))


# 1. An included file is part of each point's hash.
inc = os.path.join(work, "inc")
os.makedirs(inc)
shutil.copy(os.path.join(here, "arch.yaml"), inc)
with open(os.path.join(inc, "conv.yaml"), "w") as f:
    f.write("problem: !include shape.yaml\n")
with open(os.path.join(inc, "shape.yaml"), "w") as f:
    f.write("version: 0.4\ninstance: {C: 16, M: 16, R: 3, S: 3, N: 1, P: 8, Q: 8}\n")
sweep = os.path.join(inc, "sweep.yaml")
with open(sweep, "w") as f:
    f.write("sweep:\n  inputs: [arch.yaml, conv.yaml]\n  run: map\n"
            "  mapper: {algorithm: random_pruned, max_evaluations: 200, seed: 1}\n"
            "  parameters:\n    pex: {set: variables.PEX, values: [2, 4]}\n")
out = os.path.join(inc, "out")
run(["sweep", sweep, "-o", out, "-q"])
check([int(p["macs"]) for p in points(out)] == [147456, 147456], "macs of the included shape")
r = run(["sweep", sweep, "-o", out])
check("2 already in the store, 0 to run" in r.stderr, "unchanged includes: nothing to run")
with open(os.path.join(inc, "shape.yaml"), "w") as f:
    f.write("version: 0.4\ninstance: {C: 16, M: 32, R: 3, S: 3, N: 1, P: 8, Q: 8}\n")
r = run(["sweep", sweep, "-o", out, "-q"], expect=2)
check("2 point(s) stored" in r.stderr and "--force" in r.stderr,
      f"a changed included file is refused: {r.stderr}")
run(["sweep", sweep, "-o", out, "-q", "--force"])
check([int(p["macs"]) for p in points(out)] == [294912, 294912], "--force recomputed (M: 32)")

# 2. run: network: each point's figures are the network's totals.
net_sweep = os.path.join(here, "net", "sweep.yaml")
out = os.path.join(work, "net")
run(["sweep", net_sweep, "-o", out, "-q"])
pts = points(out)
check([p["status"] for p in pts] == ["ok", "ok"], f"network points ok: {pts}")
check(all(int(p["macs"]) == 7168 for p in pts), "macs 1024 + 2048 + 2 x 2048")
con = sqlite3.connect(os.path.join(out, "sweep.sqlite"))
stats = [json.loads(x[0]) for x in con.execute("select stats from points order by id")]
con.close()
for k, depth in enumerate((256, 1024)):
    ref = os.path.join(work, f"net-ref{k}")
    run(["network", os.path.join(here, "net", "tiny.yaml"), os.path.join(here, "arch.yaml"),
         "-o", ref, "-q", "--algorithm", "random_pruned", "--max-evaluations-per-layer", "300",
         "--seed", "1", "--set", f"variables.GLB_DEPTH={depth}"])
    total = json.load(open(os.path.join(ref, "network.stats.json")))
    e, c = float(pts[k]["energy_pj"]), int(pts[k]["cycles"])
    check(abs(e - total["energy_pj"]) <= 1e-9 * e, f"point {k}: energy {e} == {total['energy_pj']}")
    check(c == total["cycles"], f"point {k}: cycles {c} == {total['cycles']}")
    with open(os.path.join(ref, "layers.csv")) as f:
        layers = list(csv.DictReader(f))
    got = [(l["name"], l["energy_pj"]) for l in stats[k]["layers"]]
    check(len(got) == len(layers) == 3 and
          all(g[0] == l["name"] and abs(g[1] - float(l["energy_pj"])) <= 1e-12 * g[1]
              for g, l in zip(got, layers)), f"point {k}: per layer {got}")
    levels = sum(float(pts[k][h]) for h in pts[k] if h.startswith("energy_pj."))
    check(abs(levels - e) <= 1e-6 * e, f"point {k}: levels sum to the energy")
check(stats[0]["summary"]["distinct_shapes"] == 3, "three distinct shapes")
bad = os.path.join(work, "bad-net.yaml")
with open(bad, "w") as f:
    f.write(open(net_sweep).read().replace("run: network", "run: map").replace(
        "../arch.yaml", os.path.join(here, "arch.yaml")).replace(
        "tiny.yaml", os.path.join(here, "net", "tiny.yaml")))
r = run(["sweep", bad, "-o", os.path.join(work, "bad"), "-q"], expect=2)
check(f"{bad}:5: sweep.network: a network file is for run: network" in r.stderr,
      f"network without run: network: {r.stderr}")

nonet = os.path.join(work, "no-net.yaml")
with open(nonet, "w") as f:
    f.write("sweep:\n  inputs: [%s]\n  run: map\n  energy: pinned\n"
            "  mapper: {max_evaluations: 10}\n  parameters:\n    x: {set: variables.PEX, values: [2]}\n"
            % os.path.join(here, "arch.yaml"))
r = run(["sweep", nonet, "-o", os.path.join(work, "bad"), "-q"], expect=2)
check(f"{nonet}:4: sweep.energy: expected 'reestimate' or 'pin', got 'pinned'"
      in r.stderr, f"energy: pinned: {r.stderr}")
text = open(nonet).read()
with open(nonet, "w") as f:
    f.write(text.replace("  energy: pinned\n", "").replace("run: map", "run: network"))
r = run(["sweep", nonet, "-o", os.path.join(work, "bad"), "-q"], expect=2)
check("sweep: run: network needs 'network: FILE'" in r.stderr, f"no network: {r.stderr}")

# 3. --render-only shows the overrides.
files = [os.path.join(here, "arch.yaml"), os.path.join(here, "conv.yaml")]
r = run(["model"] + files + ["--render-only"])
check("GLB_DEPTH: 512" in r.stdout, "render-only without --set: the file's value")
r = run(["model"] + files + ["--render-only", "--set", "variables.GLB_DEPTH=2048",
                             "--set", "architecture.nodes.rf.attributes.depth=32"])
check(r.stdout.startswith("# --set variables.GLB_DEPTH=2048\n"), "the overrides are named")
check("GLB_DEPTH: 2048" in r.stdout and "GLB_DEPTH: 512" not in r.stdout,
      f"render-only with --set: the overridden value: {r.stdout[:400]}")
check("depth: 32" in r.stdout and "depth: 16" not in r.stdout, "the rf's depth overridden")
r = run(["model"] + files + ["--render-only", "--set", "variables.GLB_DEPTHH=1"], expect=2)
check(r.stderr.startswith("--set:0: variables.GLB_DEPTHH: no such key (did you mean "
                          "'GLB_DEPTH'?)"), f"a bad path under --render-only: {r.stderr}")

h.finish()
