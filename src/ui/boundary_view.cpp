// boundary_view.cpp: the main view: the field texture rendered by render/ (the output, or one
// unit after a click in the network graph), axes with ticks, first-layer lines, a legend, and the
// mouse: click adds a point, right click removes the nearest, drag pans, the wheel zooms.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/data.hpp"
#include "core/evaluate.hpp"
#include "core/palette.hpp"
#include "ui/help_text.hpp"
#include "ui/hidden_regions.hpp"
#include "ui/panels.hpp"
#include "ui/plot.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {
namespace {

namespace cmd = train::cmd;
constexpr ImU32 kInk = IM_COL32(25, 25, 30, 255);

// Centre and zoom that show every point with a margin (and at least [-1.5, 1.5]^2).
void fit_plane(PlaneView& v, const core::Dataset* data, ImVec2 region) {
  const core::Box b = core::data_bounds(data);
  v.cx = 0.5 * (b.x_min + b.x_max);
  v.cy = 0.5 * (b.y_min + b.y_max);
  v.units_per_px = 1.1 * std::max((b.x_max - b.x_min) / std::max(region.x, 1.0f),
                                  (b.y_max - b.y_min) / std::max(region.y, 1.0f));
}

// Clips the line a x + b y + c = 0 to the rectangle; false when it misses.
bool clip_line(double a, double b, double c, const PlaneRect& r, double out[4]) {
  double pts[4][2];
  int n = 0;
  if (std::fabs(b) > 1e-12)
    for (double x : {r.x_min, r.x_max}) {
      const double y = -(a * x + c) / b;
      if (y >= r.y_min && y <= r.y_max && n < 4) { pts[n][0] = x; pts[n][1] = y; ++n; }
    }
  if (std::fabs(a) > 1e-12)
    for (double y : {r.y_min, r.y_max}) {
      const double x = -(b * y + c) / a;
      if (x >= r.x_min && x <= r.x_max && n < 4) { pts[n][0] = x; pts[n][1] = y; ++n; }
    }
  if (n < 2) return false;
  out[0] = pts[0][0];
  out[1] = pts[0][1];
  out[2] = pts[n - 1][0];
  out[3] = pts[n - 1][1];
  return true;
}

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness, float dash, float gap) {
  const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
  if (len < 1e-3f) return;
  const float ux = dx / len, uy = dy / len;
  for (float t = 0; t < len; t += dash + gap) {
    const float e = std::min(t + dash, len);
    dl->AddLine(ImVec2(a.x + ux * t, a.y + uy * t), ImVec2(a.x + ux * e, a.y + uy * e), col, thickness);
  }
}

std::string activation_label(const core::Layout& lay, int layer) {
  if (layer <= 0) return "input feature";
  if (layer >= lay.depth()) return "output";
  return std::string(core::name(lay.layers[static_cast<std::size_t>(layer - 1)].act));
}

std::string view_title(const train::Snapshot& s, int layer, int unit) {
  static constexpr const char* kFeatureText[] = {"x1", "x2", "x1\xc2\xb2", "x2\xc2\xb2", "x1\xc2\xb7x2", "sin x1", "sin x2"};
  const core::Layout& lay = s.layout;
  char buf[160];
  if (layer < 0) {
    if (lay.sizes.back() == 1) std::snprintf(buf, sizeof buf, "Decision boundary: P(class 1)");
    else std::snprintf(buf, sizeof buf, "Decision regions: %d classes", lay.sizes.back());
  } else if (layer == 0) {
    int bit = -1, k = -1;
    for (int b = 0; b < core::kNumFeatures && k < unit; ++b)
      if ((s.settings.net.features >> b) & 1u) { ++k; bit = b; }
    std::snprintf(buf, sizeof buf, "Input feature %s", bit >= 0 ? kFeatureText[bit] : "?");
  } else if (layer == lay.depth()) {
    std::snprintf(buf, sizeof buf, "Output unit %d", unit);
  } else {
    std::snprintf(buf, sizeof buf, "Hidden layer %d, unit %d (%s)", layer, unit + 1, activation_label(lay, layer).c_str());
  }
  return buf;
}

void draw_first_layer_lines(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const PlaneRect& r, const train::Snapshot& s,
                            const core::Params& params, float sc) {
  const core::LayerLayout& ll = s.layout.layers.front();
  const double sx = (p1.x - p0.x) / (r.x_max - r.x_min), sy = (p1.y - p0.y) / (r.y_max - r.y_min);
  auto to_screen = [&](double x, double y) {
    return ImVec2(static_cast<float>(p0.x + (x - r.x_min) * sx), static_cast<float>(p1.y - (y - r.y_min) * sy));
  };
  dl->PushClipRect(p0, p1, true);
  for (int j = 0; j < ll.out; ++j) {
    const double w1 = params[static_cast<std::size_t>(ll.w_offset + j)];
    const double w2 = params[static_cast<std::size_t>(ll.w_offset + ll.out + j)];
    const double b = params[static_cast<std::size_t>(ll.b_offset + j)];
    double seg[4];
    if (!clip_line(w1, w2, b, r, seg)) continue;
    const ImVec2 a = to_screen(seg[0], seg[1]), e = to_screen(seg[2], seg[3]);
    dashed_line(dl, a, e, IM_COL32(30, 30, 40, 200), 1.6f * sc, 9 * sc, 6 * sc);
    char label[16];
    if (s.layout.depth() > 1) std::snprintf(label, sizeof label, "h%d", j + 1);
    else std::snprintf(label, sizeof label, "out");
    const ImVec2 m(a.x + 0.12f * (e.x - a.x), a.y + 0.12f * (e.y - a.y));
    const ImVec2 ts = ImGui::CalcTextSize(label);
    dl->AddRectFilled(ImVec2(m.x - 2 * sc, m.y - 1), ImVec2(m.x + ts.x + 2 * sc, m.y + ts.y), IM_COL32(255, 255, 255, 210), 3 * sc);
    dl->AddText(m, kInk, label);
  }
  dl->PopClipRect();
}

// Legend in the plot's top-right corner: what the colours, lines and markers mean. Returns the
// screen rectangle it covers (zero when left out; clicks there do not edit points).
ImVec4 draw_legend(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const train::Snapshot& s,
                   const UiState& st, float sc) {
  const core::Layout& lay = s.layout;
  const float fh = ImGui::GetFontSize(), line = fh + 4 * sc, sw = fh * 2.2f;
  const int K = lay.sizes.back();
  const bool unit = st.focus_layer >= 0;
  const char* rows[12];
  int n = 0;
  char act_text[64];
  if (!unit) {
    if (K == 1) rows[n++] = "P(class 1): 0   0.5   1";
    else rows[n++] = "classes, shade: confidence";  // short: the legend keeps to a corner
    rows[n++] = "decision boundary";
    if (st.output_levels) rows[n++] = K == 1 ? "levels p = 0.1 ... 0.9" : "levels of confidence";
  } else {
    rows[n++] = "activation: negative | 0 | positive";
    if (st.focus_layer < lay.depth()) rows[n++] = "zero line: z = w\xc2\xb7x + b = 0";
    std::snprintf(act_text, sizeof act_text, "level curves of the activation");
    rows[n++] = act_text;
  }
  rows[n++] = "training point";
  rows[n++] = "test point (hollow)";
  rows[n++] = "misclassified (ringed)";
  float tw = 0;
  for (int i = 0; i < n; ++i) tw = std::max(tw, ImGui::CalcTextSize(rows[i]).x);
  // In the top-right corner, in two columns when one is too tall; left out when even that would
  // cover more than a corner (points under it could not be seen or clicked).
  const LegendBox box = corner_legend(p0, p1, ImVec2(tw + sw + 14 * sc, line), n, 6 * sc);
  if (!box.shown) return ImVec4(0, 0, 0, 0);
  const ImVec2 a = box.min;
  dl->AddRectFilled(a, box.max, IM_COL32(255, 255, 255, 225), 5 * sc);
  dl->AddRect(a, box.max, IM_COL32(120, 120, 120, 200), 5 * sc);
  const ImU32 c0 = to_u32(core::kClassColors[0]), c1 = to_u32(core::kClassColors[1]);
  const ImU32 bg = to_u32(core::kBackground);
  for (int i = 0; i < n; ++i) {
    const float y = a.y + 6 * sc + (i % box.rows) * line;
    const float x = a.x + 6 * sc + static_cast<float>(i / box.rows) * (tw + sw + 14 * sc),
                cx = x + 0.5f * sw;
    const float my = y + 0.5f * fh;
    const std::string_view r = rows[i];
    if (i == 0) {
      if (!unit && K > 1) {
        const float cw = sw / static_cast<float>(std::min(K, 6));
        for (int k = 0; k < std::min(K, 6); ++k)
          dl->AddRectFilled(ImVec2(x + k * cw, y + 2 * sc), ImVec2(x + (k + 1) * cw, y + fh), to_u32(core::kClassColors[k]));
      } else {
        const core::Rgb lo = core::binary_field(0.0f), hi = core::binary_field(1.0f);
        dl->AddRectFilledMultiColor(ImVec2(x, y + 2 * sc), ImVec2(cx, y + fh), to_u32(lo), bg, bg, to_u32(lo));
        dl->AddRectFilledMultiColor(ImVec2(cx, y + 2 * sc), ImVec2(x + sw, y + fh), bg, to_u32(hi), to_u32(hi), bg);
      }
    } else if (r == "decision boundary" || r.substr(0, 9) == "zero line") {
      dl->AddLine(ImVec2(x, my), ImVec2(x + sw, my), kInk, 2.2f * sc);
    } else if (r.substr(0, 6) == "levels" || r.substr(0, 5) == "level") {
      dl->AddLine(ImVec2(x, my), ImVec2(x + sw, my), IM_COL32(25, 25, 30, 110), 1.2f * sc);
    } else if (r == "training point") {
      dl->AddCircleFilled(ImVec2(cx, my), 5 * sc, c1);
      dl->AddCircle(ImVec2(cx, my), 5 * sc, kInk, 0, 1.1f * sc);
    } else if (r == "test point (hollow)") {
      dl->AddCircle(ImVec2(cx, my), 3.9f * sc, c0, 0, 2.2f * sc);
      dl->AddCircle(ImVec2(cx, my), 5 * sc, kInk, 0, 1.1f * sc);
    } else {
      dl->AddCircleFilled(ImVec2(cx, my), 5 * sc, c1);
      dl->AddCircle(ImVec2(cx, my), 5 * sc, kInk, 0, 1.1f * sc);
      dl->AddCircle(ImVec2(cx, my), 8.2f * sc, kInk, 0, 1.6f * sc);
    }
    dl->AddText(ImVec2(x + sw + 8 * sc, y), kInk, rows[i]);
  }
  return ImVec4(box.min.x, box.min.y, box.max.x, box.max.y);
}

// What the network computes under the mouse, from the shown parameters (CPU, one point).
void hover_readout(UiState& st, const FrameInfo& fi, double x1, double x2) {
  const train::Snapshot& s = *fi.snap;
  const core::Layout& lay = s.layout;
  if (!fi.params || static_cast<int>(fi.params->size()) != lay.num_params) return;
  const int layer = st.focus_layer < 0 ? lay.depth() : std::min(st.focus_layer, lay.depth());
  core::MatX<float> a;
  core::layer_activations<float>(lay, s.settings.net.features, fi.params->data(), &x1, &x2, 1, layer, a, st.ws);
  ImGui::BeginTooltip();
  ImGui::Text("x1 = %.3f   x2 = %.3f", x1, x2);
  if (st.focus_layer < 0) {
    if (a.rows() == 1) {
      ImGui::Text("P(class 1) = %.3f  ->  class %d", a(0, 0), a(0, 0) > 0.5f ? 1 : 0);
    } else {
      Eigen::Index k = 0;
      a.col(0).maxCoeff(&k);
      ImGui::Text("class %d (output %.3f)", static_cast<int>(k), a(k, 0));
    }
  } else if (st.focus_unit < a.rows()) {
    ImGui::Text("activation = %.4f", a(st.focus_unit, 0));
  }
  ImGui::TextDisabled("click: add class %d   right click: remove nearest", st.paint_class);
  ImGui::EndTooltip();
}

}  // namespace

void draw_plane_axes(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const PlaneRect& r, float sc) {
  const ImU32 tick = IM_COL32(90, 90, 90, 255);
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const float fh = ImGui::GetFontSize();
  const float w = p1.x - p0.x, h = p1.y - p0.y;
  for (double v : nice_ticks(r.x_min, r.x_max, std::max(2, static_cast<int>(w / (fh * 4.5f))))) {
    const float x = static_cast<float>(p0.x + (v - r.x_min) / (r.x_max - r.x_min) * w);
    dl->AddLine(ImVec2(x, p1.y), ImVec2(x, p1.y + 5 * sc), tick, 1.5f * sc);
    const std::string l = compact(v);
    const ImVec2 ts = ImGui::CalcTextSize(l.c_str());
    dl->AddText(ImVec2(x - 0.5f * ts.x, p1.y + 6 * sc), text, l.c_str());
  }
  for (double v : nice_ticks(r.y_min, r.y_max, std::max(2, static_cast<int>(h / (fh * 3.0f))))) {
    const float y = static_cast<float>(p1.y - (v - r.y_min) / (r.y_max - r.y_min) * h);
    dl->AddLine(ImVec2(p0.x - 5 * sc, y), ImVec2(p0.x, y), tick, 1.5f * sc);
    const std::string l = compact(v);
    const ImVec2 ts = ImGui::CalcTextSize(l.c_str());
    dl->AddText(ImVec2(p0.x - 7 * sc - ts.x, y - 0.5f * ts.y), text, l.c_str());
  }
  dl->AddRect(p0, p1, IM_COL32(70, 70, 70, 255), 0, 0, 1.0f * sc);
  // Axis names at the far ends.
  const ImVec2 xs = ImGui::CalcTextSize("x1");
  dl->AddRectFilled(ImVec2(p1.x - xs.x - 8 * sc, p1.y - xs.y - 6 * sc), ImVec2(p1.x - 1, p1.y - 1), IM_COL32(255, 255, 255, 190));
  dl->AddText(ImVec2(p1.x - xs.x - 4 * sc, p1.y - xs.y - 4 * sc), kInk, "x1");
  dl->AddRectFilled(ImVec2(p0.x + 1, p0.y + 1), ImVec2(p0.x + xs.x + 8 * sc, p0.y + xs.y + 6 * sc), IM_COL32(255, 255, 255, 190));
  dl->AddText(ImVec2(p0.x + 4 * sc, p0.y + 3 * sc), kInk, "x2");
}

void draw_boundary_view(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  const train::Snapshot& s = *fi.snap;
  const core::Layout& lay = s.layout;
  const float sc = fi.scale;
  const int L = lay.depth();
  if (st.focus_layer > L || (st.focus_layer >= 0 && st.focus_unit >= lay.sizes[static_cast<std::size_t>(st.focus_layer)]))
    st.focus_layer = -1;

  // Header: what is shown, and the view's toggles.
  heading(fi.heading_font, view_title(s, st.focus_layer, st.focus_unit).c_str());
  if (st.focus_layer >= 0) {
    ImGui::SameLine();
    if (ImGui::SmallButton("Back to output")) st.focus_layer = -1;
    hint(help::kBackToOutput);
  }
  if (fi.replaying) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "  replaying step %s", group_digits(fi.shown_step).c_str());
  }
  // The view's toggles follow the title on its line, wrapping onto the next when the column is
  // narrow: every row of toggles is a row the plot loses.
  const float right_edge = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  bool first = false;
  auto next = [&](const char* label) {  // SameLine unless `label` would run past the edge
    const float w = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label).x;
    if (!first) {
      ImGui::SameLine();
      if (ImGui::GetCursorScreenPos().x + w > right_edge) ImGui::NewLine();
    }
    first = false;
  };
  const bool xy_only = s.settings.net.features == (core::kX1 | core::kX2);
  next("Levels");
  ImGui::Checkbox("Levels", &st.output_levels);
  hint(help::kLevels);
  next("First-layer lines");
  ImGui::Checkbox("First-layer lines", &st.first_layer_lines);
  hint(help::kFirstLayerLines);
  next("Regions");
  ImGui::Checkbox("Regions", &st.regions.show);
  hint(help::kRegions);
  next("Training");
  ImGui::Checkbox("Training", &st.show_train);
  hint(help::kShowTrain);
  next("Test");
  ImGui::Checkbox("Test", &st.show_test);
  hint(help::kShowTest);
  next("Legend");
  ImGui::Checkbox("Legend", &st.show_legend);
  next("Inspect");
  ImGui::Checkbox("Inspect", &st.inspect.mode);
  hint(help::kInspectToggle);
  next("Fit");
  if (ImGui::Button("Fit")) st.plane.units_per_px = 0;
  hint(help::kFit);

  // Plot region, leaving room for tick labels, the hint line and the timeline below.
  const float fh = ImGui::GetFontSize();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float left = ImGui::CalcTextSize("-0.00").x + 12 * sc;
  const float below = fh + 10 * sc + (ImGui::GetTextLineHeightWithSpacing() + ImGui::GetFrameHeightWithSpacing()) + style.ItemSpacing.y;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 region(std::max(1.0f, std::floor(avail.x - left - 6 * sc)), std::max(1.0f, std::floor(avail.y - below)));
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 p0(std::floor(origin.x + left), std::floor(origin.y + 2 * sc));
  const ImVec2 p1(p0.x + region.x, p0.y + region.y);

  PlaneView& v = st.plane;
  if (v.units_per_px <= 0) fit_plane(v, s.data.get(), region);
  PlaneRect r{v.cx - 0.5 * region.x * v.units_per_px, v.cx + 0.5 * region.x * v.units_per_px,
              v.cy - 0.5 * region.y * v.units_per_px, v.cy + 0.5 * region.y * v.units_per_px};

  // Mouse: click adds, right click removes, drag (left or middle) pans, wheel zooms.
  ImGui::SetCursorScreenPos(p0);
  ImGui::InvisibleButton("plane", region, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                                              ImGuiButtonFlags_MouseButtonMiddle);
  const bool hovered = ImGui::IsItemHovered();
  const ImGuiIO& io = ImGui::GetIO();
  const double mx = r.x_min + (io.MousePos.x - p0.x) * v.units_per_px;
  const double my = r.y_max - (io.MousePos.y - p0.y) * v.units_per_px;
  if (hovered && io.MouseWheel != 0.0f) {
    const double f = std::pow(1.15, -static_cast<double>(io.MouseWheel));
    const double upp = std::clamp(v.units_per_px * f, 1e-5, 1e3);
    const double k = upp / v.units_per_px;
    v.cx = mx + (v.cx - mx) * k;
    v.cy = my + (v.cy - my) * k;
    v.units_per_px = upp;
  }
  if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    v.pressed_inside = true;
    v.panning = false;
  }
  if (v.pressed_inside && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) v.panning = true;
  const bool middle = ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Middle);
  if ((v.pressed_inside && v.panning) || middle) {
    v.cx -= io.MouseDelta.x * v.units_per_px;
    v.cy += io.MouseDelta.y * v.units_per_px;
  }
  // Point edits are decided once the legend has been drawn: not under it, where nobody would see
  // the point added (or which one was removed).
  const bool add_click =
      ImGui::IsMouseReleased(ImGuiMouseButton_Left) && v.pressed_inside && !v.panning && hovered;
  const bool remove_click = hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Right);
  if (ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
    v.pressed_inside = false;
    v.panning = false;
  }
  if (ImGui::IsItemActive() || v.panning) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeAll);
  r = PlaneRect{v.cx - 0.5 * region.x * v.units_per_px, v.cx + 0.5 * region.x * v.units_per_px,
                v.cy - 0.5 * region.y * v.units_per_px, v.cy + 0.5 * region.y * v.units_per_px};

  // The field (rendered by the App into fi.view at the size asked for here), then overlays.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 fb = io.DisplayFramebufferScale;
  out.view_width_px = static_cast<int>(std::lround(region.x * fb.x));
  out.view_height_px = static_cast<int>(std::lround(region.y * fb.y));
  out.view_rect = r;
  out.view_pos = p0;
  if (fi.view.id) dl->AddImage(fi.view.id, p0, p1, fi.view.uv0, fi.view.uv1);
  if (st.first_layer_lines && st.focus_layer < 0 && xy_only && fi.params &&
      static_cast<int>(fi.params->size()) == lay.num_params)
    draw_first_layer_lines(dl, p0, p1, r, s, *fi.params, sc);
  if (st.regions.show && st.focus_layer < 0) draw_regions_overlay(dl, p0, p1, r, st, fi);
  draw_plane_axes(dl, p0, p1, r, sc);
  st.layout_record.view = ImVec4(p0.x, p0.y, p1.x, p1.y);
  const ImVec4 legend = st.show_legend ? draw_legend(dl, p0, p1, s, st, sc) : ImVec4(0, 0, 0, 0);
  st.layout_record.legend = legend;
  const ImVec2 m = io.MousePos;
  const bool over_legend =
      legend.z > legend.x && m.x >= legend.x && m.x <= legend.z && m.y >= legend.y && m.y <= legend.w;
  if (st.inspect.mode) {
    // Inspect mode: a click picks the nearest data point within a few pixels (its label or
    // target), else the spot itself with the class a click would add; nothing is edited.
    if (add_click && !over_legend) {
      const int near = s.data ? core::nearest_point(*s.data, mx, my) : -1;
      const double reach = 8.0 * sc * v.units_per_px;
      if (near >= 0 && std::hypot(s.data->points[static_cast<std::size_t>(near)].x1 - mx,
                                  s.data->points[static_cast<std::size_t>(near)].x2 - my) <= reach) {
        const core::Point& q = s.data->points[static_cast<std::size_t>(near)];
        pick_inspect_point(st, q.x1, q.x2, near, q.label);
      } else {
        pick_inspect_point(st, mx, my, -1, st.paint_class);
      }
    }
    if (st.inspect.picked) {  // the picked point: a ring with a cross
      const float px = p0.x + static_cast<float>((st.inspect.x1 - r.x_min) / v.units_per_px);
      const float py = p0.y + static_cast<float>((r.y_max - st.inspect.x2) / v.units_per_px);
      if (px >= p0.x && px <= p1.x && py >= p0.y && py <= p1.y) {
        const float rad = 9.0f * sc;
        dl->AddCircle(ImVec2(px, py), rad, IM_COL32(20, 20, 20, 255), 24, 2.5f * sc);
        dl->AddLine(ImVec2(px - 1.6f * rad, py), ImVec2(px - 0.6f * rad, py), IM_COL32(20, 20, 20, 255), 2 * sc);
        dl->AddLine(ImVec2(px + 0.6f * rad, py), ImVec2(px + 1.6f * rad, py), IM_COL32(20, 20, 20, 255), 2 * sc);
        dl->AddLine(ImVec2(px, py - 1.6f * rad), ImVec2(px, py - 0.6f * rad), IM_COL32(20, 20, 20, 255), 2 * sc);
        dl->AddLine(ImVec2(px, py + 0.6f * rad), ImVec2(px, py + 1.6f * rad), IM_COL32(20, 20, 20, 255), 2 * sc);
      }
    }
  } else {
    if (add_click && !over_legend) out.commands.push_back(cmd::AddPoint{mx, my, st.paint_class});
    if (remove_click && !over_legend) out.commands.push_back(cmd::RemoveNearest{mx, my});
  }
  if (st.first_layer_lines && !xy_only) {
    const char* note = "First-layer lines need inputs x1, x2 only";
    dl->AddRectFilled(ImVec2(p0.x + 40 * sc, p0.y + 4 * sc), ImVec2(p0.x + 48 * sc + ImGui::CalcTextSize(note).x, p0.y + 8 * sc + fh),
                      IM_COL32(255, 255, 255, 220), 4 * sc);
    dl->AddText(ImVec2(p0.x + 44 * sc, p0.y + 6 * sc), IM_COL32(160, 30, 30, 255), note);
  }
  if (hovered && !v.panning && !over_legend) hover_readout(st, fi, mx, my);

  // Below: the hint line and the timeline.
  ImGui::SetCursorScreenPos(ImVec2(origin.x, p1.y + fh + 10 * sc));
  char hint_line[160];
  if (st.inspect.mode)
    std::snprintf(hint_line, sizeof hint_line, "Inspect: click a point to see the math at it   Drag: pan   Wheel: zoom   F: fit");
  else
    std::snprintf(hint_line, sizeof hint_line,
                  "Click: add a point of class %d   Right-click: remove nearest   Drag: pan   Wheel: zoom   F: fit",
                  st.paint_class);
  if (ImGui::CalcTextSize(hint_line).x > avail.x)
    std::snprintf(hint_line, sizeof hint_line, "Click: add   Right-click: remove   Drag: pan   Wheel: zoom");
  ImGui::TextDisabled("%s", hint_line);
  if (!st.hide_timeline) draw_timeline(st, fi);  // classroom mode may hide it
}

}  // namespace mlpviz::ui
