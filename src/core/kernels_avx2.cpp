// kernels_avx2.cpp: the hot kernels once more, compiled for AVX2 + FMA (see dispatch.hpp).
//
// Built only with MLPVIZ_DISPATCH, as its own object with -mavx2 -mfma; every symbol it defines is
// then renamed (cmake/rename_kernel_symbols.cmake) except mlpviz_kernels_avx2, the table through
// which the baseline code calls it. The sources are the same files as the baseline's: one
// definition of each kernel.
#define MLPVIZ_KERNEL_VARIANT_AVX2 1

#include "core/mlp.cpp"
#include "core/optimizer.cpp"
#include "core/evaluate.cpp"

#include "core/dispatch.hpp"

#if !defined(__AVX2__) || !defined(__FMA__)
#error "kernels_avx2.cpp must be compiled with -mavx2 -mfma (src/core/CMakeLists.txt)"
#endif

namespace {

using namespace mlpviz::core;

void optimizer_step(Optimizer<float>& o, const OptimizerSpec& spec, float* params, const float* grad,
                    std::int64_t t) {
  o.step(spec, params, grad, t);
}

}  // namespace

extern "C" const KernelTable mlpviz_kernels_avx2 = {
    "avx2",
    &forward<float>,
    &forward_prepared<float>,
    &data_loss_from_forward<float>,
    &backward<float>,
    &loss_and_grad<float>,
    &evaluate_grid<float>,
    &optimizer_step,
};
