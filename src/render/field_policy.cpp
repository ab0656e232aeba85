#include "render/field_policy.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mlpviz::render {
namespace {

std::string ms_text(double ms) {
  char b[32];
  std::snprintf(b, sizeof b, ms < 10 ? "%.1f ms" : "%.0f ms", ms);
  return b;
}

}  // namespace

CpuCost fit_cpu_cost(double macs_a, double ms_per_pixel_a, double macs_b, double ms_per_pixel_b) {
  if (macs_a > macs_b) {
    std::swap(macs_a, macs_b);
    std::swap(ms_per_pixel_a, ms_per_pixel_b);
  }
  CpuCost c;
  const double slope =
      macs_b > macs_a ? (ms_per_pixel_b - ms_per_pixel_a) / (macs_b - macs_a) : 0.0;
  if (slope > 0 && ms_per_pixel_a - slope * macs_a >= 0) {
    c.macs_per_ms = 1.0 / slope;
    c.ms_per_pixel = ms_per_pixel_a - slope * macs_a;
  } else if (ms_per_pixel_b > 0 && macs_b > 0) {
    c.macs_per_ms = macs_b / ms_per_pixel_b;
    c.ms_per_pixel = 0.0;
  }
  return c;
}

float scale_for(double ms_full, double target_ms, float min_scale) {
  if (!(ms_full > 0)) return 1.0f;
  const double s = std::sqrt(target_ms / ms_full);  // cost follows the pixel count
  return static_cast<float>(std::clamp(s, static_cast<double>(min_scale), 1.0));
}

FieldChoice choose_field_path(const FieldCase& c) {
  FieldChoice r;
  const double work = std::max(c.macs_per_pixel, 1.0) * std::max(c.pixels, 1.0);
  r.cpu_ms_full = c.cpu.ms(std::max(c.macs_per_pixel, 1.0), std::max(c.pixels, 1.0));
  r.cpu_scale = scale_for(r.cpu_ms_full, kCpuFieldTargetMs, kMinCpuFieldScale);
  const bool compile_ok = c.specialized_ready || c.compile_ms <= c.compile_budget_ms || c.force_gpu;
  r.program = c.can_specialize && compile_ok ? GpuProgram::Specialized : GpuProgram::Generic;
  double rate = c.gpu_generic_macs_per_ms;
  if (r.program == GpuProgram::Specialized)
    rate = c.gpu_specialized_macs_per_ms > 0 ? c.gpu_specialized_macs_per_ms
                                             : kSpecializedPrior * c.gpu_generic_macs_per_ms;
  if (rate > 0) {
    r.gpu_ms_full = work / rate;
    r.gpu_ms_min = r.gpu_ms_full * kMinFieldScale * kMinFieldScale;
    r.gpu_scale = scale_for(r.gpu_ms_full, kFieldTargetMs, kMinFieldScale);
  }  // else no timing: the GPU is assumed fast enough
  if (c.force_cpu) {
    r.path = FieldPath::Cpu;
    r.reason = "MLPVIZ_FIELD=cpu";
    return r;
  }
  if (c.force_gpu) return r;
  const std::string shader = r.program == GpuProgram::Generic && c.can_specialize
                                 ? " (its shader would take too long to compile now)"
                                 : "";
  if (rate > 0 && r.gpu_ms_min > kGpuTooSlowMs) {
    r.path = FieldPath::Cpu;
    r.reason = "faster than " + c.gpu_name +
               " for a network this big: a GPU pass would take about " + ms_text(r.gpu_ms_min) +
               " at " + std::to_string(static_cast<int>(std::lround(kMinFieldScale * 100))) +
               "% resolution" + shader;
    return r;
  }
  if (r.program == GpuProgram::Generic && rate > 0 && r.gpu_ms_min > kFieldTargetMs &&
      r.gpu_ms_full > kCpuPreferFactor * r.cpu_ms_full) {
    r.path = FieldPath::Cpu;
    r.reason = "faster than " + c.gpu_name + " for this network: " + ms_text(r.cpu_ms_full) +
               " against " + ms_text(r.gpu_ms_full) + " a full pass" + shader;
    return r;
  }
  return r;
}

}  // namespace mlpviz::render
