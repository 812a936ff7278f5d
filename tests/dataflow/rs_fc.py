#!/usr/bin/env python3
"""Row-stationary on an FC layer (mappings/dataflows/row-stationary.yaml, array_when_trivial).

An FC layer has R = S = P = Q = 1, so the preset's X axis (output rows Q) would be idle and
the array would hold one column (16 PEs) of work. With the preset's array_when_trivial roles
(X: M, N; Y: C) `loopsim map --dataflow row-stationary` must say so (a note) and use more
than one column; the same preset without those roles uses at most one column. Checks: the
MAC count (64 x 32 x 16 = 32,768), the PEs in use, the note, and the array network's energy
(2 per ingress, studies/eyeriss-isca16/arch.yaml) against its ingresses.
usage: rs_fc.py LOOPSIM REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile


def run(loopsim, root, preset, out):
    s = os.path.join(root, "studies", "eyeriss-isca16")
    cmd = [loopsim, "map", os.path.join(s, "arch.yaml"), os.path.join(s, "ERT.yaml"),
           os.path.join(root, "tests", "dataflow", "fc_small.yaml"), "--dataflow", preset,
           "--max-evaluations", "3000", "--seed", "1", "--threads", "1", "-o", out]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"FAIL: exit {p.returncode}: {p.stderr.strip()}")
    with open(os.path.join(out, "loopsim-mapper.stats.json")) as f:
        return json.load(f), p.stderr


def main():
    loopsim, root = sys.argv[1], sys.argv[2]
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        stats, err = run(loopsim, root, "row-stationary", os.path.join(tmp, "rs"))
        if "array_when_trivial roles (X: [M N], Y: [C])" not in err:
            errors.append(f"no note about the FC roles on stderr: {err!r}")
        if stats["summary"]["computes"] != 64 * 32 * 16:
            errors.append(f"computes {stats['summary']['computes']} != 32768")
        used = stats["arithmetic"]["utilized_instances"]
        if used <= 16:
            errors.append(f"row-stationary on FC uses {used} PEs, expected more than one column (16)")
        nets = {n["name"]: n for n in stats["networks"]}
        array = nets.get("inter_PE_spatial <==> rf")
        if array is None:
            errors.append(f"no array network in stats.json (have {sorted(nets)})")
        else:
            ingresses = sum(d["ingresses"] * d["utilized_instances"]
                            for d in array["data_spaces"].values())
            if ingresses <= 0 or abs(array["energy_pj"] - 2 * ingresses) > 1e-9 * ingresses:
                errors.append(f"array network energy {array['energy_pj']} != 2 x {ingresses} ingresses")
        # The same preset without array_when_trivial: one column at most.
        with open(os.path.join(root, "mappings", "dataflows", "row-stationary.yaml")) as f:
            text = f.read()
        plain = os.path.join(tmp, "rs-plain.yaml")
        with open(plain, "w") as f:
            f.write(text[:text.index("  array_when_trivial:")])
        stats2, err2 = run(loopsim, root, plain, os.path.join(tmp, "plain"))
        if "array_when_trivial" in err2:
            errors.append("a note without array_when_trivial roles")
        if stats2["arithmetic"]["utilized_instances"] > 16:
            errors.append(f"the preset without FC roles uses {stats2['arithmetic']['utilized_instances']} PEs")
    for e in errors:
        print("FAIL " + e)
    print(f"row-stationary on FC: {used} PEs in use" if not errors else "")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
