// The results store of a sweep: DIR/sweep.sqlite (system SQLite, WAL mode, one writer).
// Every finished point is one committed transaction, so a killed process loses at most the
// points in flight. Contract: the table `points` (one row per point id) holds the point's
// parameters (JSON), the hash of its resolved inputs, status, error text, the summary figures,
// per-level energies (JSON), the mapping (map.yaml text) and the full stats JSON.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "loopsim/explore/run_point.hpp"

struct sqlite3;

namespace loopsim::explore {

class Store {
 public:
  // Opens (creating) the database; ConfigError naming the file when it cannot.
  explicit Store(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Point id -> (hash, status) of every stored point.
  [[nodiscard]] std::map<int, std::pair<std::string, std::string>> index() const;
  // Inserts or replaces a point (one transaction, durable when it returns).
  void put(const PointResult& r);
  // Deletes the points with these ids (one transaction).
  void erase(const std::vector<int>& ids);
  // Every stored point, by id.
  [[nodiscard]] std::vector<PointResult> all() const;
  void set_meta(const std::string& key, const std::string& value);

 private:
  void exec(const std::string& sql) const;
  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace loopsim::explore
