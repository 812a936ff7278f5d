"""loopsim from Python: evaluate mappings, search for the best one, estimate energy, map whole
networks and account for compute and carbon, with the same figures as the CLI
(docs/python.md).

    import loopsim
    r = loopsim.evaluate("arch.yaml", "ERT.yaml", "ART.yaml", "problem.yaml", "map.yaml")
    print(r.energy_pj, r.cycles, r.dominant_level())
    r.to_dataframe()            # per level and data space (pandas)
"""

from ._errors import ConfigError, LoopsimError, MappingRejected, NoMappingFound
from ._inputs import Inputs, YamlText
from ._mapping import Mapping
from ._results import Evaluation, MapResult, NetworkResult, read_output
from ._api import (Accounting, EnergyEstimate, account, estimate_energy, evaluate, load, map,
                   network)
from ._explore import CompareResult, SweepResult, compare, sweep
from . import _core

#: The source checkout the module was built from (its arch-specs/, workloads/, mappings/).
SOURCE_DIR = _core.source_dir

__all__ = ["ConfigError", "LoopsimError", "MappingRejected", "NoMappingFound", "Inputs",
           "YamlText", "Mapping", "Evaluation", "MapResult", "NetworkResult", "Accounting",
           "EnergyEstimate", "read_output", "account", "estimate_energy", "evaluate", "load", "map", "network",
           "SweepResult", "CompareResult", "sweep", "compare", "SOURCE_DIR"]
