// Conversions of library values for the Python module: warnings, input descriptions and the
// emitted outputs (the same writers as the CLI), as Python objects or JSON text.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "loopsim/core/diagnostics.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/mapper/search.hpp"
#include "loopsim/model/evaluate.hpp"

namespace loopsim::python {

// [{"file", "line", "key_path", "message", "text"}], text as the CLI prints it.
pybind11::list warnings_to_list(const std::vector<Warning>& warnings);

// {"level", "level_name", "reason", "detail", "message"} of a rejected mapping.
pybind11::dict rejection_to_dict(const Rejection& r);

// Every output the CLI writes for an evaluation (stats.json text, stats.txt, map.txt,
// map.yaml, the summary line), plus the warnings. `search` adds the mapper's stats.json.
pybind11::dict outputs_to_dict(const io::EmitContext& ctx, const SearchStats* search);

// JSON text describing loaded inputs: the workload (dims, bounds, data spaces, MACs) and the
// architecture (storage levels innermost first, arithmetic).
std::string describe_inputs_json(const io::ModelInputs& in);

}  // namespace loopsim::python
