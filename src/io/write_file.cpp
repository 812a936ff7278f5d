// Output files are written whole or not at all: into a temporary file beside the target,
// checked, then renamed over it. Every failure names the file and the OS error.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "loopsim/core/error.hpp"
#include "loopsim/io/emit.hpp"

namespace loopsim::io {

void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& fill) {
  std::string tmp = path + ".tmp" + std::to_string(::getpid());
  auto fail = [&](int err, const char* what) {
    std::remove(tmp.c_str());
    throw ConfigError(path, 0, "-o",
                      std::string(what) + ": " + (err ? std::strerror(err) : "write failed"));
  };
  errno = 0;
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) fail(errno, "cannot write this file");
  fill(out);
  errno = 0;
  out.flush();
  if (!out) fail(errno, "cannot write this file");
  out.close();
  if (out.fail()) fail(errno, "cannot write this file");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail(errno, "cannot replace this file");
}

}  // namespace loopsim::io
