#!/usr/bin/env python3
"""`loopsim map` with Timeloop's imperfect-factorization mapspace (`template: ruby`) on
tests/mapper/ruby: a 1-D convolution (R = 3, P = 7) on a row of 4 PEs.
  - perfect factors only (template uber): 7 does not divide over the row, so P stays
    temporal and every mapping takes at least 7 cycles (the product of the temporal factors
    is at least P = 7); the `remainders` there draws a warning;
  - template ruby with `remainders: 4` on the row: the proven optimum spreads P over the 4
    PEs as P=4,3 (steps of 4, the last of 3) under a loop of 2, in 21 / 4 -> 6 cycles (R = 3
    times 2), with a lower EDP than the perfect optimum; `optimal` (the bound is skipped on
    imperfect tilings) and `exhaustive` agree;
  - the map.yaml carries the residual (`P=4,3`) and `loopsim model` gives the same numbers;
  - an unknown template, and `remainders: 0`, are errors with file:line (exit 2).
usage: run-ruby.py LOOPSIM SOURCE_DIR"""
import json, subprocess, sys, tempfile
from pathlib import Path

loopsim, src = sys.argv[1], Path(sys.argv[2])
d = src / "tests/mapper/ruby"
base = [str(d / "arch.yaml"), str(d / "ERT.yaml"), str(d / "problem.yaml")]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(args):
    return subprocess.run([loopsim] + args, capture_output=True, text=True, timeout=120)


def stats(path):
    return json.loads(Path(path).read_text())


def counts(s):
    """Every per-level, per-data-space count and the summary figures of a stats.json."""
    out = {k: s["summary"][k] for k in ("cycles", "energy_pj", "computes", "utilization")}
    for lv in s["levels"]:
        for ds, v in lv["data_spaces"].items():
            for k in ("reads", "fills", "updates", "utilized_instances", "utilized_capacity"):
                out[f"{lv['name']}.{ds}.{k}"] = v[k]
    return out


with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    best = {}
    for name, alg in (("perfect", "exhaustive"), ("ruby", "exhaustive"), ("ruby", "optimal")):
        out = tmp / f"{name}-{alg}"
        p = run(["map"] + base + [str(d / f"{name}.yaml"), "-o", str(out), "--algorithm", alg,
                                  "--threads", "2", "-q"])
        check(p.returncode == 0, f"{name} {alg}: exit 0 (got {p.returncode}: {p.stderr.strip()})")
        if p.returncode != 0:
            continue
        s = stats(out / "loopsim-mapper.stats.json")
        check(s["search"]["proven_optimal"], f"{name} {alg}: the optimum is proven")
        best[(name, alg)] = (s, (out / "loopsim-mapper.map.yaml").read_text(), out)
        if name == "perfect":
            check("remainders has no effect" in p.stderr,
                  f"remainders without ruby draws a warning ({p.stderr.strip()})")

    if ("perfect", "exhaustive") in best and ("ruby", "exhaustive") in best:
        sp, yp, _ = best[("perfect", "exhaustive")]
        sr, yr, out = best[("ruby", "exhaustive")]
        check(sp["summary"]["cycles"] >= 7, f"perfect: at least 7 cycles ({sp['summary']['cycles']})")
        check("P=4,3" not in yp and ",3" not in yp, "perfect: no residual in its map.yaml")
        check(sr["summary"]["cycles"] == 6, f"ruby: 6 cycles ({sr['summary']['cycles']})")
        check('factors: "R=1 P=4,3"' in yr, "ruby: the row takes P=4,3 in map.yaml")
        check(sr["summary"]["edp_j_cycles"] < sp["summary"]["edp_j_cycles"],
              f"ruby EDP {sr['summary']['edp_j_cycles']} < perfect EDP {sp['summary']['edp_j_cycles']}")
        m = run(["model"] + base + [str(out / "loopsim-mapper.map.yaml"), "-o", str(tmp / "rt"), "-q"])
        check(m.returncode == 0, f"loopsim model accepts the map.yaml ({m.stderr.strip()})")
        if m.returncode == 0:
            a, b = counts(sr), counts(stats(tmp / "rt/loopsim-model.stats.json"))
            diff = {k: (a[k], b.get(k)) for k in a if a[k] != b.get(k)}
            check(not diff, f"round trip gives the same {len(a)} figures (differ: {diff})")
        if ("ruby", "optimal") in best:
            so = best[("ruby", "optimal")][0]
            check(so["summary"]["edp_j_cycles"] == sr["summary"]["edp_j_cycles"],
                  "optimal and exhaustive find the same EDP")

    # The v0.4 spellings: the node constraint on the PE container, `mapspace:` from timeloopfe.
    arch = (d / "arch.yaml").read_text().replace(
        "    spatial: {meshX: 4}\n", "    spatial: {meshX: 4}\n    constraints: {spatial: {remainders: 4}}\n")
    check("remainders: 4" in arch, "the node form of the test architecture is written")
    (tmp / "arch.yaml").write_text(arch)
    (tmp / "ms.yaml").write_text("mapspace: {version: 0.4, template: ruby}\n")
    p = run(["map", str(tmp / "arch.yaml"), base[1], base[2], str(tmp / "ms.yaml"),
             "-o", str(tmp / "node"), "--algorithm", "exhaustive", "-q"])
    check(p.returncode == 0, f"node-constraint form exits 0 ({p.stderr.strip()})")
    if p.returncode == 0 and ("ruby", "exhaustive") in best:
        s = stats(tmp / "node/loopsim-mapper.stats.json")
        check(s["summary"]["edp_j_cycles"] == best[("ruby", "exhaustive")][0]["summary"]["edp_j_cycles"],
              "node-constraint form finds the same optimum")

    bad = tmp / "bad.yaml"
    bad.write_text("mapspace:\n  template: rubi\n")
    p = run(["map"] + base + [str(bad), "-o", str(tmp / "bad"), "-q"])
    check(p.returncode == 2, f"an unknown template exits 2 (got {p.returncode})")
    check(f"{bad}:2:" in p.stderr and "did you mean 'ruby'" in p.stderr,
          f"the error names file:line and suggests 'ruby' ({p.stderr.strip()})")

    zero = tmp / "zero.yaml"
    zero.write_text("mapspace: {template: ruby}\nconstraints:\n  targets:\n"
                    "  - {target: inter_PE_spatial, type: spatial, remainders: 0}\n")
    p = run(["map"] + base + [str(zero), "-o", str(tmp / "zero"), "-q"])
    check(p.returncode == 2 and f"{zero}:4:" in p.stderr and "at least 1" in p.stderr,
          f"remainders: 0 is an error at its line ({p.returncode}: {p.stderr.strip()})")

sys.exit(1 if failures else 0)
