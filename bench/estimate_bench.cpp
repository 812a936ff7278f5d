// Estimating the energy/area tables of a whole architecture (loopsim's Accelergy), the step a
// design-space sweep repeats per point: every component's estimate plus the EnergyTable the
// model uses. Target: under 1 ms per architecture.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "loopsim/io/energy.hpp"

using namespace loopsim;
namespace fs = std::filesystem;

namespace {

void run(benchmark::State& state, const std::vector<std::string>& files) {
  for (const auto& f : files)
    if (!fs::exists(f)) {
      state.SkipWithError(("missing " + f).c_str());
      return;
    }
  io::EnergyModelInputs in = io::load_energy_inputs(files);
  for (auto _ : state) {
    auto comps = io::estimate_architecture(in.arch, in.library, in.variables);
    EnergyTable t = EnergyTable::resolve(in.arch, io::to_energy_inputs(comps));
    benchmark::DoNotOptimize(t);
  }
}

const std::string kRoot = LOOPSIM_SOURCE_DIR;

void BM_EstimateERT_EyerissLike(benchmark::State& state) {
  run(state, {kRoot + "/arch-specs/eyeriss_like/arch.yaml",
              kRoot + "/arch-specs/components/smartbuffers.yaml"});
}

// The exercises' eyeriss_like with their compound classes (nested regfile of per-bit
// registers), when ../shared/conformance is beside the checkout.
void BM_EstimateERT_Timeloop06_Eyeriss(benchmark::State& state) {
  run(state, {kRoot + "/../shared/conformance/v04-ispass2020/06-mapper-convlayer-eyeriss/"
                      "ref-output/parsed-processed-input.yaml"});
}

}  // namespace

BENCHMARK(BM_EstimateERT_EyerissLike)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EstimateERT_Timeloop06_Eyeriss)->Unit(benchmark::kMicrosecond);
