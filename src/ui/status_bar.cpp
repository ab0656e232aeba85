// status_bar.cpp: the bottom line: run state, step and epoch, throughput and frame rate, train and
// test loss and accuracy, then the newest message (divergence, command errors, file results, the
// CPU fallback of the field).
#include <imgui.h>

#include <cmath>
#include <string>

#include "ui/panels.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {
namespace {

ImVec4 state_color(train::RunState s) {
  switch (s) {
    case train::RunState::Running: return ImVec4(0.16f, 0.55f, 0.30f, 1);
    case train::RunState::Paused: return ImVec4(0.45f, 0.45f, 0.50f, 1);
    case train::RunState::Finished: return ImVec4(0.13f, 0.44f, 0.71f, 1);
    case train::RunState::Diverged: return ImVec4(0.80f, 0.12f, 0.12f, 1);
  }
  return ImVec4(0.4f, 0.4f, 0.4f, 1);
}

std::string percent(double f) {
  if (!std::isfinite(f)) return "n/a";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * f);
  return buf;
}

}  // namespace

void draw_status_bar(const UiState& st, const FrameInfo& fi) {
  const train::Snapshot& s = *fi.snap;
  const float sc = fi.scale;
  // Run state as a coloured badge.
  const char* state = train::name(s.state);
  const ImVec2 ts = ImGui::CalcTextSize(state);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float pad = 8 * sc;
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y - 1), ImVec2(p.x + ts.x + 2 * pad, p.y + ts.y + 1),
                                            ImGui::ColorConvertFloat4ToU32(state_color(s.state)), 4 * sc);
  ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + pad, p.y), IM_COL32_WHITE, state);
  ImGui::Dummy(ImVec2(ts.x + 2 * pad, ts.y));
  ImGui::SameLine();
  const core::Metrics& m = s.metrics;
  // The pace: the one asked for, or at max the one measured ("max: 1.20M steps/s").
  const double sps = s.settings.steps_per_second;
  const std::string pace = sps > 0 ? compact(sps) + " steps/s"
                                   : "max" + (s.samples_per_second > 0 && s.effective_batch > 0
                                                  ? ": " + compact(s.samples_per_second / s.effective_batch) + " steps/s"
                                                  : std::string());
  ImGui::Text("step %s   epoch %lld   %s   %s samples/s   %.0f fps", group_digits(s.step).c_str(),
              static_cast<long long>(s.epoch), pace.c_str(), compact(s.samples_per_second).c_str(), fi.fps);
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  ImGui::Text("train loss %s  acc %s", compact(m.train_loss).c_str(), percent(m.train_accuracy).c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  ImGui::Text("test loss %s  acc %s", compact(m.test_loss).c_str(), percent(m.test_accuracy).c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  // Messages: the result of the user's last action while fresh (or until what it is about is
  // resolved), the trainer's notice, and the field's path (dim when it is the GPU, orange for the
  // CPU fallback). What does not fit is cut with "..." and shown in full, wrapped, on hover.
  const bool cpu_field = fi.render_status.rfind("GPU", 0) != 0;
  const ImVec4 red(0.80f, 0.12f, 0.12f, 1);
  struct Part {
    const std::string* text;
    ImVec4 color;
  };
  Part parts[3];
  int n = 0;
  const ImVec4 ink = ImGui::GetStyleColorVec4(ImGuiCol_Text);
  if (!st.notice.empty() && fi.time_s < st.notice_until)
    parts[n++] = {&st.notice, st.notice_is_error ? red : ink};
  if (!s.message.empty())
    parts[n++] = {&s.message,
                  s.state == train::RunState::Diverged || s.message_is_warning ? red : ink};
  parts[n++] = {&fi.render_status, cpu_field ? ImVec4(0.75f, 0.40f, 0.05f, 1)
                                             : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled)};
  const ImVec2 area_min = ImGui::GetCursorScreenPos();
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  const float gap = ImGui::CalcTextSize("   ").x;
  bool cut = false;
  for (int i = 0; i < n && !cut; ++i) {
    if (i > 0) ImGui::SameLine(0, gap);
    const std::string& t = *parts[i].text;
    const float room = right - ImGui::GetCursorScreenPos().x;
    if (ImGui::CalcTextSize(t.c_str()).x <= room) {
      ImGui::TextColored(parts[i].color, "%s", t.c_str());
      continue;
    }
    cut = true;  // the longest prefix (on a UTF-8 boundary) that fits with "..."
    const float dots = ImGui::CalcTextSize("...").x;
    std::size_t len = t.size();
    while (len > 0 && ImGui::CalcTextSize(t.data(), t.data() + len).x + dots > room) {
      --len;
      while (len > 0 && (static_cast<unsigned char>(t[len]) & 0xC0) == 0x80) --len;
    }
    ImGui::TextColored(parts[i].color, "%.*s...", static_cast<int>(len), t.c_str());
  }
  const ImVec2 area_max(right, area_min.y + ImGui::GetTextLineHeight());
  if (ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(area_min, area_max)) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
    for (int i = 0; i < n; ++i) ImGui::TextColored(parts[i].color, "%s", parts[i].text->c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

}  // namespace mlpviz::ui
