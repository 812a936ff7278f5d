// Legacy Timeloop libconfig (.cfg) files as YAML: the syntax maps one to one onto YAML flow
// style (`name = value;` -> `name : value,`, groups {} stay, lists () become [], arrays []
// stay, comments become #), written line for line so every node keeps its .cfg line.
#include <cctype>
#include <string>

#include "render.hpp"

namespace loopsim::frontend::detail {

std::string libconfig_to_yaml(const std::string& cfg) {
  std::string out = "{";
  std::size_t i = 0, n = cfg.size();
  auto at = [&](std::size_t k) { return k < n ? cfg[k] : '\0'; };
  while (i < n) {
    char c = cfg[i];
    if (c == '"') {  // a string, escapes as in YAML's double-quoted style
      std::size_t j = i + 1;
      while (j < n && cfg[j] != '"') j += cfg[j] == '\\' ? 2 : 1;
      out += cfg.substr(i, j + 1 - i);
      i = j + 1;
    } else if (c == '#' || (c == '/' && at(i + 1) == '/')) {  // line comment
      while (i < n && cfg[i] != '\n') ++i;
    } else if (c == '/' && at(i + 1) == '*') {  // block comment: keep its line breaks
      i += 2;
      while (i < n && !(cfg[i] == '*' && at(i + 1) == '/')) out += cfg[i++] == '\n' ? "\n" : "";
      i += 2;
    } else if (c == '=' || c == ':') {
      out += " : ";
      ++i;
    } else if (c == ';') {
      out += ",";
      ++i;
    } else if (c == '(' || c == ')') {
      out += c == '(' ? '[' : ']';
      ++i;
    } else if ((c == 'L' || c == 'l') && i > 0 &&
               std::isdigit(static_cast<unsigned char>(cfg[i - 1])) &&
               !std::isalnum(static_cast<unsigned char>(at(i + 1)))) {
      ++i;  // 64-bit integer suffix
    } else {
      out += c;
      ++i;
    }
  }
  out += "\n}\n";
  return out;
}

}  // namespace loopsim::frontend::detail
