"""sweep() and compare(): ``loopsim sweep`` and ``loopsim compare`` run in this process by the
CLI's own code (docs/sweep.md, docs/compare.md); the results are read back from the files
it writes (points.csv, pareto.csv, sweep.json; summary.csv, compare.csv, compare.json), so
Python and the CLI give the same tables.
"""

import csv
import json
import os
import tempfile

from . import _core
from ._errors import NoMappingFound
from ._inputs import Inputs, _Materialized
from ._results import _dataframe


def _number(text):
    try:
        v = float(text)
    except (TypeError, ValueError):
        return text
    return int(v) if v.is_integer() and "." not in text and "e" not in text.lower() else v


def _read_csv(path):
    if not os.path.isfile(path):
        return [], []
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        rows = [{k: _number(v) for k, v in row.items()} for row in r]
        return rows, list(r.fieldnames or [])


def _run(args):
    rc = _core.run_subcommand(args)
    if rc == 130:
        raise KeyboardInterrupt(f"loopsim {args[0]} interrupted (what finished is kept)")
    if rc == 3:
        raise NoMappingFound(f"loopsim {args[0]}: a point found no valid mapping")
    if rc != 0:
        raise RuntimeError(f"loopsim {args[0]} exited with {rc}")


def _out_dir(out_dir, kind):
    return os.fspath(out_dir) if out_dir is not None else tempfile.mkdtemp(prefix=f"loopsim-{kind}-")


class SweepResult:
    """A sweep's store read back: ``points`` and ``pareto`` (rows of points.csv and
    pareto.csv as dicts), ``info`` (sweep.json), ``out_dir`` (with sweep.sqlite)."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.points, self.columns = _read_csv(os.path.join(out_dir, "points.csv"))
        self.pareto, _ = _read_csv(os.path.join(out_dir, "pareto.csv"))
        with open(os.path.join(out_dir, "sweep.json"), encoding="utf-8") as f:
            self.info = json.load(f)

    def best(self, column="energy_pj"):
        """The finished point with the lowest ``column``."""
        done = [p for p in self.points if isinstance(p.get(column), (int, float))]
        return min(done, key=lambda p: p[column]) if done else None

    def to_dataframe(self, pareto_only=False):
        return _dataframe(self.pareto if pareto_only else self.points, self.columns)

    def __repr__(self):
        return (f"<SweepResult {self.info.get('finished')} finished, {self.info.get('failed')} "
                f"failed, {len(self.pareto)} on the Pareto front, in {self.out_dir}>")


def sweep(sweep_file, out_dir=None, threads=None, jobs=None, retry_failed=False, force=False,
          report=False):
    """Runs (or resumes) a sweep file as ``loopsim sweep``: returns a :class:`SweepResult`.

    ``out_dir`` holds the store (a temporary folder when not given); running again on the
    same folder resumes. Ctrl-C stops after the points in flight (KeyboardInterrupt), keeping
    the finished ones.
    """
    d = _out_dir(out_dir, "sweep")
    args = ["sweep", os.fspath(sweep_file), "-o", d, "-q"]
    if threads is not None:
        args += ["--threads", str(int(threads))]
    if jobs is not None:
        args += ["--jobs", str(int(jobs))]
    args += ["--retry-failed"] if retry_failed else []
    args += ["--force"] if force else []
    args += ["--report"] if report else []
    _run(args)
    return SweepResult(d)


class CompareResult:
    """A comparison read back: ``summary`` (summary.csv: per config and layer, and each
    config's ``total``), ``rows`` (compare.csv: per level and data space), ``info``
    (compare.json), ``out_dir``."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.summary, self.summary_columns = _read_csv(os.path.join(out_dir, "summary.csv"))
        self.rows, self.row_columns = _read_csv(os.path.join(out_dir, "compare.csv"))
        with open(os.path.join(out_dir, "compare.json"), encoding="utf-8") as f:
            self.info = json.load(f)

    def totals(self):
        """{config: energy per MAC (pJ) over all layers}."""
        return {r["config"]: r["energy_per_mac_pj"] for r in self.summary if r["layer"] == "total"}

    def best(self):
        """The config with the lowest total energy."""
        t = [r for r in self.summary if r["layer"] == "total"]
        return min(t, key=lambda r: r["energy_pj"])["config"] if t else None

    def to_dataframe(self, which="summary"):
        if which == "summary":
            return _dataframe(self.summary, self.summary_columns)
        return _dataframe(self.rows, self.row_columns)

    def __repr__(self):
        return f"<CompareResult configs {list(self.totals())}, best {self.best()}, in {self.out_dir}>"


def compare(*inputs, dataflow=None, layers=None, max_evaluations=None, seed=None, threads=None,
            out_dir=None, strict=False, report=False):
    """Compares configs on the same layers, as ``loopsim compare``: returns a
    :class:`CompareResult`.

    ``inputs``: a compare file, or an architecture's files and a workload or network (paths,
    YAML text or dicts) with ``dataflow`` (``"ws,os,rs"`` or a list).
    """
    d = _out_dir(out_dir, "compare")
    inp = Inputs(*inputs)
    with _Materialized(inp.sources) as m:
        args = ["compare", *m.files, "-o", d, "-q"]
        if dataflow:
            args += ["--dataflow", dataflow if isinstance(dataflow, str) else ",".join(dataflow)]
        if layers:
            args += ["--layers", layers if isinstance(layers, str) else ",".join(layers)]
        if max_evaluations is not None:
            args += ["--max-evaluations", str(int(max_evaluations))]
        if seed is not None:
            args += ["--seed", str(int(seed))]
        if threads is not None:
            args += ["--threads", str(int(threads))]
        args += ["--strict"] if strict or inp.strict else []
        args += ["--report"] if report else []
        m.call(lambda files: _run(args))
    return CompareResult(d)
