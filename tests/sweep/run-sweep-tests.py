#!/usr/bin/env python3
"""loopsim sweep end to end on tests/sweep/small.yaml (9 points of a small design):
outputs (columns, grid order, figures against stats.json, the Pareto front recomputed here),
resume, SIGKILL during the sweep then rerun (every point once, the same figures as the
uninterrupted run), --force after an input changed, --retry-failed, --export, and --set with
meshX/meshY from variables. Usage: run-sweep-tests.py LOOPSIM PROJECT_DIR"""
import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Harness  # noqa: E402

h = Harness("loopsim-sweep-", run_timeout=240)
loopsim, project, here, work = h.loopsim, h.project, h.here, h.work
failures, check, run = h.failures, h.check, h.run


def rows(db):
    con = sqlite3.connect(db)
    out = con.execute("select id, hash, status, energy_pj, cycles, area_um2, mapping, error "
                      "from points order by id").fetchall()
    con.close()
    return out


def copy_inputs(dst):
    os.makedirs(dst)
    for f in ("arch.yaml", "conv.yaml", "small.yaml"):
        shutil.copy(os.path.join(here, f), dst)
    return os.path.join(dst, "small.yaml")


# 1. A whole run: the outputs' contract.
sweep = os.path.join(here, "small.yaml")
a = os.path.join(work, "a")
r = run(["sweep", sweep, "-o", a, "--threads", "2"])
with open(os.path.join(a, "points.csv")) as f:
    pts = list(csv.DictReader(f))
with open(os.path.join(a, "points.csv")) as f:
    header = f.readline().strip().split(",")
check(header == ["point", "status", "param.glb_depth", "param.pex", "param.pey", "energy_pj",
                 "cycles", "edp", "area_um2", "utilization", "macs", "energy_per_mac_pj",
                 "energy_pj.rf", "energy_pj.glb", "energy_pj.DRAM", "energy_pj.mac",
                 "ert.reestimated", "ert.pinned"],
      f"points.csv header: {header}")
check(len(pts) == 9 and [int(p["point"]) for p in pts] == list(range(9)), "9 rows by id")
# Grid order: glb_depth slowest (256, 512, 1024), pex 2, 4, 8 with pey = 16 / pex.
check([(p["param.glb_depth"], p["param.pex"], p["param.pey"]) for p in pts[:3]] ==
      [("256", "2", "8"), ("256", "4", "4"), ("256", "8", "2")], "grid order and derived pey")
check(pts[8]["param.glb_depth"] == "1024", "last point has the deepest buffer")
check(all(p["status"] == "ok" for p in pts), "every point ok")
check(all(int(p["macs"]) == 16 * 16 * 3 * 3 * 8 * 8 for p in pts), "macs = C*M*R*S*P*Q")
for p in pts:
    e, c, mac = float(p["energy_pj"]), int(p["cycles"]), int(p["macs"])
    check(abs(float(p["energy_per_mac_pj"]) - e / mac) <= 1e-9 * e / mac, "energy per MAC")
    check(abs(float(p["edp"]) - e * 1e-12 * c) <= 1e-9 * e * 1e-12 * c, "edp = energy * cycles")
    levels = sum(float(p[k]) for k in header if k.startswith("energy_pj."))
    check(abs(levels - e) <= 1e-6 * e, f"point {p['point']}: levels sum to the energy")
    # 16 MACs in every array shape: at most 16 cycles-worth of parallelism.
    check(c >= mac // 16, "cycles at least MACs / 16 PEs")
# Figures equal the stored stats.json of the point.
con = sqlite3.connect(os.path.join(a, "sweep.sqlite"))
stats = json.loads(con.execute("select stats from points where id = 4").fetchone()[0])
check(con.execute("pragma journal_mode").fetchone()[0] == "wal", "WAL mode")
con.close()
check(abs(stats["summary"]["energy_pj"] - float(pts[4]["energy_pj"])) <= 1e-9 *
      stats["summary"]["energy_pj"], "energy_pj is the stats' energy")
check(stats["arithmetic"]["instances"] == 16, "4 x 4 PEs from meshX: PEX, meshY: PEY")
# Pareto front recomputed here: exact dominance over energy, cycles, area.
objs = [(float(p["energy_pj"]), float(p["cycles"]), float(p["area_um2"])) for p in pts]
front = [i for i, x in enumerate(objs)
         if not any(all(y[k] <= x[k] for k in range(3)) and y != x for y in objs)]
with open(os.path.join(a, "pareto.csv")) as f:
    par = [int(p["point"]) for p in csv.DictReader(f)]
check(par == front, f"pareto.csv {par} != {front}")
j = json.load(open(os.path.join(a, "sweep.json")))
check(j == {"objectives": ["energy_pj", "cycles", "area_um2"],
            "parameters": ["glb_depth", "pex", "pey"], "points": 9, "finished": 9,
            "failed": 0}, f"sweep.json {j}")
check("energy_pj" in r.stdout and "area_um2" in r.stdout, "summary table on stdout")
reference = rows(os.path.join(a, "sweep.sqlite"))

# 2. Rerun: nothing to run, the store unchanged.
r = run(["sweep", sweep, "-o", a, "--threads", "2"])
check("9 already in the store, 0 to run" in r.stderr, "rerun skips finished points")
check(rows(os.path.join(a, "sweep.sqlite")) == reference, "rerun leaves the store as it was")
# The same on one thread: the same figures (work-bounded searches).
one = os.path.join(work, "one")
run(["sweep", sweep, "-o", one, "--threads", "1", "-q", "--report"])
check(rows(os.path.join(one, "sweep.sqlite")) == reference, "1 thread = 2 threads")
# --report (docs/report.md): the page's Pareto points are those of pareto.csv.
check(os.path.isfile(os.path.join(one, "report.html")), "--report wrote report.html")
data = os.path.join(one, "report-data")
front = {r["point"] for r in csv.DictReader(open(os.path.join(one, "pareto.csv")))}
shown = set()
for name in (sorted(os.listdir(data)) if os.path.isdir(data) else []):
    for r in csv.DictReader(open(os.path.join(data, name))):
        if "point" in r and r.get("front") == "Pareto front":
            shown.add(r["point"])
check(front and shown == front, f"report's Pareto points {sorted(shown)} == pareto.csv {sorted(front)}")

# 3. SIGKILL after some points, then rerun: every point once, the same figures.
b = os.path.join(work, "b")
os.makedirs(b)
p = subprocess.Popen([loopsim, "sweep", sweep, "-o", b, "--threads", "1", "-q"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
db = os.path.join(b, "sweep.sqlite")
killed_at = None
deadline = time.time() + 120
while time.time() < deadline and p.poll() is None:
    try:
        con = sqlite3.connect(db, timeout=1)
        n = con.execute("select count(*) from points").fetchone()[0]
        con.close()
    except sqlite3.Error:
        n = 0
    if n >= 2:
        p.send_signal(signal.SIGKILL)
        killed_at = n
        break
    time.sleep(0.01)
p.wait()
check(killed_at is not None and killed_at < 9, f"killed mid-sweep (after {killed_at} points)")
run(["sweep", sweep, "-o", b, "--threads", "2", "-q"])
after = rows(db)
check([x[0] for x in after] == list(range(9)), "every point exactly once after the kill")
check(after == reference, "the same figures as the uninterrupted run")

# 3b. Ctrl-C: the points finished so far are kept, exit 130; the same command completes it.
e = os.path.join(work, "e")
os.makedirs(e)
p = subprocess.Popen([loopsim, "sweep", sweep, "-o", e, "--threads", "1", "-q"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
dbe = os.path.join(e, "sweep.sqlite")
deadline = time.time() + 120
sent = False
while time.time() < deadline and p.poll() is None:
    try:
        con = sqlite3.connect(dbe, timeout=1)
        n = con.execute("select count(*) from points").fetchone()[0]
        con.close()
    except sqlite3.Error:
        n = 0
    if n >= 2:
        p.send_signal(signal.SIGINT)
        sent = True
        break
    time.sleep(0.01)
err = p.communicate(timeout=60)[1]
check(sent and p.returncode == 130, f"Ctrl-C: exit {p.returncode}, expected 130")
check("run the same command to resume" in err, "Ctrl-C says how to resume")
n_after = len(rows(dbe))
check(2 <= n_after < 9, f"Ctrl-C keeps the finished points ({n_after})")
check(os.path.exists(os.path.join(e, "points.csv")), "Ctrl-C writes the outputs")
run(["sweep", sweep, "-o", e, "-q"])
check(rows(dbe) == reference, "resumed after Ctrl-C: the same figures")

# 4. An input changed: refused, then --force recomputes.
c = os.path.join(work, "c")
sc = copy_inputs(c)
run(["sweep", sc, "-o", os.path.join(c, "out"), "-q"])
conv = os.path.join(c, "conv.yaml")
text = open(conv).read()
open(conv, "w").write(text.replace("M: 16", "M: 32"))
r = run(["sweep", sc, "-o", os.path.join(c, "out"), "-q"], expect=2)
check("9 point(s) stored" in r.stderr and "--force" in r.stderr, "changed inputs refused")
run(["sweep", sc, "-o", os.path.join(c, "out"), "-q", "--force"])
with open(os.path.join(c, "out", "points.csv")) as f:
    check(all(int(p["macs"]) == 2 * 147456 for p in csv.DictReader(f)), "--force recomputed")

# 5. A failing point is kept with its error; --retry-failed runs it again.
d = os.path.join(work, "d")
sd = copy_inputs(d)
text = open(sd).read()
open(sd, "w").write(text.replace("values: [2, 4, 8]", "values: [2, 4, 3]"))
r = run(["sweep", sd, "-o", os.path.join(d, "out")])
dr = rows(os.path.join(d, "out", "sweep.sqlite"))
bad = [x for x in dr if x[2] == "failed"]
check(len(bad) == 3 and all(x[0] % 3 == 2 for x in bad), "pex=3 points failed")
check(all("meshY" in x[7] and "5.33333" in x[7] for x in bad), f"their error: {bad[:1]}")
r = run(["sweep", sd, "-o", os.path.join(d, "out")])
check("9 already in the store, 0 to run" in r.stderr, "failed points are kept")
r = run(["sweep", sd, "-o", os.path.join(d, "out"), "--retry-failed"])
check("6 already in the store, 3 to run" in r.stderr, "--retry-failed runs them again")
j = json.load(open(os.path.join(d, "out", "sweep.json")))
check(j["finished"] == 6 and j["failed"] == 3 and j["points"] == 9, f"sweep.json {j}")

# 6. --export prints the store's points and evaluates nothing.
os.remove(os.path.join(a, "points.csv"))
r = run(["sweep", sweep, "-o", a, "--export", "csv"])
check(r.stdout == open(os.path.join(a, "points.csv")).read(), "--export csv prints points.csv")
r = run(["sweep", sweep, "-o", a, "--export", "json"])
check(len(json.loads(r.stdout)) == 9, "--export json")
r = run(["sweep", sweep, "-o", os.path.join(work, "none"), "--export", "csv"], expect=2)
check("no sweep database here" in r.stderr, "--export without a store")

# 7. --set on map: meshX/meshY from variables, overridden.
r = run(["map", os.path.join(here, "arch.yaml"), os.path.join(here, "conv.yaml"), "-q",
         "--max-evaluations", "300", "--set", "variables.PEX=8", "--set", "variables.PEY=1",
         "-o", os.path.join(work, "m")])
st = json.load(open(os.path.join(work, "m", "loopsim-mapper.stats.json")))
check(st["arithmetic"]["instances"] == 8, "--set variables.PEX=8 PEY=1: 8 PEs")
r = run(["model", os.path.join(here, "arch.yaml"), os.path.join(here, "conv.yaml"),
         "--set", "variables.PEX=abc", "-o", os.path.join(work, "m")],
        expect=2)
check(r.stderr.startswith("--set:1: variables.PEX:"), f"a bad --set value is at --set: {r.stderr}")

# --set on energy: a deeper buffer has a larger estimated area.
def glb_area(extra):
    out = os.path.join(work, "en" + str(len(extra)))
    run(["energy", os.path.join(here, "arch.yaml"), "-o", out] + extra)
    text = open(os.path.join(out, "ART.yaml")).read()
    at = text.index(".glb[")
    return float(text[at:].split("area:")[1].split()[0])


small, deep = glb_area([]), glb_area(["--set", "variables.GLB_DEPTH=4096"])
check(deep > 4 * small, f"--set on energy: glb area {small} -> {deep} for 8x the depth")

h.finish()
