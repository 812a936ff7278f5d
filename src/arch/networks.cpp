// The networks of a flattened architecture (docs/cost-model.md §9): per storage level, the
// read-fill and drain-update networks to its inner level, as Timeloop's topology attaches
// them (src/model/topology.cpp): a level that names a network component (`network_read`,
// `network_update`) uses it; otherwise an inferred Legacy network "outer <==> inner" whose
// parameters are the level's own attributes (LegacyNetwork::ParseSpecs on the buffer).
#include "networks_impl.hpp"

#include "scope.hpp"

namespace loopsim {

bool is_network_class(const std::string& cls) {
  for (const char* k : {"XY_NoC", "Legacy", "ReductionTree", "SimpleMulticast"})
    if (cls.find(k) != std::string::npos) return true;
  return false;
}

namespace {

using arch_detail::Scope;

[[noreturn]] void fail_at(const AttrValue& v, const std::string& msg) {
  throw ConfigError(v.loc.file, v.loc.line, v.loc.key_path, msg);
}

double non_negative(const Scope& s, std::initializer_list<const char*> keys, double dflt) {
  const AttrValue* w = nullptr;
  auto v = s.number_any(keys, &w);
  if (!v) return dflt;
  if (!(*v >= 0) || !std::isfinite(*v)) fail_at(*w, "expected a finite number >= 0");
  return *v;
}

std::optional<double> optional_non_negative(const Scope& s, std::initializer_list<const char*> keys) {
  const AttrValue* w = nullptr;
  auto v = s.number_any(keys, &w);
  if (v && (!(*v >= 0) || !std::isfinite(*v))) fail_at(*w, "expected a finite number >= 0");
  return v;
}

// Timeloop reads these with hyphens turned into underscores (its hyphens2underscores list
// holds energy_per_hop, router_energy, wire_energy, tile_width, network_word_bits); it reads
// `energy-per-ingress` with its hyphens.
NetworkSpec legacy_spec(const Attributes& attrs, const Variables& vars) {
  Scope s(attrs, vars);
  NetworkSpec n;
  const AttrValue* w = nullptr;
  auto bits = s.number_any({"network_word_bits", "network-word-bits"}, &w);
  if (!bits) bits = s.number_any({"word_bits", "word-bits", "word_width", "datawidth"}, &w);
  if (bits) {
    if (!(*bits >= 1) || *bits > 4096 || std::floor(*bits) != *bits)
      fail_at(*w, "expected a whole number of bits from 1 to 4096");
    n.word_bits = static_cast<int>(*bits);
  }
  n.energy_per_hop_pj = optional_non_negative(s, {"energy_per_hop", "energy-per-hop"});
  n.wire_energy_pj_per_bit_mm = optional_non_negative(s, {"wire_energy", "wire-energy"});
  n.tile_width_um = optional_non_negative(s, {"tile_width", "tile-width"});
  n.router_energy_pj = non_negative(s, {"router_energy", "router-energy"}, 0.0);
  n.ingress_energy_pj = non_negative(s, {"energy-per-ingress"}, 0.0);
  return n;
}

NetworkSpec component_spec(const NetworkComponent& c, const Variables& vars) {
  NetworkSpec n = legacy_spec(c.attributes, vars);
  n.name = c.node.name;
  n.cls = c.node.cls;
  n.inferred = false;
  n.subclass = c.node.subclass;
  n.attributes = c.attributes;
  n.instances = c.instances;
  n.loc = c.node.loc;
  if (c.node.cls.find("ReductionTree") != std::string::npos) {  // not modelled (a warning)
    n.energy_per_hop_pj = 0.0;
    n.router_energy_pj = n.ingress_energy_pj = 0.0;
  } else if (c.node.cls.find("SimpleMulticast") != std::string::npos) {
    n.kind = NetworkKind::SimpleMulticast;
    Scope s(c.attributes, vars);
    auto action = s.string("action_name");
    if (!action)
      throw ConfigError(c.node.loc.file, c.node.loc.line, c.node.loc.key_path,
                        "SimpleMulticast network '" + c.node.name +
                            "' needs attributes.action_name: the ERT action priced per transfer "
                            "(Timeloop asserts on it)");
    n.action_name = *action;
    if (auto a = s.string("multicast_factor_argument")) n.multicast_factor_argument = *a;
    // Timeloop sets per_datatype_ERT when the key is present, whatever its value.
    n.per_datatype_ert = s.raw("per_datatype_ERT") != nullptr;
  }
  return n;
}

int add_network(ArchSpec& spec, NetworkSpec n) {
  for (std::size_t i = 0; i < spec.networks.size(); ++i)
    if (spec.networks[i].name == n.name) return static_cast<int>(i);
  spec.networks.push_back(std::move(n));
  return static_cast<int>(spec.networks.size()) - 1;
}

const NetworkComponent* find_component(const std::vector<NetworkComponent>& comps,
                                       const AttrValue& ref) {
  std::vector<std::string> names;
  for (const auto& c : comps) {
    if (c.node.name == ref.text) return &c;
    names.push_back(c.node.name);
  }
  fail_at(ref, "network '" + ref.text + "' is not a network component of the architecture" +
                   did_you_mean(ref.text, names) + " (Timeloop: network not found)");
}

}  // namespace

void attach_networks(ArchSpec& spec, const std::vector<NetworkComponent>& comps,
                     const Variables& vars) {
  spec.networks.clear();
  for (const auto& c : comps) add_network(spec, component_spec(c, vars));
  for (int l = 0; l < spec.num_storage_levels(); ++l) {
    StorageLevel& lv = spec.storage[l];
    Scope s(lv.attributes, vars);
    if (auto r = s.number("reduction_supported")) lv.reduction_supported = *r != 0.0;
    else lv.reduction_supported = lv.technology != StorageTech::DRAM;
    const std::string& inner = l == 0 ? spec.arithmetic.name : spec.storage[l - 1].name;
    const AttrValue* read = lv.attributes.find("network_read");
    const AttrValue* update = lv.attributes.find("network_update");
    if (read && !read->is_null) {
      lv.read_network = add_network(spec, component_spec(*find_component(comps, *read), vars));
    } else {
      NetworkSpec n = legacy_spec(lv.attributes, vars);
      n.name = lv.name + " <==> " + inner;
      n.cls = "Legacy";
      n.loc = lv.loc;
      lv.read_network = add_network(spec, std::move(n));
    }
    if (update && !update->is_null)
      lv.update_network = add_network(spec, component_spec(*find_component(comps, *update), vars));
    else
      lv.update_network = lv.read_network;
  }
}

}  // namespace loopsim
