#!/usr/bin/env python3
"""Fits loopsim's analytic energy/area laws to Accelergy's component sweep.

Usage: scripts/fit_energy_models.py [../shared/reference/accelergy-sweep-train.csv]

Standard library only (no numpy). Prints the fitted constants in the form used by
src/estimate/fitted_constants.hpp, and the relative errors of each law on the rows.

Laws (see docs/energy-model.md):
  SRAM (CACTI plug-in): ln y = c0 + c1 L + c2 L^2 + c3 W + c4 W^2 + c5 L*W + c6 B + c7 L*T + c8 W*T + c9 L^3 + t[node]
     with L = ln(depth), W = ln(width), B = ln(n_banks), T = ln(node/45nm), one y per read/write/leak/area.
  NeuroSim intadder: y = k * (node/32nm)^p * n_bits^q   (fitted at 32 and 65 nm).
  fpmac (Aladdin table): y = a*w + b*w^2 (through the 8- and 32-bit rows).
"""
import csv
import math
import sys
from collections import defaultdict

PATH = sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/accelergy-sweep-train.csv"
SRAM_NODES = [16, 22, 32, 40, 45, 65]


def solve(a, b):
    """Gaussian elimination with partial pivoting on a small dense system."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-300:
            raise SystemExit("singular system at column %d" % c)
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def lstsq(xs, ys):
    n = len(xs[0])
    ata = [[sum(x[i] * x[j] for x in xs) for j in range(n)] for i in range(n)]
    aty = [sum(x[i] * y for x, y in zip(xs, ys)) for i in range(n)]
    # tiny ridge term keeps the system well conditioned without moving the fit
    for i in range(n):
        ata[i][i] += 1e-9
    return solve(ata, aty)


def node_nm(tech):
    return float(tech.replace("nm", ""))


def sram_features(depth, width, banks, node):
    L, W, B = math.log(depth), math.log(width), math.log(banks)
    T = math.log(node / 45.0)
    f = [1.0, L, L * L, W, W * W, L * W, B, L * T, W * T, L * L * L]
    f += [1.0 if node == n else 0.0 for n in SRAM_NODES[1:]]  # 16nm is the reference
    return f


def main():
    rows = list(csv.DictReader(open(PATH)))
    # ---------------- SRAM ----------------
    pts = defaultdict(dict)
    for r in rows:
        if r["class"] != "SRAM":
            continue
        key = (int(r["depth"]), int(r["width"]), int(r["n_banks"] or 1), node_nm(r["technology"]))
        pts[key][r["action"]] = float(r["energy_pj"])
        pts[key]["area"] = float(r["area_um2"])
    print("// SRAM: %d points" % len(pts))
    for q in ["read", "write", "leak", "area"]:
        xs, ys = [], []
        for (d, w, b, n), v in pts.items():
            xs.append(sram_features(d, w, b, n))
            ys.append(math.log(v[q]))
        c = lstsq(xs, ys)
        errs = []
        for (d, w, b, n), v in pts.items():
            est = math.exp(sum(ci * fi for ci, fi in zip(c, sram_features(d, w, b, n))))
            errs.append((abs(est / v[q] - 1), (d, w, b, n)))
        errs.sort(reverse=True)
        inside = sum(1 for e, _ in errs if e <= 0.25) / len(errs)
        print("// %-5s within 25%%: %.3f  worst %.3f at %s" % (q, inside, errs[0][0], errs[0][1]))
        core = ", ".join("%.9g" % x for x in c[:10])
        nodes = ", ".join("%.9g" % x for x in [0.0] + c[10:])
        print("  {%s}, {%s}," % (core, nodes))
    # Out-of-sample check: the SRAM inside each smartbuffer_SRAM point (depths 192 and widths
    # 32/128 are not among the SRAM rows) = the smart buffer minus its two address adders of
    # ceil(log2 depth) bits (Aladdin at 40/45 nm, NeuroSim at 32/65 nm: the laws below).
    def adder(bits, n):
        if n in (40.0, 45.0):
            return {"add": 0.21 * bits / 32, "leak": 0.0023 * bits / 32, "area": 179 * bits / 32}
        r = n / 32
        return {"add": 0.00205773648 * r ** 2.02896488 * bits ** 0.995381289,
                "leak": 2.23147695e-07 * r ** 1.37152013 * bits, "area": 2.94174735 * r * r * bits}
    sb = defaultdict(dict)
    for r in rows:
        if r["class"] == "smartbuffer_SRAM" and not r["n_banks"]:
            key = (int(r["depth"]), int(r["width"]), 1, node_nm(r["technology"]))
            sb[key][r["action"]] = float(r["energy_pj"])
            sb[key]["area"] = float(r["area_um2"])
    held = {}
    for (d, w, b, n), v in sb.items():
        if (d, w, b, n) in pts:
            continue
        a = adder(max(1, math.ceil(math.log2(d))), n)
        held[(d, w, b, n)] = {"read": v["read"] - a["add"], "write": v["write"] - a["add"],
                              "leak": v["leak"] - 2 * a["leak"], "area": v["area"] - 2 * a["area"]}
    print("// SRAM out of sample (%d SRAMs inside smartbuffer_SRAM points):" % len(held))
    for q in ["read", "write", "leak", "area"]:
        c = lstsq([sram_features(*k) for k in pts], [math.log(v[q]) for v in pts.values()])
        errs = [abs(math.exp(sum(ci * fi for ci, fi in zip(c, sram_features(*k)))) / v[q] - 1)
                for k, v in held.items()]
        print("//   %-5s within 25%%: %.3f  worst %.3f" % (
            q, sum(e <= 0.25 for e in errs) / len(errs), max(errs)))
    # ---------------- NeuroSim intadder ----------------
    ns = defaultdict(dict)
    for r in rows:
        if r["class"] == "intadder" and r["estimator"].startswith("Neurosim"):
            key = (int(r["width"]), node_nm(r["technology"]))
            ns[key][r["action"]] = float(r["energy_pj"])
            ns[key]["area"] = float(r["area_um2"])
    print("// NeuroSim intadder: y = k * (node/32)^p * bits^q")
    for q in ["add", "leak", "area"]:
        xs = [[1.0, math.log(n / 32.0), math.log(w)] for (w, n) in ns]
        ys = [math.log(v[q]) for v in ns.values()]
        k, p, e = lstsq(xs, ys)
        print("  %s: k=%.9g p=%.9g q=%.9g" % (q, math.exp(k), p, e))
    # ---------------- fpmac ----------------
    fp = defaultdict(dict)
    for r in rows:
        if r["class"] == "fpmac" and r["technology"] == "45nm":
            fp[int(r["width"])][r["action"]] = float(r["energy_pj"])
            fp[int(r["width"])]["area"] = float(r["area_um2"])
    print("// fpmac: y = a*w + b*w^2")
    for q in ["compute", "leak", "area"]:
        a, b = solve([[8.0, 64.0], [32.0, 1024.0]], [fp[8][q], fp[32][q]])
        print("  %s: a=%.9g b=%.9g" % (q, a, b))


if __name__ == "__main__":
    main()
