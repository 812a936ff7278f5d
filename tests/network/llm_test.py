#!/usr/bin/env python3
"""Llama-3-8B prefill and one decode step through `loopsim network` (docs/network.md,
Transformers), at a reduced length L (--var L=N) on the Eyeriss-like design, with a bounded
seeded search per shape (its DRAM given a bandwidth of 8 words per cycle). Checks: the MACs loopsim reports equal the formula of the published
configuration (written here independently); decode, a matrix-vector workload, spends a larger
share of its energy in DRAM than prefill and uses the MAC array less.
Usage: llm_test.py LOOPSIM REPO [L]
"""
import json
import os
import subprocess
import sys
import tempfile
import time

loopsim, repo = sys.argv[1], sys.argv[2]
L = int(sys.argv[3]) if len(sys.argv) > 3 else 256
failures = []


def eyeriss_with_dram_bandwidth(tmp):
    """The Eyeriss-like design with its DRAM limited to one 64-bit access (8 words) per
    cycle each way (the shipped file gives DRAM no bandwidth: latency is then compute-bound
    whatever the traffic, and no workload is memory-bound)."""
    d = os.path.join(repo, "arch-specs/eyeriss_like")
    text = open(os.path.join(d, "arch.yaml")).read()
    dram = 'type: "LPDDR4"\n'
    assert text.count(dram) == 1
    indent = text.split(dram)[0].rsplit("\n", 1)[1]
    text = text.replace(dram, dram + f"{indent}read_bandwidth: 8\n{indent}write_bandwidth: 8\n")
    path = os.path.join(tmp, "arch.yaml")
    open(path, "w").write(text)
    return [path, os.path.join(d, "ERT.yaml"), os.path.join(d, "ART.yaml")]


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


# Llama-3-8B (config.json): 32 layers, d 4096, 32 query heads / 8 KV heads of 128,
# SwiGLU FFN 14336, vocabulary 128256. Per token: Q and O projections d x d each, K and V
# d x 1024 each, the FFN 3 x d x 14336; attention: 2 x 32 heads x 128 per (query, key) pair.
def llama_macs(tokens, context):
    proj = 4096 * 4096 * 2 + 4096 * 1024 * 2 + 3 * 4096 * 14336
    attn = 2 * 32 * 128
    return 32 * (tokens * proj + tokens * context * attn) + 4096 * 128256  # one LM-head row


def run(name, out, arch):
    net = os.path.join(repo, "workloads/networks", name)
    cmd = [loopsim, "network", net, *arch, "-o", out, "--var", f"L={L}", "--threads", "2",
           "--max-evaluations-per-layer", "300", "--seed", "7", "-q"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    check(p.returncode == 0, f"{name}: exit code {p.returncode} {p.stderr[-2000:]}")
    return json.load(open(os.path.join(out, "network.stats.json")))


t0 = time.time()
with tempfile.TemporaryDirectory() as tmp:
    arch = eyeriss_with_dram_bandwidth(tmp)
    pre = run("llama3-8b-prefill.yaml", os.path.join(tmp, "prefill"), arch)
    dec = run("llama3-8b-decode.yaml", os.path.join(tmp, "decode"), arch)
wall = time.time() - t0
check(pre["macs"] == llama_macs(L, L), f"prefill MACs {pre['macs']} = {llama_macs(L, L)}")
check(dec["macs"] == llama_macs(1, L + 1), f"decode MACs {dec['macs']} = {llama_macs(1, L + 1)}")
check(pre["complete"] and dec["complete"], "every layer mapped")
check(pre["distinct_shapes"] == 7 and dec["distinct_shapes"] == 7, "7 distinct shapes each")
share = {k: s["energy_per_level_pj"]["DRAM"] / s["energy_pj"] for k, s in (("pre", pre), ("dec", dec))}
util = {"pre": pre["utilization_mac_weighted"], "dec": dec["utilization_mac_weighted"]}
print(f"DRAM share: prefill {share['pre']:.3f}, decode {share['dec']:.3f}; "
      f"utilization: prefill {util['pre']:.3f}, decode {util['dec']:.3f}; {wall:.1f} s")
check(share["dec"] > share["pre"], "decode's DRAM share of energy is above prefill's")
check(util["dec"] < util["pre"], "decode's MAC-weighted utilization is below prefill's")
print("FAILED" if failures else "OK", len(failures), "failure(s)")
sys.exit(1 if failures else 0)
