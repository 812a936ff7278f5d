"""loopsim's functions: evaluate, map, estimate_energy, network, account (docs/python.md).

Each takes its inputs as the CLI subcommand does (any number of sources: paths, YAML text,
dicts, Mapping objects, Inputs) and returns the same figures, from the same C++ code.
"""

import json
import os
import tempfile

from . import _core
from ._errors import MappingRejected, NoMappingFound
from ._inputs import Inputs, _Materialized, _vars
from ._mapping import Mapping
from ._results import Evaluation, MapResult, NetworkResult
from ._yaml import load_yaml


def load(*sources, variables=None, strict=False):
    """Input sources as one :class:`Inputs` (paths, YAML strings, dicts, Mappings)."""
    return Inputs(*sources, variables=variables, strict=strict)


def _settings(inputs, variables, strict):
    inp = Inputs(*inputs)
    v = dict(inp.variables)
    v.update(variables or {})
    return inp, v, bool(strict or inp.strict)


def evaluate(*inputs, mapping=None, variables=None, strict=False, engine="auto", model=None,
             dummy_table=False):
    """Evaluates a mapping, as ``loopsim model``: returns an :class:`Evaluation`.

    ``mapping`` (optional) is added to the inputs (a Mapping, path, YAML text or dict).
    Raises ConfigError on bad input and MappingRejected when the mapping does not fit.
    """
    inp, v, strict = _settings(inputs, variables, strict)
    if mapping is not None:
        inp = inp + (mapping if isinstance(mapping, (Mapping, dict)) else mapping)
    if engine not in ("auto", "walk"):
        raise ValueError("engine must be 'auto' or 'walk'")
    with _Materialized(inp.sources) as m:
        out = m.call(lambda files: _core.evaluate(files, strict, _vars(v), engine, model or "",
                                                  dummy_table))
        warnings = m.relabel_warnings(out["warnings"])
    if "rejection" in out:
        r = out["rejection"]
        raise MappingRejected(r["level"], r["level_name"], r["reason"], r["detail"],
                              r["message"])
    return Evaluation(out, warnings)


def map(*inputs, algorithm=None, dataflow=None, seed=None, max_evaluations=None,
        time_budget=None, threads=None, model=None, variables=None, strict=False,
        dummy_table=False, progress=None, default_time_budget=60.0):
    """Searches for the best mapping, as ``loopsim map``: returns a :class:`MapResult`.

    Stopping as the CLI: ``max_evaluations`` (reproducible for a ``seed`` on any thread
    count), ``time_budget`` (seconds), else the files' mapper settings, else
    ``default_time_budget``. ``progress(p)`` is called about twice a second with a dict
    (evaluated, valid, best_metric, seconds, fraction_done); returning False stops the
    search (the best so far is returned, ``stopped`` is True). Ctrl-C raises
    KeyboardInterrupt. Raises NoMappingFound when nothing valid was found.
    """
    inp, v, strict = _settings(inputs, variables, strict)
    with _Materialized(inp.sources) as m:
        out = m.call(lambda files: _core.map(
            files, strict, _vars(v), dummy_table, algorithm or "",
            -1 if threads is None else int(threads),
            -1.0 if time_budget is None else float(time_budget),
            -1 if max_evaluations is None else int(max_evaluations),
            -1 if seed is None else int(seed), dataflow or "", model or "",
            float(default_time_budget), progress))
        warnings = m.relabel_warnings(out["warnings"])
    if "no_mapping" in out:
        raise NoMappingFound(out["no_mapping"], out["interrupted"], out["evaluated"])
    return MapResult(out, warnings)


class EnergyEstimate:
    """loopsim's estimates of an architecture (as ``loopsim energy``): ``ert``, ``art``,
    ``ert_summary``, ``art_summary`` are the parsed Accelergy-layout files; ``files`` their
    text; ``to_dataframe()`` one row per component and action."""

    def __init__(self, files, warnings):
        self.files = files
        self.warnings = warnings
        self.ert = load_yaml(files["ERT.yaml"])
        self.art = load_yaml(files["ART.yaml"])
        self.ert_summary = load_yaml(files["ERT_summary.yaml"])
        self.art_summary = load_yaml(files["ART_summary.yaml"])

    def areas(self):
        """{component: area in um^2}."""
        return {t["name"]: t["area"] for t in self.art_summary["ART_summary"]["table_summary"]}

    def to_rows(self):
        area = self.areas()
        rows = []
        for t in self.ert_summary["ERT_summary"]["table_summary"]:
            for a in t["actions"]:
                e = a.get("energy", a.get("average_energy"))
                rows.append({"component": t["name"], "action": a["name"], "energy_pj": e,
                             "area_um2": area.get(t["name"])})
        return rows

    def to_dataframe(self):
        from ._results import _dataframe
        return _dataframe(self.to_rows(), ["component", "action", "energy_pj", "area_um2"])


def estimate_energy(*inputs, query=None, variables=None, strict=False):
    """Energy per action and area, as ``loopsim energy``.

    With architecture inputs: an :class:`EnergyEstimate` of every component. With
    ``query=("SRAM", {"depth": 1024, ...})``: the estimate of one primitive as a dict
    (class, estimator, actions, area_um2); the inputs may then add component classes.
    """
    inp, v, strict = _settings(inputs, variables, strict)
    with _Materialized(inp.sources) as m:
        if query is not None:
            cls, attrs = query
            args = [str(cls)] + [f"{k}={val}" for k, val in (attrs or {}).items()]
            return json.loads(m.call(lambda files: _core.energy_query(files, args, _vars(v))))
        with tempfile.TemporaryDirectory(prefix="loopsim-energy-") as out_dir:
            warnings = m.call(lambda files: _core.estimate_energy(files, strict, _vars(v),
                                                                  out_dir))
            files = {}
            for name in ("ERT.yaml", "ART.yaml", "ERT_summary.yaml", "ART_summary.yaml"):
                with open(os.path.join(out_dir, name), encoding="utf-8") as f:
                    files[name] = f.read()
        return EnergyEstimate(files, m.relabel_warnings(warnings))


def _shape_id(key):
    """The CLI's mapping id of a shape (FNV-1a of its canonical text; network.cpp)."""
    h = 1469598103934665603
    for c in key.encode():
        h = ((h ^ c) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return f"shape-{h >> 16:012x}"


def network(network_file, *arch_inputs, algorithm=None, dataflow=None, seed=None,
            max_evaluations_per_layer=None, time_budget_per_layer=None, threads=None,
            variables=None, strict=False, dummy_table=False, progress=None):
    """Maps every distinct layer shape of a network once, as ``loopsim network``, and adds
    the layers up (each layer's figures times its repeat). ``progress(layer_name, result)``
    is called after each shape is mapped. Returns a :class:`NetworkResult`."""
    with tempfile.TemporaryDirectory(prefix="loopsim-net-") as scratch:
        net = _core.load_network(os.fspath(network_file), scratch)
        budget = time_budget_per_layer
        default = 10.0  # as loopsim network with no stopping rule
        shapes, rows = {}, []
        for layer in net["layers"]:
            if layer["op"]:
                continue
            key = layer["key"]
            hit = key in shapes
            if not hit:
                shapes[key] = map(layer["problem_file"], *arch_inputs, algorithm=algorithm,
                                  dataflow=dataflow, seed=seed,
                                  max_evaluations=max_evaluations_per_layer,
                                  time_budget=budget, threads=threads, variables=variables,
                                  strict=strict, dummy_table=dummy_table,
                                  default_time_budget=default)
                if progress is not None:
                    progress(layer["name"], shapes[key])
            r = shapes[key]
            rep = layer["repeat"]
            rows.append({"name": layer["name"], "shape": layer["shape"],
                         "shape_id": _shape_id(key), "repeat": rep, "macs": layer["macs"],
                         "cycles": r.cycles * rep, "energy_pj": r.energy_pj * rep,
                         "utilization": r.utilization, "cache_hit": hit,
                         "energy_by_level_pj": {k: e * rep
                                                for k, e in r.energy_by_level().items()}})
    return NetworkResult(net["name"], rows, shapes, net["total_macs"])


class Accounting(dict):
    """accounting.json of ``loopsim account`` as a dict; ``text`` is the printed table."""

    text = ""

    def __str__(self):
        return self.text


def account(training, result=None, macs=None, energy_pj=None, cycles=None, batch=None):
    """Compute and carbon accounting, as ``loopsim account`` (docs/accounting.md).

    ``training``: a training file, YAML text or dict with a ``training:`` section. The
    per-inference figures come from ``result`` (an Evaluation, MapResult or NetworkResult:
    MACs, energy, cycles; the batch is a layer's N) or from ``macs``/``energy_pj``/``cycles``.
    """
    src = "python"
    if result is not None:
        macs = result.macs if macs is None else macs
        energy_pj = result.energy_pj if energy_pj is None else energy_pj
        cycles = result.cycles if cycles is None else cycles
        if batch is None and isinstance(result, Evaluation):
            batch = result.stats["workload"]["bounds"].get("N", 1)
        src = type(result).__name__
    with _Materialized([training]) as m:
        out = m.call(lambda files: _core.account(
            files[0], float(macs or 0), None if energy_pj is None else float(energy_pj),
            None if cycles is None else float(cycles), float(batch or 1), src))
    a = Accounting(json.loads(out["json"]))
    a.text = out["text"]
    return a
