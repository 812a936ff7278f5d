// Network YAML -> checked DAG of layers (docs/network.md). Boost.Graph is used only here.
#include "loopsim/network/network.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "loopsim/core/error.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/io/load.hpp"

namespace loopsim::network {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kOps = {"maxpool", "avgpool",     "add",     "concat",
                                       "flatten", "elementwise", "reshape", "slice"};

struct Reader {
  std::string file;
  // The network's `variables:` (with the command line's overrides): integers may be written
  // as expressions over them.
  std::map<std::string, double> vars;
  // The value of `text` as an expression over the variables; fails at `n` unless integral.
  std::int64_t expression(const YAML::Node& n, const std::string& key,
                          const std::string& text) const {
    double v = 0;
    try {
      v = evaluate_expression(text, [&](const std::string& name) -> std::optional<double> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
      });
    } catch (const ExprError& e) {
      std::vector<std::string> names;
      for (const auto& [k, x] : vars) names.push_back(k);
      fail(n, key,
           "expected an integer or an expression over the network's variables (" +
               (names.empty() ? std::string("none") : join(names)) + "), got '" + text +
               "': " + e.what());
    }
    if (v != static_cast<double>(static_cast<std::int64_t>(v)) || std::abs(v) > 9.0e15)
      fail(n, key, "'" + text + "' is " + std::to_string(v) + ", not an integer");
    return static_cast<std::int64_t>(v);
  }
  [[noreturn]] void fail(const YAML::Node& n, const std::string& key, const std::string& msg) const {
    throw ConfigError(file, n ? n.Mark().line + 1 : 0, key, msg);
  }
  std::int64_t integer(const YAML::Node& n, const std::string& key, std::int64_t min) const {
    std::int64_t v = 0;
    try {
      if (!n.IsScalar()) fail(n, key, "expected an integer");
      std::size_t used = 0;
      const std::string s = n.Scalar();
      bool plain = !s.empty() && s.find_first_not_of("+-0123456789") == std::string::npos;
      if (plain) v = std::stoll(s, &used);
      if (!plain || used != s.size()) v = expression(n, key, s);
    } catch (const std::logic_error&) {
      fail(n, key, "expected an integer, got '" + (n.IsScalar() ? n.Scalar() : "") + "'");
    }
    if (v < min) fail(n, key, "must be at least " + std::to_string(min));
    return v;
  }
  std::string str(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar() || n.Scalar().empty()) fail(n, key, "expected a non-empty string");
    return n.Scalar();
  }
  void allow(const YAML::Node& n, const std::string& key, const std::vector<std::string>& ok) const {
    for (const auto& kv : n) {
      std::string k = kv.first.Scalar();
      if (std::find(ok.begin(), ok.end(), k) == ok.end())
        throw ConfigError(file, kv.first.Mark().line + 1, key + "." + k,
                          "unknown key" + did_you_mean(k, ok) + "; expected one of: " + join(ok));
    }
  }
};

std::int64_t bound(const Workload& w, const char* d) {
  int i = w.dim_index(d);
  return i < 0 ? 1 : w.bounds[i];
}
std::int64_t coeff(const Workload& w, const char* c) { return w.coefficient(w.coeff_index(c)); }
bool conv_like(const Workload& w) {
  return w.dim_index("C") >= 0 && w.dim_index("M") >= 0 && w.dim_index("P") >= 0 &&
         w.dim_index("Q") >= 0 && w.data_space_index("Inputs") >= 0;
}
std::int64_t elements(const TensorShape& s) {
  std::int64_t n = 1;
  for (auto v : s) n *= v;
  return n;
}
// Input extent a window/stride/pad needs for `out` outputs: any size in [lo, lo + stride - 1]
// gives `out` (floor((H + 2 pad - window) / stride) + 1).
bool extent_fits(std::int64_t h, std::int64_t out, std::int64_t window, std::int64_t stride,
                 std::int64_t pad) {
  std::int64_t lo = (out - 1) * stride + window - 2 * pad;
  return h >= lo && h <= lo + stride - 1;
}

}  // namespace

std::string to_string(const TensorShape& s) {
  std::string r;
  for (std::size_t i = 0; i < s.size(); ++i) r += (i ? "x" : "") + std::to_string(s[i]);
  return r;
}

std::int64_t Layer::macs() const { return is_problem() ? workload.operations() * repeat : 0; }

std::int64_t Network::total_macs() const {
  std::int64_t t = 0;
  for (const auto& l : layers) t += l.macs();
  return t;
}

std::string workload_key(const Workload& w) {
  std::ostringstream os;
  os << w.shape_name << "|";
  for (int d = 0; d < w.num_dims(); ++d) os << w.dims[d] << "=" << w.bounds[d] << ",";
  os << "|";
  for (std::size_t c = 0; c < w.coeff_names.size(); ++c)
    os << w.coeff_names[c] << "=" << w.coeff_values[c] << ",";
  for (const auto& ds : w.data_spaces) {
    os << "|" << ds.name << (ds.read_write ? "*" : "") << ":";
    for (const auto& rank : ds.projection) {
      os << "[";
      for (const auto& t : rank) os << t.dim << "." << t.coeff << "+";
      os << "]";
    }
  }
  return os.str();
}

std::string workload_summary(const Workload& w) {
  std::string r;
  for (int d = 0; d < w.num_dims(); ++d)
    r += (d ? " " : "") + w.dims[d] + "=" + std::to_string(w.bounds[d]);
  for (const char* c : {"Wstride", "Hstride"})
    if (coeff(w, c) != 1) r += std::string(" ") + c + "=" + std::to_string(coeff(w, c));
  return r;
}

namespace {

Layer read_layer(const Reader& rd, const YAML::Node& n, const std::string& key,
                 const fs::path& base, const fs::path& scratch) {
  if (!n.IsMap()) rd.fail(n, key, "expected a map with name, problem or op, inputs");
  rd.allow(n, key,
           {"name", "problem", "op", "inputs", "pad", "size", "stride", "repeat", "into", "axis",
            "shape"});
  Layer l;
  l.line = n.Mark().line + 1;
  if (!n["name"]) rd.fail(n, key, "a layer needs a name");
  l.name = rd.str(n["name"], key + ".name");
  if (n["problem"] && n["op"]) rd.fail(n["op"], key + ".op", "a layer has a problem or an op, not both");
  if (n["problem"]) {
    YAML::Node p = n["problem"];
    if (p.IsScalar()) {
      fs::path f = base / p.Scalar();
      if (!fs::exists(f)) rd.fail(p, key + ".problem", "no such file: " + f.string());
      l.problem_file = f.lexically_normal().string();
    } else if (p.IsMap()) {
      fs::create_directories(scratch);
      fs::path f = scratch / (l.name + ".problem.yaml");
      YAML::Node doc;
      doc["problem"] = YAML::Clone(p);
      // Instance values written as expressions over the network's variables: their values.
      if (YAML::Node inst = doc["problem"]["instance"]; inst && inst.IsMap() && !rd.vars.empty())
        for (auto kv : inst) {
          YAML::Node orig = p["instance"][kv.first.Scalar()];
          if (kv.second.IsScalar() && !parse_number(kv.second.Scalar()))
            kv.second = rd.integer(orig, key + ".problem.instance." + kv.first.Scalar(), 0);
        }
      std::ofstream(f) << "# inline problem of layer " << l.name << " (" << rd.file << ":"
                       << p.Mark().line + 1 << ")\n" << YAML::Dump(doc) << "\n";
      l.problem_file = f.string();
    } else {
      rd.fail(p, key + ".problem", "expected a problem file path or an inline problem map");
    }
    l.workload = io::load_workload_file(l.problem_file);
  } else if (n["op"]) {
    l.op = rd.str(n["op"], key + ".op");
    if (std::find(kOps.begin(), kOps.end(), l.op) == kOps.end())
      rd.fail(n["op"], key + ".op",
              "unknown op '" + l.op + "'" + did_you_mean(l.op, kOps) + "; expected one of: " + join(kOps));
  } else {
    rd.fail(n, key, "layer '" + l.name + "' needs a problem (file or inline) or an op");
  }
  if (n["into"]) {
    if (!l.is_problem()) rd.fail(n["into"], key + ".into", "only a problem layer has data spaces");
    l.into = rd.str(n["into"], key + ".into");
    int d = l.workload.data_space_index(l.into);
    if (d < 0 || l.workload.is_read_write(d)) {
      std::vector<std::string> ro;
      for (const auto& ds : l.workload.data_spaces)
        if (!ds.read_write) ro.push_back(ds.name);
      rd.fail(n["into"], key + ".into", "no read-only data space '" + l.into + "'" +
                                            did_you_mean(l.into, ro) + "; the problem's: " + join(ro));
    }
  }
  if (n["pad"]) l.pad = rd.integer(n["pad"], key + ".pad", 0);
  if (n["size"]) l.size = rd.integer(n["size"], key + ".size", 1);
  if (n["stride"]) l.stride = rd.integer(n["stride"], key + ".stride", 1);
  if (n["repeat"]) l.repeat = rd.integer(n["repeat"], key + ".repeat", 1);
  if (n["axis"]) {
    if (l.op != "concat") rd.fail(n["axis"], key + ".axis", "only a concat layer has an axis");
    l.axis = rd.integer(n["axis"], key + ".axis", 0);
  }
  const bool reshaping = l.op == "reshape" || l.op == "slice";
  if (n["shape"]) {
    if (!reshaping || !n["shape"].IsSequence() || n["shape"].size() == 0)
      rd.fail(
          n["shape"], key + ".shape",
          reshaping ? "expected a list of extents" : "only reshape and slice layers have a shape");
    for (std::size_t i = 0; i < n["shape"].size(); ++i)
      l.target.push_back(rd.integer(n["shape"][i], key + ".shape[" + std::to_string(i) + "]", 1));
  } else if (reshaping) {
    rd.fail(n, key, "a " + l.op + " layer needs `shape:` (the output's extents)");
  }
  YAML::Node in = n["inputs"];
  if (!in || !in.IsSequence() || in.size() == 0)
    rd.fail(in ? in : n, key + ".inputs", "a layer needs a list of input tensors (layer or network input names)");
  for (std::size_t i = 0; i < in.size(); ++i) {
    std::string k = key + ".inputs[" + std::to_string(i) + "]";
    LayerInput li;
    li.line = in[i].Mark().line + 1;
    if (in[i].IsMap()) {  // {name: T, into: D}
      rd.allow(in[i], k, {"name", "into"});
      if (!in[i]["name"] || !in[i]["into"])
        rd.fail(in[i], k, "expected {name: TENSOR, into: DATA_SPACE}");
      li.tensor = rd.str(in[i]["name"], k + ".name");
      li.into = rd.str(in[i]["into"], k + ".into");
      if (!l.is_problem())
        rd.fail(in[i]["into"], k + ".into", "only a problem layer has data spaces");
      int d = l.workload.data_space_index(li.into);
      if (d < 0 || l.workload.is_read_write(d)) {
        std::vector<std::string> ro;
        for (const auto& ds : l.workload.data_spaces)
          if (!ds.read_write) ro.push_back(ds.name);
        rd.fail(in[i]["into"], k + ".into",
                "no read-only data space '" + li.into + "'" + did_you_mean(li.into, ro) +
                    "; the problem's: " + join(ro));
      }
    } else {
      li.tensor = rd.str(in[i], k);
    }
    l.inputs.push_back(li);
  }
  if (std::none_of(l.inputs.begin(), l.inputs.end(),
                   [](const LayerInput& x) { return x.into.empty(); }))
    rd.fail(in, key + ".inputs", "a layer needs a main input (a tensor name without `into:`)");
  return l;
}

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

struct CycleFinder : boost::default_dfs_visitor {
  std::pair<int, int>* back;
  explicit CycleFinder(std::pair<int, int>* b) : back(b) {}
  void back_edge(Graph::edge_descriptor e, const Graph& g) const {
    if (back->first < 0)
      *back = {static_cast<int>(boost::source(e, g)), static_cast<int>(boost::target(e, g))};
  }
};

// The output shape of layer `l` given its inputs' shapes; a mismatch is a ConfigError at the
// input's line.
// `in`: the shapes of the main inputs (those without `into:`), `pos`: their indices in
// l.inputs (for the messages).
TensorShape infer_main(const Reader& rd, const Layer& l, const std::vector<TensorShape>& in,
                       const std::vector<std::size_t>& pos, const std::string& key);

// Checks the inputs fed `into:` a data space (element counts), then infers the output from
// the main inputs; sets the layer's operation count.
TensorShape infer(const Reader& rd, Layer& l, const std::vector<TensorShape>& all,
                  const std::string& key) {
  std::vector<TensorShape> in;
  std::vector<std::size_t> pos;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const LayerInput& li = l.inputs[i];
    if (li.into.empty()) {
      in.push_back(all[i]);
      pos.push_back(i);
      continue;
    }
    int d = l.workload.data_space_index(li.into);
    if (elements(all[i]) != l.workload.tensor_size(d))
      throw ConfigError(rd.file, li.line, key + ".inputs[" + std::to_string(i) + "].into",
                        "shape mismatch on the edge into '" + l.name + "': tensor '" + li.tensor +
                            "' (" + to_string(all[i]) + ") has " +
                            std::to_string(elements(all[i])) + " elements, but its data space '" +
                            li.into + "' has " + std::to_string(l.workload.tensor_size(d)));
  }
  TensorShape out = infer_main(rd, l, in, pos, key);
  if (l.op == "elementwise" || l.op == "add")
    l.op_count =
        elements(out) * std::max<std::int64_t>(1, static_cast<std::int64_t>(in.size()) - 1);
  else if (l.op == "maxpool" || l.op == "avgpool")
    l.op_count = elements(out) * l.size * l.size;
  l.op_count *= l.repeat;
  return out;
}

TensorShape infer_main(const Reader& rd, const Layer& l, const std::vector<TensorShape>& in,
                       const std::vector<std::size_t>& pos, const std::string& key) {
  auto fail_at = [&](std::size_t i, const std::string& msg) -> void {
    throw ConfigError(rd.file, l.inputs[pos[i]].line,
                      key + ".inputs[" + std::to_string(pos[i]) + "]", msg);
  };
  auto desc = [&](std::size_t i) {
    return "tensor '" + l.inputs[pos[i]].tensor + "' (" + to_string(in[i]) + ")";
  };
  if (l.op == "reshape" || l.op == "slice") {
    if (in.size() != 1) fail_at(1, "a " + l.op + " layer has one input");
    bool ok =
        l.op == "reshape" ? elements(l.target) == elements(in[0]) : l.target.size() == in[0].size();
    for (std::size_t k = 0; ok && l.op == "slice" && k < l.target.size(); ++k)
      ok = l.target[k] <= in[0][k];
    if (!ok)
      fail_at(0, "shape mismatch: " + l.op + " '" + l.name + "' to " + to_string(l.target) + " " +
                     (l.op == "reshape" ? "needs the same number of elements as "
                                        : "needs no extent larger than and as many as ") +
                     desc(0));
    return l.target;
  }
  if (l.op == "add" || l.op == "elementwise") {
    for (std::size_t i = 1; i < in.size(); ++i)
      if (in[i] != in[0])
        fail_at(i, "shape mismatch: " + l.op + " '" + l.name + "' needs equal shapes, but " +
                       desc(i) + " differs from " + desc(0));
    return in[0];
  }
  // Concatenation along the channels (a problem layer with several inputs concatenates too).
  TensorShape cat = in[0];
  const std::size_t axis = cat.size() == 1 ? 0 : static_cast<std::size_t>(l.axis);
  if (axis >= cat.size())
    fail_at(0, "concat axis " + std::to_string(axis) + " is beyond " + desc(0));
  for (std::size_t i = 1; i < in.size(); ++i) {
    bool ok = in[i].size() == cat.size();
    for (std::size_t k = 0; ok && k < cat.size(); ++k)
      if (k != axis && in[i][k] != cat[k]) ok = false;
    if (!ok)
      fail_at(i, "shape mismatch: concatenated tensors differ beyond axis " + std::to_string(axis) +
                     ": " + desc(i) + " vs " + desc(0));
    cat[axis] += in[i][axis];
  }
  if (l.op == "concat") return cat;
  if (l.op == "flatten") return {cat.size() == 4 ? cat[0] : 1, elements(cat) / (cat.size() == 4 ? cat[0] : 1), 1, 1};
  if (l.op == "maxpool" || l.op == "avgpool") {
    if (cat.size() != 4) fail_at(0, "a pooling layer needs an N x C x H x W tensor, got " + desc(0));
    std::int64_t h = (cat[2] + 2 * l.pad - l.size) / l.stride + 1;
    std::int64_t w = (cat[3] + 2 * l.pad - l.size) / l.stride + 1;
    if (h < 1 || w < 1) fail_at(0, "the " + std::to_string(l.size) + "x" + std::to_string(l.size) + " window does not fit " + desc(0));
    return {cat[0], cat[1], h, w};
  }
  const Workload& w = l.workload;
  if (conv_like(w)) {
    std::int64_t n = bound(w, "N"), g = bound(w, "G"), c = bound(w, "C"), p = bound(w, "P"),
                 q = bound(w, "Q"), r = bound(w, "R"), s = bound(w, "S");
    std::int64_t re = (r - 1) * coeff(w, "Wdilation") + 1, se = (s - 1) * coeff(w, "Hdilation") + 1;
    // A fully connected layer (1x1 output, a window of the whole input) also reads a
    // flattened vector of G*C*R*S elements.
    bool fc = p == 1 && q == 1 && l.pad == 0;
    bool ok = cat.size() == 4 && cat[0] == n && cat[1] == g * c &&
              extent_fits(cat[2], q, se, coeff(w, "Hstride"), l.pad) &&
              extent_fits(cat[3], p, re, coeff(w, "Wstride"), l.pad);
    if (!ok && fc) ok = elements(cat) == n * g * c * r * s;
    if (!ok)
      fail_at(0, "shape mismatch on the edge into '" + l.name + "': " +
                     (in.size() > 1 ? "the concatenation is " + to_string(cat) : desc(0)) +
                     ", but the layer reads N=" + std::to_string(n) + " x " + std::to_string(g * c) +
                     " channels x " + std::to_string((q - 1) * coeff(w, "Hstride") + se - 2 * l.pad) +
                     "x" + std::to_string((p - 1) * coeff(w, "Wstride") + re - 2 * l.pad) +
                     " (pad " + std::to_string(l.pad) + ", " + workload_summary(w) + ")");
    return {n, g * bound(w, "M"), q, p};
  }
  // Any other problem: element counts (first read-only data space in, read-write out).
  int in_ds = w.data_space_index(l.into.empty() ? "Inputs" : l.into), out_ds = -1;
  if (in_ds >= 0 && w.is_read_write(in_ds)) in_ds = -1;
  for (int d = 0; d < w.num_data_spaces(); ++d) {
    if (w.is_read_write(d) && out_ds < 0) out_ds = d;
    if (!w.is_read_write(d) && in_ds < 0) in_ds = d;
  }
  if (in_ds >= 0 && elements(cat) != w.tensor_size(in_ds))
    fail_at(0, "shape mismatch on the edge into '" + l.name + "': " + desc(0) + " has " +
                   std::to_string(elements(cat)) + " elements, but its data space '" +
                   w.data_spaces[in_ds].name + "' has " + std::to_string(w.tensor_size(in_ds)));
  return {out_ds >= 0 ? w.tensor_size(out_ds) : 0};
}

}  // namespace

Network load_network(const std::string& path, const std::string& scratch_dir, Diagnostics* diag,
                     const std::vector<std::pair<std::string, std::string>>& overrides) {
  Reader rd{path, {}};
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw ConfigError(path, 0, "", "cannot read this file");
  } catch (const YAML::Exception& e) {
    throw ConfigError(path, e.mark.line + 1, "", "YAML syntax error: " + e.msg);
  }
  if (!root.IsMap() || !root["network"])
    rd.fail(root, "network", "a network file has a top-level `network:` key (docs/network.md)");
  YAML::Node net = root["network"];
  if (!net.IsMap()) rd.fail(net, "network", "expected a map");
  rd.allow(net, "network", {"name", "source", "macs", "inputs", "layers", "variables", "training"});
  Network N;
  N.file = path;
  if (YAML::Node vs = net["variables"]) {
    if (!vs.IsMap())
      rd.fail(vs, "network.variables", "expected a map of NAME: integer or expression");
    for (const auto& kv : vs) {
      std::string name = kv.first.Scalar(), k = "network.variables." + name;
      std::int64_t v = rd.integer(kv.second, k, 0);
      for (const auto& [on, ov] : overrides)
        if (on == name) v = rd.expression(kv.second, "--var " + name, ov);
      rd.vars[name] = static_cast<double>(v);
      N.variables.emplace_back(name, v);
    }
  }
  if (net["name"]) N.name = rd.str(net["name"], "network.name");
  if (net["source"]) N.source = rd.str(net["source"], "network.source");
  if (net["macs"]) N.stated_macs = rd.integer(net["macs"], "network.macs", 0);
  fs::path base = fs::path(path).parent_path();
  std::map<std::string, int> names;  // -1 - input index for network inputs
  if (YAML::Node ins = net["inputs"]) {
    if (!ins.IsSequence()) rd.fail(ins, "network.inputs", "expected a list of {name, shape}");
    for (std::size_t i = 0; i < ins.size(); ++i) {
      std::string key = "network.inputs[" + std::to_string(i) + "]";
      if (!ins[i].IsMap()) rd.fail(ins[i], key, "expected a map: {name, shape}");
      rd.allow(ins[i], key, {"name", "shape"});
      NetworkInput t;
      t.line = ins[i].Mark().line + 1;
      if (!ins[i]["name"] || !ins[i]["shape"] || !ins[i]["shape"].IsSequence())
        rd.fail(ins[i], key, "a network input has a name and a shape (a list: N, C, H, W)");
      t.name = rd.str(ins[i]["name"], key + ".name");
      for (const auto& v : ins[i]["shape"]) t.shape.push_back(rd.integer(v, key + ".shape", 1));
      if (!names.emplace(t.name, -1 - static_cast<int>(N.inputs.size())).second)
        rd.fail(ins[i]["name"], key + ".name", "the name '" + t.name + "' is used twice");
      N.inputs.push_back(t);
    }
  }
  YAML::Node layers = net["layers"];
  if (!layers || !layers.IsSequence() || layers.size() == 0)
    rd.fail(layers ? layers : net, "network.layers", "a network needs a list of layers");
  fs::path scratch(scratch_dir);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    std::string key = "network.layers[" + std::to_string(i) + "]";
    Layer l = read_layer(rd, layers[i], key, base, scratch);
    if (!names.emplace(l.name, static_cast<int>(N.layers.size())).second)
      rd.fail(layers[i]["name"], key + ".name", "the name '" + l.name + "' is used twice");
    N.layers.push_back(std::move(l));
  }
  std::vector<std::string> known;
  for (const auto& [k, v] : names) known.push_back(k);
  const int n = static_cast<int>(N.layers.size());
  Graph g(n);
  for (int i = 0; i < n; ++i)
    for (std::size_t k = 0; k < N.layers[i].inputs.size(); ++k) {
      const auto& in = N.layers[i].inputs[k];
      auto it = names.find(in.tensor);
      if (it == names.end())
        throw ConfigError(path, in.line, "network.layers[" + std::to_string(i) + "].inputs[" + std::to_string(k) + "]",
                          "no layer or network input named '" + in.tensor + "'" + did_you_mean(in.tensor, known));
      if (it->second >= 0) boost::add_edge(it->second, i, g);
    }
  std::pair<int, int> back{-1, -1};
  boost::depth_first_search(g, boost::visitor(CycleFinder(&back)));
  if (back.first >= 0) {
    const Layer& to = N.layers[back.second];
    int line = to.line;
    for (const auto& in : to.inputs)
      if (in.tensor == N.layers[back.first].name) line = in.line;
    throw ConfigError(path, line, "network.layers[" + std::to_string(back.second) + "].inputs",
                      "cycle: layer '" + to.name + "' reads '" + N.layers[back.first].name +
                          "', which depends on '" + to.name + "' (a network is acyclic)");
  }
  std::vector<int> rev;
  boost::topological_sort(g, std::back_inserter(rev));
  N.order.assign(rev.rbegin(), rev.rend());
  for (int i : N.order) {
    Layer& l = N.layers[i];
    std::vector<TensorShape> in;
    for (const auto& t : l.inputs) {
      int j = names.at(t.tensor);
      in.push_back(j >= 0 ? N.layers[j].output : N.inputs[-1 - j].shape);
    }
    l.output = infer(rd, l, in, "network.layers[" + std::to_string(i) + "]");
  }
  if (N.stated_macs >= 0 && N.stated_macs != N.total_macs() && diag)
    diag->warn(path, net["macs"].Mark().line + 1, "network.macs",
               "the file states " + std::to_string(N.stated_macs) + " MACs, but its layers add up to " +
                   std::to_string(N.total_macs()));
  return N;
}

}  // namespace loopsim::network
