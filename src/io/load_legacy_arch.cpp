// Timeloop's oldest architecture form: arch: {storage: [...], arithmetic: {...}}, the storage
// levels listed innermost first, each a flat map of Timeloop's buffer keys (entries, sizeKB,
// word_bits, block_size, instances, meshX, read_bandwidth ...; technology: DRAM or SRAM picks
// the kind). Read into the same tree as v0.2 local lists (outer first).
#include "io_internal.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::io {

namespace {

HierarchyNode legacy_node(const Cursor& c, const std::string& cls, const char* default_name) {
  c.expect_map();
  HierarchyNode n;
  n.kind = NodeKind::Component;
  n.v02_style = true;
  n.loc = SourceLoc{c.file(), c.line(), c.path()};
  // Timeloop names an unnamed arithmetic level __ARITH__.
  n.name = default_name && !c.optional("name") ? default_name : c.required("name").str();
  n.cls = cls;
  for (const auto& [key, v] : c.entries()) {
    if (key == "name" || key == "class") continue;
    // technology names the kind of memory here (DRAM, SRAM), not a process node.
    if (key == "technology") continue;
    n.attributes.set(key, parse_attr_value(v));
  }
  return n;
}

}  // namespace

ArchTree parse_legacy_arch(const Cursor& a) {
  a.expect_map();
  a.allow_keys({"version", "storage", "arithmetic"});
  ArchTree tree;
  std::vector<Cursor> storage = a.required("storage").items();
  for (auto it = storage.rbegin(); it != storage.rend(); ++it) {
    std::string cls = "SRAM";
    if (auto t = it->optional("technology"); t && t->str() == "DRAM") cls = "DRAM";
    if (auto c = it->optional("class")) cls = c->str();
    if (!is_storage_class(cls)) it->required("class").fail("unknown storage class '" + cls + "'");
    tree.add(-1, legacy_node(*it, cls, nullptr));
  }
  Cursor ar = a.required("arithmetic");
  std::string cls = "intmac";
  if (auto c = ar.optional("class")) cls = c->str();
  tree.add(-1, legacy_node(ar, cls, "__ARITH__"));
  return tree;
}

}  // namespace loopsim::io
