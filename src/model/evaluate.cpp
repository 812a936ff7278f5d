// Map: precheck() rejects mappings whose spatial factors exceed a level's fan-out;
// evaluate() runs the nest analysis, collapses tiles per level, then applies the buffer
// model (capacity, energy, bandwidth) and the arithmetic model. docs/cost-model.md has the
// equations in the same order.
#include "loopsim/model/evaluate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "loopsim/analysis/residual.hpp"
#include "loopsim/core/error.hpp"

namespace loopsim {

std::string Rejection::describe() const {
  const char* kind = "mapping";
  switch (reason) {
    case RejectReason::Capacity: kind = "capacity"; break;
    case RejectReason::Fanout: kind = "fan-out"; break;
    case RejectReason::Instances: kind = "instances"; break;
    case RejectReason::MinUtilization: kind = "min-utilization"; break;
    case RejectReason::Mapping: kind = "mapping"; break;
  }
  return std::string(kind) + (level_name.empty() ? "" : " at " + level_name) + ": " + detail;
}

bool StorageStats::keeps_anything() const {
  for (const auto& d : data_spaces)
    if (d.keep) return true;
  return false;
}

namespace {

// " (size written at file:line)", for a capacity rejection.
std::string size_written(const StorageLevel& spec) {
  if (spec.size_loc.file.empty()) return "";
  return " (size written at " + spec.size_loc.file + ":" + std::to_string(spec.size_loc.line) +
         (spec.size_loc.key_path.empty() ? "" : ", " + spec.size_loc.key_path) + ")";
}

std::uint64_t product_spatial(const LevelMapping& lm, Spacetime which) {
  std::uint64_t p = 1;
  for (const auto& l : lm.spatial)
    if (l.spacetime == which) p *= static_cast<std::uint64_t>(l.end);
  return p;
}

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

}  // namespace

std::optional<Rejection> precheck(const Workload& workload, const ArchSpec& arch,
                                  const Mapping& mapping) {
  LOOPSIM_CHECK(static_cast<int>(mapping.levels.size()) == arch.num_storage_levels(),
                "mapping has " << mapping.levels.size() << " levels");
  for (int l = 0; l < arch.num_storage_levels(); ++l) {
    const auto& lm = mapping.levels[l];
    auto x = product_spatial(lm, Spacetime::SpaceX);
    auto y = product_spatial(lm, Spacetime::SpaceY);
    auto fx = static_cast<std::uint64_t>(arch.fanout_x(l));
    auto fy = static_cast<std::uint64_t>(arch.fanout_y(l));
    if (x > fx || y > fy) {
      // Timeloop allows folding X onto Y when the total fits only if the split says so;
      // we require each axis to fit.
      return Rejection{l, arch.storage[l].name, RejectReason::Fanout,
                       "spatial factors X=" + std::to_string(x) + " Y=" + std::to_string(y) +
                           " exceed the fan-out " + std::to_string(fx) + "x" +
                           std::to_string(fy) + " to the next-inner level"};
    }
  }
  auto extent = mapped_extent(mapping);
  for (int d = 0; d < workload.num_dims(); ++d)
    if (extent[d] != workload.bounds[d])
      return Rejection{-1, "", RejectReason::Mapping,
                       "factors of " + workload.dims[d] + " cover " + std::to_string(extent[d]) +
                           " iterations, but the bound is " + std::to_string(workload.bounds[d])};
  return std::nullopt;
}

EvalResult evaluate(const Workload& workload, const ArchSpec& arch, const EnergyTable& energy,
                    const Mapping& mapping, Engine engine, const ModelConfig& model) {
  Evaluator evaluator(workload, arch, energy, engine, model);
  return evaluator.evaluate(mapping);
}

Evaluator::Evaluator(const Workload& workload, const ArchSpec& arch, const EnergyTable& energy,
                     Engine engine, const ModelConfig& model)
    : workload_(workload), arch_(arch), energy_(energy),
      engine_(model.accurate() || energy.networks_need_hops() ? Engine::Walk : engine),
      model_(model), closed_form_(workload) {
  // Hop counts come from the walk only (the closed form has no instance geometry), so a
  // network priced per hop or per router walks the nest (docs/cost-model.md §9).
  for (int l = 0; l < arch.num_storage_levels(); ++l) {
    fanout_x_.push_back(arch.fanout_x(l));
    fanout_y_.push_back(arch.fanout_y(l));
  }
}

EvalResult Evaluator::evaluate(const Mapping& mapping) {
  if (const Rejection* r = run(mapping)) return *r;
  return ev_;
}

const Rejection* Evaluator::run(const Mapping& mapping) {
  const Workload& workload = workload_;
  const ArchSpec& arch = arch_;
  const EnergyTable& energy = energy_;
  auto reject = [&](Rejection r) {
    rejection_ = std::move(r);
    return &rejection_;
  };
  if (auto r = precheck(workload, arch, mapping)) return reject(std::move(*r));
  const int nlev = arch.num_storage_levels();
  const int nds = workload.num_data_spaces();

  build_loop_nest(mapping, workload, nest_);
  const bool residual = has_residual(nest_);
  if (residual) {
    if (auto why = residual_problem(nest_, workload))
      return reject(Rejection{-1, "", RejectReason::Mapping, *why});
    utilized_ = utilized_spatial_elems(nest_);
  }
  if (engine_ == Engine::Walk || !closed_form_.run_levels(nest_, fanout_x_, fanout_y_, tiles_, track_link_order_)) {
    analysis_ = analyze_nest(workload, nest_, fanout_x_, fanout_y_, model_.accurate());
    gather_levels(analysis_, nlev, tiles_);
    tiles_.link_order_sensitive.assign(static_cast<std::size_t>(nlev), 1);
  }
  finish_levels(workload, mapping, tiles_);
  const CollapsedNest& tiles = tiles_;
  const LoopNest& nest = nest_;

  Evaluation& ev = ev_;
  ev.levels.resize(static_cast<std::size_t>(nlev));
  // Operations per arithmetic instance (an average over the simulated instances) and in
  // all; with imperfect factors Timeloop counts every residual step as a full one.
  const std::uint64_t computes =
      static_cast<std::uint64_t>(static_cast<Int128>(tiles.compute_accesses) *
                                 static_cast<Int128>(tiles.compute_replication) /
                                 static_cast<Int128>(tiles.compute_samples));
  const std::uint64_t compute_cycles =
      residual ? max_temporal_iterations(nest) : tiles.compute_accesses / tiles.compute_samples;

  // Spatial expansion above each level: product of spatial factors of outer levels.
  auto& above_x = above_x_;
  auto& above_y = above_y_;
  above_x.assign(static_cast<std::size_t>(nlev), 1);
  above_y.assign(static_cast<std::size_t>(nlev), 1);
  utilized_per_level_.assign(static_cast<std::size_t>(nlev), 0);
  for (int l = nlev - 2; l >= 0; --l) {
    above_x[l] = above_x[l + 1] * product_spatial(mapping.levels[l + 1], Spacetime::SpaceX);
    above_y[l] = above_y[l + 1] * product_spatial(mapping.levels[l + 1], Spacetime::SpaceY);
  }

  for (int l = 0; l < nlev; ++l) {
    const StorageLevel& spec = arch.storage[l];
    const StorageEnergy& en = energy.storage(l);
    StorageStats& st = ev.levels[l];
    st.name = spec.name;
    st.data_spaces.resize(static_cast<std::size_t>(nds));
    const DataMovement& first = tiles.data[0][l];
    st.loops.assign(nest.loops.begin() + first.first_loop,
                    nest.loops.begin() + std::max(first.first_loop, first.last_loop + 1));
    // With an imperfect spatial factor above, the instances in use averaged over the outer
    // iterations, rounded down (Timeloop's utilized instances).
    std::uint64_t utilized_instances =
        residual ? utilized_[static_cast<std::size_t>(nest.boundaries[l])].floor()
                 : above_x[l] * above_y[l];
    utilized_per_level_[l] = utilized_instances;
    if (above_x[l] > static_cast<std::uint64_t>(spec.mesh_x) ||
        above_y[l] > static_cast<std::uint64_t>(spec.mesh_y))
      return reject(Rejection{l, spec.name, RejectReason::Instances,
                       "mapped spatial expansion " + std::to_string(above_x[l]) + "x" +
                           std::to_string(above_y[l]) + " exceeds the mesh " +
                           std::to_string(spec.mesh_x) + "x" + std::to_string(spec.mesh_y)});
    std::uint64_t total_capacity = 0;
    for (int pv = 0; pv < nds; ++pv) {
      const DataMovement& dm = tiles.data[pv][l];
      DataSpaceStats& d = st.data_spaces[pv];
      d = DataSpaceStats{};
      d.keep = mapping.levels[l].keep[pv];
      d.partition_size = dm.partition_size;
      d.utilized_capacity = dm.size;
      d.utilized_instances = utilized_instances;
      auto clusters = static_cast<std::uint64_t>(spec.instances / spec.cluster_size);
      d.utilized_clusters = std::min(utilized_instances, clusters);
      d.reads = dm.reads;
      d.fills = dm.fills;
      d.updates = dm.updates;
      d.temporal_reductions = dm.temporal_reductions;
      // The accurate model codes the DRAM link (the outermost level) by run length.
      if (model_.accurate() && l == nlev - 1 && model_.density[pv]) {
        const double density = *model_.density[pv];
        for (std::uint64_t* words : {&d.reads, &d.fills, &d.updates})
          *words = rlc_words(*words, density, spec.word_bits, model_.rlc_run_bits);
      }
      d.address_generations =
          workload.is_read_write(pv) ? d.updates + d.fills : d.reads + d.fills;
      if (d.keep) total_capacity += d.utilized_capacity;
    }
    if (spec.effective_size_words && !spec.allow_overbooking &&
        total_capacity > static_cast<std::uint64_t>(*spec.effective_size_words))
      return reject(Rejection{l, spec.name, RejectReason::Capacity,
                       "mapped tile size " + std::to_string(total_capacity) +
                           " exceeds buffer capacity " +
                           std::to_string(*spec.effective_size_words) + size_written(spec)});
    if (spec.effective_size_words &&
        static_cast<double>(total_capacity) <
            static_cast<double>(*spec.effective_size_words) * spec.min_utilization)
      return reject(Rejection{l, spec.name, RejectReason::MinUtilization,
                       "mapped tile size " + std::to_string(total_capacity) +
                           " is less than the minimum utilization " +
                           std::to_string(static_cast<double>(*spec.effective_size_words) *
                                          spec.min_utilization)});

    // Energy: vector accesses (ceil of scalar / block size) times energy per action; shared
    // among the utilized instances of a cluster.
    const auto block = static_cast<std::uint64_t>(spec.block_size);
    for (int pv = 0; pv < nds; ++pv) {
      DataSpaceStats& d = st.data_spaces[pv];
      if (d.utilized_instances == 0 || !d.keep) continue;
      double cluster_energy = static_cast<double>(ceil_div(d.reads, block)) * en.read_pj +
                              static_cast<double>(ceil_div(d.fills, block)) * en.fill_pj +
                              static_cast<double>(ceil_div(d.updates, block)) * en.update_pj;
      double cluster_utilization =
          static_cast<double>(d.utilized_instances) / static_cast<double>(d.utilized_clusters);
      d.energy_per_instance_pj = cluster_energy / cluster_utilization;
      d.energy_total_pj = d.energy_per_instance_pj * static_cast<double>(d.utilized_instances);
    }

    // Bandwidth: demand at the compute rate, throttled by the level's specified bandwidth.
    double total_read = 0, total_write = 0;
    std::array<double, kMaxDataSpaces> rbw{}, wbw{};
    for (int pv = 0; pv < nds; ++pv) {
      const DataSpaceStats& d = st.data_spaces[pv];
      rbw[pv] = compute_cycles ? static_cast<double>(d.reads) / static_cast<double>(compute_cycles) : 0;
      wbw[pv] = compute_cycles
                    ? static_cast<double>(d.fills + d.updates) / static_cast<double>(compute_cycles)
                    : 0;
      if (!st.data_spaces[pv].keep) rbw[pv] = wbw[pv] = 0;
      total_read += rbw[pv];
      total_write += wbw[pv];
    }
    double slowdown = 1.0;
    if (spec.read_bandwidth && *spec.read_bandwidth < total_read)
      slowdown = std::min(slowdown, *spec.read_bandwidth / total_read);
    if (spec.write_bandwidth && *spec.write_bandwidth < total_write)
      slowdown = std::min(slowdown, *spec.write_bandwidth / total_write);
    if (spec.shared_bandwidth && *spec.shared_bandwidth < total_read + total_write)
      slowdown = std::min(slowdown, *spec.shared_bandwidth / (total_read + total_write));
    st.slowdown = slowdown;
    for (int pv = 0; pv < nds; ++pv) {
      st.data_spaces[pv].read_bandwidth = slowdown * rbw[pv];
      st.data_spaces[pv].write_bandwidth = slowdown * wbw[pv];
    }
    st.cycles = static_cast<std::uint64_t>(std::ceil(static_cast<double>(compute_cycles) / slowdown));
    st.area_um2 = en.area_um2 * static_cast<double>(spec.instances);
  }

  // Arithmetic level.
  ComputeStats& cs = ev.compute;
  cs.utilized_instances = tiles.compute_replication;
  if (cs.utilized_instances > static_cast<std::uint64_t>(arch.arithmetic.instances))
    return reject(Rejection{-1, arch.arithmetic.name, RejectReason::Instances,
                     "mapped " + std::to_string(cs.utilized_instances) +
                         " arithmetic instances, the architecture has " +
                         std::to_string(arch.arithmetic.instances)});
  cs.computes = computes;
  cs.cycles = compute_cycles;
  cs.energy_pj = static_cast<double>(cs.computes) * energy.compute().compute_pj;
  cs.area_um2 = energy.compute().area_um2 * static_cast<double>(arch.arithmetic.instances);

  ev.cycles = cs.cycles;
  for (const auto& st : ev.levels) ev.cycles = std::max(ev.cycles, st.cycles);

  // Leakage over the whole run, on every instance; then totals.
  ev.energy_pj = cs.energy_pj;
  ev.area_um2 = cs.area_um2;
  for (int l = 0; l < nlev; ++l) {
    StorageStats& st = ev.levels[l];
    // Leakage: only the utilized instances leak (the others are power-gated).
    st.leakage_pj = energy.storage(l).leak_pj * static_cast<double>(utilized_per_level_[l]) *
                    static_cast<double>(ev.cycles);
    st.energy_pj = st.leakage_pj;
    for (const auto& d : st.data_spaces) st.energy_pj += d.energy_total_pj;
    ev.energy_pj += st.energy_pj;
    ev.area_um2 += st.area_um2;
  }
  if (energy.networks_priced()) {
    evaluate_networks(workload, arch, energy, tiles, ev);
    for (const auto& n : ev.networks) ev.energy_pj += n.energy_pj;
  } else {
    ev.networks.clear();
  }
  ev.utilization = ev.cycles ? static_cast<double>(cs.computes) /
                                   (static_cast<double>(ev.cycles) *
                                    static_cast<double>(arch.arithmetic.instances))
                             : 0.0;
  return nullptr;
}

}  // namespace loopsim
