// The outputs of a sweep (a contract other tools read; docs/sweep.md, Outputs):
// DIR/points.csv (one row per stored point, by id), DIR/pareto.csv (the same columns, the
// finished points on the exact Pareto front over the objectives), DIR/sweep.json, and the
// summary table of the best point per objective.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "loopsim/explore/run_point.hpp"

namespace loopsim::explore {

// The column names of points.csv and pareto.csv for these points.
std::vector<std::string> csv_header(const SweepSpec& spec, const std::vector<PointResult>& points);
// Writes the CSV of `points` (in the given order) with `header`.
void write_csv(std::ostream& os, const SweepSpec& spec, const std::vector<std::string>& header,
               const std::vector<PointResult>& points);
// The finished points on the Pareto front over spec.objectives, by id.
std::vector<PointResult> pareto_points(const SweepSpec& spec,
                                       const std::vector<PointResult>& points);
// The JSON array of the points (parameters, status, figures, per-level energies; no stats).
void write_points_json(std::ostream& os, const std::vector<PointResult>& points);
// Writes points.csv, pareto.csv and sweep.json into `dir` (each file whole or absent).
void write_outputs(const std::filesystem::path& dir, const SweepSpec& spec, std::size_t planned,
                   const std::vector<PointResult>& points);
// The best finished point per objective, as a small table.
void write_summary(std::ostream& os, const SweepSpec& spec, const std::vector<PointResult>& points);

}  // namespace loopsim::explore
