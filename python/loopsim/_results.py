"""Result objects: the figures of the CLI's stats.json (the same writer), as Python data."""

import copy
import json

from ._mapping import Mapping

_DS_COLUMNS = ["keep", "partition_size", "utilized_capacity", "utilized_instances",
               "utilized_clusters", "reads", "fills", "updates", "temporal_reductions",
               "address_generations", "energy_per_instance_pj", "energy_pj", "read_bandwidth",
               "write_bandwidth"]
_LEVEL_COLUMNS = ["index", "instances", "mesh_x", "mesh_y", "size_words", "word_bits",
                  "cycles", "bandwidth_throttling", "energy_pj", "leakage_pj", "area_um2",
                  "read_energy_pj", "write_energy_pj", "update_energy_pj"]


def _dataframe(rows, columns):
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover
        raise ImportError("to_dataframe() needs pandas (Debian: python3-pandas); "
                          "to_rows() gives the same rows as dicts") from e
    return pd.DataFrame(rows, columns=columns)


class Evaluation:
    """One evaluated mapping: ``stats`` is the parsed stats.json of ``loopsim model``.

    Also: ``stats_txt`` and ``map_txt`` (Timeloop's layouts), ``summary`` (the CLI's line),
    ``mapping`` (a :class:`Mapping`, as ``loopsim map`` writes map.yaml), ``warnings``.
    """

    def __init__(self, out, warnings):
        self.stats = json.loads(out["stats_json"])
        self.stats_txt = out.get("stats_txt")
        self.map_txt = out.get("map_txt")
        self.map_yaml = out.get("map_yaml")
        self.summary = (out.get("summary") or "").strip()
        self.warnings = warnings

    @property
    def mapping(self):
        """The mapping (None for a result read from `loopsim model`'s files, which have no
        map.yaml)."""
        return Mapping.load(self.map_yaml) if self.map_yaml else None

    # -- headline figures ------------------------------------------------------------------
    @property
    def energy_pj(self):
        return self.stats["summary"]["energy_pj"]

    @property
    def cycles(self):
        return self.stats["summary"]["cycles"]

    @property
    def utilization(self):
        return self.stats["summary"]["utilization"]

    @property
    def edp(self):
        """Energy x delay in joule-cycles (stats.json's summary.edp_j_cycles)."""
        return self.stats["summary"]["edp_j_cycles"]

    @property
    def macs(self):
        return self.stats["workload"]["operations"]

    @property
    def fj_per_compute(self):
        return self.stats["summary"]["fj_per_compute"]

    @property
    def area_um2(self):
        return self.stats["summary"]["area_um2"]

    @property
    def levels(self):
        """Storage level names, innermost first."""
        return [lv["name"] for lv in self.stats["levels"]]

    def energy_by_level(self):
        """{name: pJ} for the arithmetic level and each storage level (innermost first)."""
        out = {self.stats["arithmetic"]["name"]: self.stats["arithmetic"]["energy_pj"]}
        for lv in self.stats["levels"]:
            out[lv["name"]] = lv["energy_pj"]
        return out

    def dominant_level(self):
        """The level (arithmetic included) with the largest energy."""
        e = self.energy_by_level()
        return max(e, key=e.get)

    def level(self, name):
        for lv in self.stats["levels"]:
            if lv["name"] == name:
                return lv
        raise KeyError(f"no level {name!r}; levels: {self.levels}")

    # -- tables ----------------------------------------------------------------------------
    def to_dict(self):
        return copy.deepcopy(self.stats)

    def to_rows(self, by="data_space"):
        """Rows (dicts) per level and data space (``by="data_space"``) or per level."""
        rows = []
        for lv in self.stats["levels"]:
            if by == "level":
                row = {"level": lv["name"]}
                row.update({k: lv.get(k) for k in _LEVEL_COLUMNS})
                rows.append(row)
                continue
            for ds, d in lv["data_spaces"].items():
                row = {"level": lv["name"], "data_space": ds}
                row.update({k: d.get(k) for k in _DS_COLUMNS})
                rows.append(row)
        if by not in ("level", "data_space"):
            raise ValueError("by must be 'data_space' or 'level'")
        return rows

    def to_dataframe(self, by="data_space"):
        """A pandas DataFrame of :meth:`to_rows`."""
        cols = (["level"] + _LEVEL_COLUMNS if by == "level"
                else ["level", "data_space"] + _DS_COLUMNS)
        return _dataframe(self.to_rows(by), cols)

    def __repr__(self):
        return f"<loopsim.Evaluation {self.summary}>"


class MapResult(Evaluation):
    """The best mapping of a search: an Evaluation plus ``search`` (stats.json's search
    object: evaluated, valid, proven_optimal, lower_bound, lower_bound_from, gap,
    rejections ...)."""

    def __init__(self, out, warnings):
        super().__init__(out, warnings)
        self.search = self.stats["search"]
        self.stopped = bool(out.get("stopped", False))

    def __repr__(self):
        s = self.search
        return (f"<loopsim.MapResult {self.summary}; {s['algorithm']}, {s['evaluated']} "
                f"evaluated, {'proven optimal' if s['proven_optimal'] else 'not proven'}>")


def read_output(path, prefix=None):
    """A result from the CLI's files: `path` is an output directory (-o) or a stats.json.
    ``loopsim-model.*`` gives an Evaluation, ``loopsim-mapper.*`` (or another
    ``out_prefix``) a MapResult, with the same figures as the call that wrote them."""
    import os
    if os.path.isdir(path):
        names = [prefix] if prefix else ["loopsim-mapper", "loopsim-model"]
        for name in names:
            if os.path.exists(os.path.join(path, name + ".stats.json")):
                base = os.path.join(path, name)
                break
        else:
            raise FileNotFoundError(f"no {' or '.join(n + '.stats.json' for n in names)} "
                                    f"in {path}")
    else:
        base = path[:-len(".stats.json")] if path.endswith(".stats.json") else path
    out = {}
    for key, ext in (("stats_json", ".stats.json"), ("stats_txt", ".stats.txt"),
                     ("map_txt", ".map.txt"), ("map_yaml", ".map.yaml")):
        if os.path.exists(base + ext):
            with open(base + ext, encoding="utf-8") as f:
                out[key] = f.read()
    warnings = json.loads(out["stats_json"]).get("warnings", [])
    if "search" in json.loads(out["stats_json"]):
        return MapResult(out, warnings)
    return Evaluation(out, warnings)


class NetworkResult:
    """A whole network: per-layer rows (each layer's best mapping's figures, times its
    repeat) and totals; ``shapes`` holds each distinct shape's MapResult."""

    def __init__(self, name, layers, shapes, total_macs):
        self.name, self.layers, self.shapes, self.total_macs = name, layers, shapes, total_macs

    @property
    def energy_pj(self):
        return sum(r["energy_pj"] for r in self.layers if r["energy_pj"] is not None)

    @property
    def cycles(self):
        return sum(r["cycles"] for r in self.layers if r["cycles"] is not None)

    @property
    def macs(self):
        return sum(r["macs"] for r in self.layers)

    def to_rows(self):
        return [dict(r) for r in self.layers]

    def to_dict(self):
        return {"name": self.name, "macs": self.macs, "energy_pj": self.energy_pj,
                "cycles": self.cycles, "layers": self.to_rows()}

    def to_dataframe(self):
        cols = ["name", "shape", "shape_id", "repeat", "macs", "cycles", "energy_pj",
                "utilization", "cache_hit"]
        return _dataframe(self.to_rows(), cols)

    def __repr__(self):
        return (f"<loopsim.NetworkResult {self.name}: {len(self.layers)} layers, "
                f"{len(self.shapes)} shapes, {self.energy_pj:.4g} pJ, {self.cycles} cycles>")
