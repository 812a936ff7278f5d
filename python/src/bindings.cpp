// loopsim._core: the library as the CLI drives it (apps/loopsim/{model,map,energy}.cpp), for
// the pure-Python package around it (python/loopsim/). Inputs are file lists (the package
// writes YAML strings and dicts to files first); outputs are the CLI's own emitters' text
// (stats.json, stats.txt, map.txt, map.yaml), so Python and the CLI give the same figures.
// ConfigError becomes loopsim.ConfigError; long calls release the GIL; map() polls Python's
// signal handlers (Ctrl-C) from its progress hook, on the calling thread, and stops the search.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <memory>
#include <sstream>

#include "cli.hpp"
#include "convert.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/io/accounting.hpp"
#include "loopsim/io/energy.hpp"
#include "loopsim/mapper/feasibility.hpp"
#include "loopsim/network/network.hpp"

namespace py = pybind11;

namespace loopsim::python {

namespace {

using Vars = std::vector<std::pair<std::string, std::string>>;

frontend::Options front(const Vars& vars) {
  frontend::Options o;
  o.vars = vars;
  return o;
}

py::dict run_evaluate(const std::vector<std::string>& files, bool strict, const Vars& vars,
                      const std::string& engine, const std::string& model, bool dummy_table) {
  Diagnostics diag(strict);
  std::unique_ptr<io::ModelInputs> in;
  std::unique_ptr<EnergyTable> table;
  EvalResult r;
  {
    py::gil_scoped_release release;
    in = std::make_unique<io::ModelInputs>(
        io::load_inputs(files, /*need_mapping=*/true, &diag, front(vars), dummy_table));
    ModelConfig mc = cli::resolve_model(in->model, model, diag);
    table = std::make_unique<EnergyTable>(EnergyTable::resolve(in->arch, in->energy));
    r = evaluate(in->workload, in->arch, *table, *in->mapping,
                 engine == "walk" ? Engine::Walk : Engine::Auto, mc);
  }
  if (auto* rej = std::get_if<Rejection>(&r)) {
    py::dict d;
    d["rejection"] = rejection_to_dict(*rej);
    d["warnings"] = warnings_to_list(diag.warnings());
    return d;
  }
  io::EmitContext ctx{in->workload,    in->arch, *table, *in->mapping, std::get<Evaluation>(r),
                      &diag.warnings()};
  return outputs_to_dict(ctx, nullptr);
}

struct MapArgs {
  std::string algorithm, dataflow, model;
  int threads = -1;
  double time_budget = -1;
  std::int64_t max_evaluations = -1;
  std::int64_t seed = -1;
  double default_budget = 60;  // as `loopsim map` with no stopping rule
};

py::dict run_map(const std::vector<std::string>& files, bool strict, const Vars& vars,
                 bool dummy_table, const MapArgs& a, const py::object& progress) {
  Diagnostics diag(strict);
  std::unique_ptr<io::MapperInputs> in;
  std::unique_ptr<EnergyTable> table;
  MapperSettings s;
  {
    py::gil_scoped_release release;
    in = std::make_unique<io::MapperInputs>(
        io::load_mapper_inputs(files, &diag, front(vars), dummy_table));
    s = in->settings;
    s.model = cli::resolve_model(in->model.model, a.model, diag);
    if (!a.algorithm.empty()) {
      auto alg = algorithm_from_string(a.algorithm);
      if (!alg)
        throw ConfigError(
            "algorithm", 0, "algorithm",
            "unknown algorithm '" + a.algorithm + "'; expected one of: " + join(algorithm_names()));
      s.algorithm = *alg;
    }
    if (a.threads >= 0) s.threads = a.threads;
    cli::apply_stopping_flags(s, a.time_budget, a.max_evaluations);
    if (a.seed >= 0) s.seed = static_cast<std::uint64_t>(a.seed);
    if (!a.dataflow.empty())
      io::apply_dataflow_file(cli::dataflow_path(a.dataflow), in->model.workload, in->model.arch,
                              in->constraints);
    if (auto bad = find_infeasibility(in->model.workload, in->model.arch, in->constraints))
      throw ConfigError(bad->where.file, bad->where.line, bad->where.key_path, bad->message);
    table = std::make_unique<EnergyTable>(EnergyTable::resolve(in->model.arch, in->model.energy));
    if (a.time_budget < 0 && a.max_evaluations < 0 && !s.stopping_rule_given)
      s.time_budget_s = a.default_budget;
    s.live_status = false;
  }
  std::atomic<bool> stop{false};
  // The first Python error raised in the hook (KeyboardInterrupt from a signal handler, or
  // the user's callback's own exception): it stops the search and is raised afterwards.
  std::unique_ptr<py::error_already_set> error;
  auto hook = [&](const Progress& p) {
    py::gil_scoped_acquire gil;
    if (error) return;
    if (PyErr_CheckSignals() != 0) {
      error = std::make_unique<py::error_already_set>();
      stop.store(true);
      return;
    }
    if (progress.is_none()) return;
    try {
      py::dict d;
      d["evaluated"] = p.evaluated;
      d["valid"] = p.valid;
      d["best_metric"] = p.valid > 0 ? py::object(py::float_(p.best_metric)) : py::none();
      d["seconds"] = p.seconds;
      d["fraction_done"] =
          p.fraction_done >= 0 ? py::object(py::float_(p.fraction_done)) : py::none();
      py::object ret = progress(d);
      if (py::isinstance<py::bool_>(ret) && !ret.cast<bool>()) stop.store(true);
    } catch (py::error_already_set& e) {
      error = std::make_unique<py::error_already_set>(std::move(e));
      stop.store(true);
    }
  };
  SearchResult r;
  {
    py::gil_scoped_release release;
    r = search_mappings(in->model.workload, in->model.arch, *table, in->constraints, s, &stop,
                        hook);
  }
  if (error) throw std::move(*error);
  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  const auto& st = r.stats;
  if (!r.best) {
    py::dict d;
    d["no_mapping"] = st.empty_reason.empty() ? std::string("no valid mapping found")
                                              : "no valid mapping found: " + st.empty_reason;
    d["interrupted"] = st.interrupted;
    d["evaluated"] = st.evaluated;
    d["warnings"] = warnings_to_list(diag.warnings());
    return d;
  }
  io::EmitContext ctx{in->model.workload, in->model.arch, *table, *r.best, *r.eval,
                      &diag.warnings()};
  py::dict d = outputs_to_dict(ctx, &st);
  d["stopped"] = st.interrupted;
  return d;
}

py::list run_estimate_energy(const std::vector<std::string>& files, bool strict, const Vars& vars,
                             const std::string& out_dir) {
  Diagnostics diag(strict);
  {
    py::gil_scoped_release release;
    io::write_energy_tables(files, out_dir, &diag, front(vars));
  }
  return warnings_to_list(diag.warnings());
}

std::string run_energy_query(const std::vector<std::string>& files,
                             const std::vector<std::string>& args, const Vars& vars) {
  std::ostringstream os;
  io::energy_query(files, args, os, front(vars));
  return os.str();
}

std::string run_describe(const std::vector<std::string>& files, bool strict, const Vars& vars,
                         bool need_mapping) {
  Diagnostics diag(strict);
  io::ModelInputs in = io::load_inputs(files, need_mapping, &diag, front(vars));
  return describe_inputs_json(in);
}

py::dict run_load_network(const std::string& path, const std::string& scratch_dir) {
  Diagnostics diag(false);
  network::Network net = network::load_network(path, scratch_dir, &diag);
  py::dict d;
  d["name"] = net.name;
  d["source"] = net.source;
  d["total_macs"] = net.total_macs();
  d["stated_macs"] = net.stated_macs;
  py::list layers;
  for (int i : net.order) {
    const auto& l = net.layers[i];
    py::dict ld;
    ld["name"] = l.name;
    ld["op"] = l.op;
    ld["problem_file"] = l.problem_file;
    ld["repeat"] = l.repeat;
    ld["macs"] = l.macs();
    ld["key"] = l.is_problem() ? network::workload_key(l.workload) : std::string();
    ld["shape"] = l.is_problem() ? network::workload_summary(l.workload) : std::string();
    ld["output"] = l.output;
    layers.append(ld);
  }
  d["layers"] = layers;
  d["warnings"] = warnings_to_list(diag.warnings());
  return d;
}

py::dict run_account(const std::string& training_file, double macs, std::optional<double> energy_pj,
                     std::optional<double> cycles, double batch, const std::string& source) {
  Diagnostics diag(false);
  network::TrainingSpec spec = io::load_training_file(training_file, &diag);
  network::InferenceFigures f;
  f.macs = macs;
  f.energy_pj = energy_pj;
  f.cycles = cycles;
  f.batch = batch;
  f.source = source;
  network::AccountingReport rep = network::account(spec, f);
  std::ostringstream js, txt;
  io::write_accounting_json(js, rep);
  network::print_accounting(txt, rep);
  py::dict d;
  d["json"] = js.str();
  d["text"] = txt.str();
  d["warnings"] = warnings_to_list(diag.warnings());
  return d;
}

// ConfigError -> loopsim.ConfigError(file, line, key_path, message) (python/loopsim/_errors.py).
void translate_errors(std::exception_ptr p) {
  try {
    if (p) std::rethrow_exception(p);
  } catch (const ConfigError& e) {
    py::object cls = py::module_::import("loopsim._errors").attr("ConfigError");
    py::object inst = cls(e.file(), e.line(), e.key_path(), e.message());
    PyErr_SetObject(cls.ptr(), inst.ptr());
  } catch (const InternalError& e) {
    PyErr_SetString(
        PyExc_RuntimeError,
        (std::string("loopsim internal error: ") + e.what() + " (please report this)").c_str());
  }
}

}  // namespace

void add_subcommands(py::module_& m);  // subcommands.cpp

}  // namespace loopsim::python

using namespace loopsim::python;

PYBIND11_MODULE(_core, m) {
  m.doc() = "loopsim's library (use the loopsim package, not this module)";
  py::register_exception_translator(&translate_errors);
  m.def("evaluate", &run_evaluate, py::arg("files"), py::arg("strict"), py::arg("vars"),
        py::arg("engine"), py::arg("model"), py::arg("dummy_table"));
  m.def(
      "map",
      [](const std::vector<std::string>& files, bool strict, const Vars& vars, bool dummy_table,
         const std::string& algorithm, int threads, double time_budget,
         std::int64_t max_evaluations, std::int64_t seed, const std::string& dataflow,
         const std::string& model, double default_budget, const py::object& progress) {
        loopsim::python::MapArgs a{algorithm,   dataflow,        model, threads,
                                   time_budget, max_evaluations, seed,  default_budget};
        return run_map(files, strict, vars, dummy_table, a, progress);
      },
      py::arg("files"), py::arg("strict"), py::arg("vars"), py::arg("dummy_table"),
      py::arg("algorithm"), py::arg("threads"), py::arg("time_budget"), py::arg("max_evaluations"),
      py::arg("seed"), py::arg("dataflow"), py::arg("model"), py::arg("default_budget"),
      py::arg("progress"));
  m.def("estimate_energy", &run_estimate_energy, py::arg("files"), py::arg("strict"),
        py::arg("vars"), py::arg("out_dir"));
  m.def("energy_query", &run_energy_query, py::arg("files"), py::arg("args"), py::arg("vars"));
  m.def("describe", &run_describe, py::arg("files"), py::arg("strict"), py::arg("vars"),
        py::arg("need_mapping"));
  m.def("load_network", &run_load_network, py::arg("path"), py::arg("scratch_dir"));
  m.def("account", &run_account, py::arg("training_file"), py::arg("macs"), py::arg("energy_pj"),
        py::arg("cycles"), py::arg("batch"), py::arg("source"));
  add_subcommands(m);
  m.attr("source_dir") = LOOPSIM_SOURCE_DIR;
  m.attr("dataflow_dir") = LOOPSIM_DATAFLOW_DIR;
}
