// The front end: <<< and << merges, *ignore* keys, !include tags, Jinja2 templates with
// include()/include_all() and --var variables, and the file:line of every resolved node.
#include "loopsim/frontend/frontend.hpp"

#include <gtest/gtest.h>

#include "loopsim/core/error.hpp"
#include "loopsim/io/load.hpp"
#include "test_util.hpp"

using namespace loopsim;
using loopsim::testing::write_temp;

namespace {

YAML::Node load(const std::string& name, const std::string& text, frontend::Options o = {}) {
  return frontend::load_file(write_temp(name, text), o);
}

// The message of the ConfigError `f` throws, as "file-name:line: message".
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return std::filesystem::path(e.file()).filename().string() + ":" + std::to_string(e.line()) +
           ": " + e.message();
  }
  return "(no error)";
}

std::string where(const YAML::Node& n) {
  auto at = frontend::locate(n);
  if (!at) return "(nowhere)";
  return std::filesystem::path(at->file).filename().string() + ":" + std::to_string(at->line);
}

}  // namespace

TEST(Frontend, RecursiveMergeKeepsOwnKeysMergesMapsAndAppendsLists) {
  auto n = load("m.yaml", R"(base_ignore: &b
  instance: {C: 3, M: 8}
  list: [a, b]
  name: base
layer:
  <<<: *b
  name: mine
  instance: {C: 64}
  list: [c]
)");
  auto layer = n["layer"];
  EXPECT_EQ(layer["name"].Scalar(), "mine");         // own key wins
  EXPECT_EQ(layer["instance"]["C"].Scalar(), "64");  // own nested key wins
  EXPECT_EQ(layer["instance"]["M"].Scalar(), "8");   // nested key merged
  ASSERT_EQ(layer["list"].size(), 3u);               // own list, then the merged one
  EXPECT_EQ(layer["list"][0].Scalar(), "c");
  EXPECT_EQ(layer["list"][2].Scalar(), "b");
  EXPECT_FALSE(layer["<<<"].IsDefined());
  EXPECT_FALSE(n["base_ignore"].IsDefined());            // *ignore* keys are dropped
  EXPECT_EQ(where(layer["instance"]["M"]), "m.yaml:2");  // merged value keeps its place
  // The anchor itself is unchanged by the merge into the copy.
  auto again = load("m2.yaml", "a: &a {x: {p: 1}}\nb: {<<<: *a, x: {q: 2}}\nkeep: *a\n");
  EXPECT_FALSE(again["keep"]["x"]["q"].IsDefined());
  EXPECT_EQ(again["b"]["x"]["p"].Scalar(), "1");
}

TEST(Frontend, MergeKeyAddsOnlyMissingKeysAndListsMergeInOrder) {
  auto n = load("k.yaml", R"(a: &a {x: {p: 1}, y: 1}
c: &c {y: 2, z: 3}
b:
  <<: [*a, *c]
  x: {q: 2}
)");
  EXPECT_FALSE(n["b"]["x"]["p"].IsDefined());  // << does not merge nested maps
  EXPECT_EQ(n["b"]["y"].Scalar(), "1");        // the earlier map of the list wins
  EXPECT_EQ(n["b"]["z"].Scalar(), "3");
}

TEST(Frontend, MergesAtAnyDepthIncludingAttributes) {
  auto n = load("d.yaml", R"(architecture:
  nodes:
  - !Component
    name: buf
    attributes:
      defaults_ignore: &d {depth: 16, width: 8}
      <<: *d
      width: 16
)");
  auto attrs = n["architecture"]["nodes"][0]["attributes"];
  EXPECT_EQ(attrs["depth"].Scalar(), "16");
  EXPECT_EQ(attrs["width"].Scalar(), "16");
  EXPECT_EQ(attrs.size(), 2u);
  EXPECT_EQ(n["architecture"]["nodes"][0].Tag(), "!Component");
}

TEST(Frontend, BadMergeValueNamesFileAndLine) {
  EXPECT_EQ(error_of([] { load("bad.yaml", "a: 1\nb:\n  <<<: 3\n"); }),
            "bad.yaml:3: expected a map (or a list of maps) under '<<<': the keys to merge "
            "into this map");
}

TEST(Frontend, IncludeTagKeepsTheIncludedFilesLines) {
  write_temp("inc.yaml", "# comment\nfoo:\n  bar: 7\n");
  auto n = load("top.yaml", "x: 1\ny: !include inc.yaml\nz: !include_all inc*.yaml\n");
  EXPECT_EQ(n["y"]["foo"]["bar"].Scalar(), "7");
  EXPECT_EQ(where(n["y"]["foo"]["bar"]), "inc.yaml:3");
  EXPECT_EQ(where(n["x"]), "top.yaml:1");
  ASSERT_TRUE(n["z"].IsSequence());
  EXPECT_EQ(n["z"][0]["foo"]["bar"].Scalar(), "7");
}

TEST(Frontend, TemplateWithVarsIncludeAndIncludeAll) {
  write_temp("part_one.yaml", "classes: [{name: a}]\n");
  write_temp("part_two.yaml", "classes: [{name: b}, {name: c}]\n");
  write_temp("arch.yaml", "architecture:\n  nodes:\n  - {name: top}\n  - {name: leaf}\n");
  frontend::Options o;
  o.vars = {{"width", "16"}, {"kind", "arch"}};
  auto n = load("top.yaml.jinja2", R"({% set w = width * 2 %}
variables:
  width: {{w}}
  missing: {{ other | default(5) }}
architecture: {{include(kind ~ '.yaml', 'architecture')}}
classes: {{include_all('part_*.yaml', 'classes')}}
)",
                o);
  EXPECT_EQ(n["variables"]["width"].Scalar(), "32");  // 16 read as a number
  EXPECT_EQ(n["variables"]["missing"].Scalar(), "5");
  EXPECT_EQ(n["architecture"]["nodes"][1]["name"].Scalar(), "leaf");
  EXPECT_EQ(where(n["architecture"]["nodes"][1]["name"]), "arch.yaml:4");
  EXPECT_EQ(where(n["variables"]["width"]), "top.yaml.jinja2:3");
  ASSERT_EQ(n["classes"].size(), 3u);  // the lists of both files, joined
  EXPECT_EQ(n["classes"][2]["name"].Scalar(), "c");
}

TEST(Frontend, TemplateErrorsNameTheTemplateLine) {
  EXPECT_EQ(error_of([] { load("t.yaml.j2", "a: 1\n\nb: {{ undefined_thing }}\n"); }),
            "t.yaml.j2:3: Jinja2 template error: UndefinedError: 'undefined_thing' is "
            "undefined (give it with --var NAME=VALUE)");
  // A YAML mistake in the rendered text: the template's line, after lines the template
  // removed ({% if %}) and a loop that repeats one.
  EXPECT_EQ(error_of([] {
              load("u.yaml.jinja2",
                   "{% if false %}\nx: 1\n{% endif %}\nlist:\n{% for i in range(2) %}\n- {{i}}\n"
                   "{% endfor %}\nbad: [1, 2\n");
            }),
            "u.yaml.jinja2:8: YAML syntax error: end of sequence flow not found (a '[' is not "
            "closed with ']'; found while reading line 9)");
}

TEST(Frontend, ErrorInsideAnIncludedFileNamesThatFile) {
  write_temp("inner.yaml", "problem:\n  instance:\n    C: [3\n");
  EXPECT_EQ(error_of([] {
              load("outer.yaml.jinja2", "problem: {{include('inner.yaml', 'problem')}}\n");
            }).substr(0, 13),
            "inner.yaml:3:");
  write_temp("inner2.yaml", "nothing: 1\n");
  std::string msg =
      error_of([] { load("outer2.yaml.jinja2", "p: {{include('inner2.yaml', 'problem')}}\n"); });
  EXPECT_EQ(msg.substr(0, 21), "outer2.yaml.jinja2:1:");
  EXPECT_NE(msg.find("inner2.yaml': no key 'problem' (of 'problem') in it; it has: nothing"),
            std::string::npos)
      << msg;
}

TEST(Frontend, LoaderErrorsInMergedNodesNameTheirOwnFile) {
  // The problem comes from an included file: a bad value there is reported at that file's line.
  write_temp("prob.yaml", R"(shape:
  name: Conv1D
  dimensions: [R, P]
  data_spaces:
  - {name: Weights, projection: [[[R]]]}
  - {name: Inputs, projection: [[[R], [P]]]}
  - {name: Outputs, projection: [[[P]]], read_write: true}
instance: {R: 3, P: -13}
)");
  std::string top = write_temp("top.yaml", "problem: !include prob.yaml\n");
  std::string msg = error_of([&] { io::load_workload_file(top); });
  EXPECT_EQ(msg.substr(0, 12), "prob.yaml:8:") << msg;
}

TEST(Frontend, VarNeedsNameAndEquals) {
  EXPECT_EQ(frontend::parse_var("a=b=c").second, "b=c");
  EXPECT_THROW(frontend::parse_var("novalue"), ConfigError);
  EXPECT_THROW(frontend::parse_var("=x"), ConfigError);
}

TEST(Frontend, IncludeLineIsPastedSoItsAnchorsServeTheFile) {
  write_temp("macros.yaml", "# macros\nbase_ignore: &base {depth: 8, width: 4}\n");
  auto n = load("arch.yaml", "!include ./macros.yaml\n\nnode:\n  <<<: *base\n  width: 16\n");
  EXPECT_EQ(n["node"]["depth"].Scalar(), "8");
  EXPECT_EQ(n["node"]["width"].Scalar(), "16");
  EXPECT_EQ(where(n["node"]["depth"]), "macros.yaml:2");
  EXPECT_EQ(where(n["node"]["width"]), "arch.yaml:5");  // lines after the paste keep theirs
}

TEST(Frontend, NomergeValueIsNotMergedIntoAndMissingIncludeNamesTemplateLine) {
  auto n = load("nm.yaml",
                "a: &a {list: [1, 2], m: {p: 1}}\nb: {<<<: *a, list: !nomerge [3], m: {q: 2}}\n");
  ASSERT_EQ(n["b"]["list"].size(), 1u);  // !nomerge keeps the own list as written
  EXPECT_EQ(n["b"]["m"]["p"].Scalar(), "1");
  std::string msg =
      error_of([] { load("miss.yaml.j2", "a: 1\nb: {{include('no_such_file.yaml', 'x')}}\n"); });
  EXPECT_EQ(msg.substr(0, 14), "miss.yaml.j2:2") << msg;
  EXPECT_NE(msg.find("cannot find 'no_such_file.yaml'"), std::string::npos) << msg;
}
