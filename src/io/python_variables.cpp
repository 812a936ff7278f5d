// `variables:` as timeloopfe evaluates them: each one is a Python expression over the others
// (Specification.parse_expressions evaluates the variables first, with Accelergy's
// parse_expression_for_arithmetic, i.e. Python's eval). loopsim evaluates numbers and
// arithmetic where they are used (core/expr); the variables that need more of Python (lists,
// `[x] * n`, lambdas, comprehensions, as CiMLoop's files write them) are evaluated here, once,
// with the subset in core/pyexpr, and a variable whose value is a number, a boolean or a
// string is replaced by that value. docs/formats.md, "Variables", lists the subset.
#include <cctype>
#include <map>
#include <set>

#include "io_internal.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/pyexpr.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::io {

namespace {

bool has_word(const std::string& text, const std::string& word) {
  for (std::size_t p = text.find(word); p != std::string::npos; p = text.find(word, p + 1)) {
    auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    bool before = p == 0 || !ident(text[p - 1]);
    bool after = p + word.size() >= text.size() || !ident(text[p + word.size()]);
    if (before && after) return true;
  }
  return false;
}

// Text that loopsim's arithmetic (core/expr) cannot read at all: a list or a lambda.
bool needs_python(const AttrValue& v) {
  return !v.quoted && (v.text.find('[') != std::string::npos || has_word(v.text, "lambda"));
}

bool is_literal(const AttrValue& v) {
  return v.is_null || v.quoted || parse_number(v.text).has_value() || v.text == "true" ||
         v.text == "True" || v.text == "false" || v.text == "False";
}

class PythonVariables {
 public:
  explicit PythonVariables(Variables& vars) : vars_(vars) {}

  void run() {
    std::vector<std::string> names;
    for (const auto& [k, v] : vars_.values.items) names.push_back(k);
    for (const auto& name : names) {
      const AttrValue& v = *vars_.values.find(name);
      if (is_literal(v)) continue;
      std::optional<py::Value> x;
      try {
        x = value(name);
      } catch (const ExprError& e) {
        // Arithmetic loopsim reads itself stays as written (evaluated where it is used, with
        // the attributes in scope, as before); Python it cannot read is an error here.
        if (!needs_python(v)) continue;
        std::vector<std::string> known;
        for (const auto& [k, unused] : vars_.values.items) known.push_back(k);
        std::string msg = e.what();
        if (auto q = msg.find("name '"); q != std::string::npos) {
          std::string missing = msg.substr(q + 6, msg.find('\'', q + 6) - q - 6);
          msg += did_you_mean(missing, known);
        }
        throw ConfigError(v.loc.file, v.loc.line, v.loc.key_path,
                          "cannot evaluate '" + v.text + "' as timeloopfe would (Python): " +
                              msg + " (loopsim evaluates the subset of Python in "
                              "docs/formats.md, Variables)");
      }
      AttrValue out = v;
      switch (x->kind) {
        case py::Value::Kind::Number:
        case py::Value::Kind::Bool: out.text = py::repr(*x); break;
        case py::Value::Kind::String:
          out.text = x->text;
          out.quoted = true;
          break;
        default: continue;  // a list or a function: used only by other variables
      }
      vars_.values.set(name, out);
    }
  }

 private:
  // The value of variable `name`, evaluated once; std::nullopt when there is no such variable.
  std::optional<py::Value> value(const std::string& name) {
    const AttrValue* v = vars_.values.find(name);
    if (!v) return std::nullopt;
    if (auto it = done_.find(name); it != done_.end()) return it->second;
    if (busy_.count(name)) throw ExprError("variable '" + name + "' refers to itself");
    busy_.insert(name);
    py::Value x;
    if (v->is_null) {
      x = py::Value{};
    } else if (v->quoted) {
      x = py::Value::string(v->text);
    } else if (auto n = parse_number(v->text)) {
      x = py::Value::of(*n);
    } else if (v->text == "true" || v->text == "True" || v->text == "false" ||
               v->text == "False") {
      x = py::Value::boolean(v->text[0] == 't' || v->text[0] == 'T');
    } else {
      x = py::evaluate(v->text, [this](const std::string& other) { return value(other); });
    }
    busy_.erase(name);
    done_[name] = x;
    return x;
  }

  Variables& vars_;
  std::map<std::string, py::Value> done_;
  std::set<std::string> busy_;
};

}  // namespace

std::string python_text(const Cursor& c) {
  if (c.is_null()) return "None";
  if (c.is_seq()) {
    std::string out = "[";
    bool first = true;
    for (const auto& item : c.items()) {
      out += (first ? "" : ", ") + python_text(item);
      first = false;
    }
    return out + "]";
  }
  if (c.is_map())
    c.fail("a dict is outside the subset of Python loopsim evaluates in variables (a number, "
           "a string, a list or an expression)");
  std::string s = c.str();
  if (!c.quoted()) return s;
  std::string q = "'";
  for (char ch : s) q += (ch == '\'' || ch == '\\') ? std::string("\\") + ch : std::string(1, ch);
  return q + "'";
}

void evaluate_python_variables(Variables& vars) { PythonVariables(vars).run(); }

}  // namespace loopsim::io
