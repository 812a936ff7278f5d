// `loopsim_model:` (loopsim's own top-level key; Timeloop's `model:` holds its
// application's options): the evaluation model and the tensor densities of the accurate
// model's DRAM compression (docs/cost-model.md §8, docs/formats.md).
#include "io_internal.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::io {

ModelConfig parse_model_config(const Cursor& c, const Workload& w) {
  ModelConfig out;
  if (c.is_empty()) return out;
  if (!c.is_map()) c.fail("expected a map (mode:, densities:, rlc_run_bits:)");
  c.allow_keys({"mode", "densities", "rlc_run_bits"});
  if (auto m = c.optional("mode")) {
    auto mode = model_mode_from_string(m->str());
    if (!mode)
      m->fail("unknown model '" + m->str() + "'" +
              did_you_mean(m->str(), {"timeloop", "accurate"}) + "; expected timeloop or accurate");
    out.mode = *mode;
  }
  if (auto b = c.optional("rlc_run_bits")) {
    std::int64_t bits = b->positive_integer();
    if (bits > 16)
      b->fail("rlc_run_bits " + std::to_string(bits) + " is out of range; expected 1 to 16");
    out.rlc_run_bits = static_cast<int>(bits);
  }
  if (auto d = c.optional("densities"); d && !d->is_empty()) {
    if (!d->is_map()) d->fail("expected a map of data space name to density, e.g. {Inputs: 0.6}");
    out.densities_file = d->file();
    out.densities_line = d->line();
    std::vector<std::string> names;
    for (const auto& ds : w.data_spaces) names.push_back(ds.name);
    for (const auto& [name, v] : d->entries()) {
      int pv = -1;
      for (int i = 0; i < static_cast<int>(names.size()); ++i)
        if (names[i] == name) pv = i;
      if (pv < 0)
        d->key(name).fail("'" + name + "' is not a data space of the workload" +
                          did_you_mean(name, names) + "; expected one of: " + join(names));
      double x = v.number();
      if (!(x > 0.0 && x <= 1.0))
        v.fail("density " + v.str() +
               " is out of range; expected a fraction of nonzero words in (0, 1]");
      out.density[pv] = x;
    }
  }
  return out;
}

}  // namespace loopsim::io
