#!/usr/bin/env python3
"""`loopsim account` end to end, with numbers derived by hand.
usage: account_cli.py LOOPSIM SOURCE_DIR"""
import json
import os
import subprocess
import sys
import tempfile

loopsim, src = sys.argv[1], sys.argv[2]
here = os.path.join(src, "tests", "accounting")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def near(a, b, rel=1e-9):
    return a is not None and abs(a - b) <= rel * abs(b)


def account(out, *args):
    return subprocess.run([loopsim, "account", *args, "-o", out], capture_output=True, text=True)


with tempfile.TemporaryDirectory() as tmp:
    # 1. OpenAI's AlexNet: 0.75e9 x 2 x 3 x 1.2e6 x 90 = 4.86e17 ops = 0.005625 pfs-days;
    #    2 x 1.58e12 x 5.5 x 86400 x 0.33 = 4.9553856e17 ops = 0.0057354 pfs-days.
    out = os.path.join(tmp, "alexnet")
    r = account(out, os.path.join(here, "alexnet-openai.training.yaml"),
                "--macs-per-inference", "0.75e9")
    check(r.returncode == 0, "alexnet: exit %d: %s" % (r.returncode, r.stderr))
    check("method 1: petaflop/s-days" in r.stdout and "0.005625" in r.stdout,
          "alexnet: table shows method 1 = 0.005625:\n" + r.stdout)
    j = json.load(open(os.path.join(out, "accounting.json")))
    tc = j["training_compute"]
    check(near(tc["method1_ops"], 4.86e17), "alexnet method 1 ops %s" % tc["method1_ops"])
    check(near(tc["method1_pfs_days"], 0.005625), "alexnet method 1 %s" % tc["method1_pfs_days"])
    check(near(tc["method2_pfs_days"], 4.9553856e17 / 8.64e19), "alexnet method 2")
    check(j["per_inference"]["operations"] == 1.5e9, "alexnet ops per inference")
    check(j["per_inference"]["energy_j"] is None, "alexnet: no energy without a model")

    # 2. From a stats.json: 4 examples per evaluation, 8e9 MACs, 8e9 pJ, 4e6 cycles at 1 GHz:
    #    per example 2e9 MACs, 2 mJ (500 per J), 1 ms; 3 x 1000 x 10 = 30000 forward passes:
    #    60 J, 30 s; 60 / 3.6e6 x 1.5 = 2.5e-5 kWh; x 0.8 = 2e-5 lb = 9.0718474e-6 kg.
    #    Measured 1000 W x 2 h = 2 kWh; x 1.5 = 3 kWh; x 0.8 = 2.4 lb.
    out = os.path.join(tmp, "small")
    r = account(out, os.path.join(here, "small.training.yaml"),
                "--from-stats", os.path.join(here, "small.stats.json"))
    check(r.returncode == 0, "small: exit %d: %s" % (r.returncode, r.stderr))
    j = json.load(open(os.path.join(out, "accounting.json")))
    pi, tr = j["per_inference"], j["training_on_accelerator"]
    check(near(pi["macs"], 2e9) and near(pi["energy_j"], 2e-3), "small per inference %s" % pi)
    check(near(pi["inferences_per_j"], 500) and near(pi["seconds"], 1e-3), "small rates %s" % pi)
    check(near(tr["energy_j"], 60) and near(tr["seconds"], 30), "small training %s" % tr)
    c = tr["carbon"]
    check(near(c["facility_kwh"], 2.5e-5) and near(c["co2e_lb"], 2e-5)
          and near(c["co2e_kg"], 9.0718474e-6), "small carbon %s" % c)
    m = j["measured"]
    check(near(m["it_kwh"], 2) and near(m["facility_kwh"], 3) and near(m["co2e_lb"], 2.4),
          "small measured %s" % m)
    check(near(j["training_compute"]["method1_pfs_days"], 2e9 * 6 * 1e4 / 8.64e19),
          "small method 1")

    # 3. Errors: exit 2 with file:line and key.
    r = account(os.path.join(tmp, "bad"), os.path.join(here, "bad-negative.training.yaml"),
                "--macs-per-inference", "1e9")
    check(r.returncode == 2 and "bad-negative.training.yaml:3: training.epochs: expected a "
          "positive number, got '-3'" in r.stderr, "negative epochs: %d %s" % (r.returncode, r.stderr))
    r = account(os.path.join(tmp, "nomacs"), os.path.join(here, "alexnet-openai.training.yaml"))
    check(r.returncode == 2 and "training.macs_per_inference: method 1 needs the MACs" in r.stderr,
          "missing MACs: %d %s" % (r.returncode, r.stderr))
    r = account(os.path.join(tmp, "nostats"), os.path.join(here, "small.training.yaml"),
                "--from-stats", os.path.join(here, "small.training.yaml"))
    check(r.returncode == 2 and "not a JSON object" in r.stderr,
          "stats not JSON: %d %s" % (r.returncode, r.stderr))

    # 4. From a real `loopsim model` run: the energy per inference is its summary.energy_pj / N.
    model_out = os.path.join(tmp, "model")
    arch = os.path.join(src, "arch-specs", "eyeriss_like")
    r = subprocess.run([loopsim, "model", os.path.join(arch, "arch.yaml"),
                        os.path.join(arch, "ERT.yaml"), os.path.join(arch, "ART.yaml"),
                        os.path.join(src, "workloads", "alexnet", "conv1.yaml"),
                        os.path.join(src, "mappings", "eyeriss_like.alexnet-conv1.map.yaml"),
                        "-o", model_out, "-q"], capture_output=True, text=True)
    check(r.returncode == 0, "model run: %s" % r.stderr)
    if r.returncode == 0:
        stats = os.path.join(model_out, "loopsim-model.stats.json")
        s = json.load(open(stats))
        out = os.path.join(tmp, "real")
        r = account(out, os.path.join(here, "small.training.yaml"), "--from-stats", stats)
        check(r.returncode == 0, "real: %s" % r.stderr)
        j = json.load(open(os.path.join(out, "accounting.json")))
        n = s["workload"]["bounds"].get("N", 1)
        check(near(j["per_inference"]["energy_j"], s["summary"]["energy_pj"] * 1e-12 / n),
              "real energy per inference")
        check(near(j["per_inference"]["macs"], s["workload"]["operations"] / n), "real MACs")

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
