"""Inputs from files, YAML strings or dicts (the same keys as the files).

The library reads files, so YAML strings and dicts are written to a temporary directory for
the call; a ConfigError about one of them names it ``<yaml string 1>``, ``<dict 2>`` or
``<mapping>`` instead of the temporary path (its line is the line in that text; for a dict,
in its YAML dump, so the key path is the useful part).
"""

import os
import tempfile

from ._errors import ConfigError
from ._mapping import Mapping
from ._yaml import dump_yaml


class YamlText(str):
    """Marks a string as YAML text (not a path) when that is not obvious."""


def _is_yaml_text(s):
    if isinstance(s, YamlText):
        return True
    if isinstance(s, os.PathLike):
        return False
    return "\n" in s or (":" in s and not os.path.exists(s))


class Inputs:
    """A list of input sources, each a path, YAML text, a dict, a Mapping or another Inputs.

    ``loopsim.load(...)`` makes one; every function accepts the same sources directly.
    ``describe()`` loads them and returns the workload and the architecture's levels.
    """

    def __init__(self, *sources, variables=None, strict=False):
        self.sources = []
        for s in sources:
            if isinstance(s, Inputs):
                self.sources.extend(s.sources)
            elif isinstance(s, (list, tuple)) and not isinstance(s, Mapping):
                self.sources.extend(Inputs(*s).sources)
            else:
                self.sources.append(s)
        self.variables = dict(variables or {})
        self.strict = strict

    def __add__(self, other):
        more = other.sources if isinstance(other, Inputs) else [other]
        return Inputs(*self.sources, *more, variables=self.variables, strict=self.strict)

    def describe(self, need_mapping=False):
        import json

        from . import _core
        with _Materialized(self.sources) as m:
            return m.call(lambda files: json.loads(
                _core.describe(files, self.strict, _vars(self.variables), need_mapping)))

    def __repr__(self):
        return f"Inputs({', '.join(_label(s, i) for i, s in enumerate(self.sources, 1))})"


def _label(s, i):
    if isinstance(s, Mapping):
        return "<mapping>"
    if isinstance(s, dict):
        return f"<dict {i}>"
    if isinstance(s, str) and _is_yaml_text(s):
        return f"<yaml string {i}>"
    return os.fspath(s)


def _vars(variables):
    """--var NAME=VALUE pairs (values as YAML scalars)."""
    out = []
    for k, v in (variables or {}).items():
        if isinstance(v, bool):
            v = "true" if v else "false"
        out.append((str(k), str(v)))
    return out


class _Materialized:
    """Context: the sources as a list of files (temporary ones for text, dicts, mappings)."""

    def __init__(self, sources):
        self.sources = list(sources)
        self._dir = None
        self.files, self.labels = [], {}

    def __enter__(self):
        for i, s in enumerate(self.sources, 1):
            if isinstance(s, Mapping):
                text = s.to_yaml()
            elif isinstance(s, dict):
                text = dump_yaml(s)
            elif isinstance(s, str) and _is_yaml_text(s):
                text = str(s)
            else:
                self.files.append(os.fspath(s))
                continue
            if self._dir is None:
                self._dir = tempfile.TemporaryDirectory(prefix="loopsim-py-")
            path = os.path.join(self._dir.name, f"input-{i}.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            self.files.append(path)
            self.labels[path] = _label(s, i)
        return self

    def relabel(self, e):
        """The ConfigError with temporary paths replaced by the sources' labels."""
        file, message = e.file, e.message
        for path, label in self.labels.items():
            if file == path:
                file = label
            message = message.replace(path, label)
        return ConfigError(file, e.line, e.key_path, message)

    def relabel_warnings(self, warnings):
        out = []
        for w in warnings:
            w = dict(w)
            for path, label in self.labels.items():
                if w["file"] == path:
                    w["file"] = label
                w["text"] = w["text"].replace(path, label)
                w["message"] = w["message"].replace(path, label)
            out.append(w)
        return out

    def call(self, f):
        try:
            return f(self.files)
        except ConfigError as e:
            if not self.labels:
                raise
            raise self.relabel(e) from None

    def __exit__(self, *exc):
        if self._dir is not None:
            self._dir.cleanup()
        return False
