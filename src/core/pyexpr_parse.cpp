// A parser (text -> tree) and an evaluator for the Python subset of pyexpr.hpp. Grammar
// (lowest precedence first, as Python's):
//   expr := 'lambda' [names] ':' expr | or ['if' or 'else' expr]
//   or := and ('or' and)* ; and := not ('and' not)* ; not := 'not' not | cmp
//   cmp := sum (('<'|'<='|'>'|'>='|'=='|'!='|'in'|'not in') sum)*
//   sum := prod (('+'|'-') prod)* ; prod := unary (('*'|'/'|'//'|'%') unary)*
//   unary := ('-'|'+') unary | power ; power := postfix ['**' unary]
//   postfix := atom ('(' args ')' | '[' expr ']')*
//   atom := number | string | name | '(' [expr {',' expr}] ')' | '[' [list or comprehension] ']'
//   comprehension := expr 'for' names 'in' or ['if' or]
#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "pyexpr_internal.hpp"

namespace loopsim::py::detail {

void fail(const std::string& msg) { throw ExprError(msg); }

namespace {

NodePtr make(Node::Kind k, std::vector<NodePtr> kids = {}, std::string op = {}) {
  auto n = std::make_shared<Node>();
  n->kind = k;
  n->kids = std::move(kids);
  n->op = std::move(op);
  return n;
}

const std::vector<std::string>& keywords() {
  static const std::vector<std::string> k = {"lambda", "if",   "else",  "for",   "in",  "and",
                                             "or",     "not",  "True",  "False", "None"};
  return k;
}

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}

  NodePtr run() {
    NodePtr n = expr();
    skip();
    if (pos_ != s_.size()) error("unexpected '" + s_.substr(pos_) + "'");
    return n;
  }

 private:
  [[noreturn]] void error(const std::string& msg) const { fail(msg); }
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  static bool ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  }
  bool peek(const std::string& tok) {
    skip();
    if (s_.compare(pos_, tok.size(), tok) != 0) return false;
    bool word = ident_char(tok.back());
    return !(word && pos_ + tok.size() < s_.size() && ident_char(s_[pos_ + tok.size()]));
  }
  bool eat(const std::string& tok) {
    if (!peek(tok)) return false;
    pos_ += tok.size();
    return true;
  }
  void expect(const std::string& tok) {
    if (!eat(tok)) error("expected '" + tok + "' at '" + s_.substr(pos_) + "'");
  }
  std::string name() {
    skip();
    std::size_t start = pos_;
    if (pos_ < s_.size() && (std::isalpha(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
      while (pos_ < s_.size() && ident_char(s_[pos_])) ++pos_;
    std::string n = s_.substr(start, pos_ - start);
    if (n.empty()) error("expected a name at '" + s_.substr(start) + "'");
    if (std::find(keywords().begin(), keywords().end(), n) != keywords().end())
      error("'" + n + "' is a keyword, not a name");
    return n;
  }
  std::vector<std::string> names(const std::string& stop) {
    std::vector<std::string> out;
    if (peek(stop)) return out;
    bool paren = eat("(");
    do out.push_back(name());
    while (eat(","));
    if (paren) expect(")");
    return out;
  }
  struct Depth {
    explicit Depth(int& d) : d_(d) {
      if (++d_ > kMaxDepth) fail("expression nested too deeply");
    }
    ~Depth() { --d_; }
    int& d_;
  };

  NodePtr expr() {
    Depth guard(depth_);
    if (eat("lambda")) {
      auto n = make(Node::Kind::Lambda);
      auto params = names(":");
      expect(":");
      auto body = expr();
      auto l = std::make_shared<Node>(*n);
      l->names = std::move(params);
      l->kids = {body};
      return l;
    }
    NodePtr a = disjunction();
    if (peek("if")) {
      // Not a conditional when a comprehension's `if` follows (the caller handles it).
      std::size_t save = pos_;
      eat("if");
      NodePtr cond = disjunction();
      if (!eat("else")) {
        pos_ = save;
        return a;
      }
      return make(Node::Kind::IfElse, {cond, a, expr()});
    }
    return a;
  }
  NodePtr disjunction() {
    NodePtr a = conjunction();
    while (eat("or")) a = make(Node::Kind::Or, {a, conjunction()});
    return a;
  }
  NodePtr conjunction() {
    NodePtr a = negation();
    while (eat("and")) a = make(Node::Kind::And, {a, negation()});
    return a;
  }
  NodePtr negation() {
    Depth guard(depth_);
    if (eat("not")) return make(Node::Kind::Not, {negation()});
    return comparison();
  }
  NodePtr comparison() {
    NodePtr first = sum();
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Compare;
    n->kids.push_back(first);
    for (;;) {
      std::string op;
      for (const char* o : {"<=", ">=", "==", "!=", "<", ">"})
        if (eat(o)) {
          op = o;
          break;
        }
      if (op.empty()) {
        std::size_t save = pos_;
        if (eat("not") && eat("in")) op = "not in";
        else if ((pos_ = save, eat("in"))) op = "in";
        else pos_ = save;
      }
      if (op.empty()) break;
      n->names.push_back(op);
      n->kids.push_back(sum());
    }
    if (n->names.empty()) return first;
    return n;
  }
  NodePtr sum() {
    NodePtr a = product();
    for (;;) {
      if (eat("+")) a = make(Node::Kind::Binary, {a, product()}, "+");
      else if (eat("-")) a = make(Node::Kind::Binary, {a, product()}, "-");
      else return a;
    }
  }
  NodePtr product() {
    NodePtr a = unary();
    for (;;) {
      if (peek("**")) return a;
      if (eat("*")) a = make(Node::Kind::Binary, {a, unary()}, "*");
      else if (eat("//")) a = make(Node::Kind::Binary, {a, unary()}, "//");
      else if (eat("/")) a = make(Node::Kind::Binary, {a, unary()}, "/");
      else if (eat("%")) a = make(Node::Kind::Binary, {a, unary()}, "%");
      else return a;
    }
  }
  NodePtr unary() {
    Depth guard(depth_);
    if (eat("-")) return make(Node::Kind::Unary, {unary()}, "-");
    if (eat("+")) return make(Node::Kind::Unary, {unary()}, "+");
    NodePtr base = postfix();
    if (eat("**")) return make(Node::Kind::Binary, {base, unary()}, "**");
    return base;
  }
  NodePtr postfix() {
    NodePtr a = atom();
    for (;;) {
      if (eat("(")) {
        std::vector<NodePtr> args{a};
        if (!eat(")")) {
          NodePtr first = expr();
          if (peek("for")) {
            args.push_back(comprehension(first));
          } else {
            args.push_back(first);
            while (eat(",")) {
              if (peek(")")) break;
              args.push_back(expr());
            }
          }
          skip();
          if (pos_ < s_.size() && s_[pos_] == '=')
            error("keyword arguments are outside the subset of Python loopsim evaluates");
          expect(")");
        }
        a = make(Node::Kind::Call, std::move(args));
      } else if (eat("[")) {
        NodePtr idx = expr();
        if (peek(":")) error("slices are outside the subset of Python loopsim evaluates");
        expect("]");
        a = make(Node::Kind::Index, {a, idx});
      } else if (peek(".") && !(pos_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_ + 1])))) {
        error("attributes ('x.y') are outside the subset of Python loopsim evaluates");
      } else {
        return a;
      }
    }
  }
  NodePtr comprehension(NodePtr element) {
    expect("for");
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Comprehension;
    n->names = names("in");
    expect("in");
    n->kids = {element, disjunction()};
    if (eat("if")) n->kids.push_back(disjunction());
    if (peek("for")) error("nested 'for' clauses are outside the subset of Python loopsim evaluates");
    return n;
  }
  NodePtr atom() {
    skip();
    if (pos_ >= s_.size()) error("unexpected end of expression");
    char c = s_[pos_];
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && pos_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_ + 1])))) {
      const char* begin = s_.c_str() + pos_;
      char* end = nullptr;
      double v = std::strtod(begin, &end);
      pos_ += static_cast<std::size_t>(end - begin);
      auto n = make(Node::Kind::Literal);
      auto l = std::make_shared<Node>(*n);
      l->literal = Value::of(v);
      return l;
    }
    if (c == '"' || c == '\'') {
      std::string out;
      ++pos_;
      while (pos_ < s_.size() && s_[pos_] != c) {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
        out += s_[pos_++];
      }
      if (pos_ >= s_.size()) error("unterminated string");
      ++pos_;
      auto l = std::make_shared<Node>();
      l->kind = Node::Kind::Literal;
      l->literal = Value::string(out);
      return l;
    }
    if (eat("(")) {
      if (eat(")")) return make(Node::Kind::Tuple);
      NodePtr first = expr();
      if (peek("for")) {
        NodePtr g = comprehension(first);
        expect(")");
        return g;
      }
      if (!eat(",")) {
        expect(")");
        return first;
      }
      std::vector<NodePtr> items{first};
      while (!eat(")")) {
        items.push_back(expr());
        if (!eat(",")) {
          expect(")");
          break;
        }
      }
      return make(Node::Kind::Tuple, std::move(items));
    }
    if (eat("[")) {
      if (eat("]")) return make(Node::Kind::List);
      NodePtr first = expr();
      if (peek("for")) {
        NodePtr g = comprehension(first);
        expect("]");
        return g;
      }
      std::vector<NodePtr> items{first};
      while (eat(",")) {
        if (peek("]")) break;
        items.push_back(expr());
      }
      expect("]");
      return make(Node::Kind::List, std::move(items));
    }
    if (c == '{') error("dicts and sets are outside the subset of Python loopsim evaluates");
    for (const char* k : {"True", "False", "None"})
      if (eat(k)) {
        auto l = std::make_shared<Node>();
        l->kind = Node::Kind::Literal;
        if (k[0] != 'N') l->literal = Value::boolean(k[0] == 'T');
        return l;
      }
    return make(Node::Kind::Name, {}, name());
  }

  const std::string& s_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

NodePtr parse(const std::string& text) { return Parser(text).run(); }

}  // namespace loopsim::py::detail
