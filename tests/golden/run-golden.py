#!/usr/bin/env python3
"""Golden cases: tests/golden/<case>/{inputs.txt, expected.json}.

inputs.txt lists input files (relative to the repository root), one per line.
expected.json: {"cycles": N, "fj_per_compute": X, "levels": {level: {data space:
{"reads": n, "fills": n, "updates": n}}}, "networks": {name: {"energy_pj": x, "data_spaces":
{data space: {figure: x}}}}}; counts must match exactly, fJ/compute and network figures
within 0.1%.
usage: run-golden.py LOOPSIM REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile


def main():
    loopsim, root = sys.argv[1], sys.argv[2]
    gdir = os.path.join(root, "tests", "golden")
    passed = failed = 0
    for case in sorted(os.listdir(gdir)):
        cdir = os.path.join(gdir, case)
        if not os.path.isfile(os.path.join(cdir, "expected.json")):
            continue
        with open(os.path.join(cdir, "inputs.txt")) as f:
            inputs = [os.path.join(root, l.strip()) for l in f if l.strip() and not l.startswith("#")]
        with open(os.path.join(cdir, "expected.json")) as f:
            expected = json.load(f)
        with tempfile.TemporaryDirectory() as out:
            p = subprocess.run([loopsim, "model", "-q", "-o", out] + inputs, capture_output=True, text=True)
            if p.returncode != 0:
                print(f"FAIL {case}: exit {p.returncode}: {p.stderr.strip()}")
                failed += 1
                continue
            with open(os.path.join(out, "loopsim-model.stats.json")) as f:
                ours = json.load(f)
        errors = []
        if "cycles" in expected and ours["summary"]["cycles"] != expected["cycles"]:
            errors.append(f"cycles {ours['summary']['cycles']} != {expected['cycles']}")
        if "fj_per_compute" in expected:
            want, got = expected["fj_per_compute"], ours["summary"]["fj_per_compute"]
            if abs(got - want) > 1e-3 * abs(want):
                errors.append(f"fJ/compute {got} != {want}")
        levels = {l["name"]: l for l in ours["levels"]}
        for lname, dss in expected.get("levels", {}).items():
            for ds, counts in dss.items():
                got = levels.get(lname, {}).get("data_spaces", {}).get(ds)
                if got is None:
                    errors.append(f"{lname}.{ds} missing")
                    continue
                for k, v in counts.items():
                    if got[k] != v:
                        errors.append(f"{lname}.{ds}.{k} {got[k]} != {v}")
        nets = {n["name"]: n for n in ours.get("networks", [])}
        if expected.get("networks"):
            # Both engines price the networks alike (the closed form when no hop or router
            # energy is given; docs/cost-model.md §9).
            with tempfile.TemporaryDirectory() as out:
                p = subprocess.run([loopsim, "model", "-q", "--engine", "walk", "-o", out] + inputs,
                                   capture_output=True, text=True)
                with open(os.path.join(out, "loopsim-model.stats.json")) as f:
                    walk = {n["name"]: n["energy_pj"] for n in json.load(f).get("networks", [])}
            for nname in expected["networks"]:
                a, b = nets.get(nname, {}).get("energy_pj"), walk.get(nname)
                if a is None or b is None or abs(a - b) > 1e-9 * max(abs(a), 1.0):
                    errors.append(f"network '{nname}': {a} pJ (auto) != {b} pJ (walk)")
        for nname, want in expected.get("networks", {}).items():
            got = nets.get(nname)
            if got is None:
                errors.append(f"network '{nname}' missing (have {sorted(nets)})")
                continue
            pairs = [("energy_pj", want.get("energy_pj"), got["energy_pj"])]
            for ds, figs in want.get("data_spaces", {}).items():
                for k, v in figs.items():
                    pairs.append((f"{ds}.{k}", v, got["data_spaces"][ds][k]))
            for what, v, g in pairs:
                if v is not None and abs(g - v) > 1e-3 * max(abs(v), 1e-9):
                    errors.append(f"network '{nname}' {what} {g} != {v}")
        if errors:
            failed += 1
            print(f"FAIL {case}: " + "; ".join(errors))
        else:
            passed += 1
            print(f"ok {case}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
