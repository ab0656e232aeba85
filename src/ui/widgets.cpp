#include "ui/widgets.hpp"

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

}  // namespace mlpviz::ui
