// render_png.hpp: the decision boundary and the data as a PNG, on the CPU (no GL needed).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/data.hpp"
#include "core/evaluate.hpp"
#include "core/mlp.hpp"

namespace mlpviz::app {

// RGB pixels (width*height*3) of the field, the boundary line and the points.
std::vector<unsigned char> render_boundary(const core::Layout& layout, std::uint32_t features,
                                           const core::Params& params,
                                           const core::Dataset& data, const core::GridSpec& grid);

// A view that holds all points with a margin (and at least [-1.5, 1.5]^2).
core::GridSpec fit_view(const core::Dataset& data, int width, int height);

std::optional<std::string> write_png(const std::string& path, int width, int height,
                                     const std::vector<unsigned char>& rgb);

}  // namespace mlpviz::app
