// render_hidden.hpp: the hidden-space view (core/hidden_space.hpp) as a PNG, on the CPU.
#pragma once

#include <vector>

#include "core/data.hpp"
#include "core/hidden_space.hpp"
#include "core/mlp.hpp"

namespace mlpviz::app {

// The view of a hidden space: a square window of that space (equal units on both axes) that
// holds the points with a margin (the grid's image is clipped to it; without points, the grid).
struct HiddenView {
  double x_min = -1, x_max = 1, y_min = -1, y_max = 1;
};
HiddenView fit_hidden_view(const core::HiddenSpaceMap& m);

// RGB pixels (size*size*3): the output's classes as a light background when the space is the
// whole last hidden layer, the axes through 0 with ticks, the warped grid, the output's boundary
// line (2 classes) and the points (filled: train, rings: test), coloured by class.
std::vector<unsigned char> render_hidden_space(const core::HiddenSpaceMap& m, const core::Layout& layout,
                                               const double* params, const core::Dataset& data, int size);

}  // namespace mlpviz::app
