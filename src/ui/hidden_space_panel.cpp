// hidden_space_panel.cpp: the "Hidden space" window (core/hidden_space.hpp; docs/regions.md): the
// points and a grid of the plane as a hidden layer sees them, on two of its units or its first two
// principal components, warping live as training runs; for a last hidden layer of 2 units, the
// output's boundary as a line (the classes linearly separable there).
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_set>

#include "core/palette.hpp"
#include "ui/hidden_regions.hpp"
#include "ui/plot.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {

namespace {

// The default axes for a network: its last hidden layer with at least 2 units (the inputs when
// none has), PCA when the layer is wider than 2.
core::HiddenAxes default_axes(const core::Layout& lay) {
  core::HiddenAxes a;
  a.layer = 0;
  for (int l = lay.depth() - 1; l >= 1; --l)
    if (lay.sizes[static_cast<std::size_t>(l)] >= 2) {
      a.layer = l;
      break;
    }
  return core::default_axes_of(lay, a.layer);
}

// The plane whose grid is mapped: the data with a margin, square (as the CLI's `hidden`).
core::Box plane_box(const core::Dataset* data) {
  const core::Box b = core::data_bounds(data);
  const double cx = 0.5 * (b.x_min + b.x_max), cy = 0.5 * (b.y_min + b.y_max);
  const double half = 0.55 * std::max(b.x_max - b.x_min, b.y_max - b.y_min);
  return {cx - half, cx + half, cy - half, cy + half};
}

// The part of the square `v` where c0 y0 + c1 y1 + c2 > 0 (a convex polygon, maybe empty).
std::vector<ImVec2> half_plane(const core::Box& v, const Eigen::Vector3d& c) {
  const double pts[4][2] = {{v.x_min, v.y_min}, {v.x_max, v.y_min}, {v.x_max, v.y_max}, {v.x_min, v.y_max}};
  std::vector<ImVec2> out;
  for (int i = 0; i < 4; ++i) {
    const double* a = pts[i];
    const double* b = pts[(i + 1) % 4];
    const double fa = c(0) * a[0] + c(1) * a[1] + c(2), fb = c(0) * b[0] + c(1) * b[1] + c(2);
    if (fa > 0) out.emplace_back(static_cast<float>(a[0]), static_cast<float>(a[1]));
    if ((fa > 0) != (fb > 0)) {
      const double t = fa / (fa - fb);
      out.emplace_back(static_cast<float>(a[0] + t * (b[0] - a[0])), static_cast<float>(a[1] + t * (b[1] - a[1])));
    }
  }
  return out;
}

std::string layer_label(const core::Layout& lay, int l) {
  char buf[64];
  if (l == 0) std::snprintf(buf, sizeof buf, "Inputs (%d features)", lay.sizes[0]);
  else std::snprintf(buf, sizeof buf, "Hidden layer %d: %d %s", l, lay.sizes[static_cast<std::size_t>(l)],
                     std::string(core::name(lay.layers[static_cast<std::size_t>(l - 1)].act)).c_str());
  return buf;
}

}  // namespace

void draw_hidden_space_window(UiState& st, const FrameInfo& fi) {
  HiddenSpaceState& h = st.hidden_space;
  if (!h.open) return;
  const train::Snapshot& s = *fi.snap;
  const core::Layout& lay = s.layout;
  const float sc = fi.scale;
  const ImVec2 ds = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowSize(ImVec2(std::min(500 * sc, ds.x * 0.5f), std::min(560 * sc, ds.y * 0.8f)), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowPos(ImVec2(ds.x - std::min(500 * sc, ds.x * 0.5f) - 12 * sc, ImGui::GetFrameHeight() + 40 * sc),
                          ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Hidden space", &h.open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollbar)) {
    ImGui::End();
    return;
  }
  if (!h.chosen || core::validate(h.axes, lay)) {
    h.axes = default_axes(lay);
    h.chosen = false;
  }
  if (core::validate(h.axes, lay)) {
    ImGui::TextWrapped("No layer of this network has 2 units or more to draw.");
    ImGui::End();
    return;
  }
  // Picker: the layer, then units or PCA.
  core::HiddenAxes a = h.axes;
  ImGui::BeginDisabled(h.through);  // through the layers: every layer on its own default axes
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 260 * sc));
  if (ImGui::BeginCombo("Layer", layer_label(lay, a.layer).c_str())) {
    for (int l = 0; l < lay.depth(); ++l) {
      if (lay.sizes[static_cast<std::size_t>(l)] < 2) continue;
      if (ImGui::Selectable(layer_label(lay, l).c_str(), l == a.layer)) {
        a.layer = l;
        a.pca = lay.sizes[static_cast<std::size_t>(l)] > 2 && a.pca;
        a.unit_i = 0;
        a.unit_j = 1;
      }
    }
    ImGui::EndCombo();
  }
  hint("The layer whose activations are drawn: each point x of the plane goes to its activations a(x) there.");
  if (ImGui::RadioButton("Two units", !a.pca)) a.pca = false;
  ImGui::SameLine();
  if (ImGui::RadioButton("PCA", a.pca)) a.pca = true;
  hint("PCA: the layer's first two principal components over the training points (the sign of each axis "
       "makes its largest entry positive, so the picture does not flip).");
  if (!a.pca) {
    const int n = lay.sizes[static_cast<std::size_t>(a.layer)];
    int i = a.unit_i + 1, j = a.unit_j + 1;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(70 * sc);
    if (ImGui::SliderInt("x unit", &i, 1, n)) a.unit_i = std::clamp(i, 1, n) - 1;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(70 * sc);
    if (ImGui::SliderInt("y unit", &j, 1, n)) a.unit_j = std::clamp(j, 1, n) - 1;
    if (a.unit_i == a.unit_j) a = h.axes;  // the same unit twice: keep the last good pair
  }
  ImGui::EndDisabled();
  if (!(a == h.axes)) {
    h.axes = a;
    h.chosen = true;
  }
  ImGui::Checkbox("Through the layers", &h.through);
  hint("The points and the grid in every layer with 2 units or more, from the inputs up (each on its two units,\n"
       "or its first two principal components), and the pictures in between: watch the layers fold and\n"
       "stretch the plane until the classes come apart. Each layer is scaled to fill the square.");
  const int n_maps = static_cast<int>(h.layers.maps.size());
  if (h.through && n_maps >= 1) {
    ImGui::SameLine();
    if (ImGui::Button(h.playing ? "Pause##through" : "Play##through")) h.playing = !h.playing;
    ImGui::SameLine();
    float pos = static_cast<float>(h.position);
    ImGui::SetNextItemWidth(std::max(60 * sc, ImGui::GetContentRegionAvail().x));
    if (ImGui::SliderFloat("##layerpos", &pos, 0.0f, static_cast<float>(std::max(n_maps - 1, 0)), "")) {
      h.position = pos;
      h.playing = false;
    }
    hint("Drag through the layers: whole positions are layers, the pictures between them blend two layers.");
    if (h.playing && n_maps > 1) {  // half a layer a second, back and forth
      h.position += h.direction * 0.5 * static_cast<double>(ImGui::GetIO().DeltaTime);
      if (h.position >= n_maps - 1) {
        h.position = n_maps - 1;
        h.direction = -1;
      } else if (h.position <= 0) {
        h.position = 0;
        h.direction = 1;
      }
    }
    h.position = std::clamp(h.position, 0.0, static_cast<double>(std::max(n_maps - 1, 0)));
  }

  // Recompute for new parameters (at most ~10 times a second, less when slow) or new axes at once.
  if (fi.params && static_cast<int>(fi.params->size()) == lay.num_params) {
    const core::Box plane = plane_box(s.data.get());
    GeometryKey key{s.version, fi.shown_step, fi.replaying, plane, 0, 0};
    const bool due = fi.time_s - h.computed_at >= std::max(0.1, 4.0 * h.compute_s);
    const bool layers_missing = h.through && h.layers.maps.empty();
    if ((!(key == h.key && h.axes == h.key_axes) && (due || !(h.axes == h.key_axes) || h.map.points.empty())) ||
        layers_missing) {
      const auto t0 = std::chrono::steady_clock::now();
      h.params.assign(fi.params->begin(), fi.params->end());
      h.map = core::map_hidden_space(lay, s.settings.net.features, h.params.data(), *s.data, h.axes, plane);
      if (h.through) h.layers = core::map_through_layers(lay, s.settings.net.features, h.params.data(), *s.data, plane);
      h.key = key;
      h.key_axes = h.axes;
      h.computed_at = fi.time_s;
      h.compute_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
  }
  const bool through = h.through && !h.layers.maps.empty();
  const core::HiddenSpaceMap blended = through ? core::blend_layers(h.layers, h.position) : core::HiddenSpaceMap{};
  const core::HiddenSpaceMap& m = through ? blended : h.map;
  if (m.points.size() != s.data->points.size() && !m.points.empty()) {
    ImGui::End();  // the points changed: the next computation catches up
    return;
  }

  // The canvas: a square of the hidden space.
  const float fh = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = std::max(40.0f, std::min(avail.x - 4 * sc, avail.y - 2 * ImGui::GetTextLineHeightWithSpacing()));
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 p1(p0.x + side, p0.y + side);
  ImGui::InvisibleButton("hidden canvas", ImVec2(side, side));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const core::Box v = through ? core::Box{-1.1, 1.1, -1.1, 1.1} : core::hidden_view_box(m);
  const auto to_screen = [&](double x, double y) {
    return ImVec2(static_cast<float>(p0.x + (x - v.x_min) / (v.x_max - v.x_min) * side),
                  static_cast<float>(p1.y - (y - v.y_min) / (v.y_max - v.y_min) * side));
  };
  dl->PushClipRect(p0, p1, true);
  dl->AddRectFilled(p0, p1, to_u32(core::kBackground));
  const int K = lay.sizes.back();
  if (m.boundary) {  // the two sides of the output's line, tinted by the class each gives
    for (int side_class = 0; side_class < 2; ++side_class) {
      const Eigen::Vector3d c = side_class == 1 ? *m.boundary : Eigen::Vector3d(-*m.boundary);
      std::vector<ImVec2> poly = half_plane(v, c);
      for (ImVec2& q : poly) q = to_screen(q.x, q.y);
      if (poly.size() >= 3)
        dl->AddConvexPolyFilled(poly.data(), static_cast<int>(poly.size()), to_u32(core::kClassColors[side_class], 0.22f));
    }
  }
  // Axes through 0 with labelled ticks.
  const ImU32 axis = IM_COL32(90, 90, 90, 255), text = ImGui::GetColorU32(ImGuiCol_Text);
  const ImVec2 o = to_screen(0, 0);
  dl->AddLine(ImVec2(p0.x, o.y), ImVec2(p1.x, o.y), axis, 1.0f * sc);
  dl->AddLine(ImVec2(o.x, p0.y), ImVec2(o.x, p1.y), axis, 1.0f * sc);
  const int ticks = through ? 0 : std::max(2, static_cast<int>(side / (fh * 4.5f)));  // scaled: no units
  for (double t : ticks ? nice_ticks(v.x_min, v.x_max, ticks) : std::vector<double>{}) {
    if (t == 0) continue;
    const ImVec2 q = to_screen(t, 0);
    dl->AddLine(ImVec2(q.x, o.y - 3 * sc), ImVec2(q.x, o.y + 3 * sc), axis, 1.0f * sc);
    dl->AddText(ImVec2(q.x + 2 * sc, o.y + 2 * sc), text, compact(t).c_str());
  }
  for (double t : ticks ? nice_ticks(v.y_min, v.y_max, ticks) : std::vector<double>{}) {
    if (t == 0) continue;
    const ImVec2 q = to_screen(0, t);
    dl->AddLine(ImVec2(o.x - 3 * sc, q.y), ImVec2(o.x + 3 * sc, q.y), axis, 1.0f * sc);
    dl->AddText(ImVec2(o.x + 4 * sc, q.y - 0.5f * fh), text, compact(t).c_str());
  }
  // The warped grid: x1 = const lines darker than x2 = const lines.
  std::vector<ImVec2> pts;
  for (std::size_t l = 0; l < m.lines.size(); ++l) {
    pts.clear();
    std::optional<ImVec2> last_dropped;
    for (const Eigen::Vector2d& q : m.lines[l])
      if (q.allFinite()) {
        // A sample less than a pixel from the last one kept adds nothing to the picture, only
        // vertices (a saturated layer piles hundreds of them into its corners).
        const ImVec2 p = to_screen(q(0), q(1));
        if (pts.empty() || std::abs(p.x - pts.back().x) + std::abs(p.y - pts.back().y) >= 1.0f) {
          pts.push_back(p);
          last_dropped.reset();
        } else {
          last_dropped = p;
        }
      }
    if (last_dropped) pts.push_back(*last_dropped);  // the line still ends where it ends
    const bool vertical = static_cast<int>(l) < m.vertical_lines;
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), vertical ? IM_COL32(60, 60, 90, 140) : IM_COL32(120, 105, 80, 140),
                    ImDrawFlags_None, 1.0f * sc);
  }
  if (m.boundary) {
    const Eigen::Vector3d& c = *m.boundary;
    const double n = std::hypot(c(0), c(1));
    if (n > 0) {
      const Eigen::Vector2d foot = -c(2) / (n * n) * Eigen::Vector2d(c(0), c(1));
      const Eigen::Vector2d dir(-c(1) / n, c(0) / n);
      const double reach = 4 * (v.x_max - v.x_min) + foot.norm();
      dl->AddLine(to_screen(foot(0) - reach * dir(0), foot(1) - reach * dir(1)),
                  to_screen(foot(0) + reach * dir(0), foot(1) + reach * dir(1)), IM_COL32(20, 20, 25, 255), 2.5f * sc);
    }
  }
  // The points: a few pixels each, hundreds of them, redrawn every frame. Filled polygons without
  // anti-aliased fringes (a dark disc under a coloured one for the outline) keep them to a fifth
  // of the triangles of stroked, anti-aliased circles: a software rasterizer (llvmpipe) spent
  // several milliseconds a frame on them.
  const float r = std::max(2.5f, 3.2f * sc);
  const float ring = std::max(1.0f, 1.0f * sc);
  const int segments = r < 5.0f ? 10 : 16;
  const ImDrawListFlags aa = dl->Flags;
  dl->Flags &= ~(ImDrawListFlags_AntiAliasedFill | ImDrawListFlags_AntiAliasedLines);
  const ImU32 outline = IM_COL32(25, 25, 30, 220), hollow = to_u32(core::kBackground);
  // A point drawn where a point of its class and kind already is (within a third of a pixel) is
  // left out: a saturated layer maps most points onto its corners.
  std::unordered_set<std::uint64_t> drawn;
  drawn.reserve(m.points.size());
  for (std::size_t i = 0; i < m.points.size(); ++i) {
    const core::Point& q = s.data->points[i];
    if ((q.test && !st.show_test) || (!q.test && !st.show_train) || !m.points[i].allFinite()) continue;
    const ImVec2 c = to_screen(m.points[i](0), m.points[i](1));
    const std::uint64_t cell = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(std::lround(c.x * 3.0f))) << 32) ^
                               (static_cast<std::uint64_t>(static_cast<std::uint32_t>(std::lround(c.y * 3.0f))) << 4) ^
                               (static_cast<std::uint64_t>(q.label % 6) << 1) ^ (q.test ? 1u : 0u);
    if (!drawn.insert(cell).second) continue;
    const ImU32 col = to_u32(core::kClassColors[static_cast<std::size_t>(q.label % 6)]);
    if (q.test) {  // a ring of the class's colour
      dl->AddCircleFilled(c, r + 0.5f * ring, col, segments);
      dl->AddCircleFilled(c, r - 1.5f * ring, hollow, segments);
    } else {
      dl->AddCircleFilled(c, r + ring, outline, segments);
      dl->AddCircleFilled(c, r, col, segments);
    }
  }
  dl->Flags = aa;
  dl->PopClipRect();
  dl->AddRect(p0, p1, IM_COL32(70, 70, 70, 255));
  if (through) {
    const std::vector<int>& ls = h.layers.layers;
    const int k = std::min(static_cast<int>(std::floor(h.position)), static_cast<int>(ls.size()) - 1);
    const double t = h.position - k;
    const auto name = [&](int i) { return layer_label(lay, ls[static_cast<std::size_t>(i)]); };
    if (t < 1e-3 || k + 1 >= static_cast<int>(ls.size()))
      ImGui::TextDisabled("%s%s", name(k).c_str(), lay.sizes[static_cast<std::size_t>(ls[static_cast<std::size_t>(k)])] > 2 ? " (PCA)" : "");
    else
      ImGui::TextDisabled("between %s and %s (%.0f%%)", name(k).c_str(), name(k + 1).c_str(), 100.0 * t);
  } else if (a.pca)
    ImGui::TextDisabled("PC1 (variance %s) across, PC2 (%s) up", compact(m.proj.variance[0]).c_str(),
                        compact(m.proj.variance[1]).c_str());
  else
    ImGui::TextDisabled("unit %d across, unit %d up", h.axes.unit_i + 1, h.axes.unit_j + 1);
  if (m.boundary)
    ImGui::TextDisabled("black line: the output's boundary");
  else if (core::covers_last_hidden_layer(lay, m.proj) && K > 2)
    ImGui::TextDisabled("this layer is all the output sees");
  else
    ImGui::TextDisabled("grid: the plane's lines x1 = const (dark), x2 = const (brown)");
  ImGui::End();
}

}  // namespace mlpviz::ui
