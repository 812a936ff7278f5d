"""YAML text in and out (PyYAML, Debian's python3-yaml; JSON, which is YAML, without it)."""

import json

try:
    import yaml as _pyyaml
except ImportError:  # pragma: no cover
    _pyyaml = None


def dump_yaml(data):
    if _pyyaml is not None:
        return _pyyaml.safe_dump(data, sort_keys=False, default_flow_style=False)
    return json.dumps(data, indent=2) + "\n"


def load_yaml(text):
    if _pyyaml is not None:
        return _pyyaml.safe_load(text)
    return json.loads(text)
