// A network: a DAG of layers (each a Timeloop problem, or an operation that is not mapped:
// pooling, residual add, concat, flatten, elementwise) joined by tensors (a layer's output
// tensor carries the layer's name). Loaded from the network YAML (docs/network.md), checked
// (unknown names, cycles, shapes that disagree on an edge: ConfigError with file:line) and
// ordered topologically. The graph itself is a Boost.Graph inside src/network/network.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "loopsim/core/diagnostics.hpp"
#include "loopsim/workload/workload.hpp"

namespace loopsim::network {

// A tensor's shape: [N, channels, height, width] for convolution-like layers, else one
// entry (its number of elements).
using TensorShape = std::vector<std::int64_t>;
std::string to_string(const TensorShape& s);

struct LayerInput {
  std::string tensor;  // a layer's name or a network input's name
  int line = 0;
  // `{name: T, into: D}`: the tensor feeds the read-only data space D of a problem layer
  // (attention's K and V feed the Weights of QK^T and AV); compared by element count and
  // kept out of the concatenation of the other inputs. Empty: the layer's main input.
  std::string into;
};

struct Layer {
  std::string name;
  int line = 0;  // where the layer is written
  // A problem layer (mapped): the problem file (inline problems are written to a file of
  // their own by load_network) and the loaded workload.
  std::string problem_file;
  Workload workload;
  std::int64_t pad = 0;  // zero padding of the input (convolution-like problems)
  std::int64_t repeat = 1;  // the layer (problem or operation) runs this many times in sequence
  // The data space the input tensor feeds (problems other than convolutions): `into:`, else
  // `Inputs` when there is one, else the first read-only data space.
  std::string into;
  // An operation layer (not mapped; no MACs): maxpool, avgpool, add, concat, flatten,
  // elementwise, reshape, slice. Empty for a problem layer.
  std::string op;
  std::int64_t size = 1, stride = 1;  // pooling window and stride (pad above)
  std::int64_t axis = 1;              // concat: the axis joined (default the channels)
  TensorShape target;                 // reshape, slice: the output shape (`shape:`)
  // Arithmetic operations of an operation layer, all repeats (computed by load_network):
  // elementwise and add: (inputs - 1, at least 1) per output element; pooling: size^2 per
  // output element; concat, flatten, reshape, slice: 0 (data movement).
  std::int64_t op_count = 0;
  std::vector<LayerInput> inputs;
  TensorShape output;  // computed by load_network
  [[nodiscard]] bool is_problem() const { return op.empty(); }
  // MACs of all repeats (0 for an operation layer).
  [[nodiscard]] std::int64_t macs() const;
};

struct NetworkInput {
  std::string name;
  TensorShape shape;
  int line = 0;
};

struct Network {
  std::string file;
  // `variables:` after the overrides, in the order written (name, value).
  std::vector<std::pair<std::string, std::int64_t>> variables;
  std::string name, source;
  std::int64_t stated_macs = -1;  // the file's `macs:` (-1 when absent)
  std::vector<NetworkInput> inputs;
  std::vector<Layer> layers;  // as written
  std::vector<int> order;     // indices of `layers` in topological order
  [[nodiscard]] std::int64_t total_macs() const;
};

// Loads and checks a network file. Problem paths are relative to the network file; inline
// problems are written under `scratch_dir` (created if needed). `diag` receives warnings
// (a stated MAC count that is not the sum of the layers'). `overrides` (NAME, VALUE: the
// command line's --var) replace the values of the network's `variables:` of those names
// (other names are left to the templates of the architecture files).
Network load_network(const std::string& path, const std::string& scratch_dir, Diagnostics* diag,
                     const std::vector<std::pair<std::string, std::string>>& overrides = {});

// A canonical text of a workload (dimensions, bounds, coefficients, projections): equal for
// equal problems however they are written; the key of the mapping cache.
std::string workload_key(const Workload& w);
// "C=64 M=256 R=1 ..." (the dims and bounds, for layers.csv).
std::string workload_summary(const Workload& w);

}  // namespace loopsim::network
