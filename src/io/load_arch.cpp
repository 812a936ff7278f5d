// architecture: v0.4 {version, nodes: [!Container, !Component, !Parallel, !Nothing ...]},
// v0.2/v0.3 {version, subtree: [{name, attributes, local: [...], subtree: [...]}]}, and
// the resolved form Timeloop's front end writes (subtree/local with [1..N] ranges).
#include <cctype>
#include <cmath>
#include <set>

#include "io_internal.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/limits.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::io {

AttrValue parse_attr_value(const Cursor& v) {
  AttrValue val;
  val.loc = SourceLoc{v.file(), v.line(), v.path()};
  if (v.is_null()) {
    val.is_null = true;
  } else if (v.is_scalar()) {
    val.text = v.str();
    val.quoted = v.quoted();
  } else {
    v.fail("attribute values must be single values (a number, a string or an expression)");
  }
  return val;
}

namespace {

// Attribute names Timeloop and Accelergy read; a name close to one of these but not equal
// is almost certainly a typo.
const std::vector<std::string>& known_attributes() {
  static const std::vector<std::string> k = {
      "depth", "width", "datawidth", "word-bits", "word_bits", "word_width", "block-size",
      "block_size", "n_words", "cluster-size", "cluster_size", "entries", "sizeKB",
      "memory_depth", "memory_width", "data_storage_depth", "data_storage_width",
      "technology", "num-ports", "n_ports", "num_ports", "num-banks", "n_banks", "bandwidth",
      "read_bandwidth", "write_bandwidth", "shared_bandwidth", "multiple-buffering",
      "multiple_buffering", "min-utilization", "min_utilization", "instances", "meshX",
      "meshY", "allow_overbooking", "reduction_supported", "vector-access-energy",
      "addr-gen-energy", "cluster-area", "network_read", "network_fill", "network_drain",
      "network_update", "global_cycle_seconds", "type", "multiplier_width", "adder_width",
      "has_power_gating", "power_gated_at", "version", "n_rdwr_ports", "n_rd_ports",
      "n_wr_ports", "n_rw_ports", "update_fifo_depth", "metadata_storage_width", "metadata_storage_depth",
      "metadata_datawidth", "action_latency_cycles", "cycle_seconds", "n_instances",
      "nports", "latency"};
  return k;
}

Attributes parse_attributes(const Cursor& c) {
  Attributes a;
  if (c.is_null()) return a;
  for (const auto& [key, v] : c.entries()) {
    bool known = false;
    for (const auto& k : known_attributes()) known |= (k == key);
    if (!known) {
      // Timeloop ignores attributes it does not read and Accelergy passes them to the
      // estimators; a name close to a known one is probably a typo (a warning).
      std::string hint = did_you_mean(key, known_attributes());
      if (!hint.empty())
        v.warn("attribute '" + key + "' is not one Timeloop or the built-in classes read" +
               hint + "; it is passed to the energy estimators as written");
    }
    a.set(key, parse_attr_value(v));
  }
  return a;
}

// A network component (Timeloop's network classes): not a level; the levels that name it
// (`network_read`, `network_update`) send their transfers through it (docs/cost-model.md
// §9). Timeloop's ReductionTree model is not implemented: skipped with a warning.
std::optional<HierarchyNode> network_node(const Cursor& n, bool v02) {
  auto cls = n.optional("class");
  if (!cls || !cls->is_scalar() || !is_network_class(cls->str())) return std::nullopt;
  std::string name = n.optional("name") ? n.required("name").str() : "";
  HierarchyNode node;
  node.kind = NodeKind::Component;
  node.network = true;
  node.v02_style = v02;
  node.cls = cls->str();
  node.loc = SourceLoc{n.file(), n.line(), n.path()};
  if (cls->str().find("ReductionTree") != std::string::npos)
    n.warn("network component '" + name + "' (class " + cls->str() +
           ") is read but not modelled: loopsim counts no energy for it (Timeloop's "
           "ReductionTree network model is not implemented)");
  node.name = v02 ? split_name_range(n, name).first : name;
  if (auto sc = n.optional("subclass")) node.subclass = sc->str();
  if (auto a = n.optional("attributes")) node.attributes = parse_attributes(*a);
  return node;
}

// Timeloop's v0.2/v0.3 topology neglects a `local:` component whose class is no buffer,
// compute or network class (a `wire`, src/model/topology.cpp): skipped with a warning, which
// names the closest known class (a misspelled class is dropped by Timeloop too).
bool skip_unmodelled_local(const Cursor& c) {
  auto cls = c.optional("class");
  if (!cls || !cls->is_scalar()) return false;
  std::string k = cls->str();
  if (auto sc = c.optional("subclass"); sc && k == "storage" && !sc->str().empty()) k = sc->str();
  if (is_storage_class(k) || is_compute_class(k)) return false;
  static const std::vector<std::string> known = {
      "DRAM", "SRAM", "regfile", "smartbuffer_SRAM", "smartbuffer_RF", "storage",
      "dummy_storage", "intmac", "fpmac", "mac", "compute"};
  std::string name = c.optional("name") ? c.required("name").str() : "";
  cls->warn("component '" + name + "' of class '" + k + "'" + did_you_mean(k, known) +
            " is neither storage nor compute; Timeloop's topology neglects it, and so does loopsim");
  return true;
}

// The class (or, for class 'storage', the subclass) must name a storage or a compute unit.
std::string component_class(const Cursor& n) {
  auto cls = n.optional("class");
  if (!cls) n.fail("a component needs a 'class'");
  std::string c = cls->str();
  Cursor at = *cls;
  if (auto sc = n.optional("subclass"); sc && c == "storage" && !sc->str().empty()) {
    c = sc->str();
    at = *sc;
  }
  if (!is_storage_class(c) && !is_compute_class(c)) {
    static const std::vector<std::string> known = {
        "DRAM", "SRAM", "regfile", "smartbuffer_SRAM", "smartbuffer_RF", "storage",
        "dummy_storage", "intmac", "fpmac", "mac", "compute"};
    at.fail("unknown component class '" + c + "'" + did_you_mean(c, known) +
            "; expected a storage class (DRAM, SRAM, regfile, smartbuffer_SRAM, smartbuffer_RF, "
            "storage, dummy_storage) or a compute class (intmac, fpmac, mac, compute)");
  }
  return cls->str();
}

// `class` is Timeloop's class and `subclass` Accelergy's: a generic `storage` or `compute`
// class takes its subclass, which the estimator needs (a compute subclass only when it still
// reads as compute, so the component keeps its role).
std::string class_with_subclass(const std::string& cls, const std::string& subclass) {
  if (subclass.empty()) return cls;
  if (cls == "storage") return subclass;
  if (cls == "compute" && is_compute_class(subclass) && !is_storage_class(subclass))
    return subclass;
  return cls;
}

void keep_constraints(const Cursor& n, const HierarchyNode& node, std::vector<NodeConstraint>* out) {
  auto c = n.optional("constraints");
  if (!c || c->is_empty() || !out) return;
  out->push_back(NodeConstraint{node.name, node.kind, node.spatial_x * node.spatial_y, *c});
}

// A container's meshX/meshY: a whole number, or (with the variables) an expression over them.
std::int64_t mesh_size(const Cursor& c, const std::string& what, const LazyVariables* vars) {
  if (!vars || !c.is_scalar() || c.quoted() || parse_number(c.str()))
    return c.integer_in(1, limits::kMaxInstances, what);
  double v = vars->get().evaluate(parse_attr_value(c));
  if (!std::isfinite(v) || v < 1 || std::floor(v) != v || v > double(limits::kMaxInstances))
    c.fail("expected a whole number from 1 to " + limits::describe(limits::kMaxInstances) +
           ", got " + c.str() + " = " + significant(v, 17));
  return static_cast<std::int64_t>(v);
}

void parse_v04_nodes(const Cursor& list, ArchTree& tree, int parent,
                     std::vector<NodeConstraint>* constraints, const LazyVariables* vars) {
  int scope = parent;
  for (const auto& n : list.items()) {
    std::string tag = n.tag();
    HierarchyNode node;
    node.loc = SourceLoc{n.file(), n.line(), n.path()};
    // timeloopfe's !Pipelined is a branch whose nodes are walked in order, as !Hierarchical.
    if (tag == "!Parallel" || tag == "!Hierarchical" || tag == "!Pipelined") {
      n.allow_keys({"nodes", "name", "attributes", "constraints"});
      node.kind = NodeKind::Parallel;
      if (tag != "!Parallel") node.kind = NodeKind::Container;
      node.name = n.optional("name") ? n.required("name").str() : "";
      if (auto a = n.optional("attributes")) node.attributes = parse_attributes(*a);
      keep_constraints(n, node, constraints);
      int id = tree.add(scope, node);
      parse_v04_nodes(n.required("nodes"), tree, id, constraints, vars);
      continue;
    }
    if (tag == "!Nothing") {
      n.allow_keys({"constraints", "name"});
      node.kind = NodeKind::Nothing;
      if (auto nm = n.optional("name")) node.name = nm->str();
      keep_constraints(n, node, constraints);
      tree.add(scope, node);
      continue;
    }
    // CiMLoop's !ArrayContainer is a !Container (with its spatial fan-out).
    if (tag == "!Container" || tag == "!ArrayContainer") {
      n.allow_keys({"name", "attributes", "spatial", "constraints", "max_utilization",
                    "enabled"});
      node.kind = NodeKind::Container;
      node.name = n.required("name").str();
      if (auto a = n.optional("attributes")) node.attributes = parse_attributes(*a);
      if (auto sp = n.optional("spatial")) {
        sp->allow_keys({"meshX", "meshY"});
        if (auto x = sp->optional("meshX")) node.spatial_x = mesh_size(*x, "meshX", vars);
        if (auto y = sp->optional("meshY")) node.spatial_y = mesh_size(*y, "meshY", vars);
      }
      keep_constraints(n, node, constraints);
      scope = tree.add(scope, node);  // everything after a container is inside it
      continue;
    }
    if (tag == "!Component" || tag.empty()) {
      if (auto net = network_node(n, false)) {
        tree.add(scope, *net);
        continue;
      }
      if (tag.empty() && !n.optional("class"))
        n.fail("expected a node tagged !Container, !Component, !Parallel or !Nothing");
      n.allow_keys({"name", "class", "subclass", "attributes", "constraints", "required_actions",
                    "enabled", "area_share", "actions"});
      node.kind = NodeKind::Component;
      node.name = n.required("name").str();
      node.cls = component_class(n);
      if (auto sc = n.optional("subclass")) node.subclass = sc->str();
      node.cls = class_with_subclass(node.cls, node.subclass);
      if (auto a = n.optional("attributes")) node.attributes = parse_attributes(*a);
      keep_constraints(n, node, constraints);
      tree.add(scope, node);
      continue;
    }
    n.fail("unknown node tag '" + tag + "'" +
           did_you_mean(tag, {"!Container", "!Component", "!Parallel", "!Nothing",
                              "!Hierarchical", "!Pipelined", "!ArrayContainer"}));
  }
}

// A v0.2/v0.3 primitive without the size an energy estimator needs (a DRAM without `width`,
// an SRAM given Timeloop's `entries` but no `depth`): Timeloop's model does not need it, and
// Accelergy 0.3 filled it from its primitive library
// (share/primitive_component_libs/primitive_component.lib.yaml: DRAM width 64; SRAM width 64,
// depth 512; regfile width 16, depth 1; FIFO datawidth 16, depth 2; intmac, intadder,
// intmultiplier datawidth 16). loopsim does the same for the energy estimate only (under
// kAccelergyDefault + name, read by the energy queries), with a warning. v0.4 inputs keep the
// error: Accelergy 0.4 has no such library (its CACTI plug-in requires a DRAM's width).
struct LibraryDefault {
  const char* cls;
  const char* attr;
  const char* value;
};
constexpr LibraryDefault kV03Defaults[] = {
    {"DRAM", "width", "64"},        {"SRAM", "width", "64"},      {"SRAM", "depth", "512"},
    {"regfile", "width", "16"},     {"regfile", "depth", "1"},    {"FIFO", "datawidth", "16"},
    {"FIFO", "depth", "2"},         {"intmac", "datawidth", "16"}, {"intadder", "datawidth", "16"},
    {"intmultiplier", "datawidth", "16"}};

void default_v03_attributes(const Cursor& c, HierarchyNode& comp,
                            const std::set<std::string>& inherited) {
  auto given = [&](const std::string& k) {
    return inherited.count(k) || comp.attributes.find(k) != nullptr;
  };
  std::vector<std::string> filled;
  for (const auto& d : kV03Defaults) {
    std::string attr = d.attr;
    if (comp.cls != d.cls || given(attr)) continue;
    // Accelergy reads `width|datawidth` for these: either one is the width.
    if ((attr == "width" || attr == "datawidth") && comp.cls != "DRAM" && comp.cls != "SRAM" &&
        (given("width") || given("datawidth")))
      continue;
    AttrValue v;
    v.text = d.value;
    v.loc = SourceLoc{c.file(), c.line(), c.path()};
    comp.attributes.set(std::string(kAccelergyDefault) + attr, v);
    filled.push_back(attr + ": " + d.value);
  }
  if (filled.empty()) return;
  std::string hint;
  if (auto a = c.optional("attributes"); a && a->is_map())
    for (const auto& [key, v] : a->entries())
      for (const auto& d : kV03Defaults)
        if (hint.empty() && comp.cls == d.cls && key != d.attr &&
            !did_you_mean(key, {d.attr}).empty())
          hint = " ('" + key + "': did you mean '" + d.attr + "'?)";
  std::string names;
  for (const auto& f : filled) names += (names.empty() ? "'" : ", '") + f.substr(0, f.find(':')) + "'";
  c.warn(comp.cls + " '" + comp.name + "' gives no " + names + hint + "; as Accelergy "
         "0.3's primitive library does for v0.2/v0.3 inputs, its energy is priced at " +
         join(filled) + " (Timeloop's model is unchanged); write " + join(filled) +
         " to say so");
}

// v0.2/v0.3 `local:` lists: Timeloop takes the storage levels in the order written and the
// compute unit as innermost wherever it is listed; `compute_seen` is where the compute unit
// was written, to warn about a storage level written after it. `inherited`: the attribute
// names enclosing subtrees give (every component inherits them).
void parse_subtree(const Cursor& st, ArchTree& tree, int parent,
                   std::optional<Cursor>& compute_seen, std::set<std::string> inherited = {}) {
  st.allow_keys({"name", "attributes", "local", "subtree"});
  HierarchyNode node;
  node.kind = NodeKind::Container;
  node.v02_style = true;
  node.loc = SourceLoc{st.file(), st.line(), st.path()};
  auto [name, mult] = split_name_range(st, st.required("name").str());
  node.name = name;
  node.multiplicity = mult;
  if (auto a = st.optional("attributes")) node.attributes = parse_attributes(*a);
  for (const auto& [k, v] : node.attributes.items) inherited.insert(k);
  int id = tree.add(parent, node);
  if (auto local = st.optional("local")) {
    for (const auto& c : local->items()) {
      c.allow_keys({"name", "class", "subclass", "attributes", "required_actions", "enabled"});
      if (auto net = network_node(c, true)) {
        tree.add(id, *net);
        continue;
      }
      if (skip_unmodelled_local(c)) continue;
      HierarchyNode comp;
      comp.kind = NodeKind::Component;
      comp.v02_style = true;
      comp.loc = SourceLoc{c.file(), c.line(), c.path()};
      auto [cname, cmult] = split_name_range(c, c.required("name").str());
      comp.name = cname;
      comp.multiplicity = cmult;
      comp.cls = component_class(c);
      if (auto sc = c.optional("subclass")) comp.subclass = sc->str();
      comp.cls = class_with_subclass(comp.cls, comp.subclass);
      if (auto a = c.optional("attributes")) comp.attributes = parse_attributes(*a);
      default_v03_attributes(c, comp, inherited);
      bool compute = is_compute_class(comp.cls) && !is_storage_class(comp.cls);
      if (compute && !compute_seen) compute_seen = c;
      if (!compute && compute_seen)
        c.warn("storage '" + cname + "' is written after the compute unit (" +
               compute_seen->path() + ", line " + std::to_string(compute_seen->line()) +
               "); as in Timeloop, the compute unit is innermost wherever it is listed");
      tree.add(id, comp);
    }
  }
  if (auto sub = st.optional("subtree"))
    for (const auto& s : sub->items()) parse_subtree(s, tree, id, compute_seen, inherited);
}

}  // namespace

std::pair<std::string, std::int64_t> split_name_range(const Cursor& where, const std::string& name) {
  auto open = name.find('[');
  if (open == std::string::npos) return {name, 1};
  auto dots = name.find("..", open);
  auto close = name.find(']', open);
  if (dots == std::string::npos || close == std::string::npos || close != name.size() - 1)
    where.fail("bad name '" + name + "': expected NAME or NAME[first..last]");
  try {
    std::int64_t lo = std::stoll(name.substr(open + 1, dots - open - 1));
    std::int64_t hi = std::stoll(name.substr(dots + 2, close - dots - 2));
    if (hi < lo) where.fail("bad range in '" + name + "': last < first");
    if (lo < 0 || hi - lo >= limits::kMaxInstances)
      where.fail("bad range in '" + name + "': expected 0 <= first <= last and at most " +
                 limits::describe(limits::kMaxInstances) +
                 " instances (docs/formats.md, Limits)");
    return {name.substr(0, open), hi - lo + 1};
  } catch (const std::logic_error&) {
    where.fail("bad range in '" + name + "': expected whole numbers");
  }
}

const Variables& LazyVariables::get() const {
  if (parsed_) return *parsed_;
  if (!own_) own_ = parse_variables(source_);
  return *own_;
}

ArchTree parse_architecture(const Cursor& a, const LazyVariables* vars) {
  return parse_architecture(a, nullptr, vars);
}

ArchTree parse_architecture(const Cursor& a, std::vector<NodeConstraint>* constraints,
                            const LazyVariables* vars) {
  a.expect_map();
  a.allow_keys({"version", "nodes", "subtree", "local"});
  ArchTree tree;
  if (auto nodes = a.optional("nodes")) {
    if (a.optional("subtree")) a.fail("use either 'nodes' (v0.4) or 'subtree' (v0.2/v0.3)");
    parse_v04_nodes(*nodes, tree, -1, constraints, vars);
  } else if (auto sub = a.optional("subtree")) {
    std::optional<Cursor> compute_seen;
    for (const auto& s : sub->items()) parse_subtree(s, tree, -1, compute_seen);
  } else {
    a.fail("missing 'nodes' (v0.4) or 'subtree' (v0.2/v0.3)");
  }
  if (tree.size() == 0) a.fail("the architecture has no components");
  return tree;
}

Variables parse_variables(const std::optional<Cursor>& v) {
  Variables out;
  if (!v || v->is_null()) return out;
  for (const auto& [key, val] : v->entries()) {
    if (key == "version") continue;
    AttrValue a;
    a.loc = SourceLoc{val.file(), val.line(), val.path()};
    if (val.is_scalar()) {
      a.text = val.str();
      // yaml-cpp marks block scalars (`>`, `|`) like quoted ones; timeloopfe evaluates them
      // (only '...' and "..." are strings). A block scalar keeps its final line break.
      a.quoted = val.quoted() && !(!a.text.empty() && a.text.back() == '\n');
    } else {
      a.text = python_text(val);  // a YAML list: a Python list (python_variables.cpp)
    }
    out.values.set(key, a);
  }
  evaluate_python_variables(out);
  return out;
}

}  // namespace loopsim::io
