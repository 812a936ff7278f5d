// Private to io/: the networks in stats.txt and stats.json (write_network_stats.cpp).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

#include "loopsim/io/emit.hpp"

namespace loopsim::io {

// Indices of the evaluated networks with a non-zero energy, ordered by name (Timeloop's
// order: its networks are a map by name).
std::vector<int> priced_networks(const Evaluation& ev);
// Timeloop's "Network N" blocks of the Networks section.
void write_networks_txt(std::ostream& out, const EmitContext& c);
// stats.json "networks": every evaluated network.
nlohmann::json networks_json(const EmitContext& c);

}  // namespace loopsim::io
