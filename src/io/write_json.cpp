// stats.json: every figure of the evaluation, machine-readable.
#include <nlohmann/json.hpp>

#include "loopsim/io/emit.hpp"
#include "write_network_stats.hpp"
#include "loopsim/mapper/search.hpp"

namespace loopsim::io {

namespace {

nlohmann::json stats_json(const EmitContext& c) {
  using nlohmann::json;
  const auto& ev = c.eval;
  const auto& w = c.workload;
  json j;
  j["workload"] = {{"shape", w.shape_name}, {"operations", w.operations()}};
  for (int d = 0; d < w.num_dims(); ++d) j["workload"]["bounds"][w.dims[d]] = w.bounds[d];
  j["summary"] = {{"cycles", ev.cycles},
                  {"energy_pj", ev.energy_pj},
                  {"fj_per_compute", ev.fj_per_compute()},
                  {"utilization", ev.utilization},
                  {"edp_j_cycles", ev.edp()},
                  {"area_um2", ev.area_um2},
                  {"computes", ev.compute.computes}};
  j["arithmetic"] = {{"name", c.arch.arithmetic.name},
                     {"instances", c.arch.arithmetic.instances},
                     {"utilized_instances", ev.compute.utilized_instances},
                     {"computes", ev.compute.computes},
                     {"cycles", ev.compute.cycles},
                     {"energy_pj", ev.compute.energy_pj},
                     {"energy_per_compute_pj", c.energy.compute().compute_pj},
                     {"area_um2", ev.compute.area_um2}};
  json levels = json::array();
  for (int l = 0; l < static_cast<int>(ev.levels.size()); ++l) {
    const auto& st = ev.levels[l];
    const auto& spec = c.arch.storage[l];
    const auto& en = c.energy.storage(l);
    json lv = {{"name", st.name},
               {"index", l},
               {"instances", spec.instances},
               {"mesh_x", spec.mesh_x},
               {"mesh_y", spec.mesh_y},
               {"size_words", spec.size_words ? json(*spec.size_words) : json(nullptr)},
               {"word_bits", spec.word_bits},
               {"block_size", spec.block_size},
               {"cycles", st.cycles},
               {"bandwidth_throttling", st.slowdown},
               {"energy_pj", st.energy_pj},
               {"leakage_pj", st.leakage_pj},
               {"area_um2", st.area_um2},
               {"read_energy_pj", en.read_pj},
               {"write_energy_pj", en.fill_pj},
               {"update_energy_pj", en.update_pj},
               {"leak_energy_pj", en.leak_pj}};
    json loops = json::array();
    for (auto it = st.loops.rbegin(); it != st.loops.rend(); ++it)
      if (!it->trivial()) loops.push_back(describe_loop(*it, w));
    lv["loops"] = loops;
    for (int pv = 0; pv < w.num_data_spaces(); ++pv) {
      const auto& d = st.data_spaces[pv];
      lv["data_spaces"][w.data_spaces[pv].name] = {
          {"keep", d.keep},
          {"partition_size", d.partition_size},
          {"utilized_capacity", d.utilized_capacity},
          {"utilized_instances", d.utilized_instances},
          {"utilized_clusters", d.utilized_clusters},
          {"reads", d.reads},
          {"fills", d.fills},
          {"updates", d.updates},
          {"temporal_reductions", d.temporal_reductions},
          {"address_generations", d.address_generations},
          {"energy_per_instance_pj", d.energy_per_instance_pj},
          {"energy_pj", d.energy_total_pj},
          {"read_bandwidth", d.read_bandwidth},
          {"write_bandwidth", d.write_bandwidth}};
    }
    levels.push_back(lv);
  }
  j["levels"] = levels;
  j["networks"] = networks_json(c);
  json warnings = json::array();
  if (c.warnings)
    for (const auto& wn : *c.warnings)
      warnings.push_back({{"file", wn.file},
                          {"line", wn.line},
                          {"key_path", wn.key_path},
                          {"message", wn.message}});
  j["warnings"] = warnings;
  // Which model produced the figures: Timeloop's (the default) or the accurate one, with the
  // densities its run-length coding used.
  json model = {{"mode", c.model && c.model->accurate() ? "accurate" : "timeloop"}};
  if (c.model && c.model->accurate()) {
    json dens = json::object();
    for (int ds = 0; ds < w.num_data_spaces(); ++ds)
      if (c.model->density[static_cast<std::size_t>(ds)])
        dens[w.data_spaces[static_cast<std::size_t>(ds)].name] =
            *c.model->density[static_cast<std::size_t>(ds)];
    model["densities"] = dens;
    model["rlc_run_bits"] = c.model->rlc_run_bits;
  }
  j["model"] = model;
  return j;
}

}  // namespace

void write_stats_json(std::ostream& out, const EmitContext& c) {
  out << stats_json(c).dump(2) << "\n";
}

void write_mapper_stats_json(std::ostream& out, const EmitContext& c, const SearchStats& s) {
  nlohmann::json j = stats_json(c);
  nlohmann::json rej = {{"capacity", s.rejected[static_cast<std::size_t>(RejectReason::Capacity)] +
                                         s.capacity_prechecked},
                        {"capacity_before_evaluation", s.capacity_prechecked},
                        {"fanout", s.rejected[static_cast<std::size_t>(RejectReason::Fanout)]},
                        {"instances", s.rejected[static_cast<std::size_t>(RejectReason::Instances)]},
                        {"min_utilization",
                         s.rejected[static_cast<std::size_t>(RejectReason::MinUtilization)]},
                        {"mapping", s.rejected[static_cast<std::size_t>(RejectReason::Mapping)]},
                        {"constraint_or_pruned", s.constraint_rejected}};
  j["search"] = {{"algorithm", s.algorithm},
                 {"evaluated", s.evaluated},
                 {"valid", s.valid},
                 {"bound_evaluations", s.bound_evaluated},
                 {"answer_from_incumbent", s.answer_from_incumbent},
                 {"seconds", s.seconds},
                 {"threads", s.threads},
                 {"valid_per_second", s.seconds > 0 ? static_cast<double>(s.valid) / s.seconds : 0.0},
                 {"evaluated_per_second",
                  s.seconds > 0 ? static_cast<double>(s.evaluated) / s.seconds : 0.0},
                 {"proven_optimal", s.proven_optimal},
                 {"interrupted", s.interrupted},
                 {"space_size", s.space_size},
                 {"lower_bound", s.lower_bound >= 0 ? nlohmann::json(s.lower_bound)
                                                    : nlohmann::json(nullptr)},
                 {"gap", s.gap >= 0 ? nlohmann::json(s.gap) : nlohmann::json(nullptr)},
                 {"lower_bound_from", s.lower_bound_from.empty() ? nlohmann::json(nullptr)
                                                                 : nlohmann::json(s.lower_bound_from)},
                 {"rejections", rej}};
  out << j.dump(2) << "\n";
}

}  // namespace loopsim::io
