#!/usr/bin/env python3
"""A seeded mutation fuzzer for loopsim's loaders and models (Python standard library only).

It takes the shipped inputs (tests/golden, mappings/ with arch-specs/ and workloads/, and
../shared/conformance when present), mutates one file of a case at a time (numbers replaced
by extreme values, lines deleted, duplicated or truncated, tags, deep nesting, bad bytes ...),
runs `loopsim model` (and sometimes `map` with a short budget) and fails on:
  - a crash, abort or sanitizer report (AddressSanitizer, UBSan `runtime error:`),
  - a timeout,
  - an exit code other than 0 (ran), 2 (bad input) or 3 (mapping rejected),
  - an exit-2 message without `file:line:`.
Every input kept in tests/fuzz/regressions/<name>/ (files, args.txt, cmd.txt) is run first
by the same checks. Same seed, same inputs: a failure can be replayed.

usage: fuzz.py LOOPSIM SOURCE_DIR [--count N] [--seed S] [--jobs J] [--timeout T]
               [--save DIR] [--shared DIR] [--regressions-only]
"""
import argparse
import concurrent.futures
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

SANITIZER = re.compile(r"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|"
                       r"runtime error:|terminate called|Aborted|internal error|please report")
# An error line: "file:line: ..." (a warning line has the same shape).
LOCATED = re.compile(r"^[^\s:][^:]*:\d+: ", re.M)

INTERESTING = ["0", "-1", "1", "2", "0.5", "-0.0", "1e20", "1e308", "1e400", "-1e400",
               "2147483647", "2147483648", "4294967296", "4294967304", "9007199254740993",
               "1000000000000000000", "99999999999999999999999", "nan", "inf", ".inf", "true",
               "false", "null", "~", "''", "!!seq 64", "!!str 7", "[1, 2]", "{a: 1}", "0x10",
               "1_000", "9223372036854775807", "-9223372036854775808", "3.7", "1e-320",
               "2**100", "max(1, 1e300) * 1e300", "P", "é"]


def seed_cases(src, shared):
    """Each case: (name, subcommand, [files]) with paths relative to nothing (absolute)."""
    cases = []
    golden = os.path.join(src, "tests", "golden")
    for d in sorted(os.listdir(golden)):
        inputs = os.path.join(golden, d, "inputs.txt")
        if os.path.isfile(inputs):
            files = [os.path.join(src, l.strip()) for l in open(inputs)
                     if l.strip() and not l.strip().startswith("#")]
            cases.append(("golden-" + d, "model", files))
    maps = os.path.join(src, "mappings")
    for m in sorted(os.listdir(maps)):
        if not m.endswith(".map.yaml"):
            continue
        base = m[:-len(".map.yaml")]
        arch, wl = base.split(".", 1)
        net, layer = wl.split("-", 1)
        a = os.path.join(src, "arch-specs", arch)
        files = [os.path.join(a, "arch.yaml"), os.path.join(a, "ERT.yaml"),
                 os.path.join(a, "ART.yaml"), os.path.join(src, "workloads", net, layer + ".yaml"),
                 os.path.join(maps, m)]
        if all(os.path.isfile(f) for f in files):
            cases.append(("example-" + base, "model", files))
            # Without the ERT/ART: energies from loopsim's estimator and the compound classes.
            comps = os.path.join(src, "arch-specs", "components", "smartbuffers.yaml")
            if os.path.isfile(comps):
                cases.append(("estimate-" + base, "model",
                              [files[0], comps, files[3], files[4]]))
            if arch.startswith("simple"):
                cases.append(("map-" + base, "map", files[:4]))
    if shared and os.path.isdir(shared):
        for root, _, names in sorted(os.walk(shared)):
            if "parsed-processed-input.yaml" not in names:
                continue
            files = [os.path.join(root, "parsed-processed-input.yaml")]
            files += sorted(os.path.join(root, f) for f in names
                            if f.endswith((".map.yaml", "ERT.yaml", "ART.yaml")))
            name = "conformance-" + os.path.relpath(root, shared).replace(os.sep, "-")
            cases.append((name, "model", files))
    return cases


NUMBER = re.compile(r"(?<![\w.])-?\d+(\.\d+)?([eE][-+]?\d+)?(?![\w.])")


def mutate(text, rng):
    """One or more random mutations of a YAML text."""
    lines = text.split("\n")
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        kind = rng.randrange(12)
        if kind <= 3:  # a number becomes an interesting value
            spots = [(i, m) for i, l in enumerate(lines) for m in NUMBER.finditer(l)]
            if spots:
                i, m = rng.choice(spots)
                lines[i] = lines[i][:m.start()] + rng.choice(INTERESTING) + lines[i][m.end():]
        elif kind == 4 and lines:  # a value after "key:" replaced
            spots = [i for i, l in enumerate(lines) if re.search(r":\s+\S", l)]
            if spots:
                i = rng.choice(spots)
                k = lines[i].index(":") + 1
                lines[i] = lines[i][:k] + " " + rng.choice(INTERESTING)
        elif kind == 5 and lines:  # delete a line
            del lines[rng.randrange(len(lines))]
        elif kind == 6 and lines:  # duplicate a line
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
        elif kind == 7 and lines:  # truncate the file
            cut = rng.randrange(len("\n".join(lines)) + 1)
            lines = "\n".join(lines)[:cut].split("\n")
        elif kind == 8 and lines:  # shift indentation
            i = rng.randrange(len(lines))
            lines[i] = rng.choice(["", " ", "  ", "\t", "    "]) + lines[i].lstrip(" ")
        elif kind == 9 and lines:  # a key name altered
            i = rng.randrange(len(lines))
            lines[i] = re.sub(r"(\w+):", lambda m: m.group(1)[:-1] + "x:" if rng.random() < 0.5
                              else m.group(1) + "_:", lines[i], count=1)
        elif kind == 10:  # deep nesting or a long flow
            depth = rng.choice([50, 300, 5000])
            lines.append("variables: " + "[" * depth + "]" * depth)
        elif kind == 11 and lines:  # swap two lines
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
    out = "\n".join(lines)
    if rng.random() < 0.03:  # stray bytes
        k = rng.randrange(len(out) + 1)
        out = out[:k] + rng.choice(["\x00", "\xff", "&a", "*a", "<<: *x", "? ", "%YAML 9"]) + out[k:]
    return out


def check(proc_rc, stderr, timed_out):
    """The failure found in one run, or None."""
    if timed_out:
        return "timeout"
    if SANITIZER.search(stderr):
        return "crash or sanitizer report"
    if proc_rc not in (0, 2, 3):
        return "exit code %d" % proc_rc
    if proc_rc == 2:
        errors = [l for l in stderr.splitlines() if l.strip() and ": warning: " not in l]
        if not errors or not LOCATED.match(errors[0]):
            return "exit 2 without file:line:"
    return None


def run_case(loopsim, cmd, files, cwd, timeout):
    out = os.path.join(cwd, "out")
    args = [loopsim, cmd] + files + ["-o", out, "-q"]
    if cmd == "map":
        args += ["--time-budget", "0.3", "--threads", "1"]
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    try:
        p = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=timeout, env=env)
        return p.returncode, p.stderr.decode("utf-8", "replace"), False
    except subprocess.TimeoutExpired as e:
        return -1, (e.stderr or b"").decode("utf-8", "replace"), True


def run_regressions(loopsim, reg_dir, timeout):
    failures = 0
    count = 0
    if not os.path.isdir(reg_dir):
        return 0, 0
    for name in sorted(os.listdir(reg_dir)):
        d = os.path.join(reg_dir, name)
        if not os.path.isfile(os.path.join(d, "args.txt")):
            continue
        count += 1
        files = [l.strip() for l in open(os.path.join(d, "args.txt")) if l.strip()]
        cmd = open(os.path.join(d, "cmd.txt")).read().strip() if os.path.isfile(
            os.path.join(d, "cmd.txt")) else "model"
        with tempfile.TemporaryDirectory() as work:
            for f in os.listdir(d):
                shutil.copy(os.path.join(d, f), work)
            rc, err, to = run_case(loopsim, cmd, files, work, timeout)
        problem = check(rc, err, to)
        if problem:
            failures += 1
            print("FAIL regression %s: %s\n%s" % (name, problem, err[-2000:]))
    return count, failures


def one_trial(loopsim, case, index, seed, timeout):
    name, cmd, files = case
    rng = random.Random("%d-%d" % (seed, index))
    target = rng.randrange(len(files))
    with tempfile.TemporaryDirectory() as work:
        local = []
        for k, f in enumerate(files):
            dst = "in%d_%s" % (k, os.path.basename(f))
            text = open(f, encoding="utf-8", errors="surrogateescape").read()
            if k == target:
                text = mutate(text, rng)
            with open(os.path.join(work, dst), "w", encoding="utf-8",
                      errors="surrogateescape") as out:
                out.write(text)
            local.append(dst)
        if rng.random() < 0.02:  # an extra empty file
            open(os.path.join(work, "empty.yaml"), "w").close()
            local.append("empty.yaml")
        rc, err, to = run_case(loopsim, cmd, local, work, timeout)
        problem = check(rc, err, to)
        saved = None
        if problem:
            saved = tempfile.mkdtemp(prefix="fuzz-%s-" % name)
            for f in local:
                shutil.copy(os.path.join(work, f), saved)
            with open(os.path.join(saved, "args.txt"), "w") as a:
                a.write("\n".join(local) + "\n")
            with open(os.path.join(saved, "cmd.txt"), "w") as c:
                c.write(cmd + "\n")
        return index, name, rc, problem, err, saved


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("loopsim")
    ap.add_argument("source_dir")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--save", help="copy each failing input here (a regression folder)")
    ap.add_argument("--shared", help="../shared/conformance (default: beside the source)")
    ap.add_argument("--regressions-only", action="store_true")
    o = ap.parse_args()
    loopsim = os.path.abspath(o.loopsim)
    src = os.path.abspath(o.source_dir)
    shared = o.shared or os.path.join(src, "..", "shared", "conformance")

    n_reg, f_reg = run_regressions(loopsim, os.path.join(src, "tests", "fuzz", "regressions"),
                                   o.timeout)
    print("regressions: %d run, %d failed" % (n_reg, f_reg))
    if o.regressions_only:
        return 1 if f_reg else 0

    cases = seed_cases(src, shared)
    if not cases:
        print("no seed inputs found under", src)
        return 1
    rng = random.Random(o.seed)
    plan = [(rng.choice(cases), i) for i in range(o.count)]
    rcs = {}
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=o.jobs) as pool:
        futs = [pool.submit(one_trial, loopsim, c, i, o.seed, o.timeout) for c, i in plan]
        for fut in concurrent.futures.as_completed(futs):
            index, name, rc, problem, err, saved = fut.result()
            rcs[rc] = rcs.get(rc, 0) + 1
            if problem:
                failures.append((index, name, problem, err, saved))
    for index, name, problem, err, saved in sorted(failures):
        print("FAIL input %d (%s, seed %d): %s; kept in %s" % (index, name, o.seed, problem,
                                                                saved))
        print("    " + err[-1500:].replace("\n", "\n    "))
        if o.save and saved:
            dst = os.path.join(o.save, "%s-s%d-i%d" % (name, o.seed, index))
            shutil.copytree(saved, dst, dirs_exist_ok=True)
    summary = ", ".join("exit %d: %d" % (k, v) for k, v in sorted(rcs.items()))
    print("fuzz: %d inputs from %d seed cases (seed %d): %s; %d failures" %
          (o.count, len(cases), o.seed, summary, len(failures)))
    return 1 if failures or f_reg else 0


if __name__ == "__main__":
    sys.exit(main())
