#!/usr/bin/env python3
"""`loopsim network` operation-layer energy (--op-energy) and accounting (--training, or a
training: section in the network file) end to end on a small network (tests/network/small/):
a 1x1 convolution 8 -> 8 over 4x4 (1024 MACs), a ReLU (128 operations), a residual add (128)
and a 2x2 max pool (8 x 2 x 2 outputs x 4 = 128): 384 operations. Every expected number is
derived here from the run's own energy and cycles and the formulas of docs/accounting.md.
Usage: ops_training_test.py LOOPSIM REPO
"""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

loopsim, repo = sys.argv[1], sys.argv[2]
here = os.path.join(repo, "tests/network/small")
arch_dir = os.path.join(repo, "arch-specs/eyeriss_like")
arch = [os.path.join(arch_dir, f) for f in ("arch.yaml", "ERT.yaml", "ART.yaml")]
failures = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-30)


def run(out, *extra, net=os.path.join(here, "net.yaml"), code=0):
    cmd = [loopsim, "network", net, *arch, "-o", out, "--threads", "1",
           "--max-evaluations-per-layer", "200", "--seed", "3", *extra]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    check(p.returncode == code, f"{' '.join(extra)}: exit code {p.returncode} (expected {code}) {p.stderr}")
    return p


# The ERT's MAC energy (what --op-energy mac charges per operation).
ert = open(os.path.join(arch_dir, "ERT.yaml")).read()
mac_pj = float(re.search(r"mac\[[^\n]*\n\s*actions:\s*\n\s*- \{name: compute, energy: ([\d.]+)\}", ert).group(1))

with tempfile.TemporaryDirectory() as tmp:
    o0, o1, o2, o3 = (os.path.join(tmp, d) for d in ("skip", "pj", "mac", "train"))
    run(o0, "-q")
    s0 = json.load(open(os.path.join(o0, "network.stats.json")))
    check(s0["macs"] == 1024, f"1024 MACs ({s0['macs']})")
    ops = s0["operation_layers"]
    check(ops["count"] == 3 and ops["operations"] == 384 and not ops["modelled"],
          f"skipped: 3 operation layers, 384 operations ({ops})")
    check(s0["operation_layers_not_modelled"] == 3, "skipped layers are listed as not modelled")

    run(o1, "-q", "--op-energy", "0.5")
    s1 = json.load(open(os.path.join(o1, "network.stats.json")))
    check(close(s1["energy_pj"] - s0["energy_pj"], 384 * 0.5), "0.5 pJ/op adds 192 pJ")
    check(close(s1["energy_per_level_pj"]["operations"], 192.0), "operations energy 192 pJ")
    check(s1["cycles"] == s0["cycles"], "operation layers add no cycles")
    rows = list(csv.DictReader(open(os.path.join(o1, "layers.csv"))))
    by = {r["name"]: r for r in rows}
    check(len(rows) == 4 and close(float(by["pool"]["energy_operations_pj"]), 64.0),
          "a row per layer; the pool's 128 operations cost 64 pJ")
    check(close(sum(float(r["energy_pj"]) for r in rows), s1["energy_pj"]), "energy = sum of rows")
    check(close(sum(s1["energy_per_level_pj"].values()), s1["energy_pj"], 1e-9), "levels add up")

    run(o2, "-q", "--op-energy", "mac")
    s2 = json.load(open(os.path.join(o2, "network.stats.json")))
    check(close(s2["operation_layers"]["energy_per_operation_pj"], mac_pj),
          f"mac: the ERT's MAC energy {mac_pj} pJ per operation")
    check(close(s2["energy_pj"] - s0["energy_pj"], 384 * mac_pj), f"mac: 384 x {mac_pj} pJ")

    p = run(o3, "--training", os.path.join(here, "training.yaml"))
    a = json.load(open(os.path.join(o3, "accounting.json")))
    s3 = json.load(open(os.path.join(o3, "network.stats.json")))
    e = s3["energy_pj"] * 1e-12  # one inference
    secs = s3["latency_s"]
    passes = 3 * 1000 * 2
    pi = a["per_inference"]
    check(pi["macs"] == 1024 and pi["operations"] == 2048, "per inference: 1024 MACs, 2048 operations")
    check(close(pi["energy_j"], e) and close(pi["inferences_per_j"], 1 / e), "energy and inferences per J")
    check(close(pi["seconds"], secs), f"seconds per inference = the latency at the arch's clock ({secs})")
    tc = a["training_compute"]
    check(close(tc["method1_ops"], 1024 * 2 * 3 * 1000 * 2), "method 1: 12,288,000 operations")
    check(close(tc["method1_pfs_days"], 12288000 / 8.64e19), "method 1 in petaflop/s-days")
    ta = a["training_on_accelerator"]
    check(close(ta["energy_j"], e * passes), "training energy = 6000 inferences' energy")
    c = ta["carbon"]
    kwh = e * passes / 3.6e6
    check(close(c["it_kwh"], kwh) and close(c["facility_kwh"], 1.5 * kwh), "kWh, x PUE 1.5")
    check(close(c["co2e_lb"], 1.5 * kwh * 1.0) and close(c["co2e_kg"], 1.5 * kwh * 0.45359237),
          "CO2e at 1 lb/kWh, in kg")
    check("Method 1" in p.stdout or "method 1" in p.stdout.lower(), "the report is printed")

    # The same from a training: section of the network file.
    o4 = os.path.join(tmp, "section")
    net = open(os.path.join(here, "net.yaml")).read() + "  training: {examples: 1000, epochs: 2, pue: 1.5, grid_lb_per_kwh: 1.0}\n"
    with open(os.path.join(tmp, "net.yaml"), "w") as f:
        f.write(net)
    run(o4, "-q", net=os.path.join(tmp, "net.yaml"))
    a4 = json.load(open(os.path.join(o4, "accounting.json")))
    check(close(a4["training_on_accelerator"]["energy_j"], ta["energy_j"]), "network.training: the same")

    # Errors: a bad --op-energy, a bad training section (exit 2, file:line).
    p = run(os.path.join(tmp, "bad1"), "--op-energy", "lots", code=2)
    check("--op-energy" in p.stderr and "lots" in p.stderr, f"bad --op-energy: {p.stderr.strip()}")
    with open(os.path.join(tmp, "bad.yaml"), "w") as f:
        f.write(net.replace("epochs: 2", "epochs: -2"))
    p = run(os.path.join(tmp, "bad2"), net=os.path.join(tmp, "bad.yaml"), code=2)
    check(re.search(r"bad\.yaml:\d+: network\.training\.epochs", p.stderr) is not None,
          f"bad training section: {p.stderr.strip()}")

print("FAILED" if failures else "OK", len(failures), "failure(s)")
sys.exit(1 if failures else 0)
