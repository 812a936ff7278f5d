// `mapper:` settings: Timeloop's keys (hyphens read as underscores) and loopsim's seed,
// time_budget_s, max_evaluations (docs/mapper.md, Settings).
#include <cctype>

#include <iostream>

#include "io_internal.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/mapper/constraints.hpp"

namespace loopsim::io {

namespace {

std::int64_t count_or_none(const Cursor& c) {
  if (c.is_null()) return 0;
  std::int64_t v = c.integer();
  if (v < 0) c.fail("expected a whole number >= 0 (0: no limit)");
  return v;
}


const std::vector<std::string>& mapper_keys() {
  static const std::vector<std::string> k = {
      "version", "optimization_metric", "optimization_metrics", "num_threads", "timeout",
      "heartbeat", "victory_condition", "search_size", "algorithm", "sync_interval",
      "live_status", "diagnostics", "max_permutations_per_if_visit", "log_stats",
      "out_prefix", "log_interval", "log_oaves", "log_oaves_mappings", "log_suboptimal",
      "log_all", "log_mappings_yaml", "log_mappings_verbose", "log_all_mappings",
      "log_orojenesis_mappings", "penalize_consecutive_bypass_fails", "emit_whoop_nest",
      "max_temporal_loops_in_a_mapping", "filter_revisits", "seed", "time_budget_s",
      "max_evaluations"};
  return k;
}

// Timeloop's own spelling of the mapper keys has hyphens (num-threads, victory-condition);
// timeloopfe's has underscores. The same map with every '-' in a key read as '_' (the values
// keep their place in the file); two spellings of one key are an error.
Cursor underscore_keys(const Cursor& m) {
  m.expect_map();
  bool hyphens = false;
  for (const auto& [key, v] : m.entries()) hyphens |= key.find('-') != std::string::npos;
  if (!hyphens) return m;
  YAML::Node out(YAML::NodeType::Map);
  for (const auto& [key, v] : m.entries()) {
    std::string k = key;
    for (auto& ch : k)
      if (ch == '-') ch = '_';
    bool known = false;
    for (const auto& a : mapper_keys()) known |= a == k;
    if (!known)
      m.key(key).fail("unknown key '" + key + "'" + did_you_mean(k, mapper_keys()) +
                      "; expected one of: " + join(mapper_keys()));
    if (out[k]) m.key(key).fail("'" + key + "' repeats '" + k + "' (the same mapper key)");
    out[k] = v.node();
  }
  return Cursor(out, m.file(), m.path(), m.diagnostics());
}

}  // namespace

MapperSettings parse_mapper_settings(const std::optional<Cursor>& given) {
  MapperSettings s;
  if (!given || given->is_empty()) return s;
  std::optional<Cursor> m = underscore_keys(*given);
  m->allow_keys(mapper_keys());
  static const std::vector<std::string> metric_names = {"energy", "delay", "edp",
                                                        "last_level_accesses"};
  for (const char* k : {"optimization_metric", "optimization_metrics"}) {
    auto c = m->optional(k);
    if (!c || c->is_empty()) continue;
    std::vector<Cursor> items = c->is_seq() ? c->items() : std::vector<Cursor>{*c};
    s.metrics.clear();
    for (const auto& it : items) {
      std::string n = it.str();
      if (n == "energy") s.metrics.push_back(Metric::Energy);
      else if (n == "delay") s.metrics.push_back(Metric::Delay);
      else if (n == "edp") s.metrics.push_back(Metric::Edp);
      else if (n == "last_level_accesses") s.metrics.push_back(Metric::LastLevelAccesses);
      else it.fail("unknown optimization metric '" + n + "'" + did_you_mean(n, metric_names) +
                   "; expected one of: " + join(metric_names));
    }
  }
  if (auto c = m->optional("num_threads"); c && !c->is_null()) {
    std::int64_t v = c->integer();
    if (v < 0 || v > 1024) c->fail("expected a number of threads between 0 and 1024");
    s.threads = static_cast<int>(v);
  }
  for (const char* k : {"timeout", "heartbeat", "victory_condition", "search_size",
                        "time_budget_s", "max_evaluations"})
    if (auto c = m->optional(k); c && !c->is_null()) s.stopping_rule_given = true;
  // heartbeat: Timeloop's older name of timeout.
  if (auto c = m->optional_any({"timeout", "heartbeat"})) s.timeout = count_or_none(*c);
  if (auto c = m->optional("victory_condition")) s.victory_condition = count_or_none(*c);
  if (auto c = m->optional("search_size")) s.search_size = count_or_none(*c);
  if (auto c = m->optional("max_evaluations")) s.max_evaluations = count_or_none(*c);
  if (auto c = m->optional("sync_interval")) s.sync_interval = count_or_none(*c);
  if (auto c = m->optional("max_permutations_per_if_visit"); c && !c->is_null())
    s.max_permutations_per_if_visit = c->positive_integer();
  if (auto c = m->optional("algorithm"); c && !c->is_null()) {
    std::string a = c->str();
    for (auto& ch : a)
      if (ch == '-') ch = '_';
    auto alg = algorithm_from_string(a);
    if (!alg)
      c->fail("unknown algorithm '" + c->str() + "'" + did_you_mean(a, algorithm_names()) +
              "; expected one of: " + join(algorithm_names()));
    s.algorithm = *alg;
  }
  if (auto c = m->optional("live_status"); c && !c->is_null()) s.live_status = c->boolean();
  if (auto c = m->optional("diagnostics"); c && !c->is_null()) s.diagnostics = c->boolean();
  if (auto c = m->optional("log_stats"); c && !c->is_null()) s.log_stats = c->boolean();
  if (auto c = m->optional("out_prefix"); c && !c->is_null()) {
    s.out_prefix = c->str();
    if (s.out_prefix.empty() || s.out_prefix.find('/') != std::string::npos)
      c->fail("expected a file-name prefix without '/'");
  }
  if (auto c = m->optional("seed"); c && !c->is_null()) {
    std::int64_t v = c->integer();
    if (v < 0) c->fail("expected a seed >= 0");
    s.seed = static_cast<std::uint64_t>(v);
  }
  if (auto c = m->optional("time_budget_s"); c && !c->is_null()) {
    s.time_budget_s = c->number();
    if (s.time_budget_s < 0) c->fail("expected seconds >= 0 (0: no limit)");
  }
  // Timeloop logging/tuning keys loopsim does not implement: accepted at their defaults only.
  // Timeloop's extra logs and search tunings: accepted; asked for (true), a warning says
  // loopsim does not write or use them.
  for (const char* k : {"log_oaves", "log_oaves_mappings", "log_suboptimal", "log_all",
                        "log_mappings_yaml", "log_mappings_verbose", "log_all_mappings",
                        "log_orojenesis_mappings", "emit_whoop_nest"})
    if (auto c = m->optional(k); c && !c->is_null() && c->boolean())
      c->warn(std::string("'") + k + ": true' asks Timeloop for an extra log; loopsim does not "
              "write it");
  for (const char* k : {"penalize_consecutive_bypass_fails", "filter_revisits"})
    if (auto c = m->optional(k); c && !c->is_null() && c->boolean())
      c->warn(std::string("'") + k + ": true' tunes Timeloop's search; loopsim's searches "
              "do not use it");
  // Timeloop drops mappings with more non-trivial temporal loops than this; loopsim's
  // searches do not apply the limit (a warning: the best mapping may have more loops).
  if (auto c = m->optional("max_temporal_loops_in_a_mapping"); c && !c->is_null() &&
                                                               c->integer() > 0)
    c->warn("max_temporal_loops_in_a_mapping is not applied by loopsim's searches; the best "
            "mapping found may have more temporal loops than " + c->str());
  if (auto c = m->optional("log_interval"); c && !c->is_null()) (void)c->positive_integer();
  return s;
}

MapperInputs load_mapper_inputs(const std::vector<std::string>& files, Diagnostics* diag,
                                const frontend::Options& options, bool dummy_table) {
  MapperInputs out;
  MergedInputs merged = merge_input_files(files, diag, options);
  out.model = load_merged_inputs(merged, files, /*need_mapping=*/false, diag, dummy_table);
  std::vector<NodeConstraint> nodes;
  LazyVariables vars(merged.get("variables"));
  if (auto a = merged.get("architecture")) (void)parse_architecture(*a, &nodes, &vars);
  out.constraints = parse_constraints(merged, nodes, out.model.workload, out.model.arch);
  out.settings = parse_mapper_settings(merged.get("mapper"));
  return out;
}

void warn_on_constraint_errors(const MergedInputs& merged, const ModelInputs& in,
                               Diagnostics* diag) {
  auto arch = merged.get("architecture");
  if (!arch) return;
  try {
    std::vector<NodeConstraint> nodes;
    LazyVariables vars(merged.get("variables"));
    (void)parse_architecture(*arch, &nodes, &vars);
    (void)parse_constraints(merged, nodes, in.workload, in.arch);
    (void)parse_mapper_settings(merged.get("mapper"));
  } catch (const ConfigError& e) {
    std::string msg = e.message() + " (loopsim map rejects this; model does not use constraints)";
    if (diag) diag->warn(e.file(), e.line(), e.key_path(), msg);
    else std::cerr << format_warning(Warning{e.file(), e.line(), e.key_path(), msg}) << "\n";
  }
}

}  // namespace loopsim::io
