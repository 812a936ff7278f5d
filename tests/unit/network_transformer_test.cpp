// The shipped transformer networks (scripts/gen-transformers.py) against the MAC formulas
// of their published configurations (transformer_macs.hpp), the network variables (L) and
// their command-line overrides, and the layer kinds attention needs: reshape, slice, concat
// along an axis, inputs fed into a data space, operation counts of operation layers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "loopsim/core/error.hpp"
#include "loopsim/network/network.hpp"
#include "loopsim/network/transformer_macs.hpp"

using namespace loopsim;

namespace {

std::string net_path(const std::string& f) {
  return std::string(LOOPSIM_SOURCE_DIR) + "/workloads/networks/" + f;
}
// A folder of this process's own: ctest runs each test in a process of its own, in parallel.
std::filesystem::path own_dir(const std::string& stem) {
  return std::filesystem::temp_directory_path() / (stem + "-" + std::to_string(::getpid()));
}
std::string scratch() { return own_dir("loopsim-tf-test").string(); }
std::string write(const std::string& name, const std::string& text) {
  auto dir = own_dir("loopsim-tf-unit");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name) << text;
  return (dir / name).string();
}
std::size_t distinct_shapes(const network::Network& n) {
  std::set<std::string> keys;
  for (const auto& l : n.layers)
    if (l.is_problem()) keys.insert(network::workload_key(l.workload));
  return keys.size();
}
const network::Layer& layer(const network::Network& n, const std::string& name) {
  for (const auto& l : n.layers)
    if (l.name == name) return l;
  throw std::runtime_error("no layer " + name);
}

struct Case {
  const char* file;
  std::int64_t macs;   // transformer_macs.hpp, from the configuration
  std::size_t shapes;  // distinct problem shapes, counted by hand
};

}  // namespace

TEST(Transformers, ShippedFilesCountTheFormulasMacs) {
  // Distinct shapes: BERT: q = k = v = o (768 -> 768), scores, A V, FFN up, FFN down = 5;
  // GPT-2: + the LM head = 6; ViT: + the patch embedding and the classifier = 7; Llama:
  // q = o (4096 -> 4096), k = v (4096 -> 1024), scores, A V, gate = up, down, LM head = 7.
  const Case cases[] = {
      {"bert-base.yaml", network::bert_base_macs(512).total, 5},
      {"gpt2-small.yaml", network::gpt2_small_macs(1024).total, 6},
      {"vit-b16.yaml", network::vit_b16_macs(224).total, 7},
      {"llama3-8b-prefill.yaml", network::llama3_8b_prefill_macs(2048).total, 7},
      {"llama3-8b-decode.yaml", network::llama3_8b_decode_macs(2048).total, 7},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    Diagnostics diag(false);
    network::Network n = network::load_network(net_path(c.file), scratch(), &diag);
    EXPECT_TRUE(diag.warnings().empty());
    EXPECT_EQ(n.total_macs(), c.macs);
    EXPECT_EQ(n.stated_macs, c.macs);
    EXPECT_EQ(distinct_shapes(n), c.shapes);
    EXPECT_FALSE(n.source.empty());
  }
  // Figures derived by hand (docs/accounting.md's table): BERT-base 12 x (4 x 512 x 768^2 +
  // 2 x 12 x 512^2 x 64 + 2 x 512 x 768 x 3072) = 48,318,382,080.
  EXPECT_EQ(network::bert_base_macs(512).total, 48318382080);
  EXPECT_EQ(network::llama3_8b_decode_macs(2048).total, 8041791488);
}

TEST(Transformers, LlamaLengthIsAVariable) {
  for (std::int64_t L : {256, 2048, 4096}) {
    SCOPED_TRACE(L);
    Diagnostics diag(false);
    std::vector<std::pair<std::string, std::string>> var{{"L", std::to_string(L)}, {"OTHER", "3"}};
    network::Network pre =
        network::load_network(net_path("llama3-8b-prefill.yaml"), scratch(), &diag, var);
    network::Network dec =
        network::load_network(net_path("llama3-8b-decode.yaml"), scratch(), &diag, var);
    EXPECT_TRUE(diag.warnings().empty());  // `macs:` is a formula of L: no disagreement
    EXPECT_EQ(pre.total_macs(), network::llama3_8b_prefill_macs(L).total);
    EXPECT_EQ(dec.total_macs(), network::llama3_8b_decode_macs(L).total);
    ASSERT_EQ(dec.variables.size(), 1u);
    EXPECT_EQ(dec.variables[0].second, L);
    // Decode's Q K^T: 32 layers x 32 query heads x (L + 1) keys x 128 (grouped: G = 8 KV
    // heads, N = 4 query heads each, reading the KV cache and the new key as its Weights).
    const auto& s = layer(dec, "scores");
    EXPECT_EQ(s.macs(), 32 * 32 * (L + 1) * 128);
    EXPECT_EQ(s.output, (network::TensorShape{4, 8 * (L + 1), 1, 1}));
    EXPECT_EQ(layer(dec, "k_all").output, (network::TensorShape{1, 1024, 1, L + 1}));
    EXPECT_EQ(layer(pre, "last_token").output, (network::TensorShape{1, 4096, 1, 1}));
  }
}

TEST(Transformers, OperationCounts) {
  std::string p = write("ops.yaml", R"(network:
  variables: {H: 4, W: 2 * H}
  inputs:
  - {name: x, shape: [1, 2, H, W]}
  layers:
  - {name: act, op: elementwise, repeat: 3, inputs: [x]}
  - {name: mul, op: elementwise, inputs: [act, x]}
  - {name: sum3, op: add, inputs: [mul, x, act]}
  - {name: pool, op: maxpool, size: 2, stride: 2, inputs: [sum3]}
  - {name: flat, op: reshape, shape: [1, 2 * H * W / 4], inputs: [pool]}
)");
  Diagnostics diag(false);
  network::Network n = network::load_network(p, scratch(), &diag);
  // x: 1 x 2 x 4 x 8 = 64 elements. act: 64 per run x 3 runs; mul: 64 (one product per
  // element); sum3: 2 adds per element = 128; pool: 1 x 2 x 2 x 4 = 16 outputs x 4 = 64.
  EXPECT_EQ(layer(n, "act").op_count, 192);
  EXPECT_EQ(layer(n, "mul").op_count, 64);
  EXPECT_EQ(layer(n, "sum3").op_count, 128);
  EXPECT_EQ(layer(n, "pool").op_count, 64);
  EXPECT_EQ(layer(n, "flat").op_count, 0);
  EXPECT_EQ(layer(n, "flat").output, (network::TensorShape{1, 16}));
}

TEST(Transformers, EdgeErrors) {
  const std::string mm =
      "    problem: {shape: {name: g, dimensions: [C, M, N, P], data_spaces: [{name: Weights, "
      "projection: [[[C]], [[M]]]}, {name: Inputs, projection: [[[N]], [[C]], [[P]]]}, {name: "
      "Outputs, projection: [[[N]], [[M]], [[P]]], read_write: true}]}, instance: {C: 4, M: 6, N: "
      "1, P: 2}}\n";
  struct Bad {
    std::string layers;
    int line;
    std::string key, text;
  };
  // Lines: 1 network:, 2 variables, 3 inputs:, 4 x, 5 k, 6 w, 7 w24, 8 layers:, 9 the layer.
  const Bad bad[] = {
      {"  - {name: r, op: reshape, shape: [1, 5], inputs: [x]}\n", 9, "network.layers[0].inputs[0]",
       "reshape 'r' to 1x5 needs the same number of elements as tensor 'x' (1x4x1x2)"},
      {"  - name: m\n" + mm + "    inputs: [x, {name: k, into: Weights}]\n", 11,
       "network.layers[0].inputs[1].into",
       "tensor 'k' (3x7) has 21 elements, but its data space 'Weights' has 24"},
      {"  - name: m\n" + mm + "    inputs: [x, {name: k, into: Outputs}]\n", 11,
       "network.layers[0].inputs[1].into", "no read-only data space 'Outputs'"},
      {"  - {name: s, op: slice, shape: [1, 4, 1, M], inputs: [x]}\n", 9,
       "network.layers[0].shape[3]",
       "expected an integer or an expression over the network's variables (T), got 'M'"},
      {"  - {name: c, op: concat, axis: 3, inputs: [x, w]}\n", 9, "network.layers[0].inputs[1]",
       "differ beyond axis 3: tensor 'w' (1x3x1x2)"},
      {"  - {name: s, op: slice, shape: [1, 4, 1, 3], inputs: [x]}\n", 9,
       "network.layers[0].inputs[0]", "slice 's' to 1x4x1x3 needs no extent larger than"},
      // A main input after one fed into Weights: the message names its own index.
      {"  - name: m\n" + mm + "    inputs: [{name: w24, into: Weights}, w]\n", 11,
       "network.layers[0].inputs[1]",
       "tensor 'w' (1x3x1x2) has 6 elements, but its data space 'Inputs' has 8"},
  };
  for (const auto& b : bad) {
    SCOPED_TRACE(b.text);
    std::string p =
        write("bad.yaml",
              "network:\n  variables: {T: 2}\n  inputs:\n  - {name: x, shape: [1, 4, 1, T]}\n"
              "  - {name: k, shape: [3, 7]}\n  - {name: w, shape: [1, 3, 1, T]}\n"
              "  - {name: w24, shape: [4, 6]}\n"
              "  layers:\n" +
                  b.layers);
    Diagnostics diag(false);
    try {
      (void)network::load_network(p, scratch(), &diag);
      FAIL() << "no error";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.line(), b.line);
      EXPECT_EQ(e.key_path(), b.key);
      EXPECT_NE(e.message().find(b.text), std::string::npos) << e.message();
    }
  }
}
