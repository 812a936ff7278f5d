// The written hierarchy as a Boost.Graph tree, and its flattening into storage levels.
//
// Flattening follows Timeloop's front end: v0.4 `nodes` are walked in order; a container
// with `spatial: {meshX, meshY}` contributes a dummy level `inter_<name>_spatial` (it
// keeps nothing and carries the fan-out) and multiplies the instances of everything below
// it; a !Parallel group's components become consecutive levels in the order written
// (outer first). v0.2 `subtree`/`local` trees multiply instances by the name ranges.
#include <boost/graph/adjacency_list.hpp>
#include <cmath>
#include <map>
#include <set>

#include "loopsim/core/diagnostics.hpp"
#include "loopsim/arch/arch_spec.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/limits.hpp"
#include "loopsim/core/text.hpp"
#include "networks_impl.hpp"
#include "scope.hpp"

using loopsim::arch_detail::Scope;

namespace loopsim {

class Hierarchy {
 public:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                      HierarchyNode>;
  Graph g;
  std::vector<int> roots;
};

ArchTree::ArchTree() : graph_(std::make_unique<Hierarchy>()) {}
ArchTree::~ArchTree() = default;
ArchTree::ArchTree(ArchTree&&) noexcept = default;
ArchTree& ArchTree::operator=(ArchTree&&) noexcept = default;

int ArchTree::add(int parent, HierarchyNode node) {
  auto v = boost::add_vertex(std::move(node), graph_->g);
  if (parent < 0)
    graph_->roots.push_back(static_cast<int>(v));
  else
    boost::add_edge(static_cast<std::size_t>(parent), v, graph_->g);
  return static_cast<int>(v);
}

const HierarchyNode& ArchTree::node(int id) const {
  return graph_->g[static_cast<std::size_t>(id)];
}

std::vector<int> ArchTree::children(int id) const {
  std::vector<int> out;
  for (auto [it, end] = boost::out_edges(static_cast<std::size_t>(id), graph_->g); it != end;
       ++it)
    out.push_back(static_cast<int>(boost::target(*it, graph_->g)));
  return out;
}

std::vector<int> ArchTree::roots() const { return graph_->roots; }
int ArchTree::size() const { return static_cast<int>(boost::num_vertices(graph_->g)); }

bool is_storage_class(const std::string& cls) {
  static const char* kinds[] = {"DRAM", "SRAM", "regfile", "smartbuffer", "storage", "buffer",
                                "register", "cache", "memory"};
  for (auto k : kinds)
    if (cls.find(k) != std::string::npos) return true;
  return false;
}

bool is_compute_class(const std::string& cls) {
  static const char* kinds[] = {"mac", "compute", "alu", "multiplier", "adder", "pe_array"};
  for (auto k : kinds)
    if (cls.find(k) != std::string::npos) return true;
  return false;
}

const AttrValue* Attributes::find(const std::string& key) const {
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &items[it->second].second;
}

void Attributes::set(const std::string& key, AttrValue value) {
  auto [it, inserted] = index_.emplace(key, items.size());
  if (!inserted) {
    items[it->second].second = std::move(value);
    return;
  }
  items.emplace_back(key, std::move(value));
}

namespace {

[[noreturn]] void attr_error(const AttrValue& v, const std::string& msg) {
  throw ConfigError(v.loc.file, v.loc.line, v.loc.key_path, msg);
}

bool is_boolean_text(const std::string& t) {
  return t == "true" || t == "True" || t == "TRUE" || t == "false" || t == "False" ||
         t == "FALSE";
}

// A whole-number attribute: finite, whole, between 0 and `max` (docs/formats.md, Limits).
std::int64_t as_positive_int(const Scope& s, const AttrValue* which, double value,
                             std::int64_t max = limits::kMaxInteger) {
  (void)s;
  if (is_boolean_text(which->text))
    attr_error(*which, "expected a whole number, got the boolean '" + which->text + "'");
  std::string shown = which->text;
  if (!parse_number(which->text)) shown += " (= " + significant(value, 17) + ")";
  if (!std::isfinite(value) || value < 0 || std::floor(value) != value)
    attr_error(*which, "expected a non-negative whole number, got " + shown);
  if (value > static_cast<double>(max))
    attr_error(*which, shown + " is larger than loopsim allows here: at most " +
                           limits::describe(max) + " (docs/formats.md, Limits)");
  return static_cast<std::int64_t>(value);
}

// Counts that must be at least 1 (width, instances, mesh sizes).
std::int64_t as_count(const Scope& s, const AttrValue* which, double value,
                      std::int64_t max = limits::kMaxInteger) {
  std::int64_t v = as_positive_int(s, which, value, max);
  if (v < 1) attr_error(*which, "expected a whole number of at least 1, got " + which->text);
  return v;
}

// a * b for a size computed from attributes, or an error at `which` naming the limit.
std::int64_t size_product(const AttrValue* which, std::int64_t a, std::int64_t b,
                          const std::string& what) {
  auto p = limits::checked_mul(a, b);
  if (!p || *p > limits::kMaxInteger)
    attr_error(*which, what + " (" + std::to_string(a) + " * " + std::to_string(b) +
                           ") is larger than loopsim allows: at most " +
                           limits::describe(limits::kMaxInteger) +
                           " (docs/formats.md, Limits)");
  return *p;
}

// A derived block or cluster size, which must fit the small-count limit.
std::int64_t small_count(const AttrValue* which, std::int64_t v, const std::string& what) {
  if (v > limits::kMaxSmallCount)
    attr_error(*which, what + " = " + std::to_string(v) +
                           " is larger than loopsim allows: at most " +
                           limits::describe(limits::kMaxSmallCount) +
                           " (docs/formats.md, Limits)");
  return v;
}

StorageLevel make_storage(const HierarchyNode& n, const Attributes& merged, const Variables& vars,
                          std::int64_t instances) {
  Scope s(merged, vars);
  StorageLevel lv;
  lv.name = n.name;
  lv.cls = n.cls;
  lv.dummy = (n.cls == "dummy_storage");
  lv.attributes = merged;
  lv.loc = n.loc;
  const AttrValue* w = nullptr;

  if (auto v = s.number_any({"word-bits", "word_bits", "word_width", "datawidth"}, &w))
    lv.word_bits = static_cast<int>(as_positive_int(s, w, *v, limits::kMaxWordBits));
  if (lv.word_bits <= 0) attr_error(*w, "datawidth must be positive");

  bool block_given = false, cluster_given = false;
  if (auto v = s.number_any({"block-size", "block_size", "n_words"}, &w)) {
    lv.block_size = static_cast<int>(as_positive_int(s, w, *v, limits::kMaxSmallCount));
    if (lv.block_size == 0) attr_error(*w, "block size must be positive");
    block_given = true;
  }
  if (auto v = s.number_any({"cluster-size", "cluster_size"}, &w)) {
    lv.cluster_size = static_cast<int>(as_positive_int(s, w, *v, limits::kMaxSmallCount));
    if (lv.cluster_size == 0) attr_error(*w, "cluster size must be positive");
    // The front end writes cluster_size: 1 as a default; it only pins the block size when
    // the block size is not given either (Timeloop ignores a default cluster size).
    cluster_given = !(lv.cluster_size == 1 && !block_given);
  }
  if (auto v = s.number_any({"width", "memory_width", "data_storage_width"}, &w)) {
    std::int64_t width = as_count(s, w, *v);
    std::int64_t unit = std::int64_t{lv.word_bits} * lv.block_size;
    if (block_given && cluster_given) {
      if (unit * lv.cluster_size != width)
        attr_error(*w, "width " + std::to_string(width) + " != block_size * datawidth * "
                       "cluster_size = " + std::to_string(unit * lv.cluster_size));
    } else if (cluster_given) {
      if (width % (std::int64_t{lv.cluster_size} * lv.word_bits) != 0)
        attr_error(*w, "width " + std::to_string(width) +
                           " is not a multiple of cluster_size * datawidth");
      lv.block_size = static_cast<int>(
          small_count(w, width / lv.cluster_size / lv.word_bits,
                      "block size (width / (cluster_size * datawidth))"));
    } else if (block_given) {
      if (width % unit != 0)
        attr_error(*w, "width " + std::to_string(width) + " is not a multiple of block_size (" +
                           std::to_string(lv.block_size) + ") * datawidth (" +
                           std::to_string(lv.word_bits) + ")");
      lv.cluster_size = static_cast<int>(
          small_count(w, width / unit, "cluster size (width / (block_size * datawidth))"));
    } else {
      if (width % lv.word_bits != 0)
        attr_error(*w, "width " + std::to_string(width) + " is not a multiple of datawidth " +
                           std::to_string(lv.word_bits));
      lv.block_size = static_cast<int>(small_count(
          w, std::max<std::int64_t>(1, width / lv.word_bits), "block size (width / datawidth)"));
      lv.cluster_size = 1;
    }
  }

  if (auto v = s.number_any({"entries"}, &w)) {
    lv.size_words = as_positive_int(s, w, *v);
  } else if (auto d = s.number_any({"depth", "memory_depth", "data_storage_depth"}, &w)) {
    lv.size_words = size_product(w, as_positive_int(s, w, *d), lv.block_size,
                                 "the size in words, depth * block size");
  } else if (auto k = s.number_any({"sizeKB"}, &w)) {
    lv.size_words = size_product(w, as_positive_int(s, w, *k), 1024 * 8,
                                 "the size in bits, sizeKB * 8192") / lv.word_bits;
  }
  if (lv.size_words && w) lv.size_loc = w->loc;  // for a capacity rejection's message

  if (n.cls.find("DRAM") != std::string::npos) lv.technology = StorageTech::DRAM;
  if (auto t = s.string("technology"); t && *t == "DRAM") lv.technology = StorageTech::DRAM;

  if (auto v = s.number_any({"num-ports", "n_ports", "num_ports"}, &w)) {
    lv.num_ports = static_cast<int>(as_positive_int(s, w, *v, limits::kMaxSmallCount));
    if (lv.num_ports != 1 && lv.num_ports != 2) attr_error(*w, "num_ports must be 1 or 2");
  }
  if (auto v = s.number_any({"num-banks", "n_banks"}, &w))
    lv.num_banks = static_cast<int>(as_positive_int(s, w, *v, limits::kMaxSmallCount));
  if (auto v = s.number("bandwidth")) {
    lv.read_bandwidth = *v / 2;
    lv.write_bandwidth = *v / 2;
  }
  if (auto v = s.number_any({"read_bandwidth", "read-bandwidth"})) lv.read_bandwidth = *v;
  if (auto v = s.number_any({"write_bandwidth", "write-bandwidth"})) lv.write_bandwidth = *v;
  if (auto v = s.number_any({"shared_bandwidth", "shared-bandwidth"})) lv.shared_bandwidth = *v;
  if (auto v = s.number_any({"multiple-buffering", "multiple_buffering"}, &w)) {
    if (*v <= 0) attr_error(*w, "multiple_buffering must be positive");
    lv.multiple_buffering = *v;
  }
  if (lv.size_words)
    lv.effective_size_words =
        static_cast<std::int64_t>(std::floor(double(*lv.size_words) / lv.multiple_buffering));
  if (auto v = s.number_any({"min-utilization", "min_utilization"})) lv.min_utilization = *v;
  if (auto v = s.number("allow_overbooking")) lv.allow_overbooking = *v != 0.0;
  if (auto v = s.number_any({"vector-access-energy", "vector_access_energy"}))
    lv.vector_access_energy_pj = *v;

  lv.instances = instances;
  std::optional<std::int64_t> mx, my;
  if (auto v = s.number_any({"instances"}, &w))
    lv.instances = as_count(s, w, *v, limits::kMaxInstances);
  if (auto v = s.number_any({"meshX"}, &w)) mx = as_count(s, w, *v, limits::kMaxInstances);
  if (auto v = s.number_any({"meshY"}, &w)) my = as_count(s, w, *v, limits::kMaxInstances);
  if (mx && my) {
    if (*mx * *my != lv.instances)
      throw ConfigError(n.loc.file, n.loc.line, n.loc.key_path,
                        "meshX * meshY (" + std::to_string(*mx) + " * " + std::to_string(*my) +
                            ") != instances (" + std::to_string(lv.instances) + ")");
  } else if (mx) {
    if (*mx == 0 || lv.instances % *mx != 0)
      throw ConfigError(n.loc.file, n.loc.line, n.loc.key_path,
                        "instances (" + std::to_string(lv.instances) +
                            ") is not a multiple of meshX (" + std::to_string(*mx) + ")");
    my = lv.instances / *mx;
  } else if (my) {
    if (*my == 0 || lv.instances % *my != 0)
      throw ConfigError(n.loc.file, n.loc.line, n.loc.key_path,
                        "instances (" + std::to_string(lv.instances) +
                            ") is not a multiple of meshY (" + std::to_string(*my) + ")");
    mx = lv.instances / *my;
  } else {
    mx = lv.instances;
    my = 1;
  }
  lv.mesh_x = *mx;
  lv.mesh_y = *my;
  return lv;
}

ArithmeticLevel make_arithmetic(const HierarchyNode& n, const Attributes& merged,
                                const Variables& vars, std::int64_t instances) {
  Scope s(merged, vars);
  ArithmeticLevel a;
  a.name = n.name;
  a.cls = n.cls;
  a.attributes = merged;
  a.loc = n.loc;
  const AttrValue* w = nullptr;
  if (auto v = s.number_any({"word-bits", "word_bits", "word_width", "datawidth"}, &w))
    a.word_bits = static_cast<int>(as_positive_int(s, w, *v, limits::kMaxWordBits));
  a.instances = instances;
  if (auto v = s.number_any({"instances"}, &w))
    a.instances = as_count(s, w, *v, limits::kMaxInstances);
  std::optional<std::int64_t> mx, my;
  if (auto v = s.number_any({"meshX"}, &w)) mx = as_count(s, w, *v, limits::kMaxInstances);
  if (auto v = s.number_any({"meshY"}, &w)) my = as_count(s, w, *v, limits::kMaxInstances);
  if (mx && !my && *mx > 0) my = a.instances / *mx;
  if (my && !mx && *my > 0) mx = a.instances / *my;
  a.mesh_x = mx.value_or(a.instances);
  a.mesh_y = my.value_or(1);
  if (a.mesh_x * a.mesh_y != a.instances)
    throw ConfigError(n.loc.file, n.loc.line, n.loc.key_path,
                      "meshX * meshY != instances for the arithmetic level");
  if (auto v = s.number_any({"energy", "compute-energy"})) a.energy_pj = *v;
  return a;
}

// Network attributes a container with `spatial:` passes to its dummy level's network.
constexpr const char* kArrayNetworkKeys[] = {
    "energy_per_hop", "energy-per-hop", "router_energy", "router-energy", "wire_energy",
    "wire-energy", "tile_width", "tile-width", "energy-per-ingress", "network_word_bits",
    "network-word-bits", "network_read", "network_update"};

struct Walker {
  const ArchTree& tree;
  const Variables& vars;
  std::vector<StorageLevel> outer_to_inner;
  std::optional<ArithmeticLevel> arithmetic;
  std::set<std::string> names;
  std::vector<NetworkComponent> networks;

  // Instances of `n` (a * b), which must fit the instance limit.
  static std::int64_t instances(const HierarchyNode& n, std::int64_t a, std::int64_t b) {
    auto p = limits::checked_mul(a, b);
    if (!p || *p > limits::kMaxInstances)
      throw ConfigError(n.loc.file, n.loc.line, n.loc.key_path,
                        "'" + n.name + "' would have more instances (" + std::to_string(a) +
                            " * " + std::to_string(b) + ") than loopsim allows: at most " +
                            limits::describe(limits::kMaxInstances) +
                            " (docs/formats.md, Limits)");
    return *p;
  }

  void check_name(const HierarchyNode& n, const std::string& name) {
    if (!names.insert(name).second)
      throw ConfigError(n.loc.file, n.loc.line, n.loc.key_path,
                        "component name '" + name + "' is used twice");
  }

  static Attributes merge(const Attributes& inherited, const Attributes& own) {
    Attributes out = inherited;
    for (const auto& [k, v] : own.items) out.set(k, v);
    return out;
  }

  void component(const HierarchyNode& n, const Attributes& inherited, std::int64_t mx,
                 std::int64_t my) {
    Attributes merged = merge(inherited, n.attributes);
    if (n.network) {  // not a level: attached to the levels that name it (networks.cpp)
      check_name(n, n.name);
      networks.push_back(
          NetworkComponent{n, merged, instances(n, instances(n, mx, my), n.multiplicity)});
      return;
    }
    // v0.2/v0.3 local lists: the compute unit is innermost wherever it is written (the
    // loader warns); v0.4 nodes are a path from outer to inner, so order matters there.
    if (arithmetic && !(n.v02_style && !is_compute_class(n.cls)))
      throw ConfigError(n.loc.file, n.loc.line, n.loc.key_path,
                        "component '" + n.name + "' comes after the arithmetic level '" +
                            arithmetic->name + "'; the compute units must be innermost");
    std::string cls = n.cls;
    if (is_compute_class(cls) && !is_storage_class(cls)) {
      check_name(n, n.name);
      arithmetic =
          make_arithmetic(n, merged, vars, instances(n, instances(n, mx, my), n.multiplicity));
      if (!n.v02_style && !merged.find("meshX") && !merged.find("meshY")) {
        arithmetic->mesh_x = mx;
        arithmetic->mesh_y = my;
      }
      return;
    }
    if (!is_storage_class(cls))
      throw ConfigError(n.loc.file, n.loc.line, n.loc.key_path + ".class",
                        "unknown component class '" + cls +
                            "': expected a storage class (DRAM, SRAM, regfile, "
                            "smartbuffer_SRAM, smartbuffer_RF, storage, dummy_storage) or a "
                            "compute class (intmac, fpmac, mac, compute)");
    check_name(n, n.name);
    outer_to_inner.push_back(
        make_storage(n, merged, vars, instances(n, instances(n, mx, my), n.multiplicity)));
    if (!n.v02_style && !merged.find("meshX") && !merged.find("meshY")) {
      outer_to_inner.back().mesh_x = mx;
      outer_to_inner.back().mesh_y = my;
    }
  }

  // v0.4 semantics: children of a container are walked in order.
  void walk(int id, Attributes inherited, std::int64_t& mx, std::int64_t& my) {
    const HierarchyNode& n = tree.node(id);
    switch (n.kind) {
      case NodeKind::Component:
        component(n, inherited, mx, my);
        break;
      case NodeKind::Nothing:
        break;
      case NodeKind::Parallel: {
        for (int c : tree.children(id)) {
          std::int64_t cx = mx, cy = my;
          walk(c, inherited, cx, cy);
        }
        break;
      }
      case NodeKind::Container: {
        Attributes merged = merge(inherited, n.attributes);
        if (n.v02_style) {
          std::int64_t cx = instances(n, mx, n.multiplicity), cy = my;
          for (int c : tree.children(id)) walk(c, merged, cx, cy);
          break;
        }
        if (n.spatial_x > 1 || n.spatial_y > 1) {
          HierarchyNode dummy;
          dummy.kind = NodeKind::Component;
          dummy.name = "inter_" + n.name + "_spatial";
          dummy.cls = "dummy_storage";
          dummy.loc = n.loc;
          AttrValue one;
          one.text = "1";
          one.loc = n.loc;
          Attributes a;
          a.set("width", one);
          a.set("depth", one);
          a.set("datawidth", one);
          // The array's inferred network (docs/cost-model.md §9) takes the container's own
          // network attributes.
          for (const char* k : kArrayNetworkKeys)
            if (const AttrValue* v = n.attributes.find(k)) a.set(k, *v);
          check_name(dummy, dummy.name);
          outer_to_inner.push_back(make_storage(dummy, a, vars, mx * my));
          outer_to_inner.back().mesh_x = mx;
          outer_to_inner.back().mesh_y = my;
          outer_to_inner.back().dummy = true;
          mx = instances(n, mx, n.spatial_x);
          my = instances(n, my, n.spatial_y);
          (void)instances(n, mx, my);
        }
        for (int c : tree.children(id)) walk(c, merged, mx, my);
        break;
      }
    }
  }
};

}  // namespace

double Variables::evaluate(const AttrValue& v) const {
  Attributes own;
  own.set("\x01value", v);  // a name no variable can have
  auto x = Scope(own, *this).number("\x01value");
  if (!x) throw ConfigError(v.loc.file, v.loc.line, v.loc.key_path, "expected a number");
  return *x;
}

ArchSpec ArchTree::flatten(const Variables& variables, Diagnostics* mesh_warnings) const {
  Walker w{*this, variables, {}, std::nullopt, {}, {}};
  std::int64_t mx = 1, my = 1;
  // timeloopfe copies `technology` and `global_cycle_seconds` given only under variables:
  // into the top-level attributes, where every component inherits them.
  Attributes top_attrs;
  for (const char* k : {"technology", "global_cycle_seconds"})
    if (const AttrValue* v = variables.values.find(k)) top_attrs.set(k, *v);
  for (int r : roots()) w.walk(r, top_attrs, mx, my);
  if (!w.arithmetic) {
    SourceLoc loc = size() > 0 ? node(0).loc : SourceLoc{};
    throw ConfigError(loc.file, loc.line, "architecture",
                      "no compute component (class intmac, fpmac, mac or compute) found; the "
                      "innermost component must be the arithmetic unit");
  }
  if (w.outer_to_inner.empty())
    throw ConfigError(w.arithmetic->loc.file, w.arithmetic->loc.line, "architecture",
                      "no storage component found");
  ArchSpec spec;
  spec.arithmetic = *w.arithmetic;
  spec.storage.assign(w.outer_to_inner.rbegin(), w.outer_to_inner.rend());
  attach_networks(spec, w.networks, variables);
  Scope top(spec.arithmetic.attributes, variables);
  if (auto v = top.number("global_cycle_seconds")) spec.global_cycle_seconds = *v;
  // Fan-outs must divide evenly.
  for (int l = 0; l < spec.num_storage_levels(); ++l) {
    const auto& lv = spec.storage[l];
    std::int64_t cx = l == 0 ? spec.arithmetic.mesh_x : spec.storage[l - 1].mesh_x;
    std::int64_t cy = l == 0 ? spec.arithmetic.mesh_y : spec.storage[l - 1].mesh_y;
    if (cx % lv.mesh_x != 0 || cy % lv.mesh_y != 0 || cx < lv.mesh_x || cy < lv.mesh_y) {
      const auto& inner = l == 0 ? spec.arithmetic.name : spec.storage[l - 1].name;
      std::string msg = "mesh of '" + lv.name + "' (" + std::to_string(lv.mesh_x) + "x" +
                        std::to_string(lv.mesh_y) + ") does not divide the mesh of the inner "
                        "level '" + inner + "' (" + std::to_string(cx) + "x" +
                        std::to_string(cy) + ")";
      if (!mesh_warnings) throw ConfigError(lv.loc.file, lv.loc.line, lv.loc.key_path, msg);
      mesh_warnings->warn(lv.loc.file, lv.loc.line, lv.loc.key_path,
                          msg + "; Timeloop would reject this architecture, the energy and "
                                "area per component do not depend on it");
    }
  }
  return spec;
}

std::int64_t ArchSpec::fanout_x(int level) const {
  std::int64_t inner = level == 0 ? arithmetic.mesh_x : storage[level - 1].mesh_x;
  return inner / storage[level].mesh_x;
}

std::int64_t ArchSpec::fanout_y(int level) const {
  std::int64_t inner = level == 0 ? arithmetic.mesh_y : storage[level - 1].mesh_y;
  return inner / storage[level].mesh_y;
}

int ArchSpec::find_level(const std::string& name) const {
  for (int i = 0; i < num_storage_levels(); ++i)
    if (storage[i].name == name) return i;
  return -1;
}

std::vector<std::string> ArchSpec::level_names() const {
  std::vector<std::string> out;
  for (const auto& s : storage) out.push_back(s.name);
  return out;
}

}  // namespace loopsim
