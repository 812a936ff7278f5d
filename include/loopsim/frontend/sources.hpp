// Where every node of the resolved tree was written. The front end parses each text (a file,
// or a rendered template) at its own range of yaml-cpp positions (Mark::pos), so one tree can
// hold nodes of many files and each still reports its own file and line.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

namespace loopsim::frontend {

// A place in an input file (line 1-based; 0 when unknown).
struct Origin {
  std::string file;
  int line = 0;
};

// Parses `text` as YAML; its nodes will locate() to `file`. `line_origins`, when given, maps
// each line of `text` (0-based index) to the template line it was rendered from.
// Throws ConfigError (file:line) on a syntax error.
YAML::Node parse_yaml_text(const std::string& text, const std::string& file,
                           const std::vector<Origin>& line_origins = {});

// The file and line a node was written at (nullopt for nodes not parsed by parse_yaml_text).
// A map or list built by a merge has no place of its own: its first entry's place is used.
[[nodiscard]] std::optional<Origin> locate(const YAML::Node& node);

// Reads a whole file (ConfigError when it cannot be read or is not UTF-8 text).
std::string read_text_file(const std::string& path);

// While one is alive, the files read_text_file reads on this thread (the file loaded and
// everything it includes: !include, include(), line includes) are recorded, in order, once
// each. A sweep hashes them (docs/sweep.md). Files a Jinja2 template reads itself ({% include
// %}, {% import %}) are read by Python and not recorded.
class ReadRecorder {
 public:
  ReadRecorder();
  ~ReadRecorder();
  ReadRecorder(const ReadRecorder&) = delete;
  ReadRecorder& operator=(const ReadRecorder&) = delete;
  [[nodiscard]] const std::vector<std::string>& files() const { return files_; }

 private:
  friend std::string read_text_file(const std::string& path);
  std::vector<std::string> files_;
  ReadRecorder* outer_ = nullptr;
};

}  // namespace loopsim::frontend
