// plot.hpp: a small line-plot widget drawn with ImGui draw lists (Debian ships no ImPlot).
//
// One call per plot, after filling the series (x ascending):
//   const PlotSeries s[] = {{"train", color, xs.data(), ys.data(), n}};
//   plot("##loss", spec, s, 1);
// Draws a frame with its title, ticks and labels on both axes (decades on a log axis), the series
// as polylines, a legend in the top-right corner, and under the mouse a vertical cursor with the
// nearest value of every series. Non-finite values (and values <= 0 on a log axis) are skipped.
#pragma once

#include <imgui.h>

#include <cmath>
#include <vector>

namespace mlpviz::ui {

struct PlotSeries {
  const char* label = "";
  ImU32 color = 0;
  const double* x = nullptr;
  const double* y = nullptr;
  int count = 0;
  float thickness = 2.0f;  // in ImGui units at scale 1
};

struct PlotSpec {
  const char* title = "";
  const char* x_label = "step";
  ImVec2 size{0, 0};           // <= 0: the available width / height
  bool log_y = false;
  double y_min = NAN, y_max = NAN;  // fixed range (NaN: fit the data)
  const char* y_unit = "";     // appended to readouts, e.g. "%"
  double marker_x = NAN;       // a vertical marker, e.g. the replayed step
  float scale = 1.0f;          // line widths
};

void plot(const char* id, const PlotSpec& spec, const PlotSeries* series, int count);

// Tick positions at 1, 2 or 5 times a power of ten, about `target` of them over [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int target);

}  // namespace mlpviz::ui
