// histogram_panel.cpp: the distribution of z (pre-activations) per hidden layer, a small plot per
// layer in a window the user opens from View > "z histograms". Bars from the snapshot's metrics
// (core::ZHistogram: computed by the trainer with the metrics, on the training points, never on
// this thread); the activation's flat zone shaded behind them (ReLU z <= 0, tanh's and sigmoid's
// saturated tails at core::saturation_z): a student sees a layer slide into the dead zone or into
// saturation. What it drew goes to HistogramRecord for the tests.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/histogram.hpp"
#include "ui/help_text.hpp"
#include "ui/panels.hpp"

namespace mlpviz::ui {
namespace {

constexpr ImU32 kBar = IM_COL32(70, 110, 170, 255);
constexpr ImU32 kBarFlat = IM_COL32(170, 60, 60, 255);
constexpr ImU32 kFlatShade = IM_COL32(230, 120, 120, 70);
constexpr ImU32 kAxis = IM_COL32(90, 90, 95, 255);
constexpr ImU32 kPlotBg = IM_COL32(252, 252, 252, 255);

std::string zone_text(core::Activation act) {
  char buf[96];
  if (act == core::Activation::Relu) return "flat zone z <= 0 (no gradient)";
  if (act == core::Activation::Tanh || act == core::Activation::Sigmoid) {
    std::snprintf(buf, sizeof buf, "saturated |z| > %.2f (slope < %.0f%% of peak)", core::saturation_z(act),
                  100.0 * core::kSaturatedSlope);
    return buf;
  }
  return "no flat zone";
}

// The flat zone's intervals on [lo, hi] (at most two), as z ranges.
int flat_ranges(const core::ZHistogram& h, double out[2][2]) {
  if (h.act == core::Activation::Relu) {
    out[0][0] = h.lo;
    out[0][1] = 0.0;
    return 1;
  }
  const double zs = core::saturation_z(h.act);
  if (!std::isfinite(zs)) return 0;
  int n = 0;
  if (-zs > h.lo) out[n][0] = h.lo, out[n][1] = -zs, ++n;
  if (zs < h.hi) out[n][0] = zs, out[n][1] = h.hi, ++n;
  return n;
}

void draw_one(const core::ZHistogram& h, int layer, int units, int knocked, float sc, HistogramPlot& rec) {
  rec = HistogramPlot{};
  rec.layer = layer;
  char title[160];
  std::snprintf(title, sizeof title, "layer %d: %s, %d unit%s", layer, std::string(core::name(h.act)).c_str(), units,
                units == 1 ? "" : "s");
  ImGui::TextUnformatted(title);
  if (knocked > 0) {
    ImGui::SameLine();
    ImGui::TextDisabled("(%d knocked out, left out)", knocked);
  }
  if (core::has_flat_zone(h.act)) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.65f, 0.15f, 0.15f, 1), "%.0f%% flat", 100.0 * h.flat_fraction());
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fh = ImGui::GetTextLineHeight();
  const float w = std::max(ImGui::GetContentRegionAvail().x, 120.0f * sc);
  const float plot_h = std::max(70.0f * sc, 4.0f * fh);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 a(p0.x, p0.y), b(p0.x + w, p0.y + plot_h);
  ImGui::Dummy(ImVec2(w, plot_h + fh + 4.0f * sc));  // the plot and its axis labels
  dl->AddRectFilled(a, b, kPlotBg);
  const auto x_of = [&](double z) {
    return a.x + static_cast<float>((z - h.lo) / (h.hi - h.lo)) * (b.x - a.x);
  };
  double zones[2][2];
  const int nz = flat_ranges(h, zones);
  for (int k = 0; k < nz; ++k) {
    dl->AddRectFilled(ImVec2(x_of(zones[k][0]), a.y), ImVec2(x_of(zones[k][1]), b.y), kFlatShade);
    rec.flat_x[rec.flat_count][0] = x_of(zones[k][0]);
    rec.flat_x[rec.flat_count][1] = x_of(zones[k][1]);
    ++rec.flat_count;
  }
  const int bins = static_cast<int>(h.counts.size());
  const int peak = bins > 0 ? *std::max_element(h.counts.begin(), h.counts.end()) : 0;
  rec.bar_heights.assign(static_cast<std::size_t>(bins), 0.0f);
  rec.plot_min = a;
  rec.plot_max = b;
  if (peak > 0) {
    const float bw = (b.x - a.x) / static_cast<float>(bins);
    for (int i = 0; i < bins; ++i) {
      const int c = h.counts[static_cast<std::size_t>(i)];
      if (c == 0) continue;
      const float bh = (plot_h - 2.0f * sc) * static_cast<float>(c) / static_cast<float>(peak);
      const double centre = h.lo + (i + 0.5) * h.bin_width();
      const ImU32 col = core::in_flat_zone(h.act, centre) ? kBarFlat : kBar;
      dl->AddRectFilled(ImVec2(a.x + i * bw + 0.5f * sc, b.y - std::max(bh, 1.0f * sc)),
                        ImVec2(a.x + (i + 1) * bw - 0.5f * sc, b.y), col);
      rec.bar_heights[static_cast<std::size_t>(i)] = bh;
    }
  }
  dl->AddRect(a, b, kAxis, 0, 0, 1.0f * sc);
  const float x0 = x_of(0.0);
  dl->AddLine(ImVec2(x0, a.y), ImVec2(x0, b.y), kAxis, 1.0f * sc);
  // Axis labels: the range's ends and z = 0 under the plot.
  char lo[32], hi[32];
  std::snprintf(lo, sizeof lo, "%g", h.lo);
  std::snprintf(hi, sizeof hi, "%g", h.hi);
  const float ty = b.y + 2.0f * sc;
  dl->AddText(ImVec2(a.x, ty), kAxis, lo);
  dl->AddText(ImVec2(b.x - ImGui::CalcTextSize(hi).x, ty), kAxis, hi);
  dl->AddText(ImVec2(x0 - 0.5f * ImGui::CalcTextSize("z = 0").x, ty), kAxis, "z = 0");
  if (h.total == 0) dl->AddText(ImVec2(a.x + 6 * sc, a.y + 4 * sc), kAxis, "no training points");
  // Hover: the bin under the mouse, its z range and count.
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (bins > 0 && h.total > 0 && ImGui::IsWindowHovered() && m.x >= a.x && m.x < b.x && m.y >= a.y && m.y < b.y) {
    const int i = std::clamp(static_cast<int>((m.x - a.x) / (b.x - a.x) * static_cast<float>(bins)), 0, bins - 1);
    const int c = h.counts[static_cast<std::size_t>(i)];
    ImGui::SetTooltip("z from %.3g to %.3g: %d of %d values (%.1f%%)", h.lo + i * h.bin_width(),
                      h.lo + (i + 1) * h.bin_width(), c, h.total, 100.0 * c / h.total);
  }
  rec.total = h.total;
}

}  // namespace

void draw_histogram_panel(UiState& st, const FrameInfo& fi, HistogramRecord* record) {
  if (!st.show_histograms) return;
  const float sc = fi.scale;
  const ImVec2 ds = ImGui::GetIO().DisplaySize;
  const float w = std::min(440.0f * sc, 0.45f * ds.x);
  // Opens over the left column (the controls), leaving the view and the graph in sight.
  ImGui::SetNextWindowPos(ImVec2(8.0f * sc, 48.0f * sc), ImGuiCond_Appearing);
  ImGui::SetNextWindowSize(ImVec2(w, 0.0f), ImGuiCond_Appearing);
  ImGui::SetNextWindowSizeConstraints(ImVec2(240.0f * sc, 0.0f), ImVec2(ds.x, 0.9f * ds.y));
  const bool open = ImGui::Begin("z histograms", &st.show_histograms);
  if (record) record->plots.clear();
  if (open) {
    const train::Snapshot& s = *fi.snap;
    const auto& hs = s.metrics.z_histograms;
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + std::max(ImGui::GetContentRegionAvail().x, 200.0f * sc));
    ImGui::TextDisabled("z = W a + b of each hidden unit, over the training points; shaded: flat zone");
    ImGui::PopTextWrapPos();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", help::kHistograms);
    if (hs.empty()) ImGui::TextDisabled("no hidden layer");
    const int depth = s.layout.depth();
    for (std::size_t l = 0; l < hs.size() && static_cast<int>(l) + 1 < depth; ++l) {
      const int layer = static_cast<int>(l) + 1;
      const int units = s.layout.sizes[l + 1];
      int knocked = 0;
      for (int j = 0; j < units; ++j) knocked += s.layout.knocked(layer, j) ? 1 : 0;
      ImGui::PushID(layer);
      HistogramPlot rec;
      draw_one(hs[l], layer, units, knocked, sc, rec);
      ImGui::TextDisabled("%s", zone_text(hs[l].act).c_str());
      if (record) record->plots.push_back(std::move(rec));
      ImGui::PopID();
      ImGui::Spacing();
    }
  }
  ImGui::End();
}

}  // namespace mlpviz::ui
