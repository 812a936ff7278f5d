// The evaluation model: Timeloop's (the default; its numbers exactly) or `accurate`, a
// closer-to-silicon variant (docs/cost-model.md §8): multicast and spatial reduction by
// word across nested spatial levels, and run-length-coded DRAM traffic from tensor
// densities. Given by `--model` or the `loopsim_model:` key of the inputs.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "loopsim/workload/workload.hpp"

namespace loopsim {

enum class ModelMode { Timeloop, Accurate };

struct ModelConfig {
  ModelMode mode = ModelMode::Timeloop;
  // Per data space (workload order): the fraction of nonzero words; none: dense, no coding.
  std::array<std::optional<double>, kMaxDataSpaces> density{};
  int rlc_run_bits = 5;  // bits of the zero-run field of one RLC pair (Eyeriss: 5)
  // Where densities: was given (for the warning when the model is not accurate).
  std::string densities_file;
  int densities_line = 0;
  [[nodiscard]] bool accurate() const { return mode == ModelMode::Accurate; }
};

// "timeloop" or "accurate"; nullopt for anything else.
std::optional<ModelMode> model_mode_from_string(const std::string& s);

// Run-length coding of zeros: each nonzero word is sent as a pair (zeros before it in
// run_bits, the value in word_bits); a run longer than 2^run_bits - 1 zeros costs an extra
// pair with a zero value. With zeros independent at density d, the expected pairs per word
// are d / (1 - (1-d)^(2^run_bits)) and the coded size of n words is
//   n * d * (word_bits + run_bits) / (word_bits * (1 - (1-d)^(2^run_bits)))  words,
// never more than n (a tensor that does not shrink is sent uncoded). Rounded up.
double rlc_ratio(double density, int word_bits, int run_bits);
std::uint64_t rlc_words(std::uint64_t words, double density, int word_bits, int run_bits);

}  // namespace loopsim
