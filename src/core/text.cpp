#include "loopsim/core/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "loopsim/core/error.hpp"

namespace loopsim {

ConfigError::ConfigError(std::string file, int line, std::string key_path, std::string message)
    : std::runtime_error(file + ":" + std::to_string(line) + ": " + key_path + ": " + message),
      file_(std::move(file)),
      line_(line),
      key_path_(std::move(key_path)),
      message_(std::move(message)) {}

void internal_failure(const char* file, int line, const std::string& what) {
  throw InternalError(std::string("internal error at ") + file + ":" + std::to_string(line) +
                      ": " + what);
}

int edit_distance(const std::string& a, const std::string& b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= b.size(); ++j) {
      int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

static std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  int best = 1 << 30;
  std::string best_word;
  for (const auto& c : candidates) {
    // Hyphens and underscores are the most common confusion (Timeloop accepts both).
    auto norm = [](std::string s) {
      std::replace(s.begin(), s.end(), '-', '_');
      return lower(s);
    };
    int d = edit_distance(norm(word), norm(c));
    if (d < best) {
      best = d;
      best_word = c;
    }
  }
  // Short names only get a suggestion for a near miss: a one-letter name only for a case or
  // separator difference, up to four letters for one edit.
  const int len = static_cast<int>(word.size());
  int limit = len <= 1 ? 0 : len <= 4 ? 1 : std::max(2, len / 3);
  if (best_word.empty() || best > limit) return "";
  return " (did you mean '" + best_word + "'?)";
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

std::string fixed(double value, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  return buf;
}

std::string significant(double value, int digits) {
  std::ostringstream os;
  os << std::setprecision(digits) << value;
  return os.str();
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace loopsim
