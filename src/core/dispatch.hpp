// dispatch.hpp: the hot kernels, picked at run time for the CPU (portable builds).
//
// A portable build (MLPVIZ_PORTABLE, the package) compiles everything for the x86-64 baseline
// (SSE2), which runs on every x86-64 CPU. With MLPVIZ_DISPATCH it also compiles the kernels'
// sources (mlp.cpp, optimizer.cpp, evaluate.cpp) a second time for AVX2 + FMA
// (kernels_avx2.cpp); that copy's symbols are renamed after compilation
// (cmake/rename_kernel_symbols.cmake), so no function of it, Eigen's included, can stand in for a
// baseline one at link time. Each kernel below begins with MLPVIZ_DISPATCH: on a CPU with AVX2
// and FMA, its float version hands the call to the AVX2 copy, which runs to the end there.
// Float only: training and the fields use float; double serves the gradient checks.
//
// MLPVIZ_KERNELS=baseline in the environment keeps the baseline kernels (benchmarks, checks).
#pragma once

#include <cstdint>
#include <type_traits>
#include <vector>

#include "core/mlp.hpp"
#include "core/spec.hpp"

namespace mlpviz::core {

struct GridSpec;
template <class T>
class Optimizer;

struct KernelTable {
  const char* name;  // "avx2"
  void (*forward)(const Layout&, const float*, const Eigen::Ref<const MatX<float>>&, Workspace<float>&);
  void (*forward_prepared)(const Layout&, const float*, Workspace<float>&);
  double (*data_loss_from_forward)(const Layout&, const Eigen::Ref<const MatX<float>>&, const Workspace<float>&);
  void (*backward)(const Layout&, const float*, const Eigen::Ref<const MatX<float>>&, const Regularization&,
                   float*, Workspace<float>&);
  double (*loss_and_grad)(const Layout&, const float*, const Eigen::Ref<const MatX<float>>&,
                          const Eigen::Ref<const MatX<float>>&, const Regularization&, float*, Workspace<float>&);
  void (*evaluate_grid)(const Layout&, std::uint32_t, const float*, const GridSpec&, std::vector<float>&,
                        Workspace<float>&);
  void (*optimizer_step)(Optimizer<float>&, const OptimizerSpec&, float*, const float*, std::int64_t);
};

// The faster kernels this CPU runs, or null (baseline CPU, no dispatch built, MLPVIZ_KERNELS=baseline).
// Decided once, on the first call; thread-safe.
const KernelTable* fast_kernels();
// "avx2" or "baseline": what the kernels run as.
const char* kernels_name();

}  // namespace mlpviz::core

// In a kernel template body: `MLPVIZ_DISPATCH(T, forward(layout, params, X, ws));` returns the
// AVX2 copy's result when T is float and fast_kernels() is set. Nothing in the AVX2 copy itself.
#if defined(MLPVIZ_DISPATCH_AVX2) && !defined(MLPVIZ_KERNEL_VARIANT_AVX2)
#define MLPVIZ_DISPATCH(T, call)                                                   \
  if constexpr (std::is_same_v<T, float>) {                                        \
    if (const ::mlpviz::core::KernelTable* k_ = ::mlpviz::core::fast_kernels()) \
      return k_->call;                                                             \
  }
#else
#define MLPVIZ_DISPATCH(T, call)
#endif
