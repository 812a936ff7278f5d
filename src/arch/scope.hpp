// Private to arch/: attribute lookup with expression evaluation (a component's own
// attributes, then the variables), shared by the flattening and the network specs.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include "loopsim/arch/arch_spec.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim {
namespace arch_detail {

// Attribute lookup with expression evaluation over the component's own attributes and
// the variables.
class Scope {
 public:
  Scope(const Attributes& attrs, const Variables& vars) : attrs_(attrs), vars_(vars) {}

  const AttrValue* raw(const std::string& key) const { return attrs_.find(key); }

  std::optional<double> number(const std::string& key) const {
    const AttrValue* v = attrs_.find(key);
    if (!v || v->is_null) return std::nullopt;
    return evaluate(*v, 0);
  }

  // First present key among aliases.
  std::optional<double> number_any(std::initializer_list<const char*> keys,
                                   const AttrValue** which = nullptr) const {
    for (auto k : keys) {
      const AttrValue* v = attrs_.find(k);
      if (v && !v->is_null) {
        if (which) *which = v;
        return evaluate(*v, 0);
      }
    }
    return std::nullopt;
  }

  std::optional<std::string> string(const std::string& key) const {
    const AttrValue* v = attrs_.find(key);
    if (!v || v->is_null) return std::nullopt;
    return v->text;
  }

 private:
  double evaluate(const AttrValue& v, int depth) const {
    if (auto n = parse_number(v.text)) return *n;
    if (v.text == "true" || v.text == "True") return 1.0;
    if (v.text == "false" || v.text == "False") return 0.0;
    // A quoted value is still an expression where a number is needed (timeloopfe evaluates
    // strings such as "max(1, ceil(log2(depth)))"); plain text is an error.
    if (v.quoted && v.text.find_first_of("()+*/") == std::string::npos)
      throw ConfigError(v.loc.file, v.loc.line, v.loc.key_path,
                        "expected a number, got the string \"" + v.text + "\"");
    if (depth > 32)
      throw ConfigError(v.loc.file, v.loc.line, v.loc.key_path,
                        "expression refers to itself: '" + v.text + "'");
    try {
      return evaluate_expression(v.text, [&](const std::string& name) -> std::optional<double> {
        const AttrValue* a = attrs_.find(name);
        if (!a) a = vars_.values.find(name);
        if (!a || a->is_null || a == &v) return std::nullopt;
        return evaluate(*a, depth + 1);
      });
    } catch (const ExprError& e) {
      throw ConfigError(v.loc.file, v.loc.line, v.loc.key_path,
                        std::string("expected a number or an expression over variables; ") +
                            e.what());
    }
  }

  const Attributes& attrs_;
  const Variables& vars_;
};

}  // namespace arch_detail
}  // namespace loopsim
