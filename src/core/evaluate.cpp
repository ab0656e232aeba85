#include "core/evaluate.hpp"

#include <algorithm>

#include "core/data.hpp"
#include "core/dispatch.hpp"

namespace mlpviz::core {

template <class T>
void evaluate_grid(const Layout& layout, std::uint32_t features, const T* params,
                   const GridSpec& grid, std::vector<float>& out, Workspace<T>& ws) {
  MLPVIZ_DISPATCH(T, evaluate_grid(layout, features, params, grid, out, ws));
  const int n_out = layout.sizes.back();
  const int total = grid.width * grid.height;
  out.resize(static_cast<std::size_t>(total) * n_out);
  constexpr int kChunk = 4096;  // keeps the workspace small and in cache
  std::vector<double> x1(kChunk), x2(kChunk);
  MatX<T> X;
  for (int start = 0; start < total; start += kChunk) {
    const int n = std::min(kChunk, total - start);
    for (int i = 0; i < n; ++i) {
      const int p = start + i;
      x1[i] = grid.x_at(p % grid.width);
      x2[i] = grid.y_at(p / grid.width);
    }
    build_features<T>(features, x1.data(), x2.data(), n, X);
    forward<T>(layout, params, X, ws);
    const MatX<T>& A = ws.A[layout.depth()];
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < n_out; ++k)
        out[static_cast<std::size_t>(start + i) * n_out + k] = static_cast<float>(A(k, i));
  }
}

template <class T>
void layer_activations(const Layout& layout, std::uint32_t features, const T* params,
                       const double* x1, const double* x2, int n, int layer, MatX<T>& out,
                       Workspace<T>& ws) {
  MatX<T> X;
  build_features<T>(features, x1, x2, n, X);
  forward<T>(layout, params, X, ws);
  out = ws.A[std::clamp(layer, 0, layout.depth())];
}

template void evaluate_grid<float>(const Layout&, std::uint32_t, const float*, const GridSpec&,
                                   std::vector<float>&, Workspace<float>&);
template void evaluate_grid<double>(const Layout&, std::uint32_t, const double*, const GridSpec&,
                                    std::vector<float>&, Workspace<double>&);
template void layer_activations<float>(const Layout&, std::uint32_t, const float*, const double*,
                                       const double*, int, int, MatX<float>&, Workspace<float>&);
template void layer_activations<double>(const Layout&, std::uint32_t, const double*, const double*,
                                        const double*, int, int, MatX<double>&, Workspace<double>&);

}  // namespace mlpviz::core
