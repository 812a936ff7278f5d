#!/usr/bin/env python3
"""Stopping `loopsim map` by a signal (Ctrl-C = SIGINT, SIGTERM, SIGHUP):
 - on the shipped Eyeriss-like design and VGG-16 conv3_2 (unbounded random search, valid
   mappings found): the process exits 130 within 1 s and writes the best mapping found, with
   `interrupted: true` and `proven_optimal: false` in the search statistics;
 - on a space where every tiling is cut before evaluation (tests/mapper/all-rejected: a row
   of 11 PEs that must be fully used, no dimension divisible by 11), for every algorithm:
   exit 130 within 1 s, no output files, and the progress line names its metric and says
   "none yet";
 - on a space whose partial tilings are cut before any leaf is reached (the optimal search's
   partial bound): a 0.5 s time budget ends the run within 4 s, and SIGINT within 1 s.
usage: run-sigint.py LOOPSIM SOURCE_DIR"""
import json, signal, subprocess, sys, tempfile, time
from pathlib import Path

loopsim, src = sys.argv[1], Path(sys.argv[2])
failures = []


def stop(args, sig, wait_s, out):
    """Runs loopsim map ARGS, sends SIG after WAIT_S seconds; returns (rc, seconds, stderr)."""
    p = subprocess.Popen([loopsim, "map", *args, "--time-budget", "0", "-o", out],
                         stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    time.sleep(wait_s)
    if p.poll() is not None:
        return p.returncode, None, p.stderr.read()
    t0 = time.monotonic()
    p.send_signal(sig)
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return None, 10.0, p.stderr.read()
    return rc, time.monotonic() - t0, p.stderr.read()


def check(name, ok, detail):
    print(f"{'ok' if ok else 'FAIL'} {name}: {detail}")
    if not ok:
        failures.append(name)


a = src / "arch-specs" / "eyeriss_like"
eyeriss = [str(a / "arch.yaml"), str(a / "ERT.yaml"), str(a / "ART.yaml"),
           str(src / "workloads/vgg16/conv3_2.yaml"), "--threads", "2", "--seed", "3", "-q"]
for sig in (signal.SIGINT, signal.SIGTERM):
    with tempfile.TemporaryDirectory() as out:
        # long enough for a few valid mappings, even under sanitizers
        rc, took, err = stop(eyeriss + ["--algorithm", "random"], sig, 6, out)
        name = f"random/{sig.name}/eyeriss"
        if took is None:
            check(name, False, f"ended by itself (exit {rc}): {err[-300:]}")
            continue
        stats = Path(out) / "loopsim-mapper.stats.json"
        s = json.loads(stats.read_text())["search"] if stats.exists() else {}
        ok = (rc == 130 and took < 1.0 and s.get("interrupted") is True and s.get("valid", 0) > 0
              and s.get("proven_optimal") is False
              and (Path(out) / "loopsim-mapper.map.yaml").exists())
        check(name, ok, f"exit {rc} {took:.2f} s after the signal; {s.get('valid')} valid, "
              f"interrupted={s.get('interrupted')}, proven={s.get('proven_optimal')}")

r = src / "tests" / "mapper" / "all-rejected"
rejected = [str(r / "arch.yaml"), str(r / "problem.yaml"), "--threads", "2"]
cases = [(alg, signal.SIGINT) for alg in ("optimal", "exhaustive", "linear_pruned", "random",
                                          "random_pruned", "hybrid", "anneal", "auto")]
cases += [("optimal", signal.SIGTERM), ("anneal", signal.SIGTERM), ("optimal", signal.SIGHUP)]
for alg, sig in cases:
    with tempfile.TemporaryDirectory() as out:
        rc, took, err = stop(rejected + ["--algorithm", alg], sig, 1.5, out)
        name = f"{alg}/{sig.name}/all-rejected"
        if took is None:
            check(name, False, f"ended by itself (exit {rc}): {err[-300:]}")
            continue
        progress = "best EDP none yet" in err
        written = list(Path(out).glob("*"))
        ok = rc == 130 and took < 1.0 and progress and not written and "proven" not in err
        check(name, ok, f"exit {rc} {took:.2f} s after the signal; progress line names the "
              f"metric and 'none yet': {progress}; files written: {len(written)}")

# A space whose partial tilings are cut before any leaf (the simple weight-stationary design
# with VGG-16 conv3_2: the optimal search's partial bound cuts whole subtrees): the time
# budget and a signal still stop it promptly.
w = src / "arch-specs" / "simple_weight_stationary"
ws = [str(w / "arch.yaml"), str(w / "ERT.yaml"), str(w / "ART.yaml"),
      str(src / "workloads/vgg16/conv3_2.yaml"), "--algorithm", "optimal", "--threads", "1", "-q"]
with tempfile.TemporaryDirectory() as out:
    t0 = time.monotonic()
    p = subprocess.run([loopsim, "map", *ws, "--time-budget", "0.5", "-o", out],
                       capture_output=True, text=True, timeout=120)
    took = time.monotonic() - t0
    check("budget/partial-cuts", p.returncode in (0, 3) and took < 4.0,
          f"--time-budget 0.5: exit {p.returncode} after {took:.2f} s")
with tempfile.TemporaryDirectory() as out:
    rc, took, err = stop(ws, signal.SIGINT, 2.0, out)
    check("optimal/SIGINT/partial-cuts", took is not None and rc == 130 and took < 1.0,
          f"exit {rc} {took if took is None else round(took, 2)} s after the signal")

# No stopping rule at all: the default budget is announced at the start (and in --help).
with tempfile.TemporaryDirectory() as out:
    p = subprocess.Popen([loopsim, "map", *rejected, "--algorithm", "optimal", "-o", out],
                         stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    time.sleep(1.5)
    p.send_signal(signal.SIGINT)
    rc = p.wait(timeout=10)
    err = p.stderr.read()
    check("default-budget", rc == 130 and "no stopping rule given" in err and "60 s" in err,
          f"exit {rc}; announced: {'no stopping rule given' in err}")
h = subprocess.run([loopsim, "map", "--help"], capture_output=True, text=True)
check("help-budget", "optimum is proven or after 60 s" in h.stdout, "--help names the default budget")

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
