// The `training:` section (private to io/; a network file may embed one).
#pragma once

#include "loopsim/network/accounting.hpp"
#include "yaml_cursor.hpp"

namespace loopsim::io {

// Parses the value of a `training:` key (a map; docs/accounting.md lists its keys).
network::TrainingSpec parse_training(const Cursor& section);

}  // namespace loopsim::io
