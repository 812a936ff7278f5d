// One evaluation (nest analysis + tiling + buffer model) of a fixed mapping.
// Cases: the shipped Eyeriss-like example, and Timeloop exercise 06 (VGG02 layer 5 on the
// Eyeriss-like design) when ../shared/conformance is beside the checkout.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <iostream>

#include "loopsim/io/load.hpp"
#include "loopsim/model/evaluate.hpp"

using namespace loopsim;
namespace fs = std::filesystem;

namespace {

struct Case {
  io::ModelInputs in;
  EnergyTable table;
};

Case load(const std::vector<std::string>& files) {
  auto in = io::load_inputs(files, true);
  auto table = EnergyTable::resolve(in.arch, in.energy);
  return Case{std::move(in), std::move(table)};
}

// Repeated evaluations with one Evaluator (as the mapper does); state.range(0) == 1 runs
// the one-shot evaluate() instead (fresh buffers each time).
void run(benchmark::State& state, const std::vector<std::string>& files) {
  for (const auto& f : files)
    if (!fs::exists(f)) {
      state.SkipWithError(("missing " + f).c_str());
      return;
    }
  Case c = load(files);
  if (state.range(0) == 1) {
    for (auto _ : state) {
      auto r = evaluate(c.in.workload, c.in.arch, c.table, *c.in.mapping);
      benchmark::DoNotOptimize(r);
    }
    return;
  }
  Evaluator evaluator(c.in.workload, c.in.arch, c.table);
  for (auto _ : state) {
    const Rejection* r = evaluator.run(*c.in.mapping);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(evaluator.result().energy_pj);
  }
}

const std::string kRoot = LOOPSIM_SOURCE_DIR;

void BM_Evaluate_EyerissLike_VGG16_conv3_2(benchmark::State& state) {
  std::string a = kRoot + "/arch-specs/eyeriss_like/";
  run(state, {a + "arch.yaml", a + "ERT.yaml", a + "ART.yaml", kRoot + "/workloads/vgg16/conv3_2.yaml",
              kRoot + "/mappings/eyeriss_like.vgg16-conv3_2.map.yaml"});
}

void BM_Evaluate_Timeloop06_VGG02_layer5(benchmark::State& state) {
  std::string r = kRoot + "/../shared/conformance/v04-ispass2020/06-mapper-convlayer-eyeriss/ref-output/";
  run(state, {r + "parsed-processed-input.yaml", r + "timeloop-mapper.map.yaml",
              r + "timeloop-mapper.ERT.yaml", r + "timeloop-mapper.ART.yaml"});
}

}  // namespace

BENCHMARK(BM_Evaluate_EyerissLike_VGG16_conv3_2)->ArgName("one_shot")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Evaluate_Timeloop06_VGG02_layer5)->ArgName("one_shot")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
