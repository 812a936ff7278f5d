#!/usr/bin/env python3
"""`loopsim report` from the command line (docs/report.md), every kind of results.

Checks each chart's CSV against the results it comes from: the energy by level of a model
run sums to stats.json's total and by data space to the levels' data-space energies; the
network's per-layer energy and cycles sum to network.stats.json; the sweep's Pareto labels
equal a front computed here from points.csv; the compare's pJ/MAC by level equal compare.csv
summed over layers and data spaces over the total MACs of summary.csv. The page is
self-contained (no src= or href= to anything but its own CSVs); `--report` of model writes
DIR/report.html; an empty folder, a missing column, a bad LOOPSIM_VEGA_DIR exit 2.
Usage: report_cli.py LOOPSIM REPO
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict

loopsim, repo = sys.argv[1], sys.argv[2]
arch = [os.path.join(repo, "arch-specs/eyeriss_like", f) for f in ("arch.yaml", "ERT.yaml", "ART.yaml")]
fixtures = os.path.join(repo, "tests/report/fixtures")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def close(a, b, rel=1e-6):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-30)


def run(*args, env=None):
    p = subprocess.run([loopsim, *args], capture_output=True, text=True, timeout=600, env=env)
    return p


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def report(results, html):
    p = run("report", results, "-o", html)
    check(p.returncode == 0, f"report {results}: exit {p.returncode}: {p.stderr}")
    return os.path.join(os.path.dirname(html), os.path.splitext(os.path.basename(html))[0] + "-data")


def self_contained(html_path, charts):
    text = open(html_path, encoding="utf-8").read()
    refs = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', text)
    check(all(r.startswith("report-data/") and r.endswith(".csv") for r in refs),
          f"{html_path}: only links to its CSVs: {refs[:5]}")
    check("loopsimDefine('vega-view'" in text and "new vega.View" in text, f"{html_path}: Vega inlined")
    check(text.count('class="chart"') == charts, f"{html_path}: {charts} chart elements")


with tempfile.TemporaryDirectory() as tmp:
    # ---- model (with --report) ----
    mdir = os.path.join(tmp, "model")
    p = run("model", *arch, os.path.join(repo, "workloads/alexnet/conv3.yaml"),
            os.path.join(repo, "mappings/eyeriss_like.alexnet-conv3.rs.map.yaml"), "-o", mdir, "-q", "--report")
    check(p.returncode == 0, f"model --report: exit {p.returncode}: {p.stderr}")
    check(os.path.isfile(os.path.join(mdir, "report.html")), "model --report wrote report.html")
    data = os.path.join(mdir, "report-data")
    stats = json.load(open(os.path.join(mdir, "loopsim-model.stats.json")))
    by_level = rows(os.path.join(data, "energy_by_level.csv"))
    check(close(sum(float(r["energy_pj"]) for r in by_level), stats["summary"]["energy_pj"]),
          "model: energy_by_level sums to summary.energy_pj")
    ds_want = defaultdict(float)
    for lv in stats["levels"]:
        for ds, v in lv["data_spaces"].items():
            ds_want[ds] += v["energy_pj"]
    ds_got = defaultdict(float)
    for r in rows(os.path.join(data, "energy_by_data_space.csv")):
        ds_got[r["data_space"]] += float(r["energy_pj"])
    check(set(ds_got) == set(ds_want) and all(close(ds_got[k], ds_want[k]) for k in ds_want),
          f"model: energy by data space {dict(ds_got)} vs {dict(ds_want)}")
    util = {(r["level"], r["measure"]): float(r["fraction"]) for r in rows(os.path.join(data, "utilization.csv"))}
    mac = stats["arithmetic"]
    check(close(util[(mac["name"], "instances")], mac["utilized_instances"] / mac["instances"]),
          "model: MAC instances in use")
    check(close(util[(mac["name"], "MAC utilization")], stats["summary"]["utilization"]), "model: utilization")
    html = open(os.path.join(mdir, "report.html"), encoding="utf-8").read()
    maptxt = open(os.path.join(mdir, "loopsim-model.map.txt")).read().splitlines()
    check(all(line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in html
              for line in maptxt if line.strip()), "model: the loop nest of map.txt is on the page")
    self_contained(os.path.join(mdir, "report.html"), 3)

    # ---- network ----
    ndir = os.path.join(tmp, "network")
    p = run("network", os.path.join(repo, "workloads/networks/alexnet.yaml"), *arch, "-o", ndir, "-q",
            "--threads", "2", "--max-evaluations-per-layer", "200", "--seed", "1")
    check(p.returncode == 0, f"network: exit {p.returncode}: {p.stderr}")
    data = report(ndir, os.path.join(ndir, "report.html"))
    ns = json.load(open(os.path.join(ndir, "network.stats.json")))
    le = rows(os.path.join(data, "layer_energy.csv"))
    check(close(sum(float(r["energy_pj"]) for r in le), ns["energy_pj"]), "network: layer_energy sums to energy_pj")
    lc = rows(os.path.join(data, "layer_cycles.csv"))
    check(sum(int(float(r["cycles"])) for r in lc) == ns["cycles"], "network: layer_cycles sum to cycles")
    check([r["layer"] for r in lc] == [r["name"] for r in rows(os.path.join(ndir, "layers.csv"))],
          "network: layers in layers.csv order")
    self_contained(os.path.join(ndir, "report.html"), 5)

    # ---- sweep fixture ----
    sdir = os.path.join(tmp, "sweep")
    data = report(os.path.join(fixtures, "sweep"), os.path.join(sdir, "report.html"))
    pts = [r for r in rows(os.path.join(fixtures, "sweep/points.csv")) if r["energy_pj"] and r["cycles"]]
    def dominated(a):
        ea, ca = float(a["energy_pj"]), float(a["cycles"])
        return any(float(b["energy_pj"]) <= ea and float(b["cycles"]) <= ca and
                   (float(b["energy_pj"]) < ea or float(b["cycles"]) < ca) for b in pts)
    want = {r["point"] for r in pts if not dominated(r)}
    sc = rows(os.path.join(data, "pareto_scatter.csv"))
    check(len(sc) == len(pts), f"sweep: {len(pts)} finished points plotted, got {len(sc)}")
    check({r["point"] for r in sc if r["front"] == "Pareto front"} == want, f"sweep: front {want}")
    check(list(sc[0].keys())[2:4] == ["energy_pj", "cycles"], "sweep: objectives energy, cycles -> columns")
    self_contained(os.path.join(sdir, "report.html"), 2)

    # A quoted field (a comma and doubled quotes inside) reads back as one value.
    quoted = os.path.join(tmp, "quoted")
    shutil.copytree(os.path.join(fixtures, "sweep"), quoted)
    text = open(os.path.join(quoted, "points.csv")).read().replace("\n1,ok,32768,", '\n1,ok,"32,768 ""words""",', 1)
    open(os.path.join(quoted, "points.csv"), "w").write(text)
    data = report(quoted, os.path.join(tmp, "quoted.html"))
    sc = {r["point"]: r for r in rows(os.path.join(data, "pareto_scatter.csv"))}
    check(sc["1"]["param.glb_depth"] == '32,768 "words"', f"quoted CSV field: {sc['1']['param.glb_depth']!r}")

    # ---- compare fixture ----
    cdir = os.path.join(tmp, "compare")
    data = report(os.path.join(fixtures, "compare"), os.path.join(cdir, "report.html"))
    macs = {r["config"]: float(r["macs"]) for r in rows(os.path.join(fixtures, "compare/summary.csv"))
            if r["layer"] == "total"}
    want = defaultdict(float)
    for r in rows(os.path.join(fixtures, "compare/compare.csv")):
        want[(r["config"], r["level"])] += float(r["energy_pj"]) / macs[r["config"]]
    got = {(r["config"], r["level"]): float(r["energy_per_mac_pj"])
           for r in rows(os.path.join(data, "energy_per_mac_by_level.csv"))}
    check(set(got) == set(want) and all(close(got[k], want[k]) for k in want), "compare: pJ/MAC by level")
    g = rows(os.path.join(data, "energy_per_mac_by_layer.csv"))
    check(len(g) == 12 and g[-1]["layer"] == "total", "compare: 4 configs x (2 layers + total)")
    chtml = open(os.path.join(cdir, "report.html"), encoding="utf-8").read()
    check(re.search(r'<tr class="hl"><td>rs</td><td>329364000</td>', chtml) is not None,
          "compare: the best config (rs, relative_to_best 1) highlighted")
    self_contained(os.path.join(cdir, "report.html"), 3)

    # ---- errors ----
    empty = os.path.join(tmp, "empty")
    os.mkdir(empty)
    p = run("report", empty)
    check(p.returncode == 2 and "no loopsim results here" in p.stderr, f"empty folder: {p.returncode} {p.stderr}")
    p = run("report", os.path.join(tmp, "absent"))
    check(p.returncode == 2 and "not a folder" in p.stderr, f"absent folder: {p.returncode} {p.stderr}")
    bad = os.path.join(tmp, "bad")
    shutil.copytree(os.path.join(fixtures, "compare"), bad)
    with open(os.path.join(bad, "summary.csv")) as f:
        lines = f.read().splitlines()
    with open(os.path.join(bad, "summary.csv"), "w") as f:
        f.write("\n".join([lines[0].replace("relative_to_best", "relative")] + lines[1:]) + "\n")
    p = run("report", bad)
    check(p.returncode == 2 and "summary.csv:1: no column 'relative_to_best'" in p.stderr,
          f"missing column: {p.returncode} {p.stderr}")
    with open(os.path.join(bad, "summary.csv"), "w") as f:
        f.write("\n".join(lines[:3] + ["ws,conv1,1"] + lines[3:]) + "\n")
    p = run("report", bad)
    check(p.returncode == 2 and "summary.csv:4: 3 fields, the header has 10" in p.stderr,
          f"short row: {p.returncode} {p.stderr}")
    p = run("report", os.path.join(fixtures, "sweep"), "-o", os.path.join(tmp, "x.html"),
            env={**os.environ, "LOOPSIM_VEGA_DIR": empty})
    check(p.returncode == 2 and "does not hold Vega's modules" in p.stderr, f"bad LOOPSIM_VEGA_DIR: {p.stderr}")
    check(not os.path.exists(os.path.join(tmp, "x.html")), "no page written without Vega")

print(f"{0 if failures else 1} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
