#!/usr/bin/env python3
"""`mpirun -np 2 loopsim sweep` gives the same database content as one process: every point
once, the same hashes, statuses, figures and mappings (tests/sweep/small.yaml). Skips (77)
without mpirun. Usage: run-mpi-test.py LOOPSIM PROJECT_DIR"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

loopsim, project = os.path.abspath(sys.argv[1]), sys.argv[2]
mpirun = shutil.which("mpirun")
if not mpirun:
    print("skipped: mpirun is not installed (openmpi-bin)")
    sys.exit(77)
sweep = os.path.join(project, "tests", "sweep", "small.yaml")
work = tempfile.mkdtemp(prefix="loopsim-mpi-")


def rows(db):
    con = sqlite3.connect(db)
    out = con.execute("select id, hash, params, status, error, energy_pj, cycles, edp, area_um2, "
                      "utilization, macs, level_energy, mapping from points order by id").fetchall()
    con.close()
    return out


single = os.path.join(work, "single")
subprocess.run([loopsim, "sweep", sweep, "-o", single, "--threads", "1", "-q"], check=True,
               timeout=120)
multi = os.path.join(work, "mpi")
args = [mpirun, "-np", "2", "--oversubscribe"]
if os.geteuid() == 0:
    args.append("--allow-run-as-root")
r = subprocess.run(args + [loopsim, "sweep", sweep, "-o", multi, "--threads", "1"],
                   capture_output=True, text=True, timeout=180)
print(r.stdout)
print(r.stderr)
ok = r.returncode == 0
if "on 1 MPI ranks" not in r.stderr:
    print("FAIL: the run did not use MPI (no 'on 1 MPI ranks' in its progress)")
    ok = False
a, b = rows(os.path.join(single, "sweep.sqlite")), rows(os.path.join(multi, "sweep.sqlite"))
if a != b:
    print(f"FAIL: the MPI database differs ({len(a)} vs {len(b)} rows)")
    ok = False
if ok and len(a) != 9:
    print(f"FAIL: {len(a)} points, expected 9")
    ok = False
shutil.rmtree(work, ignore_errors=True)
print("ok" if ok else "FAILED")
sys.exit(0 if ok else 1)
