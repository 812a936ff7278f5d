// The accurate model's DRAM compression (run-length coding of zeros); equations in
// include/loopsim/model/accuracy.hpp and docs/cost-model.md §8.
#include "loopsim/model/accuracy.hpp"

#include <algorithm>
#include <cmath>

namespace loopsim {

std::optional<ModelMode> model_mode_from_string(const std::string& s) {
  if (s == "timeloop") return ModelMode::Timeloop;
  if (s == "accurate") return ModelMode::Accurate;
  return std::nullopt;
}

double rlc_ratio(double density, int word_bits, int run_bits) {
  if (density >= 1.0) return 1.0;
  if (density <= 0.0) return 0.0;  // all zeros: nothing but run tokens, vanishing per word
  const double runs = std::ldexp(1.0, run_bits);  // 2^run_bits: a pair covers up to this many words
  const double pairs_per_word = density / (1.0 - std::pow(1.0 - density, runs));
  const double ratio =
      pairs_per_word * static_cast<double>(word_bits + run_bits) / static_cast<double>(word_bits);
  return std::min(1.0, ratio);
}

std::uint64_t rlc_words(std::uint64_t words, double density, int word_bits, int run_bits) {
  const double r = rlc_ratio(density, word_bits, run_bits);
  if (r >= 1.0) return words;
  return static_cast<std::uint64_t>(std::ceil(static_cast<double>(words) * r - 1e-9));
}

}  // namespace loopsim
