// The workload (Timeloop's "problem"): dimensions with bounds, coefficients, and data
// spaces whose coordinates are sums of products of dimensions and coefficients.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace loopsim {

inline constexpr int kMaxDims = 16;        // dimensions of the operation space
inline constexpr int kMaxDataSpaces = 6;   // tensors
inline constexpr int kMaxRanks = 6;        // coordinates of one tensor

// One term of a projection: dimension `dim` times coefficient `coeff` (-1: no coefficient).
struct ProjectionTerm {
  int dim = 0;
  int coeff = -1;
};

struct DataSpace {
  std::string name;
  // One entry per tensor rank; each rank's coordinate is the sum of its terms.
  std::vector<std::vector<ProjectionTerm>> projection;
  bool read_write = false;
};

class Workload {
 public:
  std::string shape_name;
  std::vector<std::string> dims;
  std::vector<std::int64_t> bounds;         // per dim
  std::vector<std::string> coeff_names;
  std::vector<std::int64_t> coeff_values;  // per coefficient
  std::vector<DataSpace> data_spaces;

  // The standard convolution layer: dims C M R S N P Q, coefficients
  // Wstride Hstride Wdilation Hdilation (default 1), data spaces Weights Inputs Outputs.
  static Workload default_cnn_shape();

  [[nodiscard]] int num_dims() const { return static_cast<int>(dims.size()); }
  [[nodiscard]] int num_data_spaces() const { return static_cast<int>(data_spaces.size()); }
  [[nodiscard]] int dim_index(const std::string& name) const;         // -1 if unknown
  [[nodiscard]] int data_space_index(const std::string& name) const;  // -1 if unknown
  [[nodiscard]] int coeff_index(const std::string& name) const;       // -1 if unknown
  [[nodiscard]] std::int64_t coefficient(int c) const { return c < 0 ? 1 : coeff_values[c]; }
  // Number of operations (MACs): product of all dimension bounds.
  [[nodiscard]] std::int64_t operations() const;
  // Number of distinct elements of a tensor over the whole operation space (box projection).
  [[nodiscard]] std::int64_t tensor_size(int ds) const;
  // Elements of a tensor touched by a box of operations with `extent[d]` iterations along
  // each dimension d (the bounding box of its projection).
  [[nodiscard]] std::int64_t box_size(int ds, const std::int64_t* extent) const;
  // Output tensors (read-write) take reductions.
  [[nodiscard]] bool is_read_write(int ds) const { return data_spaces[ds].read_write; }
};

}  // namespace loopsim
