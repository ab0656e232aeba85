// compare_panel.cpp: Compare: the main network and up to three compared ones on the same data and
// seeds, trained in lockstep by the App (train/lockstep.hpp).
//   draw_compare_views     the view's area: one boundary view per run, side by side (a grid for
//                          three or four), each titled with its run's colour, its architecture and
//                          what differs from run 1; one square of the plane for all (drag pans and
//                          the wheel zooms every view at once)
//   draw_compare_curves    the curves' strip: training loss and test accuracy of every run in one
//                          plot each, a colour per run, with a legend
//   draw_compare_controls  the controls panel: each compared run's activation, width, depth,
//                          optimizer and learning rate, and its Close button
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/data.hpp"
#include "ui/panels.hpp"
#include "ui/plot.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {
namespace {

namespace cmd = train::cmd;

std::string_view activation_name(int i) { return core::name(static_cast<core::Activation>(i)); }
std::string_view optimizer_name(int i) { return core::name(static_cast<core::OptimizerKind>(i)); }

// "2-8-8-1 tanh, adam 0.01"
std::string describe(const train::Settings& s, const core::Layout& lay) {
  std::string t;
  for (std::size_t i = 0; i < lay.sizes.size(); ++i) {
    if (i) t += '-';
    t += std::to_string(lay.sizes[i]);
  }
  const auto& a = s.net.activations;
  const bool mixed = std::any_of(a.begin(), a.end(), [&](core::Activation x) { return x != a.front(); });
  if (!a.empty()) {
    t += ' ';
    t += mixed ? std::string_view("mixed") : core::name(a.front());
  }
  char lr[32];
  std::snprintf(lr, sizeof lr, " %.2g", s.optimizer.learning_rate);
  t += ", ";
  t += core::name(s.optimizer.kind);
  t += lr;
  return t;
}

// The square every view shows; fitted to the data the first time.
PlaneRect compare_rect(CompareState& c, const core::Dataset* data) {
  if (!(c.half > 0)) {
    const core::Box b = core::data_bounds(data);
    c.cx = 0.5 * (b.x_min + b.x_max);
    c.cy = 0.5 * (b.y_min + b.y_max);
    c.half = 0.55 * std::max(b.x_max - b.x_min, b.y_max - b.y_min);
  }
  return {c.cx - c.half, c.cx + c.half, c.cy - c.half, c.cy + c.half};
}

}  // namespace

ImU32 compare_color(int k) {
  static constexpr ImU32 kColors[kMaxCompareRuns] = {IM_COL32(45, 45, 52, 255), IM_COL32(200, 35, 70, 255),
                                                     IM_COL32(0, 140, 125, 255), IM_COL32(125, 70, 180, 255)};
  return kColors[std::clamp(k, 0, kMaxCompareRuns - 1)];
}

void draw_compare_views(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  const int n = static_cast<int>(fi.compare.size());
  if (n == 0) return;
  const ImGuiIO& io = ImGui::GetIO();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float sc = fi.scale;
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // Room around each view: a title, the difference and a result line above and below, the axes'
  // numbers at the left and under it.
  const float axis_w = ImGui::CalcTextSize("-0.5").x + 10 * sc, axis_h = ImGui::GetFontSize() + 8 * sc;
  const float head_h = 2 * line, foot_h = axis_h + line;
  // The grid (columns x rows) that gives the largest views.
  int cols = 1;
  float side = 0;
  for (int c = 1; c <= n; ++c) {
    const int rows = (n + c - 1) / c;
    const float w = (avail.x - (c - 1) * style.ItemSpacing.x) / c - axis_w;
    const float h = (avail.y - (rows - 1) * style.ItemSpacing.y) / rows - head_h - foot_h;
    const float s = std::floor(std::min(w, h));
    if (s > side) {
      side = s;
      cols = c;
    }
  }
  side = std::max(side, 16.0f);
  const PlaneRect r = compare_rect(st.compare, fi.compare.front().snap->data.get());
  out.compare_rect = r;
  out.compare_px = static_cast<int>(std::lround(side * io.DisplayFramebufferScale.x));
  const float cell_w = axis_w + side;
  // The grid centred in the area (the views are square: the room left over goes to the margins).
  const int grid_rows = (n + cols - 1) / cols;
  const float grid_w = cols * cell_w + (cols - 1) * style.ItemSpacing.x;
  const float grid_h = grid_rows * (head_h + side + foot_h) + (grid_rows - 1) * style.ItemSpacing.y;
  const ImVec2 start = ImGui::GetCursorScreenPos();
  const ImVec2 origin(start.x + std::max(0.0f, std::floor(0.5f * (avail.x - grid_w))),
                      start.y + std::max(0.0f, std::floor(0.5f * (avail.y - grid_h))));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  bool dragged = false, zoomed = false;
  ImVec2 drag_delta{0, 0};
  float wheel = 0.0f;
  ImVec2 wheel_at{0, 0}, wheel_p0{0, 0};
  for (int k = 0; k < n; ++k) {
    const CompareRun& run = fi.compare[static_cast<std::size_t>(k)];
    const train::Snapshot& s = *run.snap;
    const int col = k % cols, row = k / cols;
    const ImVec2 cell(origin.x + col * (cell_w + style.ItemSpacing.x),
                      origin.y + row * (head_h + side + foot_h + style.ItemSpacing.y));
    ImGui::PushID(k);
    // Title: a swatch of the run's colour, its number and architecture; then what differs.
    const ImVec2 t0(cell.x + axis_w, cell.y);
    const float sw = ImGui::GetFontSize() * 0.8f;
    dl->AddRectFilled(ImVec2(t0.x, t0.y + 0.15f * sw), ImVec2(t0.x + sw, t0.y + 1.15f * sw), compare_color(k), 2 * sc);
    // The longest title that fits: with the optimizer, then without, then the number alone.
    const float room = side - sw - 6 * sc - (k > 0 ? ImGui::GetFrameHeight() + 4 * sc : 0.0f);
    char title[160];
    std::string what = describe(s.settings, s.layout);
    std::snprintf(title, sizeof title, "Run %d%s: %s", k + 1, k == 0 ? " (main)" : "", what.c_str());
    if (ImGui::CalcTextSize(title).x > room) {
      what = what.substr(0, what.find(','));
      std::snprintf(title, sizeof title, "Run %d: %s", k + 1, what.c_str());
    }
    if (ImGui::CalcTextSize(title).x > room) std::snprintf(title, sizeof title, "Run %d", k + 1);
    ImGui::PushClipRect(t0, ImVec2(t0.x + side, t0.y + head_h), true);
    dl->AddText(ImVec2(t0.x + sw + 6 * sc, t0.y), ImGui::GetColorU32(ImGuiCol_Text), title);
    std::string diff = k == 0 ? std::string("the main network (controls on the left)") : run.difference;
    if (k == 0 && ImGui::CalcTextSize(diff.c_str()).x > side) diff = "the main network";
    dl->AddText(ImVec2(t0.x, t0.y + line), k == 0 ? ImGui::GetColorU32(ImGuiCol_TextDisabled) : compare_color(k),
                diff.c_str());
    ImGui::PopClipRect();
    if (k > 0) {  // close button at the title's right end
      const float bw = ImGui::GetFrameHeight();
      ImGui::SetCursorScreenPos(ImVec2(t0.x + side - bw, t0.y));
      if (ImGui::SmallButton("x")) st.requests.compare_close = k;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Close run %d", k + 1);
    }
    // The view: rendered by the App at out.compare_px; an invisible button takes the mouse.
    const ImVec2 p0(t0.x, cell.y + head_h), p1(p0.x + side, p0.y + side);
    ImGui::SetCursorScreenPos(p0);
    ImGui::InvisibleButton("view", ImVec2(side, side));
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f)) {
      dragged = true;
      drag_delta = io.MouseDelta;
    }
    if (ImGui::IsItemHovered() && io.MouseWheel != 0.0f) {
      zoomed = true;
      wheel = io.MouseWheel;
      wheel_at = io.MousePos;
      wheel_p0 = p0;
    }
    if (run.view.id) dl->AddImage(run.view.id, p0, p1, run.view.uv0, run.view.uv1);
    draw_plane_axes(dl, p0, p1, r, sc);
    // Results under it, in the run's colour.
    char foot[160];
    std::snprintf(foot, sizeof foot, "step %s   test acc. %.1f%%   loss %.3g", group_digits(s.step).c_str(),
                  100.0 * s.metrics.test_accuracy, s.metrics.train_loss);
    if (ImGui::CalcTextSize(foot).x > side)  // a narrow view: the accuracy, not the loss
      std::snprintf(foot, sizeof foot, "step %s   test acc. %.1f%%", group_digits(s.step).c_str(),
                    100.0 * s.metrics.test_accuracy);
    ImGui::PushClipRect(ImVec2(p0.x, p1.y), ImVec2(p1.x, p1.y + foot_h), true);
    dl->AddText(ImVec2(p0.x, p1.y + axis_h), ImGui::GetColorU32(ImGuiCol_Text), foot);
    ImGui::PopClipRect();
    ImGui::PopID();
  }
  // Pan and zoom: one square for every view.
  const double units_per_px = 2.0 * st.compare.half / side;
  if (dragged) {
    st.compare.cx -= drag_delta.x * units_per_px;
    st.compare.cy += drag_delta.y * units_per_px;
  }
  if (zoomed) {
    const double f = std::pow(0.85, static_cast<double>(wheel));
    // Keep the plane point under the mouse where it is.
    const double mx = r.x_min + (wheel_at.x - wheel_p0.x) * units_per_px;
    const double my = r.y_max - (wheel_at.y - wheel_p0.y) * units_per_px;
    st.compare.cx = mx + (st.compare.cx - mx) * f;
    st.compare.cy = my + (st.compare.cy - my) * f;
    st.compare.half = std::clamp(st.compare.half * f, 1e-3, 1e4);
  }
  ImGui::SetCursorScreenPos(start);
  ImGui::Dummy(ImVec2(origin.x - start.x + grid_w, origin.y - start.y + grid_h));
}

void draw_compare_curves(UiState& st, const FrameInfo& fi) {
  const int n = static_cast<int>(fi.compare.size());
  heading(fi.heading_font, "Compare: every run's curves");
  ImGui::SameLine();
  ImGui::Checkbox("Log loss", &st.loss_log);
  ImGui::SameLine();
  ImGui::Checkbox("Log x", &st.x_log);
  // Columns of each run's history: run k's steps, loss and accuracy at 3k, 3k + 1, 3k + 2.
  char labels[kMaxCompareRuns][64];
  PlotSeries loss[kMaxCompareRuns], acc[kMaxCompareRuns];
  for (int k = 0; k < n; ++k) {
    const auto& h = fi.compare[static_cast<std::size_t>(k)].snap->history;
    auto& x = st.compare.columns[3 * k];
    auto& l = st.compare.columns[3 * k + 1];
    auto& a = st.compare.columns[3 * k + 2];
    x.resize(h.size());
    l.resize(h.size());
    a.resize(h.size());
    for (std::size_t i = 0; i < h.size(); ++i) {
      x[i] = static_cast<double>(h[i].step);
      l[i] = h[i].train_loss;
      a[i] = 100.0 * h[i].test_accuracy;
    }
    const std::string& d = fi.compare[static_cast<std::size_t>(k)].difference;
    if (k == 0) std::snprintf(labels[k], sizeof labels[k], "1 main");
    else std::snprintf(labels[k], sizeof labels[k], "%d %s", k + 1, d.c_str());
    const int count = static_cast<int>(h.size());
    loss[k] = {labels[k], compare_color(k), x.data(), l.data(), count};
    acc[k] = {labels[k], compare_color(k), x.data(), a.data(), count};
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 size((avail.x - ImGui::GetStyle().ItemSpacing.x) * 0.5f, avail.y);
  PlotSpec spec;
  spec.title = "Training loss";
  spec.log_x = st.x_log;
  spec.log_y = st.loss_log;
  spec.size = size;
  spec.scale = fi.scale;
  plot("##cmp_loss", spec, loss, n);
  ImGui::SameLine();
  spec = PlotSpec{};
  spec.title = "Test accuracy (%)";
  spec.log_x = st.x_log;
  spec.size = size;
  spec.y_max = 100.0;
  spec.y_unit = "%";
  spec.scale = fi.scale;
  plot("##cmp_acc", spec, acc, n);
}

void draw_compare_controls(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  const int n = static_cast<int>(fi.compare.size());
  st.compare.runs.resize(static_cast<std::size_t>(std::max(n - 1, 0)));
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("Same data and seeds as run 1; each trains as many steps as run 1 has.");
  ImGui::PopStyleColor();
  for (int k = 1; k < n; ++k) {
    const train::Snapshot& s = *fi.compare[static_cast<std::size_t>(k)].snap;
    CompareEdit& e = st.compare.runs[static_cast<std::size_t>(k - 1)];
    ImGui::PushID(k);
    // Synced from the snapshot unless a widget of this run is held.
    const bool held = ImGui::IsAnyItemActive() && ImGui::GetActiveID() != 0 &&
                      (ImGui::GetActiveID() == ImGui::GetID("##w") || ImGui::GetActiveID() == ImGui::GetID("##d") ||
                       ImGui::GetActiveID() == ImGui::GetID("##lr"));
    if (!e.have || (!(s.settings == e.seen) && !held)) {
      e.edit = e.seen = s.settings;
      e.have = true;
    }
    ImGui::Separator();
    ImGui::PushStyleColor(ImGuiCol_Text, compare_color(k));
    ImGui::Text("Run %d", k + 1);
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::TextDisabled("%s", fi.compare[static_cast<std::size_t>(k)].difference.c_str());
    core::NetSpec& net = e.edit.net;
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    ImGui::SetNextItemWidth(half);
    int act = static_cast<int>(net.activations.empty() ? core::Activation::Tanh : net.activations.front());
    if (enum_combo("##act", &act, core::kNumActivations, activation_name)) {
      std::fill(net.activations.begin(), net.activations.end(), static_cast<core::Activation>(act));
      out.compare_commands.emplace_back(k, cmd::SetNet{net});
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    int opt = static_cast<int>(e.edit.optimizer.kind);
    if (enum_combo("##opt", &opt, core::kNumOptimizerKinds, optimizer_name)) {
      e.edit.optimizer.kind = static_cast<core::OptimizerKind>(opt);
      out.compare_commands.emplace_back(k, cmd::SetOptimizer{e.edit.optimizer});
    }
    int width = net.widths.empty() ? 1 : net.widths.front();
    int depth = static_cast<int>(net.widths.size());
    ImGui::SetNextItemWidth(half);
    if (ImGui::DragInt("##w", &width, 0.25f, 1, core::kMaxWidth, "width %d"))
      std::fill(net.widths.begin(), net.widths.end(), width);
    if (ImGui::IsItemDeactivatedAfterEdit()) out.compare_commands.emplace_back(k, cmd::SetNet{net});
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    if (ImGui::DragInt("##d", &depth, 0.05f, 1, core::kMaxHiddenLayers, "depth %d") && depth >= 1) {
      const core::Activation a = net.activations.empty() ? core::Activation::Tanh : net.activations.back();
      net.widths.resize(static_cast<std::size_t>(depth), width);
      net.activations.resize(static_cast<std::size_t>(depth), a);
    }
    if (ImGui::IsItemDeactivatedAfterEdit()) out.compare_commands.emplace_back(k, cmd::SetNet{net});
    ImGui::SetNextItemWidth(half);
    double lo = 1e-4, hi = 3.0;
    ImGui::SliderScalar("##lr", ImGuiDataType_Double, &e.edit.optimizer.learning_rate, &lo, &hi, "lr %.2g",
                        ImGuiSliderFlags_Logarithmic);
    if (ImGui::IsItemDeactivatedAfterEdit()) out.compare_commands.emplace_back(k, cmd::SetOptimizer{e.edit.optimizer});
    ImGui::SameLine();
    if (ImGui::Button("Close", ImVec2(-1, 0))) st.requests.compare_close = k;
    ImGui::PopID();
  }
  (void)fi;
}

}  // namespace mlpviz::ui
