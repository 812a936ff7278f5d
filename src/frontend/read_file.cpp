// Reading an input file safely (regular files only, a size limit, every failure naming the
// file) and the nesting-depth check, before any text reaches yaml-cpp (docs/formats.md, Limits).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "loopsim/core/error.hpp"
#include "loopsim/core/limits.hpp"
#include "read_file.hpp"

namespace loopsim::frontend {

// The whole text of an input file. Only regular files are read (a FIFO without a writer
// would block, /dev/zero never ends); the size is limited; every failure names the file.
std::string read_input_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw ConfigError(path, 0, "", std::string("cannot open file: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode))
    throw ConfigError(path, 0, "", "is a directory; expected a YAML file");
  if (!S_ISREG(st.st_mode))
    throw ConfigError(path, 0, "",
                      "not a regular file (a FIFO, socket or device); expected a YAML file");
  auto too_large = [&](std::int64_t bytes) {
    return ConfigError(path, 0, "",
                       "the file is larger than loopsim reads (" + std::to_string(bytes) +
                           " bytes or more; the limit is " +
                           std::to_string(limits::kMaxFileBytes >> 20) +
                           " MiB, docs/formats.md, Limits)");
  };
  if (st.st_size > limits::kMaxFileBytes) throw too_large(st.st_size);
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    throw ConfigError(path, 0, "", std::string("cannot open file: ") + std::strerror(errno));
  std::string text;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw ConfigError(path, 0, "", std::string("cannot read file: ") + std::strerror(err));
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (static_cast<std::int64_t>(text.size()) > limits::kMaxFileBytes) {
      ::close(fd);
      throw too_large(static_cast<std::int64_t>(text.size()));
    }
  }
  ::close(fd);
  return text;
}

// The line where lists and maps first nest deeper than the limit, or 0. Counts block
// nesting by indentation and '- ' items, and flow nesting by brackets outside quotes and
// comments; a conservative over-count only matters near the limit, far above real files.
int too_deep_line(const std::string& text) {
  int line = 1, flow = 0;
  std::vector<std::size_t> indents;  // open block levels by indentation
  std::size_t i = 0, n = text.size();
  while (i < n) {
    std::size_t eol = text.find('\n', i);
    if (eol == std::string::npos) eol = n;
    std::size_t col = i;
    while (col < eol && text[col] == ' ') ++col;
    if (flow == 0 && col < eol && text[col] != '#') {
      std::size_t ind = col - i;
      while (!indents.empty() && indents.back() > ind) indents.pop_back();
      if (indents.empty() || indents.back() < ind) indents.push_back(ind);
      std::size_t k = col, dashes = 0;
      while (k + 1 < eol && text[k] == '-' && text[k + 1] == ' ') {
        ++dashes;
        k += 2;
        while (k < eol && text[k] == ' ') ++k;
      }
      if (static_cast<int>(indents.size() + dashes) > limits::kMaxNesting) return line;
    }
    char quote = 0;
    for (std::size_t k = col; k < eol; ++k) {
      char c = text[k];
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '"' || c == '\'') quote = c;
      else if (c == '#' && (k == i || text[k - 1] == ' ')) break;
      else if (c == '[' || c == '{') {
        if (static_cast<int>(indents.size()) + ++flow > limits::kMaxNesting) return line;
      } else if ((c == ']' || c == '}') && flow > 0) --flow;
    }
    i = eol + 1;
    ++line;
  }
  return 0;
}

}  // namespace loopsim::frontend
