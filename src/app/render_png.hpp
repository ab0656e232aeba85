// render_png.hpp: the view that fits the data, and PNG writing (figures: app/figure.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/data.hpp"
#include "core/evaluate.hpp"
#include "core/mlp.hpp"

namespace mlpviz::app {

// A view that holds all points with a margin (and at least [-1.5, 1.5]^2).
core::GridSpec fit_view(const core::Dataset& data, int width, int height);

std::optional<std::string> write_png(const std::string& path, int width, int height,
                                     const std::vector<unsigned char>& rgb);

}  // namespace mlpviz::app
