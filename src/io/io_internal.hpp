// Parsers of each top-level section (private to io/).
#pragma once

#include "loopsim/io/load.hpp"
#include "yaml_cursor.hpp"

namespace loopsim::io {

Workload parse_problem(const Cursor& problem);
ArchTree parse_architecture(const Cursor& architecture);
Variables parse_variables(const std::optional<Cursor>& variables);
Mapping parse_mapping(const Cursor& mapping, const Workload& workload, const ArchSpec& arch);
void parse_ert(const Cursor& ert, EnergyInputs& out);
void parse_art(const Cursor& art, EnergyInputs& out);
void parse_ert_summary(const Cursor& ert, EnergyInputs& out);
void parse_art_summary(const Cursor& art, EnergyInputs& out);

// Splits "PE[0..167]" into ("PE", 168); no range gives (name, 1).
std::pair<std::string, std::int64_t> split_name_range(const Cursor& where, const std::string& name);

}  // namespace loopsim::io
