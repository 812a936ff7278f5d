#!/usr/bin/env python3
"""The MAC counts stated in workloads/networks/*.yaml against the totals table of the
reference facts sheet (the sum over the layers is checked by loopsim itself: a stated
count that is not the sum warns, see tests/unit/network_test.cpp).
Usage: facts_test.py REPO FACTS_MD   (exit 77 when FACTS_MD is absent)
"""
import os
import re
import sys

repo, facts = sys.argv[1], sys.argv[2]
if not os.path.exists(facts):
    print(f"SKIP: {facts} is absent (the reference facts sheet lives beside the project)")
    sys.exit(77)

FILES = {"AlexNet, original grouped": "alexnet.yaml", "VGG-16": "vgg16.yaml",
         "ResNet-50 v1.5": "resnet50.yaml", "MobileNetV2": "mobilenetv2.yaml"}
UNIT = {"M": 1e6, "G": 1e9}
found = {}
for line in open(facts):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) >= 2 and cells[0] in FILES:
        m = re.fullmatch(r"([\d.]+) ([MG])", cells[1])
        if m:
            found[cells[0]] = (m.group(1), UNIT[m.group(2)])
bad = 0
for name, fname in FILES.items():
    if name not in found:
        print(f"FAIL: {name}: no total in {facts}")
        bad += 1
        continue
    text = open(os.path.join(repo, "workloads/networks", fname)).read()
    stated = int(re.search(r"^\s*macs:\s*(\d+)", text, re.M).group(1))
    digits, unit = found[name]
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    ours = f"{stated / unit:.{decimals}f}"
    ok = ours == digits
    bad += not ok
    print(f"{'ok' if ok else 'FAIL'}: {fname}: {stated} MACs = {ours} vs facts {digits}")
sys.exit(1 if bad else 0)
