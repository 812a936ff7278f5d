#!/usr/bin/env python3
"""The tables of a dataflow study from a `loopsim compare` output folder (docs/studies.md).

Reads DIR/compare.csv and DIR/summary.csv; writes DIR/study-tables.md and three CSVs:
energy_by_level.csv, energy_by_dataspace.csv (energy per MAC by config, split by storage
level / by data type) and dram_per_mac.csv (DRAM accesses per MAC), each for the layer
groups given (default: CONV = layers starting with "conv", FC = layers starting with "fc",
and all layers). Standard library only.
Usage: study-tables.py DIR [--dram-level NAME]
"""
import csv
import os
import sys
from collections import OrderedDict, defaultdict


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    d = args[0]
    dram = args[args.index("--dram-level") + 1] if "--dram-level" in args else "DRAM"
    rows = list(csv.DictReader(open(os.path.join(d, "compare.csv"))))
    summary = list(csv.DictReader(open(os.path.join(d, "summary.csv"))))
    configs = list(OrderedDict.fromkeys(r["config"] for r in summary))
    layers = [l for l in OrderedDict.fromkeys(r["layer"] for r in summary) if l != "total"]
    groups = OrderedDict()
    for name, prefix in (("CONV", "conv"), ("FC", "fc")):
        ls = [l for l in layers if l.lower().startswith(prefix)]
        if ls:
            groups[name] = ls
    groups["all"] = layers
    macs = {(r["config"], r["layer"]): int(r["macs"]) for r in summary}
    levels = list(OrderedDict.fromkeys(r["level"] for r in rows))
    spaces = list(OrderedDict.fromkeys(r["dataspace"] for r in rows))
    by_level, by_space, dram_acc = defaultdict(float), defaultdict(float), defaultdict(float)
    for r in rows:
        e = float(r["energy_pj"])
        by_level[(r["config"], r["layer"], r["level"])] += e
        by_space[(r["config"], r["layer"], r["dataspace"] if r["dataspace"] != "-" else "MAC")] += e
        if r["level"] == dram:
            dram_acc[(r["config"], r["layer"])] += float(r["accesses"])
    spaces = ["MAC" if s == "-" else s for s in spaces]
    md = ["# Study tables", "", f"From {d}/compare.csv (energy in the energy table's units, per MAC).", ""]

    def table(title, cols, value, fname):
        out = [["group", "config"] + cols + ["total"]]
        md.append(f"## {title}")
        md.append("")
        for g, ls in groups.items():
            md.append(f"**{g}** ({', '.join(ls)})")
            md.append("")
            md.append("| config | " + " | ".join(cols) + " | total |")
            md.append("|---" * (len(cols) + 2) + "|")
            for c in configs:
                m = sum(macs[(c, l)] for l in ls)
                vals = [sum(value(c, l, k) for l in ls) / m for k in cols]
                tot = sum(vals)
                out.append([g, c] + [f"{v:.6g}" for v in vals] + [f"{tot:.6g}"])
                md.append(f"| {c} | " + " | ".join(f"{v:.4g}" for v in vals) + f" | {tot:.4g} |")
            md.append("")
        with open(os.path.join(d, fname), "w", newline="") as f:
            csv.writer(f).writerows(out)

    table("Energy per MAC by storage level", levels, lambda c, l, k: by_level[(c, l, k)],
          "energy_by_level.csv")
    table("Energy per MAC by data type", spaces, lambda c, l, k: by_space[(c, l, k)],
          "energy_by_dataspace.csv")
    out = [["group", "config", "dram_accesses_per_mac"]]
    md.append("## DRAM accesses per MAC")
    md.append("")
    md.append("| config | " + " | ".join(groups) + " |")
    md.append("|---" * (len(groups) + 1) + "|")
    for c in configs:
        vals = []
        for g, ls in groups.items():
            v = sum(dram_acc[(c, l)] for l in ls) / sum(macs[(c, l)] for l in ls)
            vals.append(v)
            out.append([g, c, f"{v:.6g}"])
        md.append(f"| {c} | " + " | ".join(f"{v:.4g}" for v in vals) + " |")
    with open(os.path.join(d, "dram_per_mac.csv"), "w", newline="") as f:
        csv.writer(f).writerows(out)
    with open(os.path.join(d, "study-tables.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
