// `<<<` and `<<` merges and the dropping of `*ignore*` keys, with timeloopfe's meaning
// (Accelergy's YAML loader, merge_check/merge): after a file's includes are resolved, every
// map (innermost first) that has a `<<<` or `<<` key takes the keys of the map (or list of
// maps, earlier first) given there that it does not have itself; `<<<` also merges maps
// recursively and appends lists; `<<` adds only missing keys. A value tagged !nomerge is
// never merged into. The source is copied first, so anchors stay as written.
#include <string>

#include "loopsim/core/error.hpp"
#include "render.hpp"

namespace loopsim::frontend {

namespace {

[[noreturn]] void fail_at(const YAML::Node& n, const std::string& key, const std::string& msg) {
  auto at = locate(n);
  throw ConfigError(at ? at->file : "", at ? at->line : 0, key, msg);
}

// A copy of the containers (scalars are shared: nothing changes them); keys keep their place.
YAML::Node copy_tree(const YAML::Node& n) {
  if (n.IsMap()) {
    YAML::Node out(YAML::NodeType::Map);
    for (auto it = n.begin(); it != n.end(); ++it)
      out.force_insert(it->first, copy_tree(it->second));
    if (!n.Tag().empty() && n.Tag() != "?") out.SetTag(n.Tag());
    return out;
  }
  if (n.IsSequence()) {
    YAML::Node out(YAML::NodeType::Sequence);
    for (const auto& item : n) out.push_back(copy_tree(item));
    if (!n.Tag().empty() && n.Tag() != "?") out.SetTag(n.Tag());
    return out;
  }
  return n;
}

YAML::Node find_value(const YAML::Node& map, const std::string& key) {
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
  return YAML::Node(YAML::NodeType::Undefined);
}

void merge_into(YAML::Node into, const YAML::Node& from, bool recursive) {
  for (auto it = from.begin(); it != from.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    YAML::Node mine = find_value(into, it->first.Scalar());
    if (!mine.IsDefined()) {
      into.force_insert(it->first, it->second);
      continue;
    }
    if (!recursive || mine.Tag() == "!nomerge") continue;
    if (mine.IsMap() && it->second.IsMap()) {
      merge_into(mine, it->second, recursive);
    } else if (mine.IsSequence() && it->second.IsSequence()) {
      // A copy first: `it->second` lives in a proxy that a range-for would outlive.
      YAML::Node items = it->second;
      for (const auto& item : items) mine.push_back(item);
    }
  }
}

void merge_check(YAML::Node n, int depth) {
  if (depth > 200) fail_at(n, "", "the YAML nests too deep (more than 200 levels)");
  if (n.IsSequence()) {
    for (auto item : n) merge_check(item, depth + 1);
    return;
  }
  if (!n.IsMap()) return;
  YAML::Node merge_key, merge_value;
  bool found = false;
  for (auto it = n.begin(); it != n.end(); ++it) {
    merge_check(it->second, depth + 1);
    if (!it->first.IsScalar()) continue;
    const std::string& k = it->first.Scalar();
    if (k != "<<<" && k != "<<") continue;
    if (found)
      fail_at(it->first, k,
              "a map may have one '<<<' or '<<' key, not two (also '" + merge_key.Scalar() +
                  "' here); give a list of maps to merge several");
    merge_key = it->first;
    merge_value = it->second;
    found = true;
  }
  if (!found) return;
  std::string k = merge_key.Scalar();
  bool recursive = k == "<<<";
  YAML::Node source = copy_tree(merge_value);
  if (source.IsSequence()) {
    YAML::Node combined(YAML::NodeType::Map);
    for (const auto& m : source) {
      if (!m.IsMap())
        fail_at(m, k, "expected maps in the list under '" + k + "' (the maps to merge)");
      merge_into(combined, m, recursive);
    }
    source = combined;
  } else if (!source.IsMap()) {
    fail_at(
        merge_value.IsNull() ? merge_key : merge_value, k,
        "expected a map (or a list of maps) under '" + k + "': the keys to merge into this map");
  }
  n.remove(merge_key);
  merge_into(n, source, recursive);
}

void drop_ignored(YAML::Node n, int depth) {
  if (depth > 200) return;
  if (n.IsSequence()) {
    for (auto item : n) drop_ignored(item, depth + 1);
    return;
  }
  if (!n.IsMap()) return;
  std::vector<YAML::Node> drop;
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar().find("ignore") != std::string::npos)
      drop.push_back(it->first);
    else
      drop_ignored(it->second, depth + 1);
  }
  for (const auto& key : drop) n.remove(key);
}

}  // namespace

YAML::Node resolve_merges(YAML::Node node) {
  merge_check(node, 0);
  drop_ignored(node, 0);
  return node;
}

}  // namespace loopsim::frontend
