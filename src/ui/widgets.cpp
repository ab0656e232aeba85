#include "ui/widgets.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mlpviz::ui {

void hint(const char* text) {
  if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 26.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

void help_marker(const char* text) {
  ImGui::TextDisabled("(?)");
  hint(text);
}

ImU32 to_u32(core::Rgb c, float alpha) { return ImGui::ColorConvertFloat4ToU32(to_vec4(c, alpha)); }
ImVec4 to_vec4(core::Rgb c, float alpha) { return ImVec4(c.r, c.g, c.b, alpha); }

std::string group_digits(std::int64_t v) {
  char digits[32];
  const int n = std::snprintf(digits, sizeof digits, "%lld", static_cast<long long>(v < 0 ? -v : v));
  std::string out;
  if (v < 0) out.push_back('-');
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string compact(double v) {
  char buf[32];
  const double a = std::fabs(v);
  if (!std::isfinite(v)) return std::isnan(v) ? "n/a" : (v > 0 ? "inf" : "-inf");
  if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  else if (a >= 1e4) std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  else if (a >= 100) std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (a >= 1e-3 || a == 0) std::snprintf(buf, sizeof buf, "%.4g", v);
  else std::snprintf(buf, sizeof buf, "%.2e", v);
  return buf;
}

bool enum_combo(const char* label, int* value, int count, std::string_view (*name_of)(int),
                bool (*enabled)(int, const void*), const void* ctx) {
  bool changed = false;
  const std::string current(name_of(*value));
  if (ImGui::BeginCombo(label, current.c_str())) {
    for (int i = 0; i < count; ++i) {
      const bool on = enabled == nullptr || enabled(i, ctx);
      const std::string item(name_of(i));
      if (!on) ImGui::BeginDisabled();
      if (ImGui::Selectable(item.c_str(), i == *value) && i != *value) {
        *value = i;
        changed = true;
      }
      if (!on) ImGui::EndDisabled();
      if (i == *value) ImGui::SetItemDefaultFocus();
    }
    ImGui::EndCombo();
  }
  return changed;
}

void heading(ImFont* font, const char* text) {
  if (font) ImGui::PushFont(font);
  ImGui::TextUnformatted(text);
  if (font) ImGui::PopFont();
}

LegendBox corner_legend(ImVec2 lo, ImVec2 hi, ImVec2 entry, int count, float pad) {
  LegendBox box;
  if (count <= 0) return box;
  const float fw = hi.x - lo.x, fh = hi.y - lo.y;
  for (int cols = 1; cols <= count; ++cols) {
    const int rows = (count + cols - 1) / cols;
    const ImVec2 size(cols * entry.x + 2 * pad, rows * entry.y + 2 * pad);
    if (size.x > 0.5f * fw) break;  // more columns only widen it
    if (size.y > 0.45f * fh) continue;
    box.columns = cols;
    box.rows = rows;
    box.max = ImVec2(hi.x - pad, lo.y + pad + size.y);
    box.min = ImVec2(box.max.x - size.x, lo.y + pad);
    box.shown = true;
    return box;
  }
  return box;
}

namespace {
constexpr float kGap = 0.12f;  // gap between thumbnails, as a share of their side
}

GraphGeometry graph_geometry(const std::vector<int>& sizes, float width, float height,
                             float max_node, float min_node) {
  GraphGeometry g;
  const int layers = static_cast<int>(sizes.size());
  g.col_w = layers > 0 ? width / static_cast<float>(layers) : width;
  // Per layer: the sub-column count that gives the largest thumbnail; the graph uses the smallest
  // of those so every layer's units have the same size.
  auto side = [&](int n, int k) {
    const int rows = (n + k - 1) / k;
    const float w = 0.86f * g.col_w / (k + (k - 1) * kGap);
    const float h = height / (rows + (rows - 1) * kGap);
    return std::min(w, h);
  };
  float node = max_node;
  for (int n : sizes) {
    float best = 0;
    for (int k = 1; k <= n; ++k) best = std::max(best, side(n, k));
    node = std::min(node, best);
  }
  // One column per layer reads best (the eye follows a layer down): kept while its thumbnails
  // are still large, even where sub-columns would make them larger.
  float single = max_node;
  for (int n : sizes) single = std::min(single, side(n, 1));
  if (single >= 0.45f * node && single >= 2.5f * min_node) node = single;
  node = std::max(std::floor(node), min_node);
  // The fewest sub-columns that hold a layer at that size (a single column reads best), but never
  // more than fit the column's width.
  g.columns.assign(sizes.size(), 1);
  for (std::size_t l = 0; l < sizes.size(); ++l) {
    const int n = std::max(sizes[l], 1);
    int k = 1;
    while (k < n && side(n, k) < node) ++k;
    while (k > 1 && k * node + (k - 1) * kGap * node > 0.98f * g.col_w) --k;
    g.columns[l] = k;
    const int rows = (n + k - 1) / k;
    g.height_needed = std::max(g.height_needed, rows * node + (rows - 1) * kGap * node);
  }
  g.node = node;
  g.pitch = std::floor(node * (1 + kGap)) > node ? std::floor(node * (1 + kGap)) : node + 1;
  g.height_needed = 0;
  for (std::size_t l = 0; l < sizes.size(); ++l) {
    const int rows = (std::max(sizes[l], 1) + g.columns[l] - 1) / g.columns[l];
    g.height_needed = std::max(g.height_needed, (rows - 1) * g.pitch + node);
  }
  return g;
}

ImVec2 graph_node_pos(const GraphGeometry& g, const std::vector<int>& sizes, int l, int j,
                      float height) {
  const int n = sizes[static_cast<std::size_t>(l)], k = g.columns[static_cast<std::size_t>(l)];
  const int rows = (n + k - 1) / k;
  const float h = (rows - 1) * g.pitch + g.node;
  const float w = (k - 1) * g.pitch + g.node;
  const float top = 0.5f * std::max(height - h, 0.0f);
  const float left = (l + 0.5f) * g.col_w - 0.5f * w;
  return ImVec2(std::floor(left + (j % k) * g.pitch), std::floor(top + (j / k) * g.pitch));
}

}  // namespace mlpviz::ui
