#!/usr/bin/env python3
"""`loopsim compare` end to end (docs/compare.md).

Checks: the --dataflow form and a compare file give the contract's files and columns; the
same tables on two runs and on 1 or 2 threads; the rows of compare.csv add up to the
summary's energy; relative_to_best is 1 for the best config; --layers picks layers of a
network (layers of one shape share a search); the equal-area derivation gives back the
template's buffer for the template's register file; errors (unknown dataflow, unknown
config key, empty config list, unknown layer) exit 2 with file:line.
Usage: cli_test.py LOOPSIM REPO
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

loopsim, repo = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
arch = [os.path.join(repo, "arch-specs/eyeriss_like", f) for f in ("arch.yaml", "ERT.yaml", "ART.yaml")]
# A small layer: AlexNet conv3-like with few channels (written below).
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args, expect=0):
    p = subprocess.run([loopsim, "compare", *args], capture_output=True, text=True, timeout=600)
    if p.returncode != expect:
        print("command:", " ".join(args))
        print(p.stdout)
        print(p.stderr)
    check(p.returncode == expect, f"exit code {p.returncode} (expected {expect}) for {args}")
    return p


def read(d, name):
    with open(os.path.join(d, name)) as f:
        return f.read()


with tempfile.TemporaryDirectory() as tmp:
    layer = os.path.join(tmp, "small.yaml")
    with open(layer, "w") as f:
        f.write("problem:\n  version: 0.4\n  instance: {C: 8, M: 16, R: 3, S: 3, N: 1, P: 8, Q: 8}\n")
    # --dataflow form, 1 and 2 threads, twice.
    outs = []
    for i, threads in enumerate(["1", "2", "2"]):
        out = os.path.join(tmp, f"df{i}")
        p = run(*arch, layer, "--dataflow", "ws,os,rs", "--max-evaluations", "1500",
                "--threads", threads, "-o", out)
        outs.append(out)
    for name in ("compare.csv", "summary.csv", "compare.json"):
        check(read(outs[0], name) == read(outs[1], name), f"{name}: 1 and 2 threads differ")
        check(read(outs[1], name) == read(outs[2], name), f"{name}: two runs differ")
    summary = list(csv.DictReader(open(os.path.join(outs[0], "summary.csv"))))
    rows = list(csv.DictReader(open(os.path.join(outs[0], "compare.csv"))))
    check(open(os.path.join(outs[0], "summary.csv")).readline().strip() ==
          "config,layer,macs,energy_pj,energy_per_mac_pj,relative_to_best,cycles,utilization,result,gap",
          "summary.csv header")
    check(open(os.path.join(outs[0], "compare.csv")).readline().strip() ==
          "config,layer,level,dataspace,energy_pj,accesses", "compare.csv header")
    check([r["config"] for r in summary] == ["ws", "ws", "os", "os", "rs", "rs"],
          f"configs in order: {[r['config'] for r in summary]}")
    check({r["layer"] for r in summary} == {"small", "total"}, "layer names")
    macs = 8 * 16 * 3 * 3 * 8 * 8
    check(all(int(r["macs"]) == macs for r in summary), f"MACs {macs}")
    best = min(float(r["energy_pj"]) for r in summary if r["layer"] == "total")
    for r in summary:
        e = float(r["energy_pj"])
        check(abs(float(r["relative_to_best"]) - e / best) < 1e-9 * e / best, "relative_to_best")
        check(abs(float(r["energy_per_mac_pj"]) - e / macs) < 1e-9 * e, "energy per MAC")
        check(r["result"] == "proven" or r["result"] == "best of 1500", f"result {r['result']}")
        summed = sum(float(x["energy_pj"]) for x in rows if x["config"] == r["config"])
        check(abs(summed - e) <= 1e-6 * e, f"{r['config']}: compare.csv rows sum to {summed}, summary {e}")
    mac_rows = [x for x in rows if x["level"] == "mac"]
    check(len(mac_rows) == 3 and all(x["dataspace"] == "-" and float(x["accesses"]) == macs for x in mac_rows),
          "one compute row per config with the MACs")
    j = json.load(open(os.path.join(outs[0], "compare.json")))
    check([c["name"] for c in j["configs"]] == ["ws", "os", "rs"] and j["layers"] == ["small"]
          and j["objective"] == "energy", "compare.json")
    check(j["configs"][0]["dataflow"] == "weight-stationary", "dataflow long name in compare.json")
    check("relative" in p.stdout and "ws" in p.stdout, "table printed")

    # --report on a real comparison (docs/report.md): the page, and its pJ/MAC per layer
    # chart equal to summary.csv.
    out = os.path.join(tmp, "rep")
    run(*arch, layer, "--dataflow", "ws,os", "--max-evaluations", "300", "--report", "-q", "-o", out)
    check(os.path.isfile(os.path.join(out, "report.html")), "--report wrote report.html")
    data = os.path.join(out, "report-data")
    charts = sorted(os.listdir(data)) if os.path.isdir(data) else []
    check(len(charts) >= 3, f"report charts as CSV: {charts}")
    want = {(r["config"], r["layer"]): float(r["energy_per_mac_pj"])
            for r in csv.DictReader(open(os.path.join(out, "summary.csv"))) if r["layer"] != "total"}
    got = {}
    for name in charts:
        for r in csv.DictReader(open(os.path.join(data, name))):
            if "config" in r and "layer" in r and "energy_per_mac_pj" in r and r["layer"] != "total":
                got[(r["config"], r["layer"])] = float(r["energy_per_mac_pj"])
    check(got and all(abs(got.get(k, -1) - v) <= 1e-6 * v for k, v in want.items()),
          f"report pJ/MAC per layer {got} == summary.csv {want}")

    # No local reuse on the Eyeriss-like design (one scratchpad per data type, kept by the
    # architecture's constraints): the keeps give way with a warning; --strict makes it exit 2.
    out = os.path.join(tmp, "nlr")
    p = run(*arch, layer, "--dataflow", "nlr", "--max-evaluations", "300", "-o", out)
    check("give way to the preset's bypass" in p.stderr and "psum_spad keeps Outputs" in p.stderr,
          f"NLR warning: {p.stderr}")
    nlr_rows = list(csv.DictReader(open(os.path.join(out, "compare.csv"))))
    check(all(float(x["accesses"]) == 0 for x in nlr_rows if x["level"].endswith("_spad")),
          "NLR: no scratchpad access")
    p = run(*arch, layer, "--dataflow", "nlr", "--max-evaluations", "300", "--strict", "-o", out, expect=2)

    # A compare file: a network, --layers picks two layers of one shape (one search each).
    net = os.path.join(tmp, "net.yaml")
    with open(net, "w") as f:
        f.write("network:\n  inputs:\n  - {name: x, shape: [1, 8, 10, 10]}\n  layers:\n"
                "  - {name: a, problem: small.yaml, inputs: [x]}\n"
                "  - {name: b, problem: {instance: {C: 16, M: 8, R: 1, S: 1, N: 1, P: 8, Q: 8}}, inputs: [a]}\n")
    cmp = os.path.join(tmp, "cmp.yaml")
    with open(cmp, "w") as f:
        f.write("compare:\n  workload: net.yaml\n  max_evaluations: 800\n"
                f"  architecture: [{arch[0]}, {arch[1]}, {arch[2]}]\n"
                "  configs:\n  - {name: WS, dataflow: weight-stationary}\n"
                "  - {name: RS, dataflow: rs}\n")
    out = os.path.join(tmp, "file")
    p = run(cmp, "--layers", "B", "-o", out, "--threads", "2")
    s2 = list(csv.DictReader(open(os.path.join(out, "summary.csv"))))
    check([(r["config"], r["layer"]) for r in s2] == [("WS", "b"), ("WS", "total"), ("RS", "b"), ("RS", "total")],
          f"--layers B: {[(r['config'], r['layer']) for r in s2]}")
    check(all(int(r["macs"]) == 16 * 8 * 64 for r in s2), "layer b's MACs")

    # Errors: exit 2 with file:line.
    p = run(*arch, layer, "--dataflow", "ws,xyz", "-o", out, expect=2)
    check("no dataflow preset 'xyz'" in p.stderr, f"unknown dataflow: {p.stderr}")
    bad = os.path.join(tmp, "bad.yaml")
    with open(bad, "w") as f:
        f.write("compare:\n  workload: small.yaml\n  configs:\n"
                f"  - {{name: A, architecture: {arch[0]}, dataflw: ws}}\n")
    p = run(bad, "-o", out, expect=2)
    check(f"{bad}:4:" in p.stderr and "did you mean 'dataflow'" in p.stderr, f"unknown key: {p.stderr}")
    with open(bad, "w") as f:
        f.write("compare:\n  workload: small.yaml\n"
                f"  architecture: {arch[0]}\n  configs:\n  - {{name: A, dataflow: weight-stationry}}\n")
    p = run(bad, "-o", out, expect=2)
    check(f"{bad}:5:" in p.stderr and "no dataflow preset 'weight-stationry'" in p.stderr
          and "weight-stationary" in p.stderr, f"unknown dataflow in a file: {p.stderr}")
    with open(bad, "w") as f:
        f.write("compare:\n  workload: small.yaml\n  configs: []\n")
    p = run(bad, "-o", out, expect=2)
    check(f"{bad}:3:" in p.stderr and "empty" in p.stderr, f"empty config list: {p.stderr}")
    p = run(arch[0], "--dataflow", "ws", "-o", out, expect=2)
    check("no workload" in p.stderr, f"no workload: {p.stderr}")
    p = run(cmp, "--dataflow", "ws", "-o", out, expect=2)
    check("give one or the other" in p.stderr, f"compare file and --dataflow: {p.stderr}")
    p = run(cmp, "--layers", "c", "-o", out, expect=2)
    check("no layer 'c'" in p.stderr, f"unknown layer: {p.stderr}")

    # Equal area (the Eyeriss study's template, one FC layer, a small search): RS keeps the
    # template's 256-word register file, so the derivation gives back its 65536-word buffer;
    # NLR's 1-word register file leaves more area to the buffer.
    study = os.path.join(repo, "studies/eyeriss-isca16/compare.yaml")
    out = os.path.join(tmp, "study")
    p = run(study, "--layers", "fc8", "--max-evaluations", "300", "-o", out, "--threads", "2")
    j = json.load(open(os.path.join(out, "compare.json")))
    by = {c["name"]: c for c in j["configs"]}
    check(by["RS"]["glb_words"] == 65536 and by["RS"]["pe_words"] == 256, f"RS sizes {by['RS']}")
    check(by["NLR"]["glb_words"] > 65536, f"NLR buffer {by['NLR']}")
    check(by["WS"]["glb_words"] > 65536 and by["WS"]["glb_words"] < by["NLR"]["glb_words"], f"WS buffer {by['WS']}")
    areas = [c["storage_area_um2"] for c in j["configs"]]
    check(max(areas) <= by["RS"]["storage_area_um2"] * (1 + 1e-12), f"every area within the template's: {areas}")

    # The study's tables (scripts/study-tables.py): per level, the energy per MAC of the FC
    # group (fc8 alone here) adds up to the summary's; DRAM accesses per MAC from compare.csv.
    t = subprocess.run(["/usr/bin/python3", os.path.join(repo, "scripts/study-tables.py"), out],
                       capture_output=True, text=True, timeout=60)
    check(t.returncode == 0, f"study-tables.py: {t.stderr}")
    summ = {r["config"]: r for r in csv.DictReader(open(os.path.join(out, "summary.csv"))) if r["layer"] == "fc8"}
    for r in csv.DictReader(open(os.path.join(out, "energy_by_level.csv"))):
        if r["group"] == "FC":
            e = float(summ[r["config"]]["energy_per_mac_pj"])
            check(abs(float(r["total"]) - e) <= 1e-5 * e, f"{r['config']}: level split {r['total']} vs {e}")
    srows = list(csv.DictReader(open(os.path.join(out, "compare.csv"))))
    for r in csv.DictReader(open(os.path.join(out, "dram_per_mac.csv"))):
        if r["group"] == "FC":
            acc = sum(float(x["accesses"]) for x in srows if x["config"] == r["config"] and x["level"] == "DRAM")
            want = acc / int(summ[r["config"]]["macs"])
            check(abs(float(r["dram_accesses_per_mac"]) - want) <= 1e-5 * want, "DRAM accesses per MAC")

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("compare CLI: all checks passed")
