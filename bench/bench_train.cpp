// Throughput of the engine, single thread: training samples per second for the three
// reference networks, and CPU evaluation of a 256 x 256 grid of the same networks.
// Results and machine notes: BENCHMARKS.md. Never used in pass/fail tests.
#include <benchmark/benchmark.h>

#include "core/evaluate.hpp"
#include "train/engine.hpp"

namespace {

using namespace mlpviz;

train::Settings net(int which) {
  train::Settings s = train::default_settings();
  s.optimizer.kind = core::OptimizerKind::Adam;
  s.optimizer.learning_rate = 0.001;
  switch (which) {
    case 0:  // 2-[8,8]-1 tanh, batch 10 (the default network)
      s.net.widths = {8, 8};
      s.net.activations.assign(2, core::Activation::Tanh);
      s.optimizer.batch_size = 10;
      break;
    case 1:  // 2-[8 x 6]-1 ReLU, batch 10
      s.net.widths.assign(6, 8);
      s.net.activations.assign(6, core::Activation::Relu);
      s.net.init = core::InitKind::He;
      s.optimizer.batch_size = 10;
      break;
    case 2:  // 2-[64,32,16]-3 tanh, batch 32, 3-class spiral
      s.net.widths = {64, 32, 16};
      s.net.activations.assign(3, core::Activation::Tanh);
      s.net.classes = 3;
      s.net.output = core::OutputKind::SoftmaxCe;
      s.data.kind = core::DataKind::Spiral;
      s.data.classes = 3;
      s.optimizer.batch_size = 32;
      break;
  }
  s.data.points = 1000;
  return s;
}

const char* kNames[] = {"2-[8,8]-1 tanh b10", "2-[8x6]-1 relu b10", "2-[64,32,16]-3 tanh b32"};

void BM_TrainStep(benchmark::State& state) {
  const train::Settings s = net(static_cast<int>(state.range(0)));
  train::Engine e(s);
  for (auto _ : state) {
    if (!e.step()) state.SkipWithError("step failed");
  }
  state.SetItemsProcessed(state.iterations() * e.effective_batch());
  state.SetLabel(kNames[state.range(0)]);
}
BENCHMARK(BM_TrainStep)->DenseRange(0, 2)->MinTime(1.0);

void BM_Grid256(benchmark::State& state) {
  const train::Settings s = net(static_cast<int>(state.range(0)));
  train::Engine e(s);
  core::GridSpec g;
  g.width = g.height = 256;
  std::vector<float> out;
  core::Workspace<float> ws;
  for (auto _ : state) {
    core::evaluate_grid<float>(e.layout(), s.net.features, e.params().data(), g, out, ws);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * 256 * 256);
  state.SetLabel(kNames[state.range(0)]);
}
BENCHMARK(BM_Grid256)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->MinTime(1.0);

// Metrics evaluation (published with every snapshot): forward + backward on all training points.
void BM_Metrics(benchmark::State& state) {
  train::Settings s = net(0);
  s.data.points = static_cast<int>(state.range(0));
  train::Engine e(s);
  for (auto _ : state) e.update_metrics();
  state.SetItemsProcessed(state.iterations() * e.data().points.size());
}
BENCHMARK(BM_Metrics)->Arg(400)->Arg(10000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
