#!/usr/bin/env python3
"""ctest entry of the Python tests: exit 77 (skipped) when pytest or the module is missing.
usage: run_pytest.py BUILD_PYTHON_DIR [pytest args...]"""
import os
import sys

sys.path.insert(0, sys.argv[1])
os.environ["PYTHONPATH"] = sys.argv[1] + os.pathsep + os.environ.get("PYTHONPATH", "")
try:
    import pytest
except ImportError:
    print("skipped: pytest is not installed (Debian: python3-pytest)")
    sys.exit(77)
try:
    import loopsim  # noqa: F401
except ImportError as e:
    print(f"the loopsim module does not import from {sys.argv[1]}: {e}")
    sys.exit(1)
here = os.path.dirname(os.path.abspath(__file__))
sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", here, *sys.argv[2:]]))
