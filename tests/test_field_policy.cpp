// The cost model that decides who evaluates the boundary view (render/field_policy.hpp): which
// path and what resolution for given throughputs, network size and pixel count.
#include <gtest/gtest.h>

#include "core/mlp.hpp"
#include "render/field_policy.hpp"

using namespace mlpviz;
using render::FieldCase;
using render::FieldPath;
using render::GpuProgram;

namespace {

int macs(const std::vector<int>& hidden) {
  std::vector<int> sizes{2};
  sizes.insert(sizes.end(), hidden.begin(), hidden.end());
  sizes.push_back(1);
  std::vector<core::Activation> acts(hidden.size(), core::Activation::Tanh);
  return core::Layout::from_sizes(sizes, acts, core::OutputKind::SigmoidBce).forward_macs();
}

// Throughputs in multiply-adds per ms, of the order measured under Mesa llvmpipe on 2 cores.
FieldCase llvmpipe_case(const std::vector<int>& hidden, bool ready) {
  FieldCase c;
  c.macs_per_pixel = macs(hidden);
  c.pixels = 1000.0 * 800.0;
  c.can_specialize = c.macs_per_pixel <= 1536;
  c.specialized_ready = ready;
  c.compile_ms = 10.0 * c.macs_per_pixel;
  c.gpu_generic_macs_per_ms = 3.0e5;
  c.cpu = {2.0e-5, 1.5e7};
  return c;
}

}  // namespace

TEST(FieldPolicy, FitCpuCostRecoversALine) {
  // 10 ns per pixel fixed + 1 ns per 5 multiply-adds.
  const render::CpuCost c = render::fit_cpu_cost(100, 1e-5 + 100 / 5e6, 2000, 1e-5 + 2000 / 5e6);
  EXPECT_NEAR(c.ms_per_pixel, 1e-5, 1e-9);
  EXPECT_NEAR(c.macs_per_ms, 5e6, 1.0);
  EXPECT_NEAR(c.ms(500, 1000), 1000 * (1e-5 + 500 / 5e6), 1e-9);
  // Order does not matter; a degenerate pair falls back to the larger network's throughput.
  const render::CpuCost d = render::fit_cpu_cost(2000, 1e-5 + 2000 / 5e6, 100, 1e-5 + 100 / 5e6);
  EXPECT_NEAR(d.macs_per_ms, 5e6, 1.0);
  const render::CpuCost e =
      render::fit_cpu_cost(100, 2e-3, 2000, 1e-3);  // the small one slower: noise
  EXPECT_DOUBLE_EQ(e.ms_per_pixel, 0.0);
  EXPECT_NEAR(e.macs_per_ms, 2000 / 1e-3, 1e-6);
}

TEST(FieldPolicy, ScaleAimsAtTheTargetWithinLimits) {
  EXPECT_FLOAT_EQ(render::scale_for(12.0, 3.0, 0.15f), 0.5f);  // a quarter of the pixels
  EXPECT_FLOAT_EQ(render::scale_for(1.0, 3.0, 0.15f), 1.0f);
  EXPECT_FLOAT_EQ(render::scale_for(1e6, 3.0, 0.15f), 0.15f);
  EXPECT_FLOAT_EQ(render::scale_for(0.0, 3.0, 0.15f), 1.0f);
}

TEST(FieldPolicy, LargestNetworkGoesToTheCpuWithoutTryingTheGpu) {
  // 2-[64 x 8]-1: no generated shader; the generic one at 0.3 GMAC/s would take seconds a pass.
  const FieldCase c = llvmpipe_case({64, 64, 64, 64, 64, 64, 64, 64}, false);
  const render::FieldChoice r = render::choose_field_path(c);
  EXPECT_EQ(r.path, FieldPath::Cpu);
  EXPECT_EQ(r.program, GpuProgram::Generic);
  EXPECT_GT(r.gpu_ms_min, render::kGpuTooSlowMs);
  const double expected =
      c.macs_per_pixel * c.pixels * render::kMinFieldScale * render::kMinFieldScale / 3.0e5;
  EXPECT_NEAR(r.gpu_ms_min, expected, 1e-9 * expected);
  EXPECT_NE(r.reason.find("faster than the GPU"), std::string::npos) << r.reason;
  // Its moving resolution aims at the CPU's target time.
  const double px = c.pixels * r.cpu_scale * r.cpu_scale;
  EXPECT_NEAR(c.cpu.ms(c.macs_per_pixel, px), render::kCpuFieldTargetMs, 1.0);
}

TEST(FieldPolicy, SmallNetworkStaysOnTheGpu) {
  // 2-[8,8]-1, compiled at start-up and measured at 6 GMAC/s.
  FieldCase c = llvmpipe_case({8, 8}, true);
  c.gpu_specialized_macs_per_ms = 6e6;
  const render::FieldChoice r = render::choose_field_path(c);
  EXPECT_EQ(r.path, FieldPath::Gpu);
  EXPECT_EQ(r.program, GpuProgram::Specialized);
  EXPECT_TRUE(r.reason.empty());
  EXPECT_NEAR(r.gpu_ms_full, c.macs_per_pixel * c.pixels / 6e6, 1e-9);
  EXPECT_NEAR(r.gpu_ms_full * r.gpu_scale * r.gpu_scale, render::kFieldTargetMs, 1e-6);
}

TEST(FieldPolicy, ExpensiveCompileAfterStartUpIsNotDone) {
  // 2-[32,32]-1 would take about 11 s to compile on llvmpipe: not on the UI thread after start-up.
  FieldCase c = llvmpipe_case({32, 32}, false);
  render::FieldChoice r = render::choose_field_path(c);
  EXPECT_EQ(r.program, GpuProgram::Generic);
  EXPECT_EQ(r.path, FieldPath::Cpu);  // and the generic shader is too slow for it
  EXPECT_NE(r.reason.find("compile"), std::string::npos) << r.reason;
  // Compiled already (cached): no compile cost.
  c.specialized_ready = true;
  c.gpu_specialized_macs_per_ms = 2e7;
  r = render::choose_field_path(c);
  EXPECT_EQ(r.program, GpuProgram::Specialized);
  EXPECT_EQ(r.path, FieldPath::Gpu);
  // A cheap compile (a hardware driver) is allowed.
  c.specialized_ready = false;
  c.gpu_specialized_macs_per_ms = 0;
  c.compile_ms = 20;
  c.gpu_generic_macs_per_ms = 1e8;
  r = render::choose_field_path(c);
  EXPECT_EQ(r.program, GpuProgram::Specialized);
  EXPECT_EQ(r.path, FieldPath::Gpu);
}

TEST(FieldPolicy, SlowGenericShaderLosesToAMuchFasterCpu) {
  // A hardware GPU's generic shader at 4 GMAC/s on a network too big to generate code for: the
  // lowest resolution fits its budget but not its target, and the CPU is over 3 times faster.
  FieldCase c = llvmpipe_case({40, 40, 40}, false);
  ASSERT_FALSE(c.can_specialize);
  c.gpu_generic_macs_per_ms = 4e6;
  c.cpu = {1e-6, 1e8};
  render::FieldChoice r = render::choose_field_path(c);
  EXPECT_LT(r.gpu_ms_min, render::kGpuTooSlowMs);
  EXPECT_GT(r.gpu_ms_min, render::kFieldTargetMs);
  EXPECT_GT(r.gpu_ms_full, render::kCpuPreferFactor * r.cpu_ms_full);
  EXPECT_EQ(r.path, FieldPath::Cpu);
  EXPECT_NE(r.reason.find("a full pass"), std::string::npos) << r.reason;
  // A small view: the GPU meets its target at a reduced resolution, so it keeps the network.
  c.pixels = 150.0 * 100.0;
  EXPECT_EQ(render::choose_field_path(c).path, FieldPath::Gpu);
}

TEST(FieldPolicy, GeneratedShaderJudgedByItsBudgetAlone) {
  // 2-[32,32]-1's generated shader measured at 0.7 GMAC/s: the CPU is faster, but the lowest
  // resolution fits the budget, so the GPU keeps it (no flipping with the machine's load) ...
  FieldCase c = llvmpipe_case({32, 32}, true);
  c.gpu_specialized_macs_per_ms = 7e5;
  c.pixels = 600.0 * 500.0;
  render::FieldChoice r = render::choose_field_path(c);
  EXPECT_GT(r.gpu_ms_full, render::kCpuPreferFactor * r.cpu_ms_full);
  EXPECT_EQ(r.path, FieldPath::Gpu);
  EXPECT_FLOAT_EQ(r.gpu_scale, render::kMinFieldScale);
  // ... until it would miss the budget at the lowest resolution (a bigger view).
  c.pixels = 1600.0 * 1000.0;
  r = render::choose_field_path(c);
  EXPECT_GT(r.gpu_ms_min, render::kGpuTooSlowMs);
  EXPECT_EQ(r.path, FieldPath::Cpu);
}

TEST(FieldPolicy, ForcedPathsWin) {
  FieldCase c = llvmpipe_case({64, 64, 64, 64, 64, 64, 64, 64}, false);
  c.force_gpu = true;
  EXPECT_EQ(render::choose_field_path(c).path, FieldPath::Gpu);
  c = llvmpipe_case({8, 8}, true);
  c.force_cpu = true;
  const render::FieldChoice r = render::choose_field_path(c);
  EXPECT_EQ(r.path, FieldPath::Cpu);
  EXPECT_EQ(r.reason, "MLPVIZ_FIELD=cpu");
}

TEST(FieldPolicy, UnknownGpuIsAssumedFast) {
  // No timing available (no calibration): the GPU evaluates; the timed passes correct it later.
  FieldCase c = llvmpipe_case({64, 64, 64}, false);
  c.gpu_generic_macs_per_ms = 0;
  const render::FieldChoice r = render::choose_field_path(c);
  EXPECT_EQ(r.path, FieldPath::Gpu);
  EXPECT_FLOAT_EQ(r.gpu_scale, 1.0f);
}
