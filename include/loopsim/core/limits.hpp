// The numeric limits loopsim honours (docs/formats.md, "Limits"): the loaders check every
// size, bound, stride, width and energy against them where it is read, so the analysis never
// sees a value that could wrap; and checked arithmetic for the products that could.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace loopsim::limits {

// The largest whole number read from a file: 2^53, the largest integer a double (in which
// attribute expressions are computed) holds exactly.
inline constexpr std::int64_t kMaxInteger = std::int64_t{1} << 53;
// Tensor coordinates are 32-bit in the analysis (as in Timeloop): every coordinate a data
// space reaches (the sum over a rank's terms of coefficient * (bound - 1)) must fit.
inline constexpr std::int64_t kMaxCoordinate = std::numeric_limits<std::int32_t>::max();
// Operations (product of the bounds) times the widest reach of one operation into a tensor:
// every access count of the analysis stays below this (2^62), so sums of a few never wrap.
inline constexpr std::int64_t kMaxAccesses = std::int64_t{1} << 62;
// Word bits, block and cluster sizes, ports and banks are small counts.
inline constexpr std::int64_t kMaxWordBits = 1 << 20;
inline constexpr std::int64_t kMaxSmallCount = std::numeric_limits<std::int32_t>::max();
// Instances of one component (and mesh sizes): spatial loop bounds are coordinates too.
inline constexpr std::int64_t kMaxInstances = std::numeric_limits<std::int32_t>::max();
// Energies (pJ per action) and areas (um^2): finite and at most 1e15, so that an energy times
// any access count (< 2^62) stays finite.
inline constexpr double kMaxEnergyPj = 1e15;
// Input files are read whole (yaml-cpp needs about 70 bytes of memory per byte of a dense
// file); larger files are refused before reading, which bounds memory near 1 GB.
inline constexpr std::int64_t kMaxFileBytes = std::int64_t{16} << 20;
// Nesting of YAML lists and maps (yaml-cpp recurses; deeper nesting is refused).
inline constexpr int kMaxNesting = 200;

// a * b, or nullopt when it does not fit in int64.
[[nodiscard]] inline std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// a + b, or nullopt when it does not fit in int64.
[[nodiscard]] inline std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// "2^53 = 9007199254740992" for the messages.
[[nodiscard]] inline std::string describe(std::int64_t limit) {
  for (int k = 1; k < 63; ++k)
    if ((std::int64_t{1} << k) == limit)
      return "2^" + std::to_string(k) + " = " + std::to_string(limit);
  if (limit == std::numeric_limits<std::int32_t>::max())
    return "2^31-1 = " + std::to_string(limit);
  return std::to_string(limit);
}

}  // namespace loopsim::limits
