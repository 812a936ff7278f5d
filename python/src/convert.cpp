#include "convert.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

namespace py = pybind11;

namespace loopsim::python {

py::list warnings_to_list(const std::vector<Warning>& warnings) {
  py::list out;
  for (const auto& w : warnings) {
    py::dict d;
    d["file"] = w.file;
    d["line"] = w.line;
    d["key_path"] = w.key_path;
    d["message"] = w.message;
    d["text"] = format_warning(w);
    out.append(d);
  }
  return out;
}

py::dict rejection_to_dict(const Rejection& r) {
  static const char* kReasons[] = {"capacity", "fan-out", "instances", "min-utilization",
                                   "mapping"};
  py::dict d;
  d["level"] = r.level;
  d["level_name"] = r.level_name;
  d["reason"] = kReasons[static_cast<int>(r.reason)];
  d["detail"] = r.detail;
  d["message"] = r.describe();
  return d;
}

namespace {
template <class F>
std::string emit(F&& f) {
  std::ostringstream os;
  f(os);
  return os.str();
}
}  // namespace

py::dict outputs_to_dict(const io::EmitContext& ctx, const SearchStats* search) {
  py::dict d;
  d["stats_json"] = emit([&](std::ostream& os) {
    if (search)
      io::write_mapper_stats_json(os, ctx, *search);
    else
      io::write_stats_json(os, ctx);
  });
  d["stats_txt"] = emit([&](std::ostream& os) { io::write_stats_txt(os, ctx); });
  d["map_txt"] = emit([&](std::ostream& os) { io::write_map_txt(os, ctx); });
  d["map_yaml"] = emit([&](std::ostream& os) { io::write_map_yaml(os, ctx); });
  d["summary"] = emit([&](std::ostream& os) { io::write_summary(os, ctx); });
  d["warnings"] = ctx.warnings ? warnings_to_list(*ctx.warnings) : py::list();
  return d;
}

std::string describe_inputs_json(const io::ModelInputs& in) {
  using nlohmann::json;
  const Workload& w = in.workload;
  json j;
  j["workload"]["shape"] = w.shape_name;
  j["workload"]["dims"] = w.dims;
  for (int d = 0; d < w.num_dims(); ++d) j["workload"]["bounds"][w.dims[d]] = w.bounds[d];
  json ds = json::array();
  for (const auto& s : w.data_spaces)
    ds.push_back({{"name", s.name}, {"read_write", s.read_write}});
  j["workload"]["data_spaces"] = ds;
  j["workload"]["operations"] = w.operations();
  json levels = json::array();
  for (int l = 0; l < in.arch.num_storage_levels(); ++l) {
    const auto& s = in.arch.storage[l];
    levels.push_back({{"name", s.name},
                      {"class", s.cls},
                      {"instances", s.instances},
                      {"mesh_x", s.mesh_x},
                      {"mesh_y", s.mesh_y},
                      {"fanout_x", in.arch.fanout_x(l)},
                      {"fanout_y", in.arch.fanout_y(l)},
                      {"size_words", s.size_words ? json(*s.size_words) : json(nullptr)},
                      {"word_bits", s.word_bits}});
  }
  j["levels"] = levels;
  j["arithmetic"] = {{"name", in.arch.arithmetic.name},
                     {"instances", in.arch.arithmetic.instances},
                     {"mesh_x", in.arch.arithmetic.mesh_x},
                     {"mesh_y", in.arch.arithmetic.mesh_y}};
  j["has_mapping"] = in.mapping.has_value();
  j["files"] = in.files;
  return j.dump();
}

}  // namespace loopsim::python
