// map.yaml: the mapping as `mapping:` directives (Timeloop's format), innermost level first:
// a datatype directive (keep/bypass), a temporal directive and, where the level fans out, a
// spatial directive with split. Complete factor lists and permutations, so that loading it
// back gives the same loop nest; the no-reuse modifiers under Timeloop's mapping keys
// (no_temporal_reuse, no_multicast_no_reduction), so that it evaluates the same.
#include <algorithm>

#include "loopsim/io/emit.hpp"

namespace loopsim::io {

namespace {

void name_list(std::ostream& out, const std::vector<std::string>& names) {
  out << "[";
  for (std::size_t i = 0; i < names.size(); ++i) out << (i ? ", " : "") << names[i];
  out << "]";
}

// The data spaces whose flag is set (empty when none or no flags).
std::vector<std::string> flagged(const Workload& w, const std::vector<bool>& flags) {
  std::vector<std::string> names;
  for (std::size_t ds = 0; ds < flags.size(); ++ds)
    if (flags[ds]) names.push_back(w.data_spaces[ds].name);
  return names;
}

// `modifier`: the no-reuse key of the directive (Timeloop's spelling) and its flags.
void directive(std::ostream& out, const Workload& w, const std::string& target, const char* type,
               const std::vector<Loop>& loops, bool spatial, const char* modifier,
               const std::vector<bool>& flags) {
  // Permutation: the mapped loops innermost first, then the trivial dims.
  std::vector<int> perm;
  std::vector<std::int64_t> factor(static_cast<std::size_t>(w.num_dims()), 1);
  std::vector<std::int64_t> residual = factor;
  std::int64_t split = 0;
  for (Spacetime st : {Spacetime::SpaceX, Spacetime::SpaceY, Spacetime::Time})
    for (const auto& l : loops)
      if (l.spacetime == st) {
        perm.push_back(l.dim);
        factor[static_cast<std::size_t>(l.dim)] = l.end;
        residual[static_cast<std::size_t>(l.dim)] = l.residual_end;
        if (st == Spacetime::SpaceX) ++split;
      }
  for (int d = 0; d < w.num_dims(); ++d)
    if (std::find(perm.begin(), perm.end(), d) == perm.end()) perm.push_back(d);
  out << "- target: " << target << "\n  type: " << type << "\n  factors: \"";
  for (int d = 0; d < w.num_dims(); ++d) {
    out << (d ? " " : "") << w.dims[static_cast<std::size_t>(d)] << "="
        << factor[static_cast<std::size_t>(d)];
    // An imperfect factor in Timeloop's residual syntax: steps of e, the last one of r.
    if (residual[static_cast<std::size_t>(d)] != factor[static_cast<std::size_t>(d)])
      out << "," << residual[static_cast<std::size_t>(d)];
  }
  out << "\"\n  permutation: [";
  for (std::size_t i = 0; i < perm.size(); ++i)
    out << (i ? ", " : "") << w.dims[static_cast<std::size_t>(perm[i])];
  out << "]\n";
  if (spatial) out << "  split: " << split << "\n";
  if (auto names = flagged(w, flags); !names.empty()) {
    out << "  " << modifier << ": ";
    name_list(out, names);
    out << "\n";
  }
}

}  // namespace

void write_map_yaml(std::ostream& out, const EmitContext& c) {
  const auto& w = c.workload;
  out << "# Written by loopsim map. Innermost level first.\nmapping:\n";
  for (int l = 0; l < c.arch.num_storage_levels(); ++l) {
    const auto& lm = c.mapping.levels[static_cast<std::size_t>(l)];
    const std::string& name = c.arch.storage[static_cast<std::size_t>(l)].name;
    std::vector<std::string> keep, bypass;
    for (int ds = 0; ds < w.num_data_spaces(); ++ds)
      (lm.keep[static_cast<std::size_t>(ds)] ? keep : bypass)
          .push_back(w.data_spaces[static_cast<std::size_t>(ds)].name);
    out << "- target: " << name << "\n  type: datatype\n  keep: ";
    name_list(out, keep);
    out << "\n  bypass: ";
    name_list(out, bypass);
    out << "\n";
    directive(out, w, name, "temporal", lm.temporal, false, "no_temporal_reuse",
              lm.no_temporal_reuse);
    if (c.arch.fanout(l) > 1)
      directive(out, w, name, "spatial", lm.spatial, true, "no_multicast_no_reduction",
                lm.no_multicast);
  }
}

}  // namespace loopsim::io
