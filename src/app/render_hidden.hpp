// render_hidden.hpp: the hidden-space view (core/hidden_space.hpp) as a PNG, on the CPU.
#pragma once

#include <vector>

#include "core/data.hpp"
#include "core/hidden_space.hpp"
#include "core/mlp.hpp"

namespace mlpviz::app {

// RGB pixels (size*size*3) of core::hidden_view_box(m): the output's classes as a light background when the space is the
// whole last hidden layer, the axes through 0 with ticks, the warped grid, the output's boundary
// line (2 classes) and the points (filled: train, rings: test), coloured by class.
std::vector<unsigned char> render_hidden_space(const core::HiddenSpaceMap& m, const core::Layout& layout,
                                               const double* params, const core::Dataset& data, int size);

}  // namespace mlpviz::app
