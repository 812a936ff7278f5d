// Timeloop's imperfect-factorization ("ruby") mapspace in the inputs: the mapspace
// `template` key (Timeloop's mapspace factory: "uber", the default, or "ruby"; timeloopfe's
// v0.4 `mapspace: {template: ...}`) and the `remainders` key of a temporal or spatial
// constraint (Timeloop's MaxRemainders: the levels whose factors may be imperfect).
#include "io_internal.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::io {

void parse_mapspace_template(const Cursor& tpl, Constraints& out) {
  static const std::vector<std::string> names = {"uber", "ruby"};
  const std::string t = tpl.str();
  if (t == "uber") out.imperfect = false;
  else if (t == "ruby") out.imperfect = true;
  else
    tpl.fail("unknown mapspace template '" + t + "'" + did_you_mean(t, names) +
             "; expected one of: uber (perfect factors), ruby (imperfect factors where a "
             "constraint gives `remainders`)");
}

void parse_remainders(const Cursor& r, bool spatial, LevelConstraints& lc) {
  const std::int64_t v = r.integer();
  if (v < 1)
    r.fail("remainders must be at least 1 (the largest factor and last step allowed here), "
           "got " + r.str());
  auto& dst = spatial ? lc.spatial_remainders : lc.temporal_remainders;
  if (dst && *dst != v)
    r.fail("remainders " + std::to_string(v) + " contradicts remainders " +
           std::to_string(*dst) + " given for this level at " + lc.remainders_at.file + ":" +
           std::to_string(lc.remainders_at.line));
  dst = v;
  lc.remainders_at = SourceLoc{r.file(), r.line(), r.path()};
}

void warn_unused_remainders(const std::optional<Cursor>& first, const Constraints& c) {
  if (first && !c.imperfect)
    first->warn("remainders has no effect with the uber mapspace template (Timeloop's "
                "default, perfect factors only); add `mapspace: {template: ruby}` for "
                "imperfect factors");
}

}  // namespace loopsim::io
