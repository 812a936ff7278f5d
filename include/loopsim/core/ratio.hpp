// Exact non-negative fractions of counts. Timeloop averages some counts over the spatial
// instances it simulates (in double); loopsim keeps each such average as sum / samples in
// integers and rounds once, where Timeloop turns the figure into an integer count.
#pragma once

#include <cstdint>
#include <numeric>

#include "loopsim/core/error.hpp"

namespace loopsim {

__extension__ typedef __int128 Int128;  // NOLINT: GCC's 128-bit integer, for products

struct Ratio {
  Int128 num = 0, den = 1;

  Ratio() = default;
  Ratio(Int128 n, Int128 d) : num(n), den(d) { LOOPSIM_CHECK(d > 0, "ratio with denominator 0"); }
  static Ratio whole(std::uint64_t n) { return Ratio(static_cast<Int128>(n), 1); }

  Ratio& operator+=(const Ratio& o) {
    if (o.num == 0) return *this;
    if (den == o.den) {
      num += o.num;
    } else {
      Int128 g = gcd(den, o.den);
      num = num * (o.den / g) + o.num * (den / g);
      den = den / g * o.den;
    }
    reduce();
    return *this;
  }
  Ratio& operator-=(const Ratio& o) { return *this += Ratio(-o.num, o.den); }
  Ratio& operator*=(const Ratio& o) {
    Int128 g1 = gcd(num, o.den), g2 = gcd(o.num, den);
    if (g1 == 0) g1 = 1;
    if (g2 == 0) g2 = 1;
    num = (num / g1) * (o.num / g2);
    den = (den / g2) * (o.den / g1);
    reduce();
    return *this;
  }
  friend Ratio operator*(Ratio a, const Ratio& b) { return a *= b; }
  friend Ratio operator+(Ratio a, const Ratio& b) { return a += b; }
  friend Ratio operator-(Ratio a, const Ratio& b) { return a -= b; }

  // Largest integer <= the value; 0 for negative values.
  [[nodiscard]] std::uint64_t floor() const {
    return num <= 0 ? 0 : static_cast<std::uint64_t>(num / den);
  }
  // Nearest integer, halves away from zero (std::round); 0 for negative values.
  [[nodiscard]] std::uint64_t round() const {
    return num <= 0 ? 0 : static_cast<std::uint64_t>((2 * num + den) / (2 * den));
  }

  void reduce() {
    if (den == 1) return;
    Int128 g = gcd(num, den);
    if (g > 1) {
      num /= g;
      den /= g;
    }
  }

 private:
  static Int128 gcd(Int128 a, Int128 b) {
    if (a < 0) a = -a;
    while (b != 0) {
      Int128 t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
};

}  // namespace loopsim
