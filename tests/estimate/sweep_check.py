#!/usr/bin/env python3
"""Checks `loopsim energy --query` against Accelergy's component sweep.

usage: sweep_check.py LOOPSIM SWEEP.csv [SWEEP2.csv ...]

Every row (one point and action) is within its band when the energy is within the class's
band (DRAM 1%, SRAMs 25%, MACs/adders/register files/Library units 10%) and the area within
25%. Prints the fraction per class and the worst rows; fails when a class is below 90%.
Compound classes use the example designs' _components/*.yaml beside the conformance cases.
Exit code 77 (skipped) when the sweep file is absent.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

here = os.path.dirname(os.path.abspath(__file__))
loopsim = sys.argv[1]
paths = sys.argv[2:]
paths = [p for p in paths if os.path.exists(p)]
if not paths:
    print("SKIP: no Accelergy sweep file (../shared/reference/accelergy-sweep-train.csv)")
    sys.exit(77)
components = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(paths[0]))),
                          "conformance", "v04-designs", "_components")
if not os.path.isdir(components):
    print("SKIP: no example-design components at " + components)
    sys.exit(77)
comp_files = sorted(os.path.join(components, f) for f in os.listdir(components)
                    if f.endswith(".yaml"))
# compound_intmac_2024: intmac.yaml as of 2024-05-29, whose multiplier is an aladdin_adder
# (see accelergy-sweep.md); made on the fly from the current file, never stored.
tmp = tempfile.mkdtemp()
old_files = []
for f in comp_files:
    text = open(f).read()
    if os.path.basename(f) == "intmac.yaml":
        text = text.replace("class: aladdin_multiplier", "class: aladdin_adder")
    dst = os.path.join(tmp, os.path.basename(f))
    open(dst, "w").write(text)
    old_files.append(dst)

ENERGY_BAND = defaultdict(lambda: 0.10, {"DRAM": 0.01, "SRAM": 0.25, "smartbuffer_SRAM": 0.25})
AREA_BAND = 0.25


def query(r):
    c = r["class"]
    args, files = [], []
    tech = ["technology=" + r["technology"]] if r["technology"] else []

    def a(*keys):
        for k in keys:
            if r[k]:
                args.append("%s=%s" % (k, r[k]))

    if c == "SRAM":
        cls = "SRAM"; a("depth", "width", "datawidth", "n_banks")
    elif c in ("regfile", "compound_regfile"):
        cls = "regfile"; a("depth", "width", "datawidth")
        if c == "compound_regfile":
            files = comp_files
    elif c == "DRAM":
        cls = "DRAM"; a("width", "datawidth"); args.append("type=" + r["type"])
    elif c in ("intmac", "intmultiplier", "fpmac"):
        cls = c; a("width", "datawidth")
    elif c == "intadder":
        cls = c; a("width", "datawidth"); args.append("n_bits=" + r["width"])
    elif c == "aladdin_multiplier":
        cls = c; args += ["width_a=" + r["width"], "width_b=" + r["width"]]
    elif c.startswith("aladdin_"):
        cls = c; a("width")
    elif c in ("compound_intmac", "compound_intmac_2024"):
        cls = "intmac"
        args += ["multiplier_width=" + r["width"], "adder_width=" + r["datawidth"]]
        files = comp_files if c == "compound_intmac" else old_files
    elif c in ("smartbuffer_SRAM", "smartbuffer_RF"):
        cls = c; a("depth", "width", "datawidth", "n_banks"); files = comp_files
    else:
        raise SystemExit("unknown class in the sweep: " + c)
    return [loopsim, "energy"] + files + ["--query", cls] + args + tech


def within(est, ref, band):
    if ref == 0:
        return abs(est) <= 1e-9
    return abs(est / ref - 1) <= band


points = defaultdict(list)
for p in paths:
    for r in csv.DictReader(open(p)):
        key = tuple(r[k] for k in ("class", "depth", "width", "datawidth", "n_banks",
                                   "technology", "type"))
        points[key].append(r)

per_class = defaultdict(lambda: [0, 0])
worst = defaultdict(list)
failures = 0
for key, rows in sorted(points.items()):
    cmd = query(rows[0])
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        print("ERROR %s: %s" % (" ".join(cmd[2:]), res.stderr.strip()))
        failures += 1
        continue
    out = json.loads(res.stdout)
    for r in rows:
        c = r["class"]
        ref_e, ref_a = float(r["energy_pj"]), float(r["area_um2"])
        est_e = out["actions"].get(r["action"])
        if est_e is None:
            print("ERROR %s: no action %s in %s" % (" ".join(cmd[2:]), r["action"], res.stdout))
            failures += 1
            continue
        ok = within(est_e, ref_e, ENERGY_BAND[c]) and within(out["area_um2"], ref_a, AREA_BAND)
        per_class[c][0] += ok
        per_class[c][1] += 1
        err_e = abs(est_e / ref_e - 1) if ref_e else abs(est_e)
        err_a = abs(out["area_um2"] / ref_a - 1) if ref_a else abs(out["area_um2"])
        worst[c].append((max(err_e / ENERGY_BAND[c], err_a / AREA_BAND), r, est_e, out["area_um2"]))

print("%-22s %6s %8s   worst row (estimate / Accelergy)" % ("class", "rows", "within"))
total_ok = total = 0
bad = []
for c in sorted(per_class):
    ok, n = per_class[c]
    total_ok += ok
    total += n
    w = max(worst[c], key=lambda x: x[0])
    _, r, e, a = w
    desc = "d=%s w=%s b=%s %s %s %s: energy %.4g/%.4g area %.4g/%.4g" % (
        r["depth"], r["width"], r["n_banks"], r["technology"] or r["type"], r["action"],
        r["estimator"], e, float(r["energy_pj"]), a, float(r["area_um2"]))
    print("%-22s %6d %7.1f%%   %s" % (c, n, 100.0 * ok / n, desc))
    if ok < 0.9 * n:
        bad.append(c)
print("%-22s %6d %7.1f%%" % ("all", total, 100.0 * total_ok / max(total, 1)))
for c in sorted(per_class):
    outside = sorted((x for x in worst[c] if x[0] > 1), key=lambda x: -x[0])[:3]
    for _, r, e, a in outside:
        print("  outside %-18s d=%s w=%s b=%s %s %s: energy %.4g vs %.4g, area %.4g vs %.4g" % (
            c, r["depth"], r["width"], r["n_banks"], r["technology"] or r["type"], r["action"],
            e, float(r["energy_pj"]), a, float(r["area_um2"])))
if failures or bad:
    print("FAIL: %d errors; classes below 90%%: %s" % (failures, ", ".join(bad) or "none"))
    sys.exit(1)
print("PASS: every class has at least 90% of its rows within the bands")
