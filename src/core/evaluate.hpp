// evaluate.hpp: the network over the input plane, on the CPU.
//
// Used by `mlpviz render`, by the GUI when a network is too large for the shader path, and by the
// tests that compare the shader's pixels with the CPU. The grid is row-major, row 0 at the top
// (x2 = y_max), column 0 at the left (x1 = x_min); pixel centres are sampled.
#pragma once

#include <cstdint>
#include <vector>

#include "core/mlp.hpp"

namespace mlpviz::core {

struct GridSpec {
  int width = 256;
  int height = 256;
  double x_min = -2.0, x_max = 2.0;
  double y_min = -2.0, y_max = 2.0;
  double x_at(int col) const { return x_min + (col + 0.5) * (x_max - x_min) / width; }
  double y_at(int row) const { return y_max - (row + 0.5) * (y_max - y_min) / height; }
};

// Output-layer values A[L] at every pixel: out has width*height*n_L floats, unit-major per pixel
// (out[(row*width + col)*n_L + k]).
template <class T>
void evaluate_grid(const Layout& layout, std::uint32_t features, const T* params,
                   const GridSpec& grid, std::vector<float>& out, Workspace<T>& ws);

// Activations A[layer] (layer 0 = features, L = outputs) of arbitrary points: out is
// (n_layer x n) column-major. This is what hidden-space and backprop inspectors read.
template <class T>
void layer_activations(const Layout& layout, std::uint32_t features, const T* params,
                       const double* x1, const double* x2, int n, int layer, MatX<T>& out,
                       Workspace<T>& ws);

}  // namespace mlpviz::core
