#!/usr/bin/env python3
"""The accurate model on the Eyeriss-like design, AlexNet conv3, row stationary
(docs/cost-model.md §8). Checks, from the counts of one run, relations derived by hand:

 * arch-columns.yaml (the array as 14 columns of 12 PEs, two nested containers), default
   model: no input word is multicast (a column's PEs need different rows; the columns'
   windows of 3 rows are never the same box), so the glb's Input reads equal the fills of
   all 156 ifmap_spads;
 * the same, accurate model: the 13 columns x 3 filter rows = 39 PE rows of a channel group
   need only 13 + 3 - 1 = 15 distinct input rows (the diagonals), each read once, so the
   reads are 15/39 of the default's;
 * the flat shipped arch.yaml (one 14 x 12 container): Timeloop's model already sees the
   diagonal there (identical boxes in one fan-out); both models give the accurate figure.
 * stats.json names the model that ran ("model": {"mode": ...});
 * everything else (DRAM, other tensors, ifmap_spad fills) is the same in all four runs.
usage: eyeriss-conv3.py LOOPSIM REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile


def run(loopsim, root, arch, mapping, model):
    e = os.path.join(root, "arch-specs", "eyeriss_like")
    files = [os.path.join(root, "workloads", "alexnet", "conv3.yaml"), os.path.join(e, arch),
             os.path.join(e, "ERT.yaml"), os.path.join(e, "ART.yaml"),
             os.path.join(root, "mappings", mapping)]
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([loopsim, "model", "-q", "-o", out, "--model", model] + files, check=True)
        with open(os.path.join(out, "loopsim-model.stats.json")) as f:
            d = json.load(f)
    if d["model"]["mode"] != model:
        raise SystemExit(f"stats.json says model {d['model']['mode']!r}, ran {model!r}")
    return {(l["name"], k): v for l in d["levels"] for k, v in l["data_spaces"].items()}


def main():
    loopsim, root = sys.argv[1], sys.argv[2]
    col = "eyeriss_like-columns.alexnet-conv3.rs.map.yaml"
    flat = "eyeriss_like.alexnet-conv3.rs.map.yaml"
    nt = run(loopsim, root, "arch-columns.yaml", col, "timeloop")
    na = run(loopsim, root, "arch-columns.yaml", col, "accurate")
    ft = run(loopsim, root, "arch.yaml", flat, "timeloop")
    fa = run(loopsim, root, "arch.yaml", flat, "accurate")
    errors = []
    glb = ("shared_glb", "Inputs")
    spad = nt[("ifmap_spad", "Inputs")]
    if spad["utilized_instances"] != 156:
        errors.append(f"ifmap_spad instances {spad['utilized_instances']} != 156")
    if nt[glb]["reads"] != spad["fills"] * 156:
        errors.append(f"default glb Input reads {nt[glb]['reads']} != 156 x {spad['fills']}")
    if na[glb]["reads"] * 39 != nt[glb]["reads"] * 15:
        errors.append(f"accurate glb Input reads {na[glb]['reads']} != 15/39 x {nt[glb]['reads']}")
    for name, r in (("flat default", ft), ("flat accurate", fa)):
        if r[glb]["reads"] != na[glb]["reads"]:
            errors.append(f"{name} glb Input reads {r[glb]['reads']} != {na[glb]['reads']}")
    for key in nt:
        for r in (na, ft, fa):
            if key != glb and key in r and r[key]["reads"] != nt[key]["reads"]:
                errors.append(f"{key} reads differ: {r[key]['reads']} != {nt[key]['reads']}")
    print(f"glb Input reads: default {nt[glb]['reads']}, accurate {na[glb]['reads']} "
          f"(flat design: {ft[glb]['reads']} / {fa[glb]['reads']})")
    for e in errors:
        print("FAIL", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
