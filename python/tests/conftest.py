"""Fixtures of the loopsim Python tests: the CLI binary and the source tree (from ctest's
environment: LOOPSIM_CLI, LOOPSIM_SOURCE_DIR; PYTHONPATH holds build/python)."""

import json
import os
import subprocess

import pytest

import loopsim

SRC = os.environ.get("LOOPSIM_SOURCE_DIR", loopsim.SOURCE_DIR)
CLI = os.environ.get("LOOPSIM_CLI", os.path.join(SRC, "build", "loopsim"))
EYERISS = [os.path.join(SRC, "arch-specs", "eyeriss_like", f)
           for f in ("arch.yaml", "ERT.yaml", "ART.yaml")]
CONV3_2 = os.path.join(SRC, "workloads", "vgg16", "conv3_2.yaml")
CONV3_2_MAP = os.path.join(SRC, "mappings", "eyeriss_like.vgg16-conv3_2.map.yaml")
CASE06 = os.path.join(SRC, "..", "shared", "conformance", "v04-ispass2020",
                      "06-mapper-convlayer-eyeriss", "ref-output")


def src(*parts):
    return os.path.join(SRC, *parts)


def run_cli(*args, check=True):
    """Runs the loopsim CLI; returns the CompletedProcess (text)."""
    p = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"loopsim {' '.join(map(str, args))}: exit {p.returncode}\n"
                             f"{p.stderr}")
    return p


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture
def cli():
    if not os.access(CLI, os.X_OK):
        pytest.skip(f"the loopsim CLI is not at {CLI}")
    return run_cli
