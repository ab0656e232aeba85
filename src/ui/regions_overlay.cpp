// regions_overlay.cpp: the linear regions of a piecewise-linear network over the boundary view
// (core/regions.hpp; docs/regions.md): one flat colour per activation pattern, drawn as runs of
// equal cells per grid row, and their count in the view.
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

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
      dl->AddRectFilled(ImVec2(left, top), ImVec2(right, bottom), pattern_colour(m.hash[static_cast<std::size_t>(id)], 0.62f));
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
  (void)fh;
}

bool show_view(UiState& st, std::string_view name) {
  if (name == "regions") st.regions.show = true;
  else if (name == "hidden") st.hidden_space.open = true;
  else return false;
  return true;
}

}  // namespace mlpviz::ui
