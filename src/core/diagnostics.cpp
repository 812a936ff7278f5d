#include "loopsim/core/diagnostics.hpp"

#include "loopsim/core/error.hpp"

namespace loopsim {

std::string format_warning(const Warning& w) {
  return w.file + ":" + std::to_string(w.line) + ": " +
         (w.key_path.empty() ? "" : w.key_path + ": ") + "warning: " + w.message;
}

void Diagnostics::warn(std::string file, int line, std::string key_path, std::string message) {
  if (strict_)
    throw ConfigError(std::move(file), line, std::move(key_path),
                      message + " (a warning, made an error by --strict)");
  // The same place and text once only (a file loaded twice, a shape checked per layer).
  for (const auto& w : warnings_)
    if (w.file == file && w.line == line && w.key_path == key_path && w.message == message) return;
  warnings_.push_back(Warning{std::move(file), line, std::move(key_path), std::move(message)});
}

}  // namespace loopsim
