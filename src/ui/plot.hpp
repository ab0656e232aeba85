// plot.hpp: a small line-plot widget drawn with ImGui draw lists (Debian ships no ImPlot).
//
// One call per plot, after filling the series (x ascending):
//   const PlotSeries s[] = {{"train", color, xs.data(), ys.data(), n}};
//   plot("##loss", spec, s, 1);
// Draws a frame with its title, ticks and labels on both axes (axis_ticks(): at least two labels
// on every axis), the series as polylines, a legend in the top-right corner, and under the mouse
// a vertical cursor with the nearest logged point of every series. Non-finite values are skipped;
// values <= 0 on a log y axis are drawn in a band under the frame's range marked "0".
#pragma once

#include <imgui.h>

#include <cmath>
#include <string>
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
  ImVec2 size{0, 0};  // <= 0: the available width / height
  bool log_y = false;
  bool log_x = false;  // x drawn at log10(x + 1): steps 0, 1, 10, 100... equally spaced decades
  double y_min = NAN, y_max = NAN;  // fixed range (NaN: fit the data)
  const char* y_unit = "";          // appended to readouts, e.g. "%"
  double marker_x = NAN;            // a vertical marker, e.g. the replayed step
  float scale = 1.0f;               // line widths
};

void plot(const char* id, const PlotSpec& spec, const PlotSeries* series, int count);

// Tick positions at 1, 2 or 5 times a power of ten, about `target` of them over [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int target);

// How an axis maps values to positions: linear, log10(v), or log10(v + 1) (a step axis that
// starts at 0).
enum class AxisScale { Linear, Log, LogPlusOne };
struct AxisTick {
  double pos;         // in axis units: v, log10(v) or log10(v + 1)
  std::string label;  // the value v
};
// Ticks for an axis whose visible range is [lo, hi] in axis units, about `target` of them: nice
// linear steps; decades on a log axis (with 2x and 5x under two decades, and linear steps of the
// values when even those give fewer than two: a loss between 0.31 and 0.48 still reads). Always at
// least two ticks when hi > lo.
std::vector<AxisTick> axis_ticks(double lo, double hi, AxisScale scale, int target);

}  // namespace mlpviz::ui
