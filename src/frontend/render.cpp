// Jinja2 rendering through Python's jinja2 (Debian's python3-jinja2): scripts/render-jinja.py
// renders one template with timeloopfe's functions and returns the text, a line map and the
// error place as JSON. /usr/bin/python3 first, then python3 on PATH when it has no jinja2.
#include "render.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "loopsim/core/error.hpp"

namespace loopsim::frontend::detail {

namespace {

// Runs argv, returns (exit status, stdout). Throws when it cannot start.
std::pair<int, std::string> run_capture(const std::vector<std::string>& argv) {
  int fds[2];
  if (pipe(fds) != 0) throw ConfigError("", 0, "", "cannot start python3 (pipe)");
  pid_t pid = fork();
  if (pid < 0) throw ConfigError("", 0, "", "cannot start python3 (fork)");
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  char buf[65536];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128, out};
}

}  // namespace

Rendered render_template(const std::string& path, const Options& options,
                         const std::vector<std::string>& include_dirs) {
  nlohmann::json req;
  req["vars"] = nlohmann::json::object();
  for (const auto& [k, v] : options.vars) req["vars"][k] = v;
  req["include_dirs"] = include_dirs;
  std::string request = req.dump();

  // The same template with the same variables renders once per process (load_mapper_inputs
  // reads the files twice).
  static std::mutex mutex;
  static std::map<std::string, Rendered> cache;
  std::string key = path + '\n' + request;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  std::string script = std::string(LOOPSIM_SCRIPTS_DIR) + "/render-jinja.py";
  std::pair<int, std::string> r{127, ""};
  for (const char* python : {"/usr/bin/python3", "python3"}) {
    r = run_capture({python, script, path, request});
    if (r.first != 4 && r.first != 127) break;  // 4: this python has no jinja2
  }
  if (r.first == 127 || r.first == 4)
    throw ConfigError(path, 0, "",
                      "this file is a Jinja2 template and rendering it needs python3 with jinja2 "
                      "(Debian: apt-get install python3-jinja2)");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(r.second);
  } catch (const std::exception&) {
    throw ConfigError(path, 0, "",
                      "rendering this Jinja2 template failed (python3 exit code " +
                          std::to_string(r.first) + ")");
  }
  if (j.contains("error"))
    throw ConfigError(j.value("file", path), j.value("line", 0), "",
                      "Jinja2 template error: " + j["error"].get<std::string>());
  Rendered out;
  out.text = j["text"].get<std::string>();
  auto files = j["files"].get<std::vector<std::string>>();
  for (const auto& o : j["origins"]) {
    auto idx = o[0].get<std::size_t>();
    out.origins.push_back(Origin{idx < files.size() ? files[idx] : path, o[1].get<int>()});
  }
  std::lock_guard<std::mutex> lock(mutex);
  cache.emplace(key, out);
  return out;
}

}  // namespace loopsim::frontend::detail
