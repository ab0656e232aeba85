// regions_overlay.cpp: the linear regions of a piecewise-linear network over the boundary view
// (core/regions.hpp; docs/regions.md): one flat colour per activation pattern, drawn as runs of
// equal cells per grid row, and their count in the view.
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/data.hpp"
#include "ui/hidden_regions.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {

namespace {

// A colour per pattern from its hash: spread hues, soft saturation, so that the field and the
// points stay readable under it. Stable while the pattern exists (training moves the lines, the
// patterns keep their colours).
ImU32 pattern_colour(std::uint64_t hash, float alpha) {
  const float hue = static_cast<float>((hash >> 11) % 1000) / 1000.0f;
  const float sat = 0.35f + 0.3f * static_cast<float>((hash >> 40) % 100) / 100.0f;
  float r, g, b;
  ImGui::ColorConvertHSVtoRGB(hue, sat, 0.95f, r, g, b);
  return ImGui::GetColorU32(ImVec4(r, g, b, alpha));
}

// Grid cells for the view: at least 2 screen pixels each, and at most what keeps one evaluation
// near 3e7 multiply-adds (a few ms on one core), however deep the network.
void grid_size(const core::Layout& lay, ImVec2 region, int& w, int& h) {
  const double macs = std::max(1, lay.forward_macs());
  const double budget = std::clamp(3e7 / macs, 2500.0, 90000.0);
  const double aspect = std::max(1e-3, static_cast<double>(region.x) / std::max(1.0f, region.y));
  w = static_cast<int>(std::min<double>(region.x / 2.0, std::sqrt(budget * aspect)));
  w = std::max(w, 8);
  h = std::max(8, static_cast<int>(std::lround(w / aspect)));
}

int grid_side(const core::Layout& lay) {
  const double budget = std::clamp(1.5e7 / std::max(1, lay.forward_macs()), 1024.0, 16384.0);
  return static_cast<int>(std::sqrt(budget));  // 32 to 128 cells a side
}

// Appends the count in the data's box at this step (a new run starts a new curve; at most 2048
// points, thinned by half when full).
void log_count(RegionsOverlayState& o, const train::Snapshot& s, int side) {
  if (s.generation != o.hist_generation || (!o.hist_step.empty() && s.step < o.hist_step.back())) {
    o.hist_step.clear();
    o.hist_count.clear();
    o.hist_generation = s.generation;
  }
  if (!o.hist_step.empty() && static_cast<double>(s.step) <= o.hist_step.back()) return;
  const core::RegionMap m = core::map_regions(s.layout, s.settings.net.features, o.params.data(),
                                              core::region_grid(core::points_box(*s.data), side));
  o.hist_side = side;
  o.hist_step.push_back(static_cast<double>(s.step));
  o.hist_count.push_back(m.regions);
  if (o.hist_step.size() > 2048) {
    for (std::size_t i = 0; 2 * i < o.hist_step.size(); ++i) {
      o.hist_step[i] = o.hist_step[2 * i];
      o.hist_count[i] = o.hist_count[2 * i];
    }
    o.hist_step.resize((o.hist_step.size() + 1) / 2);
    o.hist_count.resize(o.hist_step.size());
  }
}

// The count over training, as a small curve above the count's note (bottom-left of the plot).
void draw_history(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const RegionsOverlayState& o, float sc) {
  if (o.hist_step.size() < 2) return;
  const float fh = ImGui::GetFontSize();
  char title[96];
  std::snprintf(title, sizeof title, "regions in the data's box (grid %d): %.0f", o.hist_side, o.hist_count.back());
  const float w = std::min(std::max(ImGui::CalcTextSize(title).x + 8 * sc, 200 * sc), (p1.x - p0.x) * 0.45f);
  const float h = 3.2f * fh;
  const ImVec2 a(p0.x + 6 * sc, p1.y - fh - 16 * sc - h - fh - 6 * sc), b(a.x + w, a.y + h + fh + 6 * sc);
  if (a.y < p0.y) return;
  dl->AddRectFilled(a, b, IM_COL32(255, 255, 255, 225), 4 * sc);
  dl->AddText(ImVec2(a.x + 4 * sc, a.y + 2 * sc), IM_COL32(25, 25, 30, 255), title);
  const double x0 = o.hist_step.front(), x1 = o.hist_step.back();
  const double y1 = std::max(1.0, *std::max_element(o.hist_count.begin(), o.hist_count.end()));
  const ImVec2 c0(a.x + 4 * sc, a.y + fh + 4 * sc), c1(b.x - 4 * sc, b.y - 4 * sc);
  std::vector<ImVec2> pts;
  pts.reserve(o.hist_step.size());
  for (std::size_t i = 0; i < o.hist_step.size(); ++i)
    pts.emplace_back(static_cast<float>(c0.x + (o.hist_step[i] - x0) / std::max(1.0, x1 - x0) * (c1.x - c0.x)),
                     static_cast<float>(c1.y - o.hist_count[i] / y1 * (c1.y - c0.y)));
  dl->AddLine(ImVec2(c0.x, c1.y), c1, IM_COL32(150, 150, 150, 255), 1.0f);
  dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), IM_COL32(60, 60, 140, 255), ImDrawFlags_None, 1.6f * sc);
}

}  // namespace

void draw_regions_overlay(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const PlaneRect& r, UiState& st,
                          const FrameInfo& fi) {
  RegionsOverlayState& o = st.regions;
  const train::Snapshot& s = *fi.snap;
  const core::Layout& lay = s.layout;
  const float sc = fi.scale;
  const float fh = ImGui::GetFontSize();
  const auto note = [&](const char* text, ImU32 col) {
    const ImVec2 ts = ImGui::CalcTextSize(text);
    const ImVec2 a(p0.x + 6 * sc, p1.y - ts.y - 10 * sc);
    dl->AddRectFilled(a, ImVec2(a.x + ts.x + 8 * sc, a.y + ts.y + 4 * sc), IM_COL32(255, 255, 255, 225), 4 * sc);
    dl->AddText(ImVec2(a.x + 4 * sc, a.y + 2 * sc), col, text);
  };
  if (auto why = core::regions_unsupported(lay, s.settings.net.features)) {
    const std::string text = "Linear regions: " + *why;
    note(text.c_str(), IM_COL32(160, 30, 30, 255));
    return;
  }
  if (!fi.params || static_cast<int>(fi.params->size()) != lay.num_params) return;
  int gw = 0, gh = 0;
  grid_size(lay, ImVec2(p1.x - p0.x, p1.y - p0.y), gw, gh);
  GeometryKey key{s.version, fi.shown_step, fi.replaying, {r.x_min, r.x_max, r.y_min, r.y_max}, gw, gh};
  const bool moved = !(key.rect.x_min == o.key.rect.x_min && key.rect.x_max == o.key.rect.x_max &&
                       key.rect.y_min == o.key.rect.y_min && key.rect.y_max == o.key.rect.y_max) ||
                     gw != o.key.width || gh != o.key.height;
  // New parameters: at most ~10 times a second (less when an evaluation is slow); a new view at once.
  const bool due = fi.time_s - o.computed_at >= std::max(0.1, 4.0 * o.compute_s);
  if (!(key == o.key) && (moved || due || o.map.id.empty())) {
    const auto t0 = std::chrono::steady_clock::now();
    o.params.assign(fi.params->begin(), fi.params->end());
    core::GridSpec g;
    g.width = gw;
    g.height = gh;
    g.x_min = r.x_min;
    g.x_max = r.x_max;
    g.y_min = r.y_min;
    g.y_max = r.y_max;
    o.map = core::map_regions(lay, s.settings.net.features, o.params.data(), g);
    if (!fi.replaying) log_count(o, s, grid_side(lay));
    o.key = key;
    o.computed_at = fi.time_s;
    o.compute_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  const core::RegionMap& m = o.map;
  if (m.id.size() != static_cast<std::size_t>(m.grid.width) * m.grid.height || m.grid.width == 0) return;
  // The map may lag the view by a frame while panning: draw it where it was computed.
  const double sx = (p1.x - p0.x) / (r.x_max - r.x_min), sy = (p1.y - p0.y) / (r.y_max - r.y_min);
  const double cw = (m.grid.x_max - m.grid.x_min) / m.grid.width, ch = (m.grid.y_max - m.grid.y_min) / m.grid.height;
  dl->PushClipRect(p0, p1, true);
  for (int y = 0; y < m.grid.height; ++y) {
    const float top = static_cast<float>(p1.y - (m.grid.y_max - y * ch - r.y_min) * sy);
    const float bottom = static_cast<float>(p1.y - (m.grid.y_max - (y + 1) * ch - r.y_min) * sy);
    for (int x = 0; x < m.grid.width;) {
      const std::int32_t id = m.id[static_cast<std::size_t>(y) * m.grid.width + x];
      int e = x + 1;
      while (e < m.grid.width && m.id[static_cast<std::size_t>(y) * m.grid.width + e] == id) ++e;
      const float left = static_cast<float>(p0.x + (m.grid.x_min + x * cw - r.x_min) * sx);
      const float right = static_cast<float>(p0.x + (m.grid.x_min + e * cw - r.x_min) * sx);
      dl->AddRectFilled(ImVec2(left, top), ImVec2(right, bottom), pattern_colour(m.hash[static_cast<std::size_t>(id)], 0.55f));
      x = e;
    }
  }
  dl->PopClipRect();
  char text[160];
  if (m.pieces > m.regions)
    std::snprintf(text, sizeof text, "%d linear regions in view (grid %dx%d; %d pieces: some thinner than a cell)",
                  m.regions, m.grid.width, m.grid.height, m.pieces);
  else
    std::snprintf(text, sizeof text, "%d linear regions in view (grid %dx%d)", m.regions, m.grid.width, m.grid.height);
  note(text, IM_COL32(25, 25, 30, 255));
  draw_history(dl, p0, p1, o, sc);
  (void)fh;
}

bool show_view(UiState& st, std::string_view name) {
  if (name == "regions") st.regions.show = true;
  else if (name == "hidden") st.hidden_space.open = true;
  else if (name == "hidden-layers") {  // through the layers, at the last one (Play goes back down)
    st.hidden_space.open = true;
    st.hidden_space.through = true;
    st.hidden_space.position = 1e9;  // clamped to the last layer
  }
  else return false;
  return true;
}

}  // namespace mlpviz::ui
