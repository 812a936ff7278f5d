#!/usr/bin/env python3
"""`loopsim network` end to end (docs/network.md): ResNet-50 on the Eyeriss-like design.

Checks: one search per distinct layer shape (24, counted by hand in
tests/unit/network_test.cpp) and 30 cache hits over 54 layers; the totals in
network.stats.json equal the sums of the rows of layers.csv; layers of one shape get one
result; --mapping-dir re-evaluates the same mappings with no search; Ctrl-C (SIGINT)
writes what is done and exits 130; --render-only prints the resolved architecture and
runs nothing.
Usage: cli_test.py LOOPSIM REPO
"""
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile

loopsim, repo = sys.argv[1], sys.argv[2]
net = os.path.join(repo, "workloads/networks/resnet50.yaml")
arch = [os.path.join(repo, "arch-specs/eyeriss_like", f) for f in ("arch.yaml", "ERT.yaml", "ART.yaml")]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-30)


def run(out, *extra):
    cmd = [loopsim, "network", net, *arch, "-o", out, "--threads", "2", "-q", *extra]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        print(p.stderr)
    return p


with tempfile.TemporaryDirectory() as tmp:
    out1 = os.path.join(tmp, "run1")
    p = run(out1, "--max-evaluations-per-layer", "300", "--seed", "1")
    check(p.returncode == 0, f"exit code {p.returncode}")
    s = json.load(open(os.path.join(out1, "network.stats.json")))
    rows = list(csv.DictReader(open(os.path.join(out1, "layers.csv"))))
    check(s["layers"] == 54 and len(rows) == 54, f"54 layers: {s['layers']}, {len(rows)} rows")
    check(s["distinct_shapes"] == 24, f"24 distinct shapes: {s['distinct_shapes']}")
    check(s["searches"] == 24, f"24 searches: {s['searches']}")
    check(s["cache_hits"] == 30, f"30 cache hits: {s['cache_hits']}")
    check(sum(r["cache_hit"] == "true" for r in rows) == 30, "30 rows are cache hits")
    check(s["macs"] == 4089184256, f"MACs {s['macs']}")
    check(sum(int(r["macs"]) for r in rows) == s["macs"], "MACs = sum of rows")
    check(sum(int(r["cycles"]) for r in rows) == s["cycles"], "cycles = sum of rows")
    check(close(sum(float(r["energy_pj"]) for r in rows), s["energy_pj"]), "energy = sum of rows")
    levels = s["energy_per_level_pj"]
    for name, total in levels.items():
        col = "energy_mac_pj" if name == "MAC" else f"energy_{name}_pj"
        check(close(sum(float(r[col]) for r in rows), total), f"{name} energy = sum of rows")
    check(close(sum(levels.values()), s["energy_pj"], 1e-6), "levels add up to the energy")
    util = sum(float(r["utilization"]) * int(r["macs"]) for r in rows) / s["macs"]
    check(close(util, s["utilization_mac_weighted"], 1e-6), "MAC-weighted utilization")
    check(close(s["edp_j_cycles"], s["energy_pj"] * 1e-12 * s["cycles"]), "EDP")
    by_shape = {}
    for r in rows:
        by_shape.setdefault(r["shape"], set()).add((r["mapping_id"], r["energy_pj"], r["cycles"]))
    check(len(by_shape) == 24 and all(len(v) == 1 for v in by_shape.values()),
          "one result per shape")
    check(len(os.listdir(os.path.join(out1, "mappings"))) == 24, "24 mappings written")
    summary = open(os.path.join(out1, "network.summary.txt")).read()
    check("24 distinct shapes, 24 searches" in summary, "summary names the searches")

    out2 = os.path.join(tmp, "run2")
    p = run(out2, "--mapping-dir", os.path.join(out1, "mappings"))
    check(p.returncode == 0, f"reuse: exit code {p.returncode}")
    s2 = json.load(open(os.path.join(out2, "network.stats.json")))
    check(s2["searches"] == 0 and s2["mappings_reused"] == 24, "reuse: no search")
    check(close(s2["energy_pj"], s["energy_pj"], 1e-9) and s2["cycles"] == s["cycles"],
          f"reuse: same totals ({s2['energy_pj']} vs {s['energy_pj']})")

    out3 = os.path.join(tmp, "run3")
    proc = subprocess.Popen([loopsim, "network", net, *arch, "-o", out3, "--threads", "2",
                             "--time-budget-per-layer", "3"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = ""
    while "layers done" not in seen:  # the first shapes are mapped: interrupt the rest
        c = proc.stderr.read(1)
        if not c:
            break
        seen += c
    proc.send_signal(signal.SIGINT)
    err = seen + proc.stderr.read()
    proc.wait(timeout=120)
    check(proc.returncode == 130, f"Ctrl-C: exit code {proc.returncode}: {err}")
    s3 = json.load(open(os.path.join(out3, "network.stats.json")))
    rows3 = list(csv.DictReader(open(os.path.join(out3, "layers.csv"))))
    check(s3["interrupted"] and not s3["complete"], "Ctrl-C: marked interrupted, incomplete")
    check(0 < len(rows3) < 54 and s3["layers_mapped"] == len(rows3),
          f"Ctrl-C: the finished layers are written ({len(rows3)})")

# --render-only prints the architecture as the layers' searches read it, and runs nothing.
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "never")
    p = run(out, "--render-only")
    check(p.returncode == 0 and "name: shared_glb" in p.stdout and "depth: 13824" in p.stdout,
          f"--render-only prints the resolved architecture (exit {p.returncode})")
    check(not os.path.exists(out), "--render-only writes no outputs")

print("FAILED" if failures else "OK", len(failures), "failure(s)")
sys.exit(1 if failures else 0)
