// The page: HTML with the Vega library and every chart's spec inlined (one file, opens
// offline), a status line the page fills once every view has run (charts, charts with marks,
// errors; read by the browser test), and one CSV per chart beside it.
#include <cstdlib>
#include <fstream>

#include "loopsim/io/emit.hpp"
#include "loopsim/report/report.hpp"
#include "page.hpp"

namespace loopsim::report::detail {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string esc(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// JSON inside <script>: "</" would end the element.
std::string script_json(const json& j) {
  std::string s = j.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 1 < s.size() && s[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
 margin:24px auto;max-width:1120px;padding:0 16px;color:#222;background:#fff}
h1{font-size:1.5em;margin-bottom:2px} h2{font-size:1.15em;margin:28px 0 6px;
 border-bottom:1px solid #ddd;padding-bottom:3px} .sub{color:#555;margin-top:0}
table{border-collapse:collapse;font-size:13px;margin:6px 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f3f3f3} td:first-child,th:first-child{text-align:left}
table.summary td:first-child{font-weight:600;background:#fafafa}
tr.hl td{background:#fff4d6} pre{background:#f7f7f7;border:1px solid #e3e3e3;padding:8px;
 font-size:12px;overflow-x:auto} .caption{color:#555;font-size:13px;margin:2px 0 8px}
.notes{color:#8a5a00;font-size:13px} #loopsim-report-status{color:#777;font-size:12px;
 margin-top:30px} .chart{overflow-x:auto}
)";

// Records errors before anything else runs (the status line reports them).
const char* kErrorHook = R"(
window.loopsimErrors=[];
window.addEventListener('error',function(e){loopsimErrors.push('error: '+(e.message||e));});
window.addEventListener('unhandledrejection',function(e){
  loopsimErrors.push('unhandled rejection: '+(e.reason&&e.reason.message||e.reason));});
(function(){var ce=console.error;console.error=function(){
  loopsimErrors.push('console.error: '+Array.prototype.join.call(arguments,' '));
  return ce.apply(console,arguments);};})();
)";

// Runs every view; then writes "charts=N rendered=M marks=K errors=E" into the status line
// (rendered: charts whose SVG holds at least one mark item).
const char* kRunner = R"(
(function(){
  var status=document.getElementById('loopsim-report-status');
  var runs=LOOPSIM_CHARTS.map(function(c){
    try{
      var view=new vega.View(vega.parse(c.spec),
        {renderer:'svg',container:'#chart-'+c.id,hover:true});
      return view.runAsync();
    }catch(e){loopsimErrors.push('chart '+c.id+': '+e.message);return Promise.resolve(null);}
  });
  Promise.allSettled(runs).then(function(results){
    results.forEach(function(r,i){if(r.status==='rejected')
      loopsimErrors.push('chart '+LOOPSIM_CHARTS[i].id+': '+r.reason);});
    var rendered=0,marks=0;
    LOOPSIM_CHARTS.forEach(function(c){
      var n=document.querySelectorAll('#chart-'+c.id+' svg g.role-mark > *').length;
      marks+=n;if(n>0)rendered++;});
    status.setAttribute('data-state','done');
    status.textContent='loopsim-report: charts='+LOOPSIM_CHARTS.length+' rendered='+rendered+
      ' marks='+marks+' errors='+loopsimErrors.length+
      (loopsimErrors.length?' :: '+loopsimErrors.join(' | '):'');
  });
})();
)";

void write_table(std::string& h, const HtmlTable& t) {
  h += "<section><h2>" + esc(t.title) + "</h2><table><tr>";
  for (const auto& c : t.header) h += "<th>" + esc(c) + "</th>";
  h += "</tr>\n";
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    h += i < t.highlight.size() && t.highlight[i] ? "<tr class=\"hl\">" : "<tr>";
    for (const auto& c : t.rows[i]) h += "<td>" + esc(c) + "</td>";
    h += "</tr>\n";
  }
  h += "</table></section>\n";
}

}  // namespace

void write_page(const Page& page, const fs::path& vega_dir, const fs::path& html_out,
                const fs::path& data_dir) {
  std::string vega = vega_script(vega_dir);
  std::string h;
  h.reserve(vega.size() + (1u << 16));
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" +
       esc(page.title) + "</title>\n<style>" + kStyle + "</style>\n<script>" + kErrorHook +
       "</script>\n<script>\n" + vega + "\n</script>\n</head>\n<body>\n";
  h += "<h1>" + esc(page.title) + "</h1>\n<p class=\"sub\">" + esc(page.subtitle) + "</p>\n";
  h += "<table class=\"summary\">\n";
  for (const auto& [k, v] : page.summary)
    h += "<tr><td>" + esc(k) + "</td><td>" + esc(v) + "</td></tr>\n";
  h += "</table>\n";
  if (!page.notes.empty()) {
    h += "<div class=\"notes\"><p>Warnings of the run:</p><ul>";
    for (const auto& n : page.notes) h += "<li>" + esc(n) + "</li>";
    h += "</ul></div>\n";
  }
  json charts = json::array();
  const std::string data_rel = data_dir.filename().string();
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) throw ReportError(data_dir.string() + ": cannot create the folder: " + ec.message());
  for (const auto& b : page.blocks) {
    if (const auto* c = std::get_if<Chart>(&b)) {
      h += "<section><h2>" + esc(c->title) + "</h2>\n<div class=\"chart\" id=\"chart-" + c->id +
           "\"></div>\n<p class=\"caption\">" + esc(c->caption) + (c->caption.empty() ? "" : " ") +
           "Data: <a href=\"" + esc(data_rel + "/" + c->id + ".csv") + "\">" +
           esc(data_rel + "/" + c->id + ".csv") + "</a></p></section>\n";
      charts.push_back({{"id", c->id}, {"spec", c->spec}});
      io::write_file_atomic((data_dir / (c->id + ".csv")).string(),
                            [&](std::ostream& os) { os << c->data.to_csv(); });
    } else if (const auto* t = std::get_if<HtmlTable>(&b)) {
      write_table(h, *t);
    } else if (const auto* p = std::get_if<Pre>(&b)) {
      h += "<section><h2>" + esc(p->title) + "</h2><pre>" + esc(p->text) + "</pre></section>\n";
    }
  }
  h += "<div id=\"loopsim-report-status\" data-state=\"pending\">loopsim-report: rendering (needs "
       "JavaScript)</div>\n<script>\nvar LOOPSIM_CHARTS=" +
       script_json(charts) + ";\n" + kRunner + "</script>\n</body></html>\n";
  io::write_file_atomic(html_out.string(), [&](std::ostream& os) { os << h; });
}

}  // namespace loopsim::report::detail
