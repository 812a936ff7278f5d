// Architecture: the component hierarchy as written (a Boost.Graph tree of containers,
// components and parallel groups) and the flattened storage hierarchy the model uses.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "loopsim/arch/network_spec.hpp"

namespace loopsim {

class Diagnostics;

// Where a value came from, for error messages.
struct SourceLoc {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
  std::string key_path;
};

// One attribute as written: the raw scalar text, which may be a number, a string or an
// expression over variables and other attributes.
struct AttrValue {
  std::string text;
  bool quoted = false;  // written as a quoted string: never an expression
  bool is_null = false;
  SourceLoc loc;
};

struct Attributes {
  std::vector<std::pair<std::string, AttrValue>> items;  // in written order (add with set())
  [[nodiscard]] const AttrValue* find(const std::string& key) const;
  void set(const std::string& key, AttrValue value);  // replaces or appends

 private:
  // Key -> position in `items`, so that a `variables:` map of 60,000 names loads and looks
  // up in linear time (docs/formats.md, Limits).
  std::unordered_map<std::string, std::size_t> index_;
};

// Variables (v0.4 `variables:`), evaluated lazily with expressions.
struct Variables {
  Attributes values;
  // The value of `v` (a number, or an expression over these variables), as attributes are
  // evaluated; ConfigError at `v`'s place otherwise.
  [[nodiscard]] double evaluate(const AttrValue& v) const;
};

enum class NodeKind { Container, Component, Parallel, Nothing };

// A node of the hierarchy as written.
struct HierarchyNode {
  NodeKind kind = NodeKind::Container;
  std::string name;      // as written, without a [a..b] range
  std::int64_t multiplicity = 1;  // v0.2 names like PE[0..167]: 168
  std::string cls;       // component class
  std::string subclass;  // v0.4 `subclass:` (used by the energy estimator)
  Attributes attributes;
  std::int64_t spatial_x = 1, spatial_y = 1;  // v0.4 container `spatial: {meshX, meshY}`
  bool v02_style = false;  // subtree/local semantics (no dummy spatial levels)
  bool network = false;    // a network component (is_network_class): not a level
  SourceLoc loc;
};

// A network between storage levels, as Timeloop's topology attaches them (docs/cost-model.md
// §9): every storage level feeds its inner level through a read-fill network and takes
// updates back through a drain-update network. Unless the level names a network component
// (`network_read` / `network_update`), both are one inferred Legacy network whose
// parameters are the level's own attributes.
struct NetworkSpec {
  std::string name;  // the component's name, or "outer <==> inner" for an inferred network
  std::string cls;   // as written (XY_NoC, Legacy, SimpleMulticast); "Legacy" when inferred
  NetworkKind kind = NetworkKind::Legacy;
  bool inferred = true;
  int word_bits = 16;  // network_word_bits, else word_bits/word_width/datawidth, else 16
  // Legacy: energy per hop (pJ) as written, else word_bits * tile width (mm) * wire energy
  // (pJ per bit per mm, `wire_energy`, or an ERT `wire` entry's transfer_random).
  std::optional<double> energy_per_hop_pj;
  std::optional<double> wire_energy_pj_per_bit_mm;
  std::optional<double> tile_width_um;  // else the floorplan's inner tile width
  double router_energy_pj = 0;          // per router touched
  double ingress_energy_pj = 0;         // per ingress (`energy-per-ingress`)
  // SimpleMulticast: the ERT action priced per transfer, its multicast-factor argument
  // ("none" when absent) and whether actions are per data space (`<action>_<DataSpace>`).
  std::string action_name;
  std::string multicast_factor_argument = "none";
  bool per_datatype_ert = false;
  // A network component as written (not inferred), for the energy estimator.
  std::string subclass;
  Attributes attributes;
  std::int64_t instances = 1;
  SourceLoc loc;
};

enum class StorageTech { SRAM, DRAM };

// One storage level of the flattened architecture (Timeloop's BufferLevel specs).
struct StorageLevel {
  std::string name;
  std::string cls;
  bool dummy = false;  // container fan-out level made by the v0.4 front end (keeps nothing)
  StorageTech technology = StorageTech::SRAM;
  int word_bits = 16;
  int block_size = 1;    // words per vector access
  int cluster_size = 1;  // vectors per cluster
  std::optional<std::int64_t> size_words;            // depth * block_size
  std::optional<std::int64_t> effective_size_words;  // size / multiple_buffering
  SourceLoc size_loc;  // where the size (depth, entries or sizeKB) is written
  std::int64_t instances = 1;
  std::int64_t mesh_x = 1, mesh_y = 1;
  std::optional<double> read_bandwidth, write_bandwidth, shared_bandwidth;  // words/cycle
  double multiple_buffering = 1.0;
  double min_utilization = 0.0;
  bool allow_overbooking = false;
  int num_ports = 2;
  int num_banks = 2;
  std::optional<double> vector_access_energy_pj;  // user override (`vector-access-energy`)
  Attributes attributes;  // all resolved attributes, for the energy estimator
  bool reduction_supported = true;  // `reduction_supported`, else not DRAM (Timeloop)
  // Indices into ArchSpec::networks: the network that feeds the inner level (read-fill) and
  // the one that takes its updates (drain-update); the same one unless named apart.
  int read_network = -1, update_network = -1;
  SourceLoc loc;
};

struct ArithmeticLevel {
  std::string name;
  std::string cls;
  int word_bits = 16;
  std::int64_t instances = 1;
  std::int64_t mesh_x = 1, mesh_y = 1;
  std::optional<double> energy_pj;  // user override (`energy`)
  Attributes attributes;
  SourceLoc loc;
};

// Flattened architecture: storage levels innermost (index 0) to outermost, plus the
// arithmetic level below level 0.
struct ArchSpec {
  std::vector<StorageLevel> storage;
  ArithmeticLevel arithmetic;
  double global_cycle_seconds = 1e-9;
  // Every network component as written, then the inferred networks levels use
  // (StorageLevel::read_network, update_network index this list).
  std::vector<NetworkSpec> networks;

  [[nodiscard]] int num_storage_levels() const { return static_cast<int>(storage.size()); }
  // Fan-out from storage level `level` to the next-inner level (or the arithmetic units).
  [[nodiscard]] std::int64_t fanout_x(int level) const;
  [[nodiscard]] std::int64_t fanout_y(int level) const;
  [[nodiscard]] std::int64_t fanout(int level) const { return fanout_x(level) * fanout_y(level); }
  // Index of the storage level with this name; -1 when unknown.
  [[nodiscard]] int find_level(const std::string& name) const;
  [[nodiscard]] std::vector<std::string> level_names() const;
};

class Hierarchy;  // Boost.Graph tree; defined in src/arch/hierarchy.cpp

// Builder/owner of the written hierarchy. Nodes are added parent-first.
class ArchTree {
 public:
  ArchTree();
  ~ArchTree();
  ArchTree(ArchTree&&) noexcept;
  ArchTree& operator=(ArchTree&&) noexcept;

  // Adds a node under `parent` (-1: root) and returns its id.
  int add(int parent, HierarchyNode node);
  [[nodiscard]] const HierarchyNode& node(int id) const;
  [[nodiscard]] std::vector<int> children(int id) const;
  [[nodiscard]] std::vector<int> roots() const;
  [[nodiscard]] int size() const;

  // Flattens the tree into storage levels and the arithmetic level, resolving attribute
  // expressions against `variables`. Throws ConfigError on bad attributes. A mesh that does
  // not divide the inner level's mesh is an error (Timeloop asserts on it), or, given
  // `mesh_warnings` (Accelergy's role, where only the components matter), a warning there.
  [[nodiscard]] ArchSpec flatten(const Variables& variables,
                                 Diagnostics* mesh_warnings = nullptr) const;

 private:
  std::unique_ptr<Hierarchy> graph_;
};

// Classes Timeloop treats as storage and as compute.
bool is_storage_class(const std::string& cls);
bool is_compute_class(const std::string& cls);

}  // namespace loopsim
