#!/usr/bin/env python3
"""Reliability checks that need the file system or a clock (issue 11):
non-regular inputs refused up front, the file-size limit, failed writes as exit-2 errors that
leave no partial file, a 60,000-key `variables:` map loaded in under a second, a prime bound
near 2^31 in the mapper, and a capacity rejection naming where the size is written.

usage: run-io-checks.py LOOPSIM SOURCE_DIR [--time-factor F]
(F scales the time limits, e.g. 10 for a sanitizer build.)
"""
import argparse
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

failures = []


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(args, cwd, timeout=60, preexec=None):
    t0 = time.monotonic()
    p = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout, preexec_fn=preexec)
    return p.returncode, p.stderr.decode(errors="replace"), time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("loopsim")
    ap.add_argument("source_dir")
    ap.add_argument("--time-factor", type=float, default=1.0)
    o = ap.parse_args()
    ls = os.path.abspath(o.loopsim)
    case = os.path.join(os.path.abspath(o.source_dir), "tests", "golden", "conv1d_dram_rf")
    inputs = [os.path.join(case, f) for f in ("arch.yaml", "ERT.yaml", "problem.yaml", "map.yaml")]
    work = tempfile.mkdtemp()
    try:
        out = os.path.join(work, "out")

        # A FIFO without a writer: refused at once, naming it (reading would block forever).
        fifo = os.path.join(work, "pipe.yaml")
        os.mkfifo(fifo)
        rc, err, dt = run([ls, "model"] + inputs + [fifo, "-o", out], work, timeout=30)
        expect(rc == 2 and fifo + ":0:" in err and "not a regular file" in err,
               "a FIFO input is refused with its name (exit %d: %s)" % (rc, err.strip()))

        # /dev/zero never ends: refused up front.
        rc, err, _ = run([ls, "model"] + inputs + ["/dev/zero", "-o", out], work, timeout=30)
        expect(rc == 2 and "/dev/zero:0:" in err and "not a regular file" in err,
               "/dev/zero as an input is refused (exit %d: %s)" % (rc, err.strip()))

        # A file beyond the size limit (16 MiB): refused before it is read.
        big = os.path.join(work, "big.yaml")
        with open(big, "w") as f:
            line = "# " + "x" * 1000 + "\n"
            for _ in range(17 * 1024):
                f.write(line)
        rc, err, _ = run([ls, "model"] + inputs + [big, "-o", out], work)
        expect(rc == 2 and big + ":0:" in err and "16 MiB" in err,
               "a 17 MiB input is refused with the limit (exit %d: %s)" % (rc, err.strip()))

        # A failed write (a file-size limit of 1 KB, as a full disk would) is exit 2 naming
        # the file and the OS error, and leaves no partial or temporary file.
        def small_files():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
        out2 = os.path.join(work, "out2")
        rc, err, _ = run([ls, "model"] + inputs + ["-o", out2], work, preexec=small_files)
        left = sorted(os.listdir(out2)) if os.path.isdir(out2) else []
        expect(rc == 2 and "loopsim-model.stats.txt:0: -o: cannot write this file: File too large"
               in err, "a failed write is exit 2 with the file and the OS error (exit %d: %s)" %
               (rc, err.strip()))
        expect(not any(".tmp" in f for f in left) and "loopsim-model.stats.txt" not in left,
               "a failed write leaves no partial file (left: %s)" % left)

        # A complete run leaves its three outputs and no temporary file.
        rc, err, _ = run([ls, "model"] + inputs + ["-o", out, "-q"], work)
        left = sorted(os.listdir(out))
        expect(rc == 0 and left == ["loopsim-model.map.txt", "loopsim-model.stats.json",
                                    "loopsim-model.stats.txt"],
               "a run writes exactly its outputs (exit %d, files %s)" % (rc, left))

        # 60,000 variables: linear-time duplicate-key check; loads in under a second.
        var = os.path.join(work, "vars.yaml")
        with open(var, "w") as f:
            f.write("variables:\n")
            for i in range(60000):
                f.write("  v%d: %d\n" % (i, i))
        # CPU time (user + system) of the run, which other work on the machine does not
        # inflate; the whole `loopsim model` process, parsing included.
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        rc, err, dt = run([ls, "model"] + inputs + [var, "-o", out, "-q"], work)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        limit = 1.0 * o.time_factor
        expect(rc == 0 and cpu < limit,
               "a 60,000-key variables map loads in %.2f s of CPU time (%.2f s wall; limit "
               "%.1f s, exit %d)" % (cpu, dt, limit, rc))
        with open(var, "a") as f:
            f.write("  v123: 5\n")
        rc, err, _ = run([ls, "model"] + inputs + [var, "-o", out, "-q"], work)
        expect(rc == 2 and "vars.yaml:60002: variables.v123: key 'v123' is given twice in the "
               "same map (first at line 125)" in err,
               "a duplicate among 60,000 keys is found with both lines (%s)" % err.strip())

        # A prime bound near 2^31 builds its space at once (divisors up to sqrt(n)).
        prob = os.path.join(work, "prime.yaml")
        with open(os.path.join(case, "problem.yaml")) as f:
            text = f.read()
        text = re.sub(r"(\n\s+P:\s*)\d+", r"\g<1>2147483629", text)
        text = re.sub(r"(\n\s+R:\s*)\d+", r"\g<1>1", text)
        with open(prob, "w") as f:
            f.write(text)
        args = [ls, "map", inputs[0], inputs[1], prob, "--time-budget", "2", "--threads", "1",
                "-o", out, "-q"]
        rc, err, dt = run(args, work, timeout=120)
        expect(rc in (0, 3) and dt < 2 + 10 * o.time_factor,
               "map with the prime bound 2147483629 and --time-budget 2 ends in %.1f s (exit %d)"
               % (dt, rc))

        # A capacity rejection names the level and where its size is written.
        arch = os.path.join(work, "arch.yaml")
        with open(inputs[0]) as f:
            text = f.read()
        m = re.search(r"\n(\s+depth:\s*)(\d+)", text)
        line = text[:m.start() + 1].count("\n") + 1
        with open(arch, "w") as f:
            f.write(text[:m.start(2)] + "1" + text[m.end(2):])
        rc, err, _ = run([ls, "model", arch] + inputs[1:] + ["-o", out, "-q"], work)
        expect(rc == 3 and "capacity at " in err and "size written at %s:%d" % (arch, line) in err,
               "a capacity rejection names where the size is written (exit %d: %s)" %
               (rc, err.strip()))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
