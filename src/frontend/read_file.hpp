// Safe reading of input files (private to frontend/).
#pragma once

#include <string>

namespace loopsim::frontend {

// The whole text of a regular file of at most limits::kMaxFileBytes; ConfigError otherwise
// (a FIFO, a device, a directory, a read error), naming the file.
std::string read_input_file(const std::string& path);
// The line where lists and maps first nest deeper than limits::kMaxNesting, or 0.
int too_deep_line(const std::string& text);

}  // namespace loopsim::frontend
