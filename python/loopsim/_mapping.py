"""A Timeloop mapping as editable Python data (docs/python.md, Mappings).

A mapping is the list of Timeloop's directives: per storage level (``target``) a temporal
directive (factors and permutation), a spatial one (factors, permutation, split) and a
datatype one (keep and bypass). Permutations are listed innermost first, as in Timeloop.
"""

import copy
import os
import re

from ._yaml import dump_yaml, load_yaml

_FACTOR = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*?)=?(\d+(?:,\d+)?)$")


def _parse_factors(value):
    """{dim: factor} from "C=1 M=16", "C1 M16" or a dict; a residual form "Q=7,6" stays text."""
    if isinstance(value, dict):
        return dict(value)
    out = {}
    for tok in str(value).replace(",", " ,").split():
        if tok == ",":
            continue
        if re.fullmatch(r",\d+", tok) and out:  # "Q=7,6": the residual belongs to the previous dim
            last = next(reversed(out))
            out[last] = f"{out[last]}{tok}"
            continue
        m = _FACTOR.match(tok)
        if not m:
            raise ValueError(f"cannot read the factor {tok!r} (expected NAME=N or NAME N)")
        out[m.group(1)] = int(m.group(2))
    return out


def _parse_permutation(value):
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    s = str(value).replace(",", " ")
    if " " in s.strip():
        return s.split()
    return list(s)


def _names(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


class Mapping:
    """A mapping that can be read, edited and written as Timeloop mapping YAML.

    ``Mapping.load(src)`` reads a file, YAML text, a dict ``{"mapping": [...]}`` or a list of
    directives. Edit with ``set_factors``, ``set_permutation``, ``set_keep``; write with
    ``to_yaml()``/``write(path)``; pass the object itself to ``loopsim.evaluate``.
    """

    def __init__(self, directives=None):
        self.directives = [copy.deepcopy(dict(d)) for d in (directives or [])]

    # -- reading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, source):
        if isinstance(source, Mapping):
            return source.copy()
        if isinstance(source, (list, tuple)):
            return cls(source)
        if isinstance(source, dict):
            return cls(source.get("mapping", []))
        text = str(source)
        if isinstance(source, os.PathLike) or ("\n" not in text and os.path.exists(text)):
            with open(text, encoding="utf-8") as f:
                text = f.read()
        data = load_yaml(text) or {}
        if isinstance(data, list):
            return cls(data)
        if "mapping" not in data:
            raise ValueError("no 'mapping:' list in this YAML")
        return cls(data["mapping"])

    def copy(self):
        return Mapping(self.directives)

    @property
    def levels(self):
        """Storage level names in the order the directives first name them."""
        seen = []
        for d in self.directives:
            if d.get("target") not in seen:
                seen.append(d.get("target"))
        return seen

    def directive(self, level, kind="temporal", create=False):
        """The directive of `kind` (temporal, spatial, datatype) for `level` (a live dict)."""
        kinds = {"datatype": ("datatype", "dataspace", "bypass")}.get(kind, (kind,))
        for d in self.directives:
            if d.get("target") == level and d.get("type", "temporal") in kinds:
                return d
        if not create:
            raise KeyError(f"no {kind} directive for level {level!r}; levels: {self.levels}")
        d = {"target": level, "type": kind}
        self.directives.append(d)
        return d

    def has(self, level, kind="temporal"):
        try:
            self.directive(level, kind)
            return True
        except KeyError:
            return False

    def factors(self, level, kind="temporal"):
        """{dim: factor} of a temporal or spatial directive (missing dims: factor 1)."""
        return _parse_factors(self.directive(level, kind).get("factors", ""))

    def permutation(self, level, kind="temporal"):
        """Dimensions of a directive's permutation, innermost first."""
        return _parse_permutation(self.directive(level, kind).get("permutation", []))

    def keep(self, level):
        return _names(self.directive(level, "datatype").get("keep"))

    def bypass(self, level):
        return _names(self.directive(level, "datatype").get("bypass"))

    # -- editing ---------------------------------------------------------------------------
    def set_factors(self, level, factors=None, kind="temporal", **by_name):
        """Sets some factors of a level's temporal (or spatial) directive; others are kept.

        ``m.set_factors("shared_glb", P=28)`` or ``m.set_factors("DRAM", {"Q": 8})``.
        """
        d = self.directive(level, kind, create=True)
        f = _parse_factors(d.get("factors", ""))
        f.update(factors or {})
        f.update(by_name)
        d["factors"] = " ".join(f"{k}={v}" for k, v in f.items())
        return self

    def set_permutation(self, level, permutation, kind="temporal"):
        """Loop order of a level, innermost first ("PQC" or ["P", "Q", "C"])."""
        self.directive(level, kind, create=True)["permutation"] = _parse_permutation(permutation)
        return self

    def set_keep(self, level, keep=None, bypass=None):
        """Which data spaces a level keeps (and bypasses); a list given replaces the old one."""
        d = self.directive(level, "datatype", create=True)
        d["type"] = "datatype"
        if keep is not None:
            d["keep"] = _names(keep)
        if bypass is not None:
            d["bypass"] = _names(bypass)
        return self

    # -- writing ---------------------------------------------------------------------------
    def to_dict(self):
        return {"mapping": copy.deepcopy(self.directives)}

    def to_yaml(self):
        return dump_yaml(self.to_dict())

    def write(self, path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_yaml())

    def __eq__(self, other):
        return isinstance(other, Mapping) and self.to_dict() == other.to_dict()

    def __repr__(self):
        rows = []
        for lv in self.levels:
            parts = []
            for kind in ("temporal", "spatial"):
                if self.has(lv, kind):
                    f = {k: v for k, v in self.factors(lv, kind).items() if v != 1}
                    parts.append(f"{kind} " + (" ".join(f"{k}{v}" for k, v in f.items()) or "-"))
            if self.has(lv, "datatype"):
                parts.append("keep " + (",".join(self.keep(lv)) or "-"))
            rows.append(f"  {lv}: " + "; ".join(parts))
        return "Mapping(\n" + "\n".join(rows) + "\n)"
