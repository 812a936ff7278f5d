// Network files: the shipped networks load, their edges check, their MAC counts are the
// published totals; the checks of docs/network.md give file:line errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "loopsim/core/error.hpp"
#include "loopsim/network/network.hpp"

using namespace loopsim;

namespace {

std::string net_path(const std::string& f) {
  return std::string(LOOPSIM_SOURCE_DIR) + "/workloads/networks/" + f;
}
std::string scratch() { return (std::filesystem::temp_directory_path() / ("loopsim-net-test-" + std::to_string(::getpid()))).string(); }

struct Expect {
  const char* file;
  std::int64_t exact;    // sum of G*C*M*R*S*N*P*Q over the layers (workloads/README.md table)
  double published;      // the published total, as rounded in the papers / facts sheet
  int layers;            // mapped layers (conv + FC)
  std::size_t shapes;    // distinct layer shapes (counted by hand from the architectures)
};

// ResNet-50: conv1, fc, and per stage the distinct shapes: stage 2: 1x1a(64->64),
// 3x3, 1x1b(64->256) = proj, 1x1a(256->64) = 4; stages 3-5: block 1's 1x1a, strided
// 3x3, 1x1b, strided proj, and blocks 2+'s 1x1a, 3x3 (1x1b repeats) = 6 each: 24.
// VGG-16: conv1_1, conv1_2, conv2_1, conv2_2, conv3_1, conv3_2 = conv3_3, conv4_1,
// conv4_2 = conv4_3, conv5_1 = conv5_2 = conv5_3, fc6, fc7, fc8: 12.
const Expect kNets[] = {
    {"alexnet.yaml", 724406816, 724.4e6, 8, 8},
    {"vgg16.yaml", 15470264320, 15.47e9, 16, 12},
    {"resnet50.yaml", 4089184256, 4.089e9, 54, 24},
    {"mobilenetv2.yaml", 300774272, 300.8e6, 53, 0},
};

}  // namespace

TEST(Network, ShippedNetworksCountThePublishedMacs) {
  for (const auto& e : kNets) {
    SCOPED_TRACE(e.file);
    Diagnostics diag(false);
    network::Network n = network::load_network(net_path(e.file), scratch(), &diag);
    EXPECT_TRUE(diag.warnings().empty());
    EXPECT_EQ(n.total_macs(), e.exact);
    EXPECT_EQ(n.stated_macs, e.exact);
    EXPECT_NEAR(static_cast<double>(n.total_macs()), e.published, 0.0005 * e.published);
    int mapped = 0;
    std::set<std::string> keys;
    for (const auto& l : n.layers)
      if (l.is_problem()) {
        ++mapped;
        keys.insert(network::workload_key(l.workload));
      }
    EXPECT_EQ(mapped, e.layers);
    if (e.shapes) EXPECT_EQ(keys.size(), e.shapes);
    EXPECT_EQ(n.order.size(), n.layers.size());
    EXPECT_FALSE(n.source.empty());
  }
}

TEST(Network, TopologicalOrderPutsProducersFirst) {
  Diagnostics diag(false);
  network::Network n = network::load_network(net_path("resnet50.yaml"), scratch(), &diag);
  std::vector<int> pos(n.layers.size());
  for (std::size_t k = 0; k < n.order.size(); ++k) pos[n.order[k]] = static_cast<int>(k);
  std::map<std::string, int> idx;
  for (std::size_t i = 0; i < n.layers.size(); ++i) idx[n.layers[i].name] = static_cast<int>(i);
  for (std::size_t i = 0; i < n.layers.size(); ++i)
    for (const auto& in : n.layers[i].inputs)
      if (idx.count(in.tensor)) EXPECT_LT(pos[idx[in.tensor]], pos[i]) << n.layers[i].name;
  // The last layer is the classifier: 2048 -> 1000.
  const auto& fc = n.layers[n.order.back()];
  EXPECT_EQ(fc.name, "fc");
  EXPECT_EQ(fc.output, (network::TensorShape{1, 1000, 1, 1}));
}

namespace {
std::string write(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / ("loopsim-net-unit-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name) << text;
  return (dir / name).string();
}
}  // namespace

TEST(Network, InlineProblemsConcatAndRepeat) {
  std::string p = write("n1.yaml", R"(network:
  name: t
  macs: 99
  inputs:
  - {name: x, shape: [1, 8, 4, 4]}
  layers:
  - name: a
    problem: {instance: {C: 8, M: 8, R: 1, S: 1, N: 1, P: 4, Q: 4}}
    inputs: [x]
  - name: b
    repeat: 3
    problem: {instance: {C: 8, M: 8, R: 1, S: 1, N: 1, P: 4, Q: 4}}
    inputs: [x]
  - name: c
    problem: {instance: {C: 16, M: 4, R: 3, S: 3, N: 1, P: 4, Q: 4}}
    pad: 1
    inputs: [a, b]
)");
  Diagnostics diag(false);
  network::Network n = network::load_network(p, scratch(), &diag);
  // a: 8*8*16 = 1024; b: 3 x 1024; c: 16*4*9*16 = 9216.
  EXPECT_EQ(n.total_macs(), 1024 + 3 * 1024 + 9216);
  EXPECT_EQ(n.layers[2].output, (network::TensorShape{1, 4, 4, 4}));
  ASSERT_EQ(diag.warnings().size(), 1u);  // macs: 99 is not the sum
  EXPECT_EQ(diag.warnings()[0].line, 3);
}

TEST(Network, ResidualAddNeedsEqualShapes) {
  std::string p = write("n2.yaml", R"(network:
  inputs:
  - {name: x, shape: [1, 8, 4, 4]}
  layers:
  - name: a
    problem: {instance: {C: 8, M: 16, R: 1, S: 1, N: 1, P: 4, Q: 4}}
    inputs: [x]
  - {name: sum, op: add, inputs: [a, x]}
)");
  Diagnostics diag(false);
  try {
    (void)network::load_network(p, scratch(), &diag);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.line(), 8);
    EXPECT_EQ(e.key_path(), "network.layers[1].inputs[1]");
    EXPECT_NE(e.message().find("tensor 'x' (1x8x4x4) differs from tensor 'a' (1x16x4x4)"), std::string::npos)
        << e.message();
  }
}

TEST(Network, EinsumEdgesCompareElementCounts) {
  const std::string gemm =
      "{shape: {name: gemm, dimensions: [M, N, K], data_spaces: [{name: A, projection: [[[M]], "
      "[[K]]]}, {name: B, projection: [[[K]], [[N]]]}, {name: Z, projection: [[[M]], [[N]]], "
      "read_write: true}]}, instance: ";
  std::string p = write("n3.yaml", "network:\n  inputs:\n  - {name: x, shape: [24]}\n  layers:\n"
                                   "  - {name: g1, problem: " + gemm + "{M: 4, N: 8, K: 6}}, inputs: [x]}\n"
                                   "  - {name: g2, problem: " + gemm + "{M: 4, N: 2, K: 8}}, inputs: [g1]}\n"
                                   "  - {name: g3, into: B, problem: " + gemm + "{M: 3, N: 4, K: 8}}, inputs: [g1]}\n"
                                   "  - {name: g4, problem: " + gemm + "{M: 4, N: 2, K: 7}}, inputs: [g2]}\n");
  Diagnostics diag(false);
  try {
    (void)network::load_network(p, scratch(), &diag);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    // g1 writes Z = 4x8 = 32 = g2's A (4x8) = g3's B (8x4); g2 writes 4x2 = 8, g4's A is 4x7 = 28.
    EXPECT_EQ(e.line(), 8);
    EXPECT_NE(e.message().find("tensor 'g2' (8) has 8 elements, but its data space 'A' has 28"),
              std::string::npos)
        << e.message();
  }
}
