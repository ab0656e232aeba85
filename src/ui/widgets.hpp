// widgets.hpp: small ImGui helpers shared by the panels: tooltips that explain a concept, colour
// conversion, number formatting, and combo boxes over the core enums.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/palette.hpp"

namespace mlpviz::ui {

// Shows `text` (one sentence about the concept the previous item controls) when it is hovered.
void hint(const char* text);

// A "(?)" marker that shows `text` when hovered.
void help_marker(const char* text);

ImU32 to_u32(core::Rgb c, float alpha = 1.0f);
ImVec4 to_vec4(core::Rgb c, float alpha = 1.0f);

// "12,345" style grouping for step counts.
std::string group_digits(std::int64_t v);
// Compact numbers: 0.0123, 1.2e-05, 12.3k.
std::string compact(double v);

// A combo over the names of an enum with `count` values; returns true when *value changed.
// `enabled(i)` may disable entries (nullptr: all enabled).
bool enum_combo(const char* label, int* value, int count, std::string_view (*name_of)(int),
                bool (*enabled)(int, const void*) = nullptr, const void* ctx = nullptr);

// A headline in the heading font (or the normal font when none).
void heading(ImFont* font, const char* text);

// A legend of `count` entries, each at most `entry` in size, placed in the top-right corner of the
// frame [lo, hi] in as many columns as it takes to stay within a corner: at most half the frame's
// width and 45% of its height. `shown` is false when even one row would not fit (then the legend
// is left out: the plot's hover readout names the series).
struct LegendBox {
  ImVec2 min{0, 0}, max{0, 0};
  int columns = 1, rows = 0;
  bool shown = false;
};
LegendBox corner_legend(ImVec2 lo, ImVec2 hi, ImVec2 entry, int count, float pad);

// The network graph's geometry: layer l's units in a grid of columns[l] sub-columns (unit j at
// sub-column j % k, row j / k), every thumbnail `node` square with a gap between neighbours, so no
// two ever overlap. Sized for a graph area `width` wide with `height` for the units; when even the
// smallest readable thumbnail (`min_node`) does not fit, `height_needed` exceeds `height` and the
// graph scrolls.
struct GraphGeometry {
  float node = 0, pitch = 0;  // thumbnail side and the distance between neighbours
  float col_w = 0;            // width of one layer's column
  float height_needed = 0;    // of the tallest layer
  std::vector<int> columns;   // per layer
};
GraphGeometry graph_geometry(const std::vector<int>& sizes, float width, float height,
                             float max_node, float min_node);
// Top-left corner of unit j of layer l, relative to the units' area (centred in each column and
// vertically in `height`).
ImVec2 graph_node_pos(const GraphGeometry& g, const std::vector<int>& sizes, int l, int j,
                      float height);

}  // namespace mlpviz::ui
