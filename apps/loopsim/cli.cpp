#include "cli.hpp"

#include <fstream>
#include <iostream>

#include "loopsim/core/error.hpp"
#include "loopsim/io/emit.hpp"


namespace loopsim::cli {

void add_common_options(CLI::App* sub, CommonOptions& o) {
  sub->add_flag("--strict", o.strict,
                "Treat warnings (inputs Timeloop accepts that look like a mistake) as errors");
}

void write_file(const fs::path& p, const std::function<void(std::ostream&)>& f) {
  io::write_file_atomic(p.string(), f);
}

fs::path output_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw ConfigError(dir, 0, "-o", "cannot create the output directory: " + ec.message());
  return fs::path(dir);
}

void print_warnings(const Diagnostics& diag) {
  for (const auto& w : diag.warnings()) std::cerr << format_warning(w) << "\n";
}

}  // namespace loopsim::cli
