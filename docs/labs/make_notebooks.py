#!/usr/bin/env python3
"""Writes the lab notebooks docs/labs/0N-*.ipynb (outputs stripped) from the cell texts
below: edit here, run `python3 docs/labs/make_notebooks.py`, commit both. Each notebook runs
top to bottom in well under two minutes on 2 cores (docs/labs/run_notebooks.py, ctest
python_notebooks); mapper searches are bounded by work (max_evaluations with a seed), so
every run gives the same answer."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

SETUP = """\
import os
import loopsim
import matplotlib.pyplot as plt
import pandas as pd

ROOT = loopsim.SOURCE_DIR            # the checkout loopsim was built from
def path(*p): return os.path.join(ROOT, *p)
EYERISS = [path("arch-specs", "eyeriss_like", f) for f in ("arch.yaml", "ERT.yaml", "ART.yaml")]
CONV3_2 = path("workloads", "vgg16", "conv3_2.yaml")"""


def md(text):
    return ("markdown", text)


def code(text):
    return ("code", text)


LAB1 = [
    md("""# Lab 1: one layer on the Eyeriss-like design

We evaluate a given mapping of VGG-16 conv3_2 (C=M=256, 3x3 filters, 56x56 outputs) on
`arch-specs/eyeriss_like` (a 12x14 PE array with three scratchpads per PE, a 108 KB global
buffer and LPDDR4 DRAM), read its statistics, find the level that dominates energy, then
change the tiling and see why the numbers move. `loopsim.evaluate` gives exactly what
`loopsim model` writes to stats.json."""),
    code(SETUP),
    code("""\
MAP = path("mappings", "eyeriss_like.vgg16-conv3_2.map.yaml")
r = loopsim.evaluate(*EYERISS, CONV3_2, MAP)
print(r.summary)
print(r.map_txt)"""),
    md("""The result carries every figure of stats.json (`r.stats`); `to_dataframe()` gives one
row per storage level and data space (scalar reads, fills and updates are per instance)."""),
    code("""\
df = r.to_dataframe()
df[["level", "data_space", "keep", "utilized_capacity", "reads", "fills", "updates", "energy_pj"]]"""),
    code("""\
energy = pd.Series(r.energy_by_level()) / 1e6   # microjoules
print("dominant level:", r.dominant_level(), f"({energy.max() / energy.sum():.0%} of the energy)")
ax = energy.plot.bar(title="Energy per level (uJ)", ylabel="uJ")
plt.tight_layout(); plt.show()"""),
    md("""## Change the tiling

DRAM's innermost loop runs over the 64 input-channel groups (C), and the global buffer walks
all 56 output columns (P) inside it: the buffer holds the partial sums of a whole 56-column
band (50,176 outputs) while every input-channel group adds to them, so each output leaves
for DRAM once. Move the P loop up to DRAM, innermost there, and see what happens. We edit the
mapping as data and evaluate it again."""),
    code("""\
m = loopsim.Mapping.load(MAP)
print(m)
m2 = m.copy().set_factors("shared_glb", P=1).set_factors("DRAM", P=56)
m2.set_permutation("DRAM", "PCMQRSN")   # innermost first: P is now DRAM's innermost loop
r2 = loopsim.evaluate(*EYERISS, CONV3_2, mapping=m2)
print(r2.summary)"""),
    code("""\
def dram_traffic(res):
    lv = res.level("DRAM")["data_spaces"]
    return {ds: d["reads"] + d["updates"] for ds, d in lv.items()}
cmp = pd.DataFrame({"given": dram_traffic(r), "P at DRAM": dram_traffic(r2)})
print(cmp)
print(f"output traffic x{cmp.loc['Outputs', 'P at DRAM'] / cmp.loc['Outputs', 'given']:.0f}, "
      f"energy x{r2.energy_pj / r.energy_pj:.2f}, cycles x{r2.cycles / r.cycles:.2f}")
cmp.plot.bar(logy=True, title="DRAM reads + updates per data space"); plt.tight_layout(); plt.show()"""),
    md("""Weights and inputs barely move, but output traffic grows 127-fold: the global buffer
now holds the partial sums of one output column only, and the input-channel loop (C) that
accumulates into them runs at DRAM *outside* P, so every partial sum is written to DRAM after
each of the 64 channel groups and read back for the next 63 (64 + 63 = 127 accesses where
there was one). DRAM's bandwidth then throttles the array (cycles and utilization). Loop
order matters as much as tile size: put C innermost at DRAM again
(`m2.set_permutation("DRAM", "CPMQRSN")`) and compare. A mapping that does not fit raises
`loopsim.MappingRejected` naming the level:"""),
    code("""\
try:
    bad = m.copy().set_factors("DRAM", C=1).set_factors("weights_spad", C=256)
    loopsim.evaluate(*EYERISS, CONV3_2, mapping=bad)
except loopsim.MappingRejected as e:
    print("rejected at", e.level_name, "-", e.reason, ":", e.message)"""),
]

LAB2 = [
    md("""# Lab 2: mapping — constraints, the mapper, the best mapping, and what pruning proved

The mapper searches the mapspace (factorizations of every dimension over the levels, loop
orders, keep/bypass choices) under the architecture's constraints and any you add.
`loopsim.map` is `loopsim map`: same settings, same answer for a seed and a work bound."""),
    code(SETUP),
    code("""\
# A small layer (a 1-D convolution with channels), so that the search can prove its answer.
small = {"problem": {"version": 0.4, "instance": {"C": 4, "M": 4, "R": 3, "S": 1, "N": 1,
                                                   "P": 8, "Q": 1}}}
print(loopsim.load(*EYERISS, small).describe()["workload"])"""),
    md("""Constraints come from the architecture (the global buffer bypasses weights: see
arch.yaml) and from constraint sections you add, as in Timeloop. Here we also force the PE
array to follow the row-stationary preset (mappings/dataflows/row-stationary.yaml), and
keep the DRAM loop order fixed with a constraint section of our own (a dict, the same keys
as a constraints file)."""),
    code("""\
constraints = {"constraints": {"targets": [
    {"target": "DRAM", "type": "temporal", "permutation": "MCPRSNQ"}]}}
res = loopsim.map(*EYERISS, small, constraints, dataflow="row-stationary", algorithm="optimal",
                  max_evaluations=3000000, seed=1, threads=2)
print(res.summary)
print(res.map_txt)"""),
    code("""\
s = res.search
print(f"space size {s['space_size']:.3g}, evaluated {s['evaluated']}, valid {s['valid']}")
print("proven optimal:", s["proven_optimal"], "| lower bound", s["lower_bound"], "| gap", s["gap"])
pd.Series(s["rejections"]).plot.barh(title="Why candidates were rejected or pruned")
plt.tight_layout(); plt.show()"""),
    md("""`proven_optimal` means the search covered the whole space without evaluating most of it:
of `space_size` mappings only `evaluated` reached the model. Loop orders equivalent by the
trivial-loop rule were never generated, tilings that cannot fit were rejected by their tile
sizes alone (`capacity_before_evaluation`), and a `constraint_or_pruned` tiling was ruled
out because its lower bound (every PE busy, compulsory traffic) could not beat the best
found (docs/mapper.md). `lower_bound` is the compulsory-traffic, all-PEs-busy bound of
the first metric (EDP here); when the optimum is not proven, `gap` tells how far the best is
from it at most.

## A real layer with a bounded search

On VGG conv3_2 the space is far too large to enumerate; a seeded search bounded by work gives
a reproducible answer and reports its gap to the lower bound."""),
    code("""\
progress = []
big = loopsim.map(*EYERISS, CONV3_2, dataflow="row-stationary", algorithm="random_pruned",
                  seed=1, max_evaluations=100000, threads=2, progress=progress.append)
print(big.summary)
s = big.search
print(f"space {s['space_size']:.3g} mappings, {s['evaluated']} evaluated, gap {s['gap']:.1%}")
print(big.mapping)"""),
    code("""\
given = loopsim.evaluate(*EYERISS, CONV3_2, path("mappings", "eyeriss_like.vgg16-conv3_2.map.yaml"))
pd.DataFrame({"hand-written": given.energy_by_level(), "mapper": big.energy_by_level()}).div(1e6) \\
  .plot.bar(title="Energy per level (uJ)"); plt.tight_layout(); plt.show()
print(f"EDP: hand-written {given.edp:.3g}, mapper {big.edp:.3g} J*cycles")"""),
    md("""The hand-written row-stationary mapping (mappings/) can beat a short random search:
the gap to the lower bound says how much room a search may still have. Try
`algorithm="hybrid"`, a larger `max_evaluations`, or start from the hand-written mapping and
edit it (lab 1)."""),
]

LAB3 = [
    md("""# Lab 3: dataflows — weight-, output- and row-stationary on a VGG layer

A dataflow preset (mappings/dataflows/) constrains what each PE keeps and which loops run
inside it; the mapper then finds the best mapping under it. Same layer, same hardware, same
search budget: only the dataflow differs."""),
    code(SETUP),
    code("""\
presets = ["weight-stationary", "output-stationary", "row-stationary"]
results = {p: loopsim.map(*EYERISS, CONV3_2, dataflow=p, algorithm="hybrid", seed=1,
                          max_evaluations=30000, threads=2) for p in presets}
summary = pd.DataFrame({p: {"energy_uJ": r.energy_pj / 1e6, "cycles": r.cycles,
                            "utilization": r.utilization, "EDP": r.edp}
                        for p, r in results.items()}).T
summary"""),
    code("""\
fig, axes = plt.subplots(1, 3, figsize=(13, 3.5))
summary["energy_uJ"].plot.bar(ax=axes[0], title="Energy (uJ)")
summary["cycles"].plot.bar(ax=axes[1], title="Cycles")
summary["utilization"].plot.bar(ax=axes[2], title="PE utilization", ylim=(0, 1))
plt.tight_layout(); plt.show()"""),
    code("""\
by_level = pd.DataFrame({p: r.energy_by_level() for p, r in results.items()}).T / 1e6
by_level.plot.bar(stacked=True, title="Energy per level (uJ)"); plt.legend(bbox_to_anchor=(1, 1))
plt.tight_layout(); plt.show()"""),
    code("""\
# Where each dataflow moves its data: accesses per data space at the global buffer and DRAM.
rows = []
for p, r in results.items():
    for row in r.to_rows():
        if row["level"] in ("shared_glb", "DRAM"):
            rows.append({"dataflow": p, "where": f"{row['level']}:{row['data_space']}",
                         "accesses": row["reads"] + row["fills"] + row["updates"]})
acc = pd.DataFrame(rows).pivot(index="where", columns="dataflow", values="accesses")
acc.plot.bar(logy=True, title="Scalar accesses per instance"); plt.tight_layout(); plt.show()
acc"""),
    md("""Read the charts against each preset's rule (mappings/dataflows/): weight-stationary
pins each PE's loops to dimensions the weights do not depend on, output-stationary to
dimensions the outputs do not depend on, row-stationary gives each PE a filter row and an
output row. The rules also limit which dimensions can spread across the 12x14 array, so a
preset can leave PEs idle (utilization) and pay in cycles. Partial sums that cannot stay in
a PE travel through the global buffer (`shared_glb:Outputs`); weights that cannot stay come
back from DRAM (`DRAM:Weights`). Which dataflow wins depends on the layer: try
`workloads/vgg16/conv5_1.yaml` or an AlexNet layer, and print a loop nest with
`print(results["weight-stationary"].map_txt)`."""),
]

LAB4 = [
    md("""# Lab 4: design space — global-buffer size and PE-array shape

We vary the Eyeriss-like design's global buffer and PE array, map conv3_2 on each design
(row-stationary, a fixed search budget) and plot energy and area, with the Pareto front.
No ERT is given, so loopsim estimates energy per action and area for each size itself
(`loopsim energy`'s estimator: the SRAM law scales with depth)."""),
    code(SETUP),
    code("""\
ARCH_TEXT = open(path("arch-specs", "eyeriss_like", "arch.yaml")).read()
COMPONENTS = path("arch-specs", "components", "smartbuffers.yaml")

def design(glb_depth, mesh_x, mesh_y):
    text = ARCH_TEXT.replace("depth: 13824", f"depth: {glb_depth}")
    return text.replace("meshX: 14, meshY: 12", f"meshX: {mesh_x}, meshY: {mesh_y}")

points = []
for glb_kb in (27, 54, 108, 216):
    for mx, my in ((14, 12), (16, 16), (8, 12), (28, 6)):
        arch = design(glb_kb * 1024 // 8, mx, my)
        try:
            r = loopsim.map(arch, COMPONENTS, CONV3_2, dataflow="row-stationary",
                            algorithm="hybrid", seed=1, max_evaluations=30000, threads=2)
        except loopsim.NoMappingFound as e:
            print(f"{glb_kb} KB, {mx}x{my}: {e}")
            continue
        points.append({"glb_KB": glb_kb, "array": f"{mx}x{my}", "PEs": mx * my,
                       "energy_uJ": r.energy_pj / 1e6, "cycles": r.cycles,
                       "area_mm2": r.area_um2 / 1e6, "EDP": r.edp})
dse = pd.DataFrame(points)
dse"""),
    code("""\
def pareto(df, x, y):
    best, front = float("inf"), []
    for _, row in df.sort_values([x, y]).iterrows():
        if row[y] < best:
            best = row[y]
            front.append(row)
    return pd.DataFrame(front)

front = pareto(dse, "area_mm2", "EDP")
fig, ax = plt.subplots(figsize=(7, 4.5))
for arr, g in dse.groupby("array"):
    ax.scatter(g.area_mm2, g.EDP, label=arr)
    for _, row in g.iterrows():
        ax.annotate(f"{row.glb_KB}KB", (row.area_mm2, row.EDP), fontsize=7)
ax.plot(front.area_mm2, front.EDP, "k--", label="Pareto front")
ax.set_xlabel("area (mm$^2$)"); ax.set_ylabel("EDP (J x cycles)"); ax.set_yscale("log")
ax.legend(); ax.set_title("conv3_2, row-stationary"); plt.tight_layout(); plt.show()
front[["glb_KB", "array", "area_mm2", "EDP"]]"""),
    md("""Bigger arrays cut cycles (more PEs busy) at a cost in area; a larger global buffer
costs area and energy per access but saves DRAM traffic, until the tiles the mapper wants
fit and more capacity buys nothing (compare 27 KB with 54 KB, then 54 KB with 216 KB). The front lists the designs no other design beats on
both area and EDP."""),
]

LAB5 = [
    md("""# Lab 5: a whole network, and its compute and carbon

`loopsim.network` maps every distinct layer shape of a network once (as `loopsim network`)
and adds the layers up; `loopsim.account` turns the figures into energy per inference,
OpenAI's training compute (petaflop/s-days) and the training run's kWh and CO2e
(docs/accounting.md)."""),
    code(SETUP),
    code("""\
net = loopsim.network(path("workloads", "networks", "alexnet.yaml"), *EYERISS,
                      dataflow="row-stationary", algorithm="hybrid", seed=1,
                      max_evaluations_per_layer=30000, threads=2)
print(net)
layers = net.to_dataframe()
layers[["name", "shape", "macs", "cycles", "energy_pj", "utilization"]]"""),
    code("""\
fig, axes = plt.subplots(1, 2, figsize=(12, 3.5))
layers.set_index("name")["energy_pj"].div(1e6).plot.bar(ax=axes[0], title="Energy per layer (uJ)")
(layers.set_index("name")["energy_pj"] / layers.set_index("name")["macs"]).plot.bar(
    ax=axes[1], title="pJ per MAC")
plt.tight_layout(); plt.show()
lv = pd.DataFrame([r["energy_by_level_pj"] for r in net.layers], index=layers.name) / 1e6
lv.plot.bar(stacked=True, title="Energy per layer and level (uJ)"); plt.legend(bbox_to_anchor=(1, 1))
plt.tight_layout(); plt.show()"""),
    md("""Now the accounting. AlexNet was trained on ImageNet (1.28 M images) for 90 epochs on
two GTX 580 GPUs (1.58 TFLOP/s peak each) for about six days. Method 1 counts operations
(2 per MAC, 3 passes per example); method 2 multiplies the hardware's peak by time and an
assumed utilization. The accelerator's energy per inference gives the training energy on this
design, and the PUE and grid intensity its CO2e."""),
    code("""\
training = {"training": {"name": "AlexNet on ImageNet", "examples": 1281167, "epochs": 90,
                         "clock_hz": 1e9,
                         "hardware": {"devices": 2, "peak_ops_per_s": 1.58e12, "days": 6}}}
a = loopsim.account(training, result=net)
print(a.text)"""),
    code("""\
tc = a["training_compute"]
pd.Series({"method 1 (ops counted)": tc["method1_pfs_days"],
           "method 2 (GPU time)": tc["method2_pfs_days"]}).plot.barh(
    title="Training compute (petaflop/s-days)")
plt.tight_layout(); plt.show()
acc = a["training_on_accelerator"]
print(f"energy per inference {a['per_inference']['energy_j'] * 1e3:.3f} mJ; "
      f"training on this accelerator: {acc['carbon']['facility_kwh']:.3g} kWh, "
      f"{acc['carbon']['co2e_kg']:.3g} kg CO2e")"""),
]

NOTEBOOKS = {
    "01-one-layer.ipynb": LAB1,
    "02-mapping.ipynb": LAB2,
    "03-dataflows.ipynb": LAB3,
    "04-design-space.ipynb": LAB4,
    "05-network-carbon.ipynb": LAB5,
}


def notebook(cells):
    out = []
    for kind, text in cells:
        lines = text.splitlines(keepends=True)
        cell = {"cell_type": kind, "metadata": {}, "source": lines}
        if kind == "code":
            cell.update({"execution_count": None, "outputs": []})
        out.append(cell)
    return {"cells": out,
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                        "name": "python3"},
                         "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def main():
    for name, cells in NOTEBOOKS.items():
        nb = notebook(cells)
        for i, c in enumerate(nb["cells"]):
            c["id"] = f"{name[:2]}-{i:02d}"
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
            json.dump(nb, f, indent=1)
            f.write("\n")
        print("wrote", name)


if __name__ == "__main__":
    main()
