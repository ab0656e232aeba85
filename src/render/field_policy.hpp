// field_policy.hpp: who evaluates the boundary view (the GPU or the CPU worker) and at what
// resolution while the network changes, decided from a cost model before anything is drawn.
//
// Cost of one field pass = multiply-adds per pixel x pixels / throughput of the path:
//   GPU: a program's throughput in multiply-adds per ms. The generic program's is calibrated once
//        at start-up by a small pass (Renderer); a generated (specialized) program's is measured by
//        the timer queries of its own passes, per shape; an unmeasured shape is assumed
//        kSpecializedPrior times the generic program's.
//   CPU: the worker's time per pixel = a fixed part (building features, copying results) plus
//        multiply-adds / throughput, fitted at start-up from two small grids and refined by the
//        worker's own timings.
// A generated program not yet compiled costs its compile time too; compiling blocks the frame
// (software rasterizers compile their code at the first draw), so after start-up a shape whose
// compile is predicted over kMaxCompileStallMs is drawn by the generic program or the CPU instead.
// The rules, in order:
//   1. forced (MLPVIZ_FIELD) -> that path.
//   2. the GPU's pass at the lowest moving resolution predicted over kGpuTooSlowMs -> CPU.
//   3. the generic program missing its target time even at the lowest resolution, and the CPU
//      predicted over kCpuPreferFactor times faster -> CPU. Generated programs are judged by rule 2
//      alone: their measured speed varies with the load of a software rasterizer's threads, and a
//      network that flipped between paths with the machine's load would make the tests and the
//      picture unpredictable.
//   4. else the GPU.
// Pure functions, no GL: unit-tested in tests/test_field_policy.cpp.
#pragma once

#include <string>

namespace mlpviz::render {

// GPU passes aim at this time while the network changes (the shading pass comes on top).
inline constexpr double kFieldTargetMs = 3.0;
inline constexpr float kMinFieldScale = 0.15f;  // lines stay crisp (shading is at full resolution)
// A GPU pass slower than this at kMinFieldScale could not follow training at a few frames a second.
inline constexpr double kGpuTooSlowMs = 25.0;
// The CPU worker's job time aimed at while the network changes, and its lowest resolution.
inline constexpr double kCpuFieldTargetMs = 40.0;
inline constexpr float kMinCpuFieldScale = 0.08f;
// The GPU keeps a network unless the CPU is this much faster (the worker shares the cores with
// the trainer; the GPU path also rings misclassified points in the same pass).
inline constexpr double kCpuPreferFactor = 3.0;
// Longest compile allowed on the UI thread once the window is up (FieldCase::compile_budget_ms).
inline constexpr double kMaxCompileStallMs = 100.0;
inline constexpr double kSpecializedPrior = 4.0;  // generated vs generic program, until measured

// Time per pixel of the CPU worker: ms_per_pixel + macs / macs_per_ms.
struct CpuCost {
  double ms_per_pixel = 2e-5;
  double macs_per_ms = 2.0e6;
  double ms(double macs_per_pixel, double pixels) const {
    return pixels * (ms_per_pixel + macs_per_pixel / macs_per_ms);
  }
};
// The line through two measurements (multiply-adds per pixel, ms per pixel); a degenerate pair
// (equal sizes, a slower small network) gives the pure-throughput model of the larger one.
CpuCost fit_cpu_cost(double macs_a, double ms_per_pixel_a, double macs_b, double ms_per_pixel_b);

enum class FieldPath { Gpu, Cpu };
enum class GpuProgram { Specialized, Generic };

struct FieldCase {
  double macs_per_pixel = 0;       // Layout::forward_macs()
  double pixels = 0;               // of the view at full resolution
  bool can_specialize = false;     // net_codegen's limits
  bool specialized_ready = false;  // compiled already (cached)
  double compile_ms = 0;           // predicted compile time of a shape not yet compiled
  double compile_budget_ms = kMaxCompileStallMs;  // the longest compile allowed now
  double gpu_generic_macs_per_ms = 0;             // calibrated; 0: unknown (no GPU timing)
  double gpu_specialized_macs_per_ms = 0;         // this shape's, measured; 0: not yet
  CpuCost cpu;
  bool force_cpu = false, force_gpu = false;
  std::string gpu_name = "the GPU";  // for the reason, e.g. "the software GPU (llvmpipe)"
};

struct FieldChoice {
  FieldPath path = FieldPath::Gpu;
  // The program the GPU would evaluate with (a generated one only if compiled or cheap to compile).
  GpuProgram program = GpuProgram::Generic;
  double gpu_ms_min = 0;   // predicted GPU pass at kMinFieldScale
  double gpu_ms_full = 0;  // predicted GPU pass at full resolution
  double cpu_ms_full = 0;  // predicted CPU job at full resolution
  float gpu_scale = 1;     // moving resolution aiming at kFieldTargetMs
  float cpu_scale = 1;     // moving resolution aiming at kCpuFieldTargetMs
  std::string reason;      // why the CPU evaluates ("" for the GPU)
};

FieldChoice choose_field_path(const FieldCase& c);

// The resolution (fraction of the view's width and height) whose pass takes about target_ms at
// `ms_full` for all pixels, within [min_scale, 1].
float scale_for(double ms_full, double target_ms, float min_scale);

}  // namespace mlpviz::render
