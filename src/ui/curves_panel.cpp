// curves_panel.cpp: the bottom strip (rows of it when narrow): loss and accuracy (train and test), the gradient norm of
// every layer (vanishing gradients show as the early layers' curves falling decades below the
// last), unit health (dead and saturated units), and the test set's confusion matrix. Data:
// snapshot.history, logged by the engine every step early and geometrically later (a few hundred
// points per run); a saved session brings its history back.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/palette.hpp"
#include "ui/help_text.hpp"
#include "ui/panels.hpp"
#include "ui/plot.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {
namespace {

// Layer colours for the gradient-norm curves: dark (first layer) to light (output).
ImU32 layer_color(int l, int L) {
  const float t = L > 1 ? static_cast<float>(l) / static_cast<float>(L - 1) : 0.0f;
  const ImVec4 a(0.20f, 0.10f, 0.45f, 1), b(0.10f, 0.60f, 0.55f, 1), c(0.85f, 0.70f, 0.10f, 1);
  const ImVec4 m = t < 0.5f ? ImVec4(a.x + (b.x - a.x) * 2 * t, a.y + (b.y - a.y) * 2 * t, a.z + (b.z - a.z) * 2 * t, 1)
                            : ImVec4(b.x + (c.x - b.x) * (2 * t - 1), b.y + (c.y - b.y) * (2 * t - 1), b.z + (c.z - b.z) * (2 * t - 1), 1);
  return ImGui::ColorConvertFloat4ToU32(m);
}

void confusion_matrix(const train::Snapshot& s, ImVec2 size, float sc) {
  const core::Metrics& m = s.metrics;
  const int K = m.classes;
  ImGui::TextUnformatted("Confusion (test set)");
  if (K < 2 || static_cast<int>(m.confusion.size()) != K * K || m.evaluated_test == 0) {
    ImGui::TextDisabled("no test points");
    return;
  }
  const float fh = ImGui::GetFontSize();
  const float head = fh * 2.2f;
  const float cell = std::clamp(std::min((size.x - head) / K, (size.y - 3.6f * fh) / K), fh * 1.05f, fh * 4.0f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const ImVec2 o(p.x + head, p.y + fh + 2 * sc);
  dl->AddText(ImVec2(o.x, p.y), ImGui::GetColorU32(ImGuiCol_TextDisabled), "predicted \xe2\x86\x92");
  for (int t = 0; t < K; ++t) {
    int row_total = 0;
    for (int k = 0; k < K; ++k) row_total += m.confusion[static_cast<std::size_t>(t * K + k)];
    char label[16];
    std::snprintf(label, sizeof label, "%d", t);
    dl->AddRectFilled(ImVec2(p.x, o.y + t * cell + 2 * sc), ImVec2(p.x + fh * 0.9f, o.y + (t + 1) * cell - 2 * sc),
                      to_u32(core::kClassColors[t % 6]));
    dl->AddText(ImVec2(p.x + fh * 1.1f, o.y + t * cell + 0.5f * (cell - fh)), ImGui::GetColorU32(ImGuiCol_Text), label);
    for (int k = 0; k < K; ++k) {
      const int c = m.confusion[static_cast<std::size_t>(t * K + k)];
      const float f = row_total > 0 ? static_cast<float>(c) / static_cast<float>(row_total) : 0.0f;
      const ImVec2 a(o.x + k * cell, o.y + t * cell), b(a.x + cell - 2 * sc, a.y + cell - 2 * sc);
      const core::Rgb base = t == k ? core::Rgb{0.18f, 0.55f, 0.30f} : core::Rgb{0.80f, 0.20f, 0.20f};
      dl->AddRectFilled(a, b, to_u32(core::mix(core::Rgb{0.97f, 0.97f, 0.97f}, base, std::sqrt(f))));
      char text[16];
      std::snprintf(text, sizeof text, "%d", c);
      const ImVec2 ts = ImGui::CalcTextSize(text);
      dl->AddText(ImVec2(a.x + 0.5f * (cell - ts.x), a.y + 0.5f * (cell - ts.y)), f > 0.55f ? IM_COL32_WHITE : IM_COL32(20, 20, 20, 255), text);
    }
  }
  ImGui::Dummy(ImVec2(head + K * cell, fh + 2 * sc + K * cell));
  ImGui::TextDisabled("rows: true class");
}

}  // namespace

CurvesGrid curves_grid(float width, int classes) {
  const float font = ImGui::GetFontSize();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float min_plot_w = font * kCurvesMinPlotFonts;
  const float conf_need = std::max(ImGui::CalcTextSize("Confusion (test set)").x + 4.0f,
                                   font * (2.4f + 2.6f * std::max(2, classes)));
  CurvesGrid g;
  if (4 * min_plot_w + conf_need + 4 * spacing <= width) {  // one row
    g.conf_w = conf_need;
    g.plot_w = (width - g.conf_w - 4 * spacing) / 4.0f;
    return g;
  }
  // Rows of equal cells, the matrix taking one.
  const float cell_min = std::max(min_plot_w, conf_need);
  g.cols = std::clamp(static_cast<int>((width + spacing) / (cell_min + spacing)), 1, 5);
  g.rows = (5 + g.cols - 1) / g.cols;
  g.plot_w = std::max(1.0f, (width - (g.cols - 1) * spacing) / g.cols);
  g.conf_w = g.plot_w;
  return g;
}

float curves_panel_height(float width, int classes, float one_row_height) {
  const float header = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y;
  const CurvesGrid g = curves_grid(width - 2 * ImGui::GetStyle().WindowPadding.x, classes);
  const float row = std::max(one_row_height - header, ImGui::GetFontSize() * kCurvesMinRowFonts);
  return header + g.rows * row + (g.rows - 1) * ImGui::GetStyle().ItemSpacing.y;
}

void draw_curves_panel(UiState& st, const FrameInfo& fi) {
  const train::Snapshot& s = *fi.snap;
  const auto& h = s.history;
  const int n = static_cast<int>(h.size());
  const int L = s.layout.depth();
  const float sc = fi.scale;

  heading(fi.heading_font, "Curves");
  ImGui::SameLine();
  ImGui::Checkbox("Log loss", &st.loss_log);
  hint(help::kLossLog);
  ImGui::SameLine();
  ImGui::Checkbox("Epochs on x", &st.x_epochs);
  hint(help::kEpochs);
  ImGui::SameLine();
  ImGui::Checkbox("Log x", &st.x_log);
  hint(help::kLogSteps);

  // Columns of the history (scratch vectors reused every frame).
  st.xs.resize(static_cast<std::size_t>(n));
  for (auto& y : st.ys) y.resize(static_cast<std::size_t>(n));
  const int hidden_units = std::max(1, s.layout.num_hidden_units());
  for (int i = 0; i < n; ++i) {
    const train::HistoryPoint& p = h[static_cast<std::size_t>(i)];
    const std::size_t k = static_cast<std::size_t>(i);
    st.xs[k] = st.x_epochs ? p.epoch : static_cast<double>(p.step);
    st.ys[0][k] = p.train_loss;
    st.ys[1][k] = p.test_loss;
    st.ys[2][k] = 100.0 * p.train_accuracy;
    st.ys[3][k] = 100.0 * p.test_accuracy;
    st.ys[4][k] = 100.0 * p.dead_units / hidden_units;
    st.ys[5][k] = 100.0 * p.saturated_fraction;
  }
  const char* xl = st.x_epochs ? "epoch" : "step";
  double marker = NAN;
  if (fi.replaying) {
    marker = static_cast<double>(fi.shown_step);
    if (st.x_epochs) {
      for (const train::HistoryPoint& p : h)
        if (p.step <= fi.shown_step) marker = p.epoch;
    }
  }
  const ImU32 train_col = IM_COL32(40, 40, 45, 255), test_col = IM_COL32(215, 95, 20, 255);

  // Four plots and the matrix in one row while each plot keeps a readable width; in a narrow
  // strip (a large text size, a narrow window) they wrap onto rows of equal cells instead of
  // scrolling sideways (see curves_grid).
  const ImVec2 outer = ImGui::GetContentRegionAvail();
  const ImGuiStyle& style = ImGui::GetStyle();
  const CurvesGrid grid = curves_grid(outer.x, s.metrics.classes);
  const float min_row_h = ImGui::GetFontSize() * kCurvesMinRowFonts;
  const float row_h = std::max(min_row_h, (outer.y - (grid.rows - 1) * style.ItemSpacing.y) / grid.rows);
  const bool tall = grid.rows * row_h + (grid.rows - 1) * style.ItemSpacing.y > outer.y + 1.0f;
  ImGui::BeginChild("plots", outer, false, tall ? 0 : ImGuiWindowFlags_NoScrollbar);
  const float inner_w = ImGui::GetContentRegionAvail().x;
  const CurvesGrid g = curves_grid(inner_w, s.metrics.classes);
  const ImVec2 size(g.plot_w, row_h);
  int cell = 0;  // cells placed so far: a new row every g.cols
  auto next_cell = [&] {
    if (++cell % g.cols != 0) ImGui::SameLine();
  };

  {
    const PlotSeries series[] = {{"train", train_col, st.xs.data(), st.ys[0].data(), n},
                                 {"test", test_col, st.xs.data(), st.ys[1].data(), n}};
    PlotSpec spec;
    spec.title = "Loss";
    spec.x_label = xl;
    spec.log_x = st.x_log;
    spec.size = size;
    spec.log_y = st.loss_log;
    spec.marker_x = marker;
    spec.scale = sc;
    plot("##loss", spec, series, 2);
  }
  next_cell();
  {
    const PlotSeries series[] = {{"train", train_col, st.xs.data(), st.ys[2].data(), n},
                                 {"test", test_col, st.xs.data(), st.ys[3].data(), n}};
    PlotSpec spec;
    spec.title = "Accuracy (%)";
    spec.x_label = xl;
    spec.log_x = st.x_log;
    spec.size = size;
    spec.y_max = 100.0;
    spec.y_unit = "%";
    spec.marker_x = marker;
    spec.scale = sc;
    plot("##acc", spec, series, 2);
  }
  next_cell();
  {
    // Gradient norm per layer (log scale): ys[6 + l].
    PlotSeries series[core::kMaxHiddenLayers + 1];
    char labels[core::kMaxHiddenLayers + 1][16];
    const int layers = std::min(L, core::kMaxHiddenLayers + 1);
    for (int l = 0; l < layers && 6 + l < static_cast<int>(std::size(st.ys)); ++l) {
      auto& y = st.ys[static_cast<std::size_t>(6 + l)];
      for (int i = 0; i < n; ++i) y[static_cast<std::size_t>(i)] = h[static_cast<std::size_t>(i)].grad_norm[static_cast<std::size_t>(l)];
      if (l + 1 == L) std::snprintf(labels[l], sizeof labels[l], "output");
      else std::snprintf(labels[l], sizeof labels[l], "layer %d", l + 1);
      series[l] = {labels[l], layer_color(l, layers), st.xs.data(), y.data(), n, 1.6f};
    }
    PlotSpec spec;
    spec.title = "Gradient norm per layer";
    spec.x_label = xl;
    spec.log_x = st.x_log;
    spec.size = size;
    spec.log_y = true;
    spec.marker_x = marker;
    spec.scale = sc;
    plot("##grad", spec, series, layers);
  }
  next_cell();
  {
    char title[96];
    std::snprintf(title, sizeof title, "Dead %d/%d, saturated %.0f%%", s.metrics.dead_units,
                  s.layout.num_hidden_units(), 100.0 * s.metrics.saturated_fraction);
    if (ImGui::CalcTextSize(title).x > g.plot_w)  // a narrow cell: the short form
      std::snprintf(title, sizeof title, "Dead %d/%d, sat. %.0f%%", s.metrics.dead_units,
                    s.layout.num_hidden_units(), 100.0 * s.metrics.saturated_fraction);
    const PlotSeries series[] = {{"dead", IM_COL32(200, 30, 30, 255), st.xs.data(), st.ys[4].data(), n},
                                 {"saturated", IM_COL32(150, 40, 160, 255), st.xs.data(), st.ys[5].data(), n}};
    PlotSpec spec;
    spec.title = title;
    spec.x_label = xl;
    spec.log_x = st.x_log;
    spec.size = size;
    spec.y_min = 0.0;
    spec.y_max = 100.0;
    spec.y_unit = "% of hidden units";
    spec.marker_x = marker;
    spec.scale = sc;
    plot("##units", spec, series, 2);
  }
  next_cell();
  ImGui::BeginGroup();
  confusion_matrix(s, ImVec2(g.conf_w, row_h), sc);
  ImGui::EndGroup();
  ImGui::EndChild();
}

}  // namespace mlpviz::ui
