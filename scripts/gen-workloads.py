#!/usr/bin/env python3
"""Generate Timeloop v0.4 problem YAMLs under workloads/ from the layer-shape CSVs.

Usage: scripts/gen-workloads.py [CSV_DIR] [--out DIR]

CSV_DIR defaults to ../shared/reference relative to the repository root and must
hold the CSVs listed in NETWORKS (columns name,G,C,K,H,W,R,S,stride,pad,P,Q,MACs;
C and K are totals over all groups). DIR defaults to <repo>/workloads.

Every row is checked (output size from H/W, pad, R/S, stride; MAC count against
the CSV; network totals against the published figures) and the script exits
non-zero on the first mismatch. Stdlib only; output is deterministic.
"""

import argparse
import csv
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (output folder, CSV file, display name, published total MACs, published CONV-only
#  MACs or None, expected (#conv, #FC) layers). Figures from the facts sheet, section 3,
#  given to 4 significant digits; the layer counts follow its architecture tables (the
#  rounded totals alone would not notice a missing small layer).
NETWORKS = [
    ("alexnet", "alexnet_original_grouped.csv", "AlexNet (original, grouped)",
     724.4e6, 665.8e6, (5, 3)),
    ("alexnet-torchvision", "alexnet_torchvision.csv", "AlexNet (torchvision)",
     714.2e6, None, (5, 3)),
    ("vgg16", "vgg16.csv", "VGG-16", 15.47e9, 15.35e9, (13, 3)),
    # conv1 + 16 bottlenecks x 3 + 4 projections = 53 conv, + fc
    ("resnet50", "resnet50_v1.5.csv", "ResNet-50 v1.5", 4.089e9, None, (53, 1)),
    # conv0 + 17 bottlenecks x 3 - 1 (no expand when t=1) + conv_last = 52 conv, + fc
    ("mobilenet_v2", "mobilenet_v2.csv", "MobileNetV2", 300.8e6, None, (52, 1)),
]

GEMMS = [("gemm-1024", 1024, 1024, 1024), ("gemm-64", 64, 64, 64)]

GROUPED_SHAPE = """\
  shape:
    name: grouped_conv2d
    dimensions: [G, C, M, R, S, N, P, Q]
    coefficients:
    - {name: Wstride, default: 1}
    - {name: Hstride, default: 1}
    - {name: Wdilation, default: 1}
    - {name: Hdilation, default: 1}
    data_spaces:
    - name: Weights
      projection: [[[G]], [[C]], [[M]], [[R]], [[S]]]
    - name: Inputs
      projection: [[[N]], [[G]], [[C]], [[R, Wdilation], [P, Wstride]], [[S, Hdilation], [Q, Hstride]]]
    - name: Outputs
      projection: [[[N]], [[G]], [[M]], [[Q]], [[P]]]
      read_write: true
"""

GEMM_SHAPE = """\
  shape:
    name: gemm
    dimensions: [M, N, K]
    data_spaces:
    - name: A
      projection: [[[M]], [[K]]]
    - name: B
      projection: [[[K]], [[N]]]
    - name: Z
      projection: [[[M]], [[N]]]
      read_write: true
"""


def die(msg):
    sys.exit("gen-workloads: ERROR: " + msg)


def is_fc(r):
    """A fully connected layer: 1x1 output, no padding, the filter covers the input."""
    return (r["P"] == 1 and r["Q"] == 1 and r["pad"] == 0 and r["G"] == 1
            and r["R"] == r["H"] and r["S"] == r["W"])


def load(path):
    ints = ["G", "C", "K", "H", "W", "R", "S", "stride", "pad", "P", "Q", "MACs"]
    rows = []
    with open(path, newline="") as f:
        for i, raw in enumerate(csv.DictReader(f), start=2):
            try:
                r = {k: int(raw[k]) for k in ints}
            except (KeyError, TypeError, ValueError) as e:
                die("%s line %d: bad or missing column (%s)" % (path, i, e))
            r["name"] = raw["name"].strip()
            r["where"] = "%s line %d (%s)" % (os.path.basename(path), i, r["name"])
            rows.append(r)
    if not rows:
        die("%s has no rows" % path)
    return rows


def check(r):
    w = r["where"]
    for k in ("G", "C", "K", "H", "W", "R", "S", "stride", "P", "Q"):
        if r[k] < 1:
            die("%s: %s=%d must be >= 1" % (w, k, r[k]))
    p = (r["H"] + 2 * r["pad"] - r["R"]) // r["stride"] + 1
    q = (r["W"] + 2 * r["pad"] - r["S"]) // r["stride"] + 1
    if (p, q) != (r["P"], r["Q"]):
        die("%s: P,Q = %d,%d in the CSV but (H+2pad-R)//stride+1 gives %d,%d"
            % (w, r["P"], r["Q"], p, q))
    g = r["G"]
    if r["C"] % g or r["K"] % g:
        die("%s: C=%d or K=%d not divisible by G=%d" % (w, r["C"], r["K"], g))
    c, m, n = r["C"] // g, r["K"] // g, 1  # CSV gives totals; Timeloop wants per group
    macs = g * c * m * r["R"] * r["S"] * r["P"] * r["Q"] * n
    if macs != r["MACs"]:
        die("%s: G*C*M*R*S*P*Q*N = %d (C, M per group) but the CSV says MACs=%d"
            % (w, macs, r["MACs"]))
    return c, m, n, macs


def render_layer(net, r):
    c, m, n, macs = check(r)
    g = r["G"]
    if is_fc(r):
        # Flatten to C = in features, M = out, R = S = P = Q = 1 (same MACs).
        c_in = c * r["R"] * r["S"]
        head = "# %s %s: fully connected %d -> %d (MACs %d)" % (
            net, r["name"], c_in, m, macs)
        inst = [("C", c_in), ("M", m), ("R", 1), ("S", 1), ("N", n),
                ("P", 1), ("Q", 1), ("Wstride", 1), ("Hstride", 1)]
    else:
        inst = [("C", c), ("M", m), ("R", r["R"]), ("S", r["S"]), ("N", n),
                ("P", r["P"]), ("Q", r["Q"]),
                ("Wstride", r["stride"]), ("Hstride", r["stride"])]
        geo = "%dx%d, stride %d, pad %d, %dx%d -> %dx%d" % (
            r["R"], r["S"], r["stride"], r["pad"], r["H"], r["W"], r["P"], r["Q"])
        if g == 1:
            head = "# %s %s: C=%d -> M=%d, %s (MACs %d)" % (net, r["name"], c, m, geo, macs)
        else:
            kind = "depthwise" if c == 1 and m == 1 else "grouped"
            head = "# %s %s: %s G=%d, C=%d -> M=%d per group (%d -> %d total), %s (MACs %d)" % (
                net, r["name"], kind, g, c, m, r["C"], r["K"], geo, macs)
    out = [head, "problem:", "  version: 0.4"]
    if g == 1:
        out.append("  instance:")
        out += ["    %s: %d" % kv for kv in inst]
        text = "\n".join(out) + "\n"
    else:
        inst = [("G", g)] + inst
        text = "\n".join(out) + "\n" + GROUPED_SHAPE + "  instance: {%s}\n" % (
            ", ".join("%s: %d" % kv for kv in inst))
    return text, macs


def render_gemm(name, m, n, k):
    macs = m * n * k
    return ("# GEMM %s: Z[M][N] += A[M][K] * B[K][N], M=%d N=%d K=%d (MACs %d)\n"
            "problem:\n  version: 0.4\n%s  instance:\n    M: %d\n    N: %d\n    K: %d\n"
            % (name, m, n, k, macs, GEMM_SHAPE, m, n, k)), macs


def close(value, expected):
    """value rounds to expected at 4 significant digits (the precision of facts.md)."""
    ulp = 10 ** (len(str(int(round(expected)))) - 4)
    return abs(value - expected) <= 0.5 * ulp


def fmt(x):
    return "%.4g G" % (x / 1e9) if x >= 1e9 else "%.4g M" % (x / 1e6)


def write(path, text, written):
    with open(path, "w", newline="\n") as f:
        f.write(text)
    written.append(path)


README_HEAD = """\
# workloads

Timeloop v0.4 problem files (one layer each, batch N=1) for the simulator's tests
and examples. Generated by `scripts/gen-workloads.py`; do not edit by hand, edit the
script and re-run it (`python3 scripts/gen-workloads.py [CSV_DIR]`).

## Contents

| folder | network | files | layers |
|---|---|---|---|
{contents}
| gemm/ | GEMM examples | {ngemm} | {gemms} |

Files are named after the layer (CSV `name` column); the network's layer order is
the CSV order, not the alphabetical order of the file names.

## Format

1. Each file starts with a one-line comment: network, layer, shape summary, MAC count.
2. Top-level key `problem:` with `version: 0.4`.
3. Ungrouped convolutions and FC layers (G = 1) have no `shape:` key: the standard CNN
   layer is implied (dims C M R S N P Q, coefficients Wstride Hstride Wdilation Hdilation).
4. Their `instance:` lists C, M, R, S, N, P, Q, Wstride, Hstride (dilation defaults to 1).
5. FC layers are 1x1 convolutions on a 1x1 map: C = in features, M = out, R=S=P=Q=1.
6. Grouped/depthwise layers (G > 1) carry an explicit `grouped_conv2d` shape with a G
   dimension; C and M are per group (depthwise: C = M = 1, G = channels).
7. P/Q are output width/height, R/S filter width/height (all layers here are square).
8. H, W and padding are not stored: P = (H + 2*pad - R) // stride + 1 was checked instead.
9. MACs = G*C*M*R*S*N*P*Q; GEMM files use their own shape (dims M N K, spaces A B Z).
10. No dilation > 1 occurs in these networks.

## Source of the shapes

Per-layer shapes come from the project's reference CSVs (`alexnet_original_grouped.csv`,
`alexnet_torchvision.csv`, `vgg16.csv`, `resnet50_v1.5.csv`, `mobilenet_v2.csv`,
columns name,G,C,K,H,W,R,S,stride,pad,P,Q,MACs, with C and K as totals over groups).
Per the project's facts sheet (section 3) they are *derived* [D] from the published
architectures: AlexNet as in Krizhevsky et al. 2012 (227x227 input, conv2/4/5 split
into G=2) and as in torchvision (224x224, ungrouped); VGG-16 (Simonyan & Zisserman,
all 3x3 / stride 1 / pad 1); ResNet-50 v1.5 as in torchvision (the downsampling stride 2
of stages conv3_x..conv5_x sits on block 1's 3x3 and projection, not on its first
1x1 as in v1, which would give 3.858 G MACs);
MobileNetV2 as in Sandler et al. 2018, Table 2 (224x224, width 1.0). The generator
checks every row's output size and MAC count and the totals below against the
published totals, and fails if any of them disagree.

## Total MACs per network (N = 1)

| network | layers | CONV MACs | FC MACs | total MACs | published total |
|---|---|---|---|---|---|
{totals}
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv_dir", nargs="?",
                    default=os.path.join(REPO, "..", "shared", "reference"))
    ap.add_argument("--out", default=os.path.join(REPO, "workloads"))
    a = ap.parse_args()

    written, contents, totals = [], [], []
    for folder, fname, label, exp_total, exp_conv, exp_layers in NETWORKS:
        rows = load(os.path.join(a.csv_dir, fname))
        names = [r["name"] for r in rows]
        if len(set(names)) != len(names):
            die("%s: duplicate layer names" % fname)
        d = os.path.join(a.out, folder)
        os.makedirs(d, exist_ok=True)
        conv = fc = 0
        for r in rows:
            text, macs = render_layer(label, r)
            if is_fc(r):
                fc += macs
            else:
                conv += macs
            write(os.path.join(d, r["name"] + ".yaml"), text, written)
        total = conv + fc
        if not close(total, exp_total):
            die("%s: total %d MACs does not round to the published %s" % (label, total, fmt(exp_total)))
        if exp_conv is not None and not close(conv, exp_conv):
            die("%s: CONV-only %d MACs does not round to the published %s" % (label, conv, fmt(exp_conv)))
        ngroup = sum(1 for r in rows if r["G"] > 1)
        nfc = sum(1 for r in rows if is_fc(r))
        if (len(rows) - nfc, nfc) != exp_layers:
            die("%s: %d conv + %d FC layers, expected %d + %d"
                % (label, len(rows) - nfc, nfc, exp_layers[0], exp_layers[1]))
        contents.append("| %s/ | %s | %d | %d conv (%d grouped/depthwise), %d FC |" % (
            folder, label, len(rows), len(rows) - nfc, ngroup, nfc))
        pub = fmt(exp_total) + (" (CONV %s)" % fmt(exp_conv) if exp_conv else "")
        totals.append("| %s | %d | %d | %d | **%d** (%s) | %s |" % (
            label, len(rows), conv, fc, total, fmt(total), pub))

    d = os.path.join(a.out, "gemm")
    os.makedirs(d, exist_ok=True)
    for name, m, n, k in GEMMS:
        text, _ = render_gemm(name, m, n, k)
        write(os.path.join(d, name + ".yaml"), text, written)

    readme = README_HEAD.format(
        contents="\n".join(contents), ngemm=len(GEMMS),
        gemms=", ".join("%s (M=N=K=%d)" % (g[0], g[1]) for g in GEMMS),
        totals="\n".join(totals))
    write(os.path.join(a.out, "README.md"), readme, written)

    # Stale files from an earlier run would silently survive; report them.
    keep = set(os.path.abspath(p) for p in written)
    for root, _, files in os.walk(a.out):
        for f in files:
            p = os.path.abspath(os.path.join(root, f))
            if p not in keep:
                print("gen-workloads: warning: %s was not generated by this run" % p,
                      file=sys.stderr)
    print("gen-workloads: wrote %d files under %s" % (len(written), a.out))
    for t in totals:
        print("  " + t)


if __name__ == "__main__":
    main()
