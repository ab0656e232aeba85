// figure.hpp: figures for slides, drawn on the CPU: the boundary view (or one unit's level
// curves) with points, axes and a legend, and the network graph. `mlpviz render` and the window's
// "Export figure..." both call these, so an exported figure equals the headless one.
//
// Sizes: a figure is `scale` times its base size, everything in it scaled alike (lines, points,
// text). The plot is exactly plot_w*scale x plot_h*scale pixels; axes add kAxesLeft/kAxesBottom/
// kAxesTop/kAxesRight base pixels around it and the legend adds kLegendWidth on the right, so
// with neither the image is the plot alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/figure_text.hpp"
#include "core/data.hpp"
#include "core/evaluate.hpp"
#include "core/mlp.hpp"

namespace mlpviz::app {

inline constexpr int kAxesLeft = 64, kAxesBottom = 50, kAxesTop = 12, kAxesRight = 12;
inline constexpr int kLegendWidth = 120;
inline constexpr int kMaxFigureScale = 4;
inline constexpr int kMaxPlotSide = 8192;  // plot pixels a side (base size x scale): memory stays near 1.5 GB

struct FigureOptions {
  int plot_w = 512, plot_h = 512;  // base size of the plot, in pixels
  int scale = 1;                   // 1, 2 or 4
  bool points = true, legend = true, axes = true;
  int unit_layer = -1;             // < 0: the decision boundary; else layer (0 = features, L = outputs)
  int unit_index = 0;              // ... and unit of that layer
  bool show_train = true, show_test = true;
};

// Size of the image for these options.
int figure_width(const FigureOptions& o);
int figure_height(const FigureOptions& o);
// Top-left corner of the plot in the image.
int plot_left(const FigureOptions& o);
int plot_top(const FigureOptions& o);

// The boundary (or unit) figure of the plane rectangle `view` (its width and height fields are
// ignored: the plot's pixel size comes from the options). Unit indices must be valid
// (check_unit).
Image render_figure(const TextPainter& text, const core::Layout& layout, std::uint32_t features,
                    const core::Params& params, const core::Dataset& data, const core::GridSpec& view,
                    const FigureOptions& o);

// The network graph: one column per layer, each node showing its unit's level curves over
// `view`, edges coloured by the sign of the weight (blue positive, orange negative) and as wide
// as its magnitude. Size: plot_w*scale x plot_h*scale, plus the legend (when o.legend).
Image render_graph(const TextPainter& text, const core::Layout& layout, std::uint32_t features,
                   const core::Params& params, const core::GridSpec& view, const FigureOptions& o);

// "--unit L:I" parsed and checked against the layout: nullopt if fine, else the message.
std::optional<std::string> check_unit(const core::Layout& layout, int layer, int unit);

}  // namespace mlpviz::app
