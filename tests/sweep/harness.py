"""What the sweep test scripts share: the loopsim binary and project from argv, a scratch
folder, check() that records failures, run() of a loopsim command with its expected exit
code, and finish() that cleans up and exits non-zero on any failure."""
import os
import shutil
import subprocess
import sys
import tempfile


class Harness:
    def __init__(self, prefix, run_timeout=120):
        self.loopsim = os.path.abspath(sys.argv[1])
        self.project = os.path.abspath(sys.argv[2])
        self.here = os.path.join(self.project, "tests", "sweep")
        self.work = tempfile.mkdtemp(prefix=prefix)
        self.failures = []
        self.run_timeout = run_timeout

    checks = 0

    def check(self, cond, what):
        Harness.checks += 1
        if not cond:
            self.failures.append(what)
            print("FAIL", what)

    def run(self, args, expect=0):
        r = subprocess.run([self.loopsim] + args, capture_output=True, text=True,
                           timeout=self.run_timeout)
        if r.returncode != expect:
            print(r.stdout, r.stderr)
        self.check(r.returncode == expect,
                   f"{' '.join(args)}: exit {r.returncode}, expected {expect}")
        return r

    def finish(self):
        shutil.rmtree(self.work, ignore_errors=True)
        print("FAILED" if self.failures else "ok",
              f"({len(self.failures)} failure(s) in {Harness.checks} checks)")
        sys.exit(1 if self.failures else 0)
