#!/usr/bin/env python3
"""Executes every lab notebook (docs/labs/*.ipynb) top to bottom with nbclient and fails on
any error; prints each notebook's run time. Exit 77 (skipped) when nbclient, nbformat or
ipykernel is missing. The notebooks are run from copies (their outputs stay stripped).
usage: run_notebooks.py BUILD_PYTHON_DIR [NOTEBOOK...]"""
import glob
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
pydir = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(
    here, "..", "..", "build", "python")
try:
    import nbformat
    from nbclient import NotebookClient
    import ipykernel  # noqa: F401
except ImportError as e:
    print(f"skipped: {e.name} is not installed (Debian: python3-nbclient, python3-ipykernel)")
    sys.exit(77)

# The kernel inherits this environment: the module from the build tree, Debian's python3
# first (a pyenv python3 earlier in PATH has neither the module's ABI nor pandas), and a
# non-interactive matplotlib backend.
os.environ["PYTHONPATH"] = pydir + os.pathsep + os.environ.get("PYTHONPATH", "")
os.environ["PATH"] = "/usr/bin" + os.pathsep + os.environ.get("PATH", "")
os.environ["MPLBACKEND"] = "Agg"
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # ipykernel's debugger notice
os.environ.setdefault("OMP_NUM_THREADS", "2")

notebooks = sys.argv[2:] or sorted(glob.glob(os.path.join(here, "*.ipynb")))
if not notebooks:
    print("no notebooks found")
    sys.exit(1)
failed = []
for path in notebooks:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": here}})
    t = time.monotonic()
    try:
        client.execute()
        status = "ok"
    except Exception as e:  # CellExecutionError, DeadKernelError, timeouts
        status = "FAILED"
        failed.append(path)
        print(f"{os.path.basename(path)}: {e}", file=sys.stderr)
    print(f"{os.path.basename(path)}: {status} in {time.monotonic() - t:.1f} s", flush=True)
sys.exit(1 if failed else 0)
