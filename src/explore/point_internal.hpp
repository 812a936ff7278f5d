// What run_point.cpp and run_network.cpp share (private to explore/): a point's inputs, its
// search settings, its design's area and its notes of energy following the design.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "loopsim/core/error.hpp"
#include "loopsim/explore/run_point.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/network/network.hpp"

namespace loopsim::explore {

// The point's inputs: files and the front end's options (--set overrides, energy policy).
struct PointInputs {
  std::vector<std::string> files;
  frontend::Options options;
  std::string dataflow;  // a preset file, or empty
  MapperOverrides mapper;
};
PointInputs point_inputs(const SweepSpec& spec, const Point& p,
                         const std::function<std::string(const std::string&)>& dataflow_path);
// The point's search: the inputs' settings with the sweep's work bound, seed and algorithm.
MapperSettings point_settings(const SweepSpec& spec, const PointInputs& in,
                              const io::MapperInputs& mi, int threads);
// Area of the architecture before mapping (what the model reports as area_um2).
double design_area(const ArchSpec& arch, const EnergyTable& t);
nlohmann::ordered_json notes_json(const std::vector<io::ErtNote>& notes);
// "file:line: key.path: message"
std::string located(const ConfigError& e);

// The network of a `run: network` sweep, loaded once; inline problems live in a scratch
// folder removed with it.
struct LoadedNetwork {
  network::Network net;
  std::string scratch;
  std::vector<std::string> included;  // problem files it reads (for the points' hash)
  ~LoadedNetwork();
};

// Loads the network file of a `run: network` sweep (ConfigError with file:line).
std::shared_ptr<const LoadedNetwork> load_sweep_network(const std::string& file);

// Runs every distinct layer shape of the network on the point's design (a search bounded by
// work per shape) and fills `r` with the network's totals; status ok, failed or interrupted.
void run_network_point(const SweepSpec& spec, const Point& p, const PointInputs& in, int threads,
                       const std::atomic<bool>* stop, std::mutex& load_mutex, PointResult& r);

}  // namespace loopsim::explore
