#!/usr/bin/env python3
"""Compares `loopsim energy` with the ERT/ART that Accelergy 0.3 made for the 2020 tutorial
cases (v02-ispass2020), whose inputs use Accelergy 0.3's primitive library and action names
(mac_random, mac_reused, mac_gated, idle; read/write with data_delta/address_delta arguments).

usage: conformance_v03.py LOOPSIM CONFORMANCE_DIR [--markdown]

Input of each case: its arch/*.yaml and arch/components/*.yaml as they are. Accelergy 0.3
writes one ERT entry per argument value; loopsim writes one energy per action with every
argument at the top of its range, so each action is compared with Accelergy's entry at the top
of every argument range (the largest entry, the one Timeloop v3 used as the vector access
energy), and the entry at the bottom is shown beside it. Bands as in the issue: DRAM exact,
SRAM-based components 25%, MACs, adders and register files 10%, areas 25%.

The 2020 plug-ins differ from the 2024 ones that loopsim's models follow; the comparisons
listed in KNOWN below fall outside their band for the stated reason (docs/energy-model.md,
"Against Accelergy 0.3"). The test fails when any other comparison is outside its band, when
a known one comes back inside (update KNOWN and the docs), or when a case does not estimate.
Exit code 77 (skipped) when the conformance folder is absent.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

import yaml

loopsim, root = sys.argv[1], sys.argv[2]
markdown = "--markdown" in sys.argv
root = os.path.join(root, "v02-ispass2020")
if not os.path.isdir(root):
    print("SKIP: no Accelergy 0.3 conformance cases at " + root)
    sys.exit(77)

ALADDIN_5NS = ("Accelergy 0.3's primitive library gave every Aladdin class latency 5ns and its "
               "plug-in priced adders and multipliers from Aladdin's 5 ns rows (32 bits: adder "
               "0.0857 pJ, multiplier 8.63 pJ); loopsim uses the 1 ns rows, as the 2024 plug-in")
IDLE_5NS = ("Aladdin's idle energy is the leakage over one 5 ns table latency; loopsim's idle is "
            "the leak per global cycle (1 ns)")
IDLE_CACTI = ("CACTI 0.3's SRAM idle is the standby leakage over one CACTI random cycle; "
              "loopsim's idle is the leak per global cycle (1 ns)")
ADDER16 = ("the 0.3 Aladdin plug-in read an intadder's `datawidth` (library default 16) and "
           "ignored the class's `width: log(memory_depth)`; loopsim uses that width")
CACTI_2020 = ("Accelergy 0.3's CACTI plug-in gives this 2-port, 32-bank SRAM 1.9x loopsim's "
              "estimate (its single-port SRAMs of cases 01-05 agree within 7%)")
DRAM_AREA = "Accelergy 0.3 reported DRAM area 1 um^2 from its dummy_table; loopsim 0"

# (component kind or component name, action) -> reason. Kinds: DRAM, SRAM, MAC, regfile,
# smartbuffer (a compound: storage plus address generators).
KNOWN = {
    ("MAC", "mac_random"): ALADDIN_5NS,
    ("MAC", "mac_reused"): ALADDIN_5NS,
    ("MAC", "mac_gated"): ALADDIN_5NS,
    ("MAC", "idle"): IDLE_5NS,
    ("regfile", "idle"): IDLE_5NS,
    ("SRAM", "idle"): IDLE_CACTI,
    ("DRAM", "area"): DRAM_AREA,
    ("smartbuffer", "idle"): ADDER16 + "; " + IDLE_5NS,
    ("ifmap_spad", "read"): ADDER16 + "; " + ALADDIN_5NS,
    ("ifmap_spad", "write"): ADDER16 + "; " + ALADDIN_5NS,
    ("ifmap_spad", "area"): ADDER16,
    ("psum_spad", "read"): ADDER16 + "; " + ALADDIN_5NS,
    ("psum_spad", "write"): ADDER16 + "; " + ALADDIN_5NS,
    ("psum_spad", "area"): ADDER16,
    ("shared_glb", "read"): CACTI_2020,
    ("shared_glb", "write"): CACTI_2020,
}


def kind_of(summary):
    """The kind of one of our ERT_summary tables, from its estimators and actions."""
    parts = summary["primitive_estimation(s)"]
    ests = {p["estimator"] for p in parts}
    if ests & {"CactiDRAM", "loopsim_DRAM"}:
        return "DRAM"
    if any(p["name"].startswith("address_generators") for p in parts):
        return "smartbuffer"
    if "CactiSRAM" in ests:
        return "SRAM"
    return "MAC" if any(a["name"] == "mac_random" for a in summary["actions"]) else "regfile"


def known(kind, comp, action):
    return KNOWN.get((comp, action)) or KNOWN.get((kind, action))


def base(name):
    return re.sub(r"\[[^]]*\]", "", name).split(".")[-1]


def load(path, key):
    return yaml.safe_load(open(path))[key]


def top_and_bottom(entries):
    """The entries of one action with every argument at the top, and at the bottom, of its
    range (one entry when the action has no arguments)."""
    args = [e.get("arguments") or {} for e in entries]
    hi = {k: max(a[k] for a in args) for k in args[0]}
    lo = {k: min(a[k] for a in args) for k in args[0]}
    pick = lambda want: next(e["energy"] for e, a in zip(entries, args) if a == want)
    return pick(hi), pick(lo)


rows, failures, diffs = [], [], []
for ert in sorted(glob.glob(os.path.join(root, "*", "ref-output", "**", "*.ERT.yaml"),
                            recursive=True)):
    d = os.path.dirname(ert)
    case_dir = os.path.join(root, os.path.relpath(d, root).split(os.sep)[0])
    case = os.path.relpath(d, root).replace(os.sep + "ref-output", "").replace("ref-output", "")
    case = case.rstrip("/")
    art = glob.glob(os.path.join(d, "*.ART.yaml"))
    inputs = sorted(glob.glob(os.path.join(case_dir, "arch", "*.yaml")) +
                    glob.glob(os.path.join(case_dir, "arch", "components", "*.yaml")))
    out = tempfile.mkdtemp()
    res = subprocess.run([loopsim, "energy"] + inputs + ["-o", out], capture_output=True, text=True)
    if res.returncode != 0:
        failures.append("%s: loopsim energy failed: %s" % (case, res.stderr.strip()))
        continue
    ours_e = {base(t["name"]): t for t in load(os.path.join(out, "ERT_summary.yaml"),
                                                "ERT_summary")["table_summary"]}
    ours_a = {base(t["name"]): t["area"] for t in load(os.path.join(out, "ART_summary.yaml"),
                                                        "ART_summary")["table_summary"]}
    ref_a = {base(t["name"]): t["area"] for t in load(art[0], "ART")["tables"]} if art else {}
    for t in load(ert, "ERT")["tables"]:
        comp = base(t["name"])
        if comp not in ours_e:
            failures.append("%s: no estimate for %s" % (case, comp))
            continue
        ests = {p["estimator"] for p in ours_e[comp]["primitive_estimation(s)"]}
        kind = kind_of(ours_e[comp])
        band = 0.0 if kind == "DRAM" else 0.25 if "CactiSRAM" in ests else 0.10
        ours_actions = {a["name"]: a["energy"] for a in ours_e[comp]["actions"]}
        by_action = {}
        for a in t["actions"]:
            by_action.setdefault(a["name"], []).append(a)
        for action, entries in by_action.items():
            top, bottom = top_and_bottom(entries)
            mine = ours_actions.get(action)
            if mine is None:
                failures.append("%s: %s has no action %s (it has %s)" %
                                (case, comp, action, ", ".join(ours_actions)))
                continue
            # Accelergy 0.3 rounds to 3 decimal places: compare at that precision.
            same = round(mine, 3) == round(top, 3)
            ratio = 1.0 if same else (mine / top if top else float("inf"))
            rows.append((case, comp, action, mine, top, bottom, ratio, band, kind))
            if len(entries) > 1:
                diffs.append((case, comp, action, len(entries), bottom, top))
        if comp in ref_a and comp in ours_a:
            ra, ma = ref_a[comp], ours_a[comp]
            ratio = 1.0 if round(ma, 2) == round(ra, 2) else (ma / ra if ra else float("inf"))
            rows.append((case, comp, "area", ma, ra, ra, ratio, 0.25, kind))

inside = lambda r: abs(r[6] - 1) <= r[7] + 1e-9
if markdown:
    # Rows that repeat across cases (00-05 share their Buffer, MACC and DRAM) are merged.
    print("| cases | component | action | loopsim | Accelergy 0.3 (top) | (bottom) | ratio | band |")
    print("|---|---|---|---|---|---|---|---|")
    groups = {}
    for case, comp, act, mine, top, bottom, ratio, band, kind in rows:
        key = (comp, act, "%.6g" % mine, top)
        groups.setdefault(key, [bottom, ratio, band, []])[3].append(case.split("-")[0])
    for (comp, act, mine, top), (bottom, ratio, band, cases) in groups.items():
        cases = sorted(set(cases))
        label = cases[0] if len(cases) == 1 else "%s-%s" % (cases[0], cases[-1])
        bot = "" if bottom == top else "%.6g" % bottom
        mark = "" if abs(ratio - 1) <= band + 1e-9 else " (out)"
        print("| %s | %s | %s | %s | %.6g | %s | %.3f%s | %d%% |" % (
            label, comp, act, mine, top, bot, ratio, mark, round(band * 100)))
else:
    print("%-44s %-13s %-10s %11s %11s %10s %7s" % ("case", "component", "action", "loopsim",
                                                     "Accelergy", "(bottom)", "ratio"))
    for r in rows:
        case, comp, act, mine, top, bottom, ratio, band, kind = r
        note = "" if inside(r) else "outside %d%%: %s" % (round(band * 100),
                                                          known(kind, comp, act) or "NOT KNOWN")
        print("%-44s %-13s %-10s %11.6g %11.6g %10.6g %7.3f %s" % (case, comp, act, mine, top,
                                                                  bottom, ratio, note))
    print("\nPer-argument entries loopsim cannot represent (it writes the top of each range):")
    seen = set()
    for case, comp, act, n, bottom, top in diffs:
        key = (case.split("/")[0], comp, act)
        if key not in seen:
            seen.add(key)
            print("  %s %s %s: %d entries from %.6g to %.6g pJ" % (key[0], comp, act, n, bottom,
                                                                   top))
for r in rows:
    why = known(r[8], r[1], r[2])
    if not inside(r) and not why:
        failures.append("%s %s %s: ratio %.3f outside %d%%" % (r[0], r[1], r[2], r[6],
                                                               round(r[7] * 100)))
    if inside(r) and why:
        failures.append("%s %s %s: ratio %.3f is now inside %d%%; remove it from KNOWN" %
                        (r[0], r[1], r[2], r[6], round(r[7] * 100)))
n_in = sum(1 for r in rows if inside(r))
print("%d comparisons, %d within their band, %d outside for a known reason" %
      (len(rows), n_in, len(rows) - n_in))
for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures or not rows else 0)
