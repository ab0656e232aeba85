// status_bar.cpp: the bottom line: run state, step and epoch, throughput and frame rate, train and
// test loss and accuracy, then the newest message (divergence, command errors, file results, the
// CPU fallback of the field). One line at every text size: counters that do not fit are left out
// by priority (frame rate first, step last) and the whole line opens in full on hover.
#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <iterator>
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
  const ImVec2 counters_min(p.x, p.y);
  ImGui::SameLine();
  const core::Metrics& m = s.metrics;
  // The pace: the one asked for, or at max the one measured ("max: 1.20M steps/s").
  const double sps = s.settings.steps_per_second;
  const std::string pace = sps > 0 ? compact(sps) + " steps/s"
                                   : "max" + (s.samples_per_second > 0 && s.effective_batch > 0
                                                  ? ": " + compact(s.samples_per_second / s.effective_batch) + " steps/s"
                                                  : std::string());
  // The counters in reading order, each with a priority: when the bar is too narrow (a large
  // text size on a projector) the least important go first, never cut half-way; hovering the
  // bar shows them all. Messages keep at least a part of the bar (they are cut with "..." and
  // shown in full on hover as well).
  char fps_text[32];
  std::snprintf(fps_text, sizeof fps_text, "%.0f fps", fi.fps);
  struct Counter {
    std::string text;
    int priority;      // higher stays longer
    bool group_start;  // a "|" before it (the train and test groups)
  };
  const Counter counters[] = {
      {"step " + group_digits(s.step), 7, false},
      {"epoch " + std::to_string(static_cast<long long>(s.epoch)), 2, false},
      {pace, 4, false},
      {compact(s.samples_per_second) + " samples/s", 1, false},
      {fps_text, 0, false},
      {"train loss " + compact(m.train_loss) + "  acc " + percent(m.train_accuracy), 6, true},
      {"test loss " + compact(m.test_loss) + "  acc " + percent(m.test_accuracy), 5, true},
  };
  constexpr int kCounters = static_cast<int>(std::size(counters));
  const float right_edge = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  const float word_gap = ImGui::CalcTextSize("   ").x;
  const float bar_gap = ImGui::CalcTextSize(" | ").x + 2 * ImGui::GetStyle().ItemSpacing.x;
  const float room = std::max(0.0f, (right_edge - ImGui::GetCursorScreenPos().x) * 0.75f);
  bool shown[kCounters];
  for (bool& b : shown) b = true;
  auto width_of_shown = [&] {
    float w = 0;
    bool first = true;
    for (int i = 0; i < kCounters; ++i) {
      if (!shown[i]) continue;
      w += (first ? 0.0f : counters[i].group_start ? bar_gap : word_gap) +
           ImGui::CalcTextSize(counters[i].text.c_str()).x;
      first = false;
    }
    return w;
  };
  for (int drop = 0; drop < kCounters - 1 && width_of_shown() > room; ++drop) {
    int lowest = -1;
    for (int i = 0; i < kCounters; ++i)
      if (shown[i] && (lowest < 0 || counters[i].priority < counters[lowest].priority)) lowest = i;
    shown[lowest] = false;
  }
  bool dropped = false, first = true;
  for (int i = 0; i < kCounters; ++i) {
    if (!shown[i]) {
      dropped = true;
      continue;
    }
    if (!first && counters[i].group_start) {
      ImGui::SameLine();
      ImGui::TextDisabled("|");
      ImGui::SameLine();
    } else if (!first) {
      ImGui::SameLine(0, word_gap);
    }
    ImGui::TextUnformatted(counters[i].text.c_str());
    first = false;
  }
  if (dropped) {
    ImGui::SameLine(0, word_gap * 0.5f);
    ImGui::TextDisabled("...");
  }
  const ImVec2 counters_max(ImGui::GetItemRectMax().x, counters_min.y + ImGui::GetTextLineHeight());
  if (dropped && ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(counters_min, counters_max)) {
    ImGui::BeginTooltip();
    for (const Counter& c : counters) ImGui::TextUnformatted(c.text.c_str());
    ImGui::EndTooltip();
  }
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
  const float right = right_edge;
  const float gap = word_gap;
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
