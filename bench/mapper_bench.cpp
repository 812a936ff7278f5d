// The mapper's own cost per candidate, without the evaluation: draw a random point of the
// mapspace (factorizations, keep masks, loop orders), check fan-out, keeps and capacity, and
// build the Mapping the Evaluator would get. Eyeriss-like design, VGG-16 conv3_2, with its
// node constraints. The search's rate is 1 / (this + one Evaluator::evaluate).
#include <benchmark/benchmark.h>

#include <random>

#include "loopsim/io/load.hpp"
#include "loopsim/mapper/search.hpp"

using namespace loopsim;

namespace {

void BM_MapperCandidate_EyerissLike_VGG16_conv3_2(benchmark::State& state) {
  std::string root = LOOPSIM_SOURCE_DIR;
  std::string a = root + "/arch-specs/eyeriss_like/";
  auto in = io::load_mapper_inputs({a + "arch.yaml", a + "ERT.yaml", a + "ART.yaml",
                                    root + "/workloads/vgg16/conv3_2.yaml"});
  MapSpace ms(in.model.workload, in.model.arch, in.constraints);
  std::mt19937_64 rng(1);
  MapPoint p;
  p.factorization.resize(static_cast<std::size_t>(ms.num_dims()));
  p.keep.resize(static_cast<std::size_t>(ms.num_levels()));
  p.perm.resize(static_cast<std::size_t>(ms.num_levels()));
  Mapping m;
  std::int64_t fitting = 0;
  for (auto _ : state) {
    for (int d = 0; d < ms.num_dims(); ++d)
      p.factorization[static_cast<std::size_t>(d)] =
          static_cast<int>(rng() % ms.factorizations(d).size());
    for (int l = 0; l < ms.num_levels(); ++l) {
      p.keep[static_cast<std::size_t>(l)] = static_cast<int>(rng() % ms.keep_options(l).size());
      auto& pm = p.perm[static_cast<std::size_t>(l)];
      pm = ms.free_dims(p.factorization, l);
      for (std::size_t i = pm.size(); i > 1; --i) std::swap(pm[i - 1], pm[rng() % i]);
    }
    bool ok = ms.spatial_ok(p.factorization) && ms.keeps_ok(p.keep) && ms.fits(p);
    ms.build(p, m);
    fitting += ok;
    benchmark::DoNotOptimize(m);
  }
  state.counters["fitting"] = static_cast<double>(fitting);
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_MapperCandidate_EyerissLike_VGG16_conv3_2)->Unit(benchmark::kMicrosecond);
