// mapping: [{target, type: temporal|spatial|datatype|dataspace|bypass, factors, permutation,
//            split, keep, bypass, no_temporal_reuse (temporal), no_multicast_no_reduction
//            (spatial), no_reuse (either)}]
// Factors: "C=3 M=4", "C3 M4", "R=1,P=16", a list [C=3, M=4]; "Q=7,6" is an imperfect
// factor (7 per step, 6 on the last step). Permutations list dimensions innermost first.
#include <cctype>
#include <map>

#include "io_internal.hpp"
#include "loopsim/core/limits.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::io {

namespace {

struct Factor {
  std::int64_t end = 1, residual = 1;
};

int resolve_dim(const Cursor& at, const Workload& w, const std::string& name) {
  int d = w.dim_index(name);
  if (d < 0)
    at.fail("unknown dimension '" + name + "'" + did_you_mean(name, w.dims) +
            "; dimensions are: " + join(w.dims));
  return d;
}

std::map<int, Factor> parse_factors(const Cursor& c, const Workload& w) {
  std::string text;
  if (c.is_seq()) {
    for (const auto& item : c.items()) text += item.str() + " ";
  } else {
    text = c.str();
  }
  std::map<int, Factor> out;
  std::size_t i = 0, n = text.size();
  auto skip = [&]() {
    while (i < n && (std::isspace(static_cast<unsigned char>(text[i])) || text[i] == ','))
      ++i;
  };
  auto read_int = [&]() -> std::int64_t {
    std::size_t start = i;
    while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (start == i) c.fail("bad factors '" + text + "': expected a number after a dimension");
    if (i - start > 10 || std::stoll(text.substr(start, i - start)) > limits::kMaxCoordinate)
      c.fail("bad factors '" + text + "': factor " + text.substr(start, i - start) +
             " is too large; expected at most " + limits::describe(limits::kMaxCoordinate) +
             " (docs/formats.md, Limits)");
    return std::stoll(text.substr(start, i - start));
  };
  skip();
  while (i < n) {
    std::size_t start = i;
    while (i < n && (std::isalpha(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
    if (start == i) c.fail("bad factors '" + text + "': expected a dimension name at '" + text.substr(start) + "'");
    std::string name = text.substr(start, i - start);
    int d = resolve_dim(c, w, name);
    if (i < n && text[i] == '=') ++i;
    Factor f;
    f.end = read_int();
    if (f.end == 0) {
      // Timeloop: 0 means the full problem dimension (not the residue), with a warning.
      f.end = w.bounds[static_cast<std::size_t>(d)];
      c.warn("factor " + name + "=0 is read as the whole bound of " + name + " (" +
             std::to_string(f.end) + "), as Timeloop does; write " + name + "=" +
             std::to_string(f.end) + " to say so");
      if (i < n && text[i] == ',' && i + 1 < n && std::isdigit(static_cast<unsigned char>(text[i + 1])))
        c.fail("imperfect factor " + name + "=0,...: a residual needs an explicit factor");
    }
    f.residual = f.end;
    // "Q=7,6": a residual follows when the text after the comma is a number.
    if (i + 1 < n && text[i] == ',' && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      ++i;
      f.residual = read_int();
      // Timeloop takes any residual and checks only the product rule below; a last step
      // larger than the others loads (with Timeloop's meaning) but looks like a mistake.
      if (f.residual == 0)
        c.fail("imperfect factor " + name + "=" + std::to_string(f.end) +
               ",0: the last step must be at least 1");
      if (f.residual > f.end)
        c.warn("imperfect factor " + name + "=" + std::to_string(f.end) + "," +
               std::to_string(f.residual) + ": the last step is larger than the others (" +
               std::to_string(f.end) + ")");
    }
    if (f.end <= 0) c.fail("factor of " + name + " must be positive");
    if (out.count(d)) c.fail("dimension " + name + " has two factors");
    out[d] = f;
    skip();
  }
  return out;
}

struct LevelDirectives {
  std::optional<std::map<int, Factor>> temporal_factors, spatial_factors;
  std::vector<int> temporal_perm, spatial_perm;
  std::optional<std::int64_t> split;
  std::optional<Cursor> temporal_at, spatial_at;
  std::optional<Cursor> temporal_factors_at, spatial_factors_at;  // the 'factors' keys
};

}  // namespace

std::vector<int> parse_permutation(const Cursor& c, const Workload& w) {
  std::vector<std::string> names;
  if (c.is_seq()) {
    for (const auto& item : c.items()) names.push_back(item.str());
  } else {
    // Timeloop reads a permutation string one letter at a time, skipping whitespace
    // ("QRSC PNM"); timeloopfe also splits at commas. A token that names a dimension as a
    // whole ("C, M" or multi-letter dimensions) is taken as one name.
    std::string s = c.str();
    std::vector<std::string> tokens;
    std::string cur;
    for (char ch : s) {
      if (std::isspace(static_cast<unsigned char>(ch)) || ch == ',') {
        if (!cur.empty()) tokens.push_back(cur);
        cur.clear();
      } else {
        cur += ch;
      }
    }
    if (!cur.empty()) tokens.push_back(cur);
    for (const auto& tok : tokens) {
      if (w.dim_index(tok) >= 0) names.push_back(tok);
      else
        for (char ch : tok) names.emplace_back(1, ch);
    }
  }
  std::vector<int> out;
  for (const auto& n : names) {
    int d = resolve_dim(c, w, n);
    for (int e : out)
      if (e == d) c.fail("dimension " + n + " appears twice in the permutation");
    out.push_back(d);
  }
  return out;
}

int resolve_target(const Cursor& t, const ArchSpec& arch) {
  std::string name = t.str();
  int l = arch.find_level(name);
  if (l >= 0) return l;
  l = arch.find_level("inter_" + name + "_spatial");
  if (l >= 0) return l;
  std::vector<std::string> names = arch.level_names();
  // Timeloop's legacy form (libconfig) also takes the storage level's index, 0 innermost
  // (FindTargetStorageLevel in src/mapping/parser.cpp).
  if (!name.empty() && name.size() < 9 &&
      name.find_first_not_of("0123456789") == std::string::npos) {
    int id = std::stoi(name);
    if (id < static_cast<int>(names.size())) return id;
    t.fail("storage level index " + name + " is out of range: there are " +
           std::to_string(names.size()) + " levels (" + join(names) + "), 0 innermost");
  }
  t.fail("no storage level named '" + name + "'" + did_you_mean(name, names) +
         "; levels are: " + join(names));
}

std::vector<bool> data_space_list(const Cursor& c, const Workload& w) {
  std::vector<bool> out(static_cast<std::size_t>(w.num_data_spaces()), false);
  if (c.is_null()) return out;
  std::vector<std::string> names;
  for (const auto& d : w.data_spaces) names.push_back(d.name);
  std::vector<Cursor> items;
  if (c.is_scalar()) items.push_back(c);
  else items = c.items();
  for (const auto& item : items) {
    if (item.str() == "*") {  // timeloopfe's shorthand for every data space
      out.assign(out.size(), true);
      continue;
    }
    int ds = w.data_space_index(item.str());
    if (ds < 0)
      item.fail("unknown data space '" + item.str() + "'" + did_you_mean(item.str(), names) +
                "; data spaces are: " + join(names));
    out[ds] = true;
  }
  return out;
}

namespace {

const char* const kNoReuseKeys[] = {"no_reuse", "no_temporal_reuse", "no_multicast_no_reduction"};

}  // namespace

void parse_no_reuse(const Cursor& c, bool spatial, const Workload& w, const ArchSpec& arch,
                    int level, std::vector<bool>& flags) {
  const std::string own = spatial ? "no_multicast_no_reduction" : "no_temporal_reuse";
  const std::string other = spatial ? "no_temporal_reuse" : "no_multicast_no_reduction";
  if (c.optional(other))
    c.key(other).fail("'" + other + "' belongs in a " + (spatial ? "temporal" : "spatial") +
                      " constraint or directive, not a " + (spatial ? "spatial" : "temporal") +
                      " one");
  flags.resize(static_cast<std::size_t>(w.num_data_spaces()), false);
  for (const std::string& key : {std::string("no_reuse"), own}) {
    auto list = c.optional(key);
    if (!list) continue;
    std::vector<bool> ds;
    if (list->is_scalar() && (list->str() == "true" || list->str() == "false") &&
        w.data_space_index(list->str()) < 0)
      ds.assign(flags.size(), list->boolean());  // no_reuse: true means every data space
    else
      ds = data_space_list(*list, w);
    bool any = false;
    for (std::size_t pv = 0; pv < ds.size(); ++pv) {
      any |= ds[pv];
      if (ds[pv]) flags[pv] = true;
    }
    if (any && spatial && arch.fanout(level) <= 1)
      list->fail("level '" + arch.storage[static_cast<std::size_t>(level)].name +
                 "' has no spatial fan-out to the next-inner level, so there is no multicast "
                 "or spatial reduction for '" + key + "' to disable");
  }
}

void reject_no_reuse(const Cursor& c, const std::string& kind) {
  for (const char* key : kNoReuseKeys)
    if (c.optional(key))
      c.key(key).fail(std::string("'") + key + "' does not belong in a " + kind +
                      "; it goes in a temporal constraint or directive (no temporal reuse at "
                      "the level) or a spatial one (no multicast or spatial reduction over its "
                      "fan-out)");
}

Mapping parse_mapping(const Cursor& m, const Workload& w, const ArchSpec& arch) {
  const int nlev = arch.num_storage_levels();
  const int nds = w.num_data_spaces();
  std::vector<LevelDirectives> dir(static_cast<std::size_t>(nlev));
  Mapping mapping;
  mapping.levels.resize(static_cast<std::size_t>(nlev));
  for (int l = 0; l < nlev; ++l)
    mapping.levels[l].keep.assign(static_cast<std::size_t>(nds), !arch.storage[l].dummy);

  Cursor list = m;
  if (m.is_map()) {
    m.allow_keys({"version", "mapping", "targets"});
    if (auto t = m.optional("targets")) list = *t;
    else list = m.required("mapping");
  }
  for (const auto& d : list.items()) {
    d.allow_keys({"target", "type", "factors", "permutation", "split", "keep", "bypass",
                  "version", "no_reuse", "no_temporal_reuse", "no_multicast_no_reduction"});
    std::string type = d.required("type").str();
    int l = resolve_target(d.required("target"), arch);
    auto& ld = dir[l];
    if (type == "temporal" || type == "spatial") {
      if (d.optional("keep") || d.optional("bypass"))
        d.fail("keep/bypass belong in a directive of type 'datatype'");
      bool spatial = type == "spatial";
      auto& factors = spatial ? ld.spatial_factors : ld.temporal_factors;
      if ((spatial ? ld.spatial_at : ld.temporal_at))
        d.fail("level '" + arch.storage[l].name + "' has two " + type + " directives");
      (spatial ? ld.spatial_at : ld.temporal_at) = d;
      factors = std::map<int, Factor>{};
      if (auto f = d.optional("factors")) {
        factors = parse_factors(*f, w);
        (spatial ? ld.spatial_factors_at : ld.temporal_factors_at) = f;
      }
      if (auto p = d.optional("permutation"))
        (spatial ? ld.spatial_perm : ld.temporal_perm) = parse_permutation(*p, w);
      if (auto s = d.optional("split")) {
        if (!spatial) s->fail("'split' applies to spatial directives only");
        ld.split = s->integer();
        if (*ld.split < 0) s->fail("split must be >= 0");
      }
      parse_no_reuse(d, spatial, w, arch, l,
                     spatial ? mapping.levels[l].no_multicast
                             : mapping.levels[l].no_temporal_reuse);
      if (spatial) {
        bool nontrivial = false;
        for (const auto& [dim, f] : *factors) nontrivial |= f.end > 1;
        if (nontrivial && arch.fanout(l) <= 1)
          d.fail("level '" + arch.storage[l].name +
                 "' has no spatial fan-out to the next-inner level; spatial factors > 1 "
                 "cannot be mapped there");
      }
    } else if (type == "datatype" || type == "dataspace" || type == "bypass") {
      if (d.optional("factors") || d.optional("permutation"))
        d.fail("factors/permutation belong in a temporal or spatial directive");
      reject_no_reuse(d, type + " directive");
      auto& keep = mapping.levels[l].keep;
      if (auto k = d.optional("keep")) {
        auto ks = data_space_list(*k, w);
        for (int pv = 0; pv < nds; ++pv)
          if (ks[pv]) keep[pv] = true;
      }
      if (auto b = d.optional("bypass")) {
        auto bs = data_space_list(*b, w);
        for (int pv = 0; pv < nds; ++pv)
          if (bs[pv]) {
            if (d.optional("keep") && data_space_list(d.required("keep"), w)[pv])
              b->fail("data space '" + w.data_spaces[pv].name + "' is both kept and bypassed");
            keep[pv] = false;
          }
      }
    } else {
      d.required("type").fail("unknown directive type '" + type + "'" +
                              did_you_mean(type, {"temporal", "spatial", "datatype", "bypass"}) +
                              "; expected temporal, spatial, datatype (or dataspace, bypass)");
    }
  }

  // Unspecified factors are 1; the factors of each dimension must multiply to its bound (as
  // Timeloop's parser checks, residuals included).
  for (int d = 0; d < w.num_dims(); ++d) {
    std::int64_t extent = 1, scale = 1;
    for (int l = 0; l < nlev; ++l) {
      for (auto* f : {&dir[l].spatial_factors, &dir[l].temporal_factors}) {
        if (!*f || !(*f)->count(d)) continue;
        const Factor& fac = (**f).at(d);
        // Checked: factors beyond the bound saturate (the mismatch below reports them).
        auto step = limits::checked_mul(scale, fac.residual - 1);
        auto next = limits::checked_mul(scale, fac.end);
        auto sum = step ? limits::checked_add(extent, *step) : std::nullopt;
        extent = sum ? *sum : limits::kMaxAccesses;
        scale = next ? *next : limits::kMaxAccesses;
      }
    }
    if (extent == w.bounds[d]) continue;
    // Point at the outermost 'factors' that gives this dimension a factor.
    Cursor at = list;
    for (int l = nlev - 1; l >= 0; --l)
      if (dir[l].temporal_at) at = *dir[l].temporal_at;
    for (int l = 0; l < nlev; ++l) {
      const auto& ld = dir[l];
      if (ld.spatial_factors && ld.spatial_factors->count(d) && ld.spatial_factors_at)
        at = *ld.spatial_factors_at;
      if (ld.temporal_factors && ld.temporal_factors->count(d) && ld.temporal_factors_at)
        at = *ld.temporal_factors_at;
    }
    at.fail("the factors of dimension " + w.dims[d] + " cover " + std::to_string(extent) +
            " iterations across all levels, but its bound is " + std::to_string(w.bounds[d]) +
            "; expected the factors of " + w.dims[d] + " to multiply to " +
            std::to_string(w.bounds[d]) + " (Timeloop's parser rejects this mapping too)");
  }

  for (int l = 0; l < nlev; ++l) {
    auto& ld = dir[l];
    auto build = [&](const std::optional<std::map<int, Factor>>& factors, std::vector<int> perm,
                     bool spatial) {
      // Complete a partial permutation with the remaining dimensions, outermost.
      for (int d = 0; d < w.num_dims(); ++d) {
        bool present = false;
        for (int p : perm) present |= (p == d);
        if (!present) perm.push_back(d);
      }
      std::int64_t split = static_cast<std::int64_t>(perm.size());
      if (spatial) {
        if (ld.split) split = *ld.split;
        else if (arch.fanout_x(l) <= 1 && arch.fanout_y(l) > 1) split = 0;
      }
      std::vector<Loop> loops;
      for (std::size_t i = 0; i < perm.size(); ++i) {
        int d = perm[i];
        Factor f;
        if (factors && factors->count(d)) f = factors->at(d);
        Loop loop;
        loop.dim = d;
        loop.end = f.end;
        loop.residual_end = f.residual;
        loop.spacetime = !spatial ? Spacetime::Time
                                  : (static_cast<std::int64_t>(i) < split ? Spacetime::SpaceX
                                                                          : Spacetime::SpaceY);
        if (!loop.trivial()) loops.push_back(loop);
      }
      return loops;
    };
    mapping.levels[l].temporal = build(ld.temporal_factors, ld.temporal_perm, false);
    mapping.levels[l].spatial = build(ld.spatial_factors, ld.spatial_perm, true);
  }
  for (int pv = 0; pv < nds; ++pv) {
    bool somewhere = false;
    for (int l = 0; l < nlev; ++l) somewhere |= mapping.levels[l].keep[pv];
    if (!somewhere)
      list.fail("data space '" + w.data_spaces[pv].name + "' is bypassed at every level");
  }
  return mapping;
}

}  // namespace loopsim::io
