// Inlining Vega. Debian's libjs-vega ships Vega as its separate modules (vega-util.min.js,
// vega-view.min.js, ...; UMD builds that, loaded as plain scripts, would each replace the
// global `vega`), not as one bundle. The page therefore carries a tiny CommonJS loader: each
// module runs with its own `exports` and a `require` that returns the modules loaded before
// it, and the global `vega` is then assembled as Vega's own index does (all exports merged,
// the transforms registered with the dataflow).
#include <cstdlib>

#include "loopsim/report/report.hpp"
#include "page.hpp"

namespace loopsim::report {

namespace fs = std::filesystem;

namespace {

// Dependency order (each module's require() names appear before it). The geographic,
// force, hierarchy, label, regression, voronoi and word-cloud transforms are not used by the
// report's charts and are left out.
const char* const kModules[] = {"vega-util",           "vega-time",       "vega-format",
                                "vega-loader",         "vega-dataflow",   "vega-statistics",
                                "vega-canvas",         "vega-scale",      "vega-scenegraph",
                                "vega-expression",     "vega-selection",  "vega-functions",
                                "vega-event-selector", "vega-parser",     "vega-runtime",
                                "vega-view",           "vega-transforms", "vega-view-transforms",
                                "vega-encode"};

const char* kLoader = R"(var loopsimVegaModules={};
function loopsimDefine(name,factory){var module={exports:{}};
  factory.call(window,module.exports,module,function(dep){
    if(dep==='vega-selections')dep='vega-selection';
    var m=loopsimVegaModules[dep];if(!m)throw new Error('Vega module '+dep+' is not loaded');
    return m;});
  loopsimVegaModules[name]=module.exports;}
)";

const char* kAssemble = R"(var vega=(function(M){var v={};
  for(var k in M)Object.assign(v,M[k]);
  M['vega-util'].extend(M['vega-dataflow'].transforms,M['vega-transforms'],
    M['vega-view-transforms'],M['vega-encode']);
  return v;})(loopsimVegaModules);
)";

bool has_vega(const fs::path& d) {
  std::error_code ec;
  for (const char* m : kModules)
    if (!fs::is_regular_file(d / (std::string(m) + ".min.js"), ec)) return false;
  return true;
}

}  // namespace

fs::path find_vega_dir() {
  if (const char* env = std::getenv("LOOPSIM_VEGA_DIR"); env && *env) {
    if (has_vega(env)) return env;
    throw ReportError(std::string("LOOPSIM_VEGA_DIR=") + env +
                      ": does not hold Vega's modules (vega-util.min.js ... vega-encode.min.js, "
                      "as Debian's libjs-vega installs them in /usr/share/javascript/vega)");
  }
  std::vector<fs::path> tried;
#ifdef LOOPSIM_VEGA_DIR
  tried.emplace_back(LOOPSIM_VEGA_DIR);
#endif
  tried.emplace_back("/usr/share/javascript/vega");
  std::string where;
  for (const auto& d : tried) {
    if (has_vega(d)) return d;
    where += (where.empty() ? "" : ", ") + d.string();
  }
  throw ReportError(
      "Vega is not installed: the report inlines Debian's libjs-vega (vega-view.min.js and its "
      "modules), looked for in " +
      where +
      "; install it with `apt-get install libjs-vega` (scripts/install-deps) or point "
      "LOOPSIM_VEGA_DIR at a folder holding the modules");
}

namespace detail {

std::string vega_script(const fs::path& vega_dir) {
  std::string out = kLoader;
  for (const char* m : kModules) {
    fs::path p = vega_dir / (std::string(m) + ".min.js");
    std::string src = read_text(p);
    if (src.find("</script") != std::string::npos)
      throw ReportError(p.string() + ": contains '</script' and cannot be inlined in a page");
    out += "loopsimDefine('" + std::string(m) + "',function(exports,module,require){\n" + src +
           "\n});\n";
  }
  return out + kAssemble;
}

}  // namespace detail

}  // namespace loopsim::report
