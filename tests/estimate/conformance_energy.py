#!/usr/bin/env python3
"""Compares `loopsim energy` with Accelergy's ERT/ART on every conformance case that ships
ERT_summary.yaml and ART_summary.yaml.

usage: conformance_energy.py LOOPSIM CONFORMANCE_DIR [--markdown]

Input of each case: the parsed-processed-input.yaml beside the reference (the exact input
Accelergy saw). Bands: DRAM exact, SRAMs 25%, everything else (MACs, adders, register files)
10%, areas 25%. The 2020 v0.3 cases (v02-ispass2020), whose ERTs come from Accelergy 0.3 and its
2020 plug-ins, are compared by conformance_v03.py instead.
Exit code 77 (skipped) when the conformance folder is absent.
"""
import glob
import os
import subprocess
import sys
import tempfile

import yaml

loopsim, root = sys.argv[1], sys.argv[2]
markdown = "--markdown" in sys.argv
if not os.path.isdir(root):
    print("SKIP: no conformance folder at " + root)
    sys.exit(77)


def base(name):
    name = name.split("[")[0] if name.count("[") == 1 and name.endswith("]") else name
    return name.split(".")[-1].split("[")[0]


def load(path, key):
    return yaml.safe_load(open(path))[key]


rows, skipped, failures = [], [], []
for ers in sorted(glob.glob(os.path.join(root, "**", "*ERT_summary.yaml"), recursive=True)):
    d = os.path.dirname(ers)
    case = os.path.relpath(d, root)
    ars = glob.glob(os.path.join(d, "*ART_summary.yaml"))
    inp = os.path.join(d, "parsed-processed-input.yaml")
    if not ars:
        continue
    if not os.path.exists(inp):
        skipped.append((case, "Accelergy 0.3 ERT: see conformance_v03.py"))
        continue
    out = tempfile.mkdtemp()
    res = subprocess.run([loopsim, "energy", inp, "-o", out], capture_output=True, text=True)
    if res.returncode != 0:
        failures.append("%s: loopsim energy failed: %s" % (case, res.stderr.strip()))
        continue
    ours_e = {base(t["name"]): t for t in load(os.path.join(out, "ERT_summary.yaml"),
                                                "ERT_summary")["table_summary"]}
    ours_a = {base(t["name"]): t for t in load(os.path.join(out, "ART_summary.yaml"),
                                                "ART_summary")["table_summary"]}
    ref_e = load(ers, "ERT_summary")["table_summary"]
    ref_a = {base(t["name"]): t for t in load(ars[0], "ART_summary")["table_summary"]}
    for t in ref_e:
        comp = base(t["name"])
        if comp not in ours_e:
            failures.append("%s: no estimate for %s" % (case, comp))
            continue
        est = ours_e[comp]["primitive_estimation(s)"][0]["estimator"]
        ours_est = " ".join(sorted({p["estimator"] for p in ours_e[comp]["primitive_estimation(s)"]}))
        band = 0.0 if "DRAM" in est else 0.25 if "CactiSRAM" in ours_est else 0.10
        ours_actions = {a["name"]: a["energy"] for a in ours_e[comp]["actions"]}
        for a in t["actions"]:
            ref = a.get("energy", a.get("max_energy"))
            mine = ours_actions.get(a["name"])
            if mine is None:
                failures.append("%s: %s has no action %s" % (case, comp, a["name"]))
                continue
            # Accelergy rounds to 6 decimal places: compare at that precision.
            if ref == 0 or round(mine, 6) == round(ref, 6):
                ratio = 1.0 if round(mine, 6) == round(ref, 6) else float("inf")
            else:
                ratio = mine / ref
            ok = abs(ratio - 1) <= band + 1e-9
            rows.append((case, comp, a["name"], mine, ref, ratio, band, ok))
        if comp in ref_a:
            ra = ref_a[comp]["area"]
            ma = ours_a[comp]["area"]
            ratio = 1.0 if round(ma, 6) == round(ra, 6) else (ma / ra if ra else float("inf"))
            rows.append((case, comp, "area", ma, ra, ratio, 0.25, abs(ratio - 1) <= 0.25))

if markdown:
    # One line per design (the variants of a case share their architecture).
    print("| case | component | action | loopsim | Accelergy | ratio | band |")
    print("|---|---|---|---|---|---|---|")
    seen = set()
    for case, comp, act, mine, ref, ratio, band, ok in rows:
        case = "/".join(case.split("/")[:2])
        if (case, comp, act) in seen:
            continue
        seen.add((case, comp, act))
        print("| %s | %s | %s | %.6g | %.6g | %.3f%s | %d%% |" % (
            case, comp, act, mine, ref, ratio, "" if ok else " **out**", round(band * 100)))
else:
    print("%-58s %-14s %-8s %12s %12s %7s" % ("case", "component", "action", "loopsim",
                                               "Accelergy", "ratio"))
    for case, comp, act, mine, ref, ratio, band, ok in rows:
        print("%-58s %-14s %-8s %12.6g %12.6g %7.3f %s" % (case, comp, act, mine, ref, ratio,
                                                          "" if ok else "OUTSIDE %d%%" % round(band * 100)))
for case, why in skipped:
    print("not compared: %s (%s)" % (case, why))
out_of_band = [r for r in rows if not r[7]]
print("%d comparisons, %d within their band" % (len(rows), len(rows) - len(out_of_band)))
if failures or out_of_band:
    for f in failures:
        print("FAIL " + f)
    sys.exit(1)
