// Output files are written whole or not at all: into a temporary file beside the target,
// checked, then renamed over it. Every failure names the file and the OS error.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "loopsim/core/error.hpp"
#include "loopsim/io/emit.hpp"

namespace loopsim::io {

void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& fill) {
  std::ostringstream text;
  fill(text);
  const std::string data = text.str();
  std::string tmp = path + ".tmp" + std::to_string(::getpid());
  auto fail = [&](int err, const char* what) {
    ::unlink(tmp.c_str());
    throw ConfigError(path, 0, "-o", std::string(what) + ": " + std::strerror(err));
  };
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw ConfigError(path, 0, "-o", std::string("cannot write this file: ") +
                                                   std::strerror(errno));
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      fail(err, "cannot write this file");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) fail(errno, "cannot write this file");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail(errno, "cannot replace this file");
}

}  // namespace loopsim::io
