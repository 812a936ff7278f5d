// map.txt: the loop nest, outermost level first, with each level's kept tiles.
#include "loopsim/io/emit.hpp"

namespace loopsim::io {

void write_map_txt(std::ostream& out, const EmitContext& c) {
  const auto& w = c.workload;
  int depth = 0;
  for (int l = c.arch.num_storage_levels() - 1; l >= 0; --l) {
    const auto& st = c.eval.levels[l];
    std::string header = st.name + " [ ";
    for (int pv = 0; pv < w.num_data_spaces(); ++pv) {
      const auto& d = st.data_spaces[pv];
      if (!d.keep) continue;
      header += w.data_spaces[pv].name + ":" + std::to_string(d.utilized_capacity) + " (" +
                std::to_string(d.utilized_capacity) + ") ";
    }
    header += "] ";
    out << header << "\n";
    const auto& lm = c.mapping.levels[l];
    std::vector<Loop> loops;
    for (auto it = lm.temporal.rbegin(); it != lm.temporal.rend(); ++it) loops.push_back(*it);
    for (auto it = lm.spatial.rbegin(); it != lm.spatial.rend(); ++it) loops.push_back(*it);
    if (loops.empty() && l > 0) continue;
    out << std::string(header.size() - 1, '-') << "\n";
    for (const auto& loop : loops) {
      out << "|" << std::string(static_cast<std::size_t>(2 * depth + 1), ' ')
          << describe_loop(loop, w) << "\n";
      ++depth;
    }
    if (l > 0) out << "\n";
  }
  out << "|" << std::string(static_cast<std::size_t>(2 * depth + 1), ' ') << "<< Compute >>\n";
}

}  // namespace loopsim::io
