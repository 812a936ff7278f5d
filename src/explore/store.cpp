// SQLite store of a sweep (store.hpp): schema, one transaction per point, WAL journal with
// synchronous=FULL (a committed point survives a crash of the process or of the machine).
#include "loopsim/explore/store.hpp"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "loopsim/core/error.hpp"

namespace loopsim::explore {

namespace {

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS points (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  params TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  energy_pj REAL, cycles INTEGER, edp REAL, area_um2 REAL, utilization REAL, macs INTEGER,
  level_energy TEXT NOT NULL DEFAULT '{}',
  mapping TEXT NOT NULL DEFAULT '',
  stats TEXT NOT NULL DEFAULT '',
  seconds REAL NOT NULL DEFAULT 0,
  ert_notes TEXT NOT NULL DEFAULT '[]',
  finished_at TEXT NOT NULL DEFAULT (datetime('now'))
);)";

struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt(sqlite3* db, const char* sql, const std::string& path) {
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
      throw ConfigError(path, 0, "", std::string("SQLite: ") + sqlite3_errmsg(db));
  }
  ~Stmt() { sqlite3_finalize(s); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  void text(int i, const std::string& v) {
    sqlite3_bind_text(s, i, v.c_str(), -1, SQLITE_TRANSIENT);
  }
  [[nodiscard]] std::string col_text(int i) const {
    const unsigned char* t = sqlite3_column_text(s, i);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
};

}  // namespace

Store::Store(const std::string& path) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw ConfigError(path, 0, "", "cannot open the sweep database: " + msg);
  }
  sqlite3_busy_timeout(db_, 10000);
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=FULL");
  exec(kSchema);
  // Stores made before the ert_notes column (energy follows the design) get it.
  bool has_notes = false;
  {
    Stmt st(db_, "SELECT name FROM pragma_table_info('points')", path_);
    while (sqlite3_step(st.s) == SQLITE_ROW) has_notes |= st.col_text(0) == "ert_notes";
  }
  if (!has_notes) exec("ALTER TABLE points ADD COLUMN ert_notes TEXT NOT NULL DEFAULT '[]'");
}

Store::~Store() { sqlite3_close(db_); }

void Store::exec(const std::string& sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw ConfigError(path_, 0, "", "SQLite: " + msg);
  }
}

std::map<int, std::pair<std::string, std::string>> Store::index() const {
  std::map<int, std::pair<std::string, std::string>> out;
  Stmt st(db_, "SELECT id, hash, status FROM points", path_);
  while (sqlite3_step(st.s) == SQLITE_ROW)
    out[sqlite3_column_int(st.s, 0)] = {st.col_text(1), st.col_text(2)};
  return out;
}

void Store::put(const PointResult& r) {
  nlohmann::ordered_json levels = nlohmann::ordered_json::object();
  for (const auto& [name, pj] : r.level_energy_pj) levels[name] = pj;
  exec("BEGIN IMMEDIATE");
  try {
    Stmt st(db_,
            "INSERT OR REPLACE INTO points (id, hash, params, status, error, energy_pj, cycles, "
            "edp, area_um2, utilization, macs, level_energy, mapping, stats, seconds, ert_notes) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            path_);
    sqlite3_bind_int(st.s, 1, r.id);
    st.text(2, r.hash);
    st.text(3, r.params_json);
    st.text(4, r.status);
    st.text(5, r.error);
    if (r.status == "ok") {
      sqlite3_bind_double(st.s, 6, r.energy_pj);
      sqlite3_bind_int64(st.s, 7, static_cast<sqlite3_int64>(r.cycles));
      sqlite3_bind_double(st.s, 8, r.edp);
      sqlite3_bind_double(st.s, 10, r.utilization);
      sqlite3_bind_int64(st.s, 11, static_cast<sqlite3_int64>(r.macs));
    }
    if (r.status == "ok" || r.status == "filtered") sqlite3_bind_double(st.s, 9, r.area_um2);
    st.text(12, levels.dump());
    st.text(13, r.mapping_yaml);
    st.text(14, r.stats_json);
    sqlite3_bind_double(st.s, 15, r.seconds);
    st.text(16, r.ert_notes.empty() ? "[]" : r.ert_notes);
    if (sqlite3_step(st.s) != SQLITE_DONE)
      throw ConfigError(path_, 0, "", std::string("SQLite: ") + sqlite3_errmsg(db_));
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
  exec("COMMIT");
}

void Store::erase(const std::vector<int>& ids) {
  if (ids.empty()) return;
  exec("BEGIN IMMEDIATE");
  for (int id : ids) exec("DELETE FROM points WHERE id = " + std::to_string(id));
  exec("COMMIT");
}

std::vector<PointResult> Store::all() const {
  std::vector<PointResult> out;
  Stmt st(db_,
          "SELECT id, hash, params, status, error, energy_pj, cycles, edp, area_um2, "
          "utilization, macs, level_energy, mapping, stats, seconds, ert_notes FROM points ORDER BY id",
          path_);
  while (sqlite3_step(st.s) == SQLITE_ROW) {
    PointResult r;
    r.id = sqlite3_column_int(st.s, 0);
    r.hash = st.col_text(1);
    r.params_json = st.col_text(2);
    r.status = st.col_text(3);
    r.error = st.col_text(4);
    r.energy_pj = sqlite3_column_double(st.s, 5);
    r.cycles = static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 6));
    r.edp = sqlite3_column_double(st.s, 7);
    r.area_um2 = sqlite3_column_double(st.s, 8);
    r.utilization = sqlite3_column_double(st.s, 9);
    r.macs = static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 10));
    auto levels = nlohmann::ordered_json::parse(st.col_text(11), nullptr, false);
    if (levels.is_object())
      for (auto it = levels.begin(); it != levels.end(); ++it)
        r.level_energy_pj.emplace_back(it.key(), it.value().get<double>());
    r.mapping_yaml = st.col_text(12);
    r.stats_json = st.col_text(13);
    r.seconds = sqlite3_column_double(st.s, 14);
    r.ert_notes = st.col_text(15);
    out.push_back(std::move(r));
  }
  return out;
}

void Store::set_meta(const std::string& key, const std::string& value) {
  Stmt st(db_, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", path_);
  st.text(1, key);
  st.text(2, value);
  if (sqlite3_step(st.s) != SQLITE_DONE)
    throw ConfigError(path_, 0, "", std::string("SQLite: ") + sqlite3_errmsg(db_));
}

}  // namespace loopsim::explore
