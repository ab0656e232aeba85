// sweep_grid.hpp: a sweep's grid of boundaries as one labelled image (a title, the column axis and
// headings, the row headings, and under each cell its shape, parameters and test accuracy).
// `mlpviz sweep --out` and the window's Sweep panel export the same picture.
#pragma once

#include <string>
#include <vector>

#include "app/figure_text.hpp"
#include "train/engine.hpp"
#include "train/sweep.hpp"

namespace mlpviz::app {

struct SweepGridCell {
  train::SweepCell at;
  const train::Engine* engine = nullptr;  // trained; a cell without one is left empty
};

Image sweep_grid_image(const std::vector<SweepGridCell>& cells, const train::SweepPlan& plan, int cell_size,
                       const std::string& title);

// "moons · 3000 steps · adam lr 0.01 batch 10 · weight seed 1": what every cell shares.
std::string sweep_title(const train::Settings& settings, const std::string& budget);

}  // namespace mlpviz::app
