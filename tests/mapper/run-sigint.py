#!/usr/bin/env python3
"""Ctrl-C during `loopsim map` (an unbounded random search on the shipped Eyeriss-like design
and VGG-16 conv3_2): the process stops promptly, exits 0 and writes the best mapping found,
with `interrupted: true` in the search statistics.
usage: run-sigint.py LOOPSIM SOURCE_DIR"""
import json, signal, subprocess, sys, tempfile, time
from pathlib import Path

loopsim, src = sys.argv[1], Path(sys.argv[2])
a = src / "arch-specs" / "eyeriss_like"
with tempfile.TemporaryDirectory() as out:
    p = subprocess.Popen([loopsim, "map", str(a / "arch.yaml"), str(a / "ERT.yaml"),
                          str(a / "ART.yaml"), str(src / "workloads/vgg16/conv3_2.yaml"),
                          "--algorithm", "random", "--threads", "2", "--seed", "3", "-q",
                          "-o", out], stderr=subprocess.PIPE, text=True)
    time.sleep(6)  # long enough for a few valid mappings, even under sanitizers
    if p.poll() is not None:
        print(f"FAIL: the unbounded search ended by itself (exit {p.returncode})")
        sys.exit(1)
    t0 = time.monotonic()
    p.send_signal(signal.SIGINT)
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        print("FAIL: still running 10 s after SIGINT")
        sys.exit(1)
    took = time.monotonic() - t0
    err = p.stderr.read()
    if rc != 0:
        print(f"FAIL: exit {rc} after SIGINT: {err}")
        sys.exit(1)
    s = json.loads((Path(out) / "loopsim-mapper.stats.json").read_text())["search"]
    ok = s["interrupted"] and s["valid"] > 0 and (Path(out) / "loopsim-mapper.map.yaml").exists()
    print(f"{'ok' if ok else 'FAIL'}: stopped {took:.2f} s after SIGINT; {s['valid']} valid, "
          f"interrupted={s['interrupted']}")
    sys.exit(0 if ok else 1)
