#include "core/dispatch.hpp"

#include <cstdlib>
#include <cstring>

#ifdef MLPVIZ_DISPATCH_AVX2
// kernels_avx2.cpp: the kernels compiled for AVX2 + FMA (C linkage: the one name the renaming keeps).
extern "C" const mlpviz::core::KernelTable mlpviz_kernels_avx2;
#endif

namespace mlpviz::core {

namespace {

const KernelTable* pick_kernels() {
#ifdef MLPVIZ_DISPATCH_AVX2
  const char* want = std::getenv("MLPVIZ_KERNELS");
  if (want && std::strcmp(want, "baseline") == 0) return nullptr;
  __builtin_cpu_init();
  // libgcc's test also checks that the OS saves the AVX registers (XCR0).
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return &mlpviz_kernels_avx2;
#endif
  return nullptr;
}

}  // namespace

const KernelTable* fast_kernels() {
  static const KernelTable* const kernels = pick_kernels();  // a property of the CPU: set once
  return kernels;
}

const char* kernels_name() {
  const KernelTable* k = fast_kernels();
  return k ? k->name : "baseline";
}

}  // namespace mlpviz::core
