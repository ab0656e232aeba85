// timeline.cpp: the replay slider: pick an earlier step of this run; the boundary and the
// thumbnails show the parameters logged then (snapshot.timeline) while training goes on.
#include <imgui.h>

#include <cstdio>

#include "ui/help_text.hpp"
#include "ui/panels.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {

void draw_timeline(UiState& st, const FrameInfo& fi) {
  const auto& tl = fi.snap->timeline;
  const int n = static_cast<int>(tl.size());
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Timeline");
  ImGui::SameLine();
  if (n == 0) {
    ImGui::TextDisabled("(frames appear as training runs)");
    st.replaying = false;
    return;
  }
  // The frame nearest to the replayed step (frames get thinned as the run grows).
  int idx = n - 1;
  if (st.replaying) {
    idx = 0;
    for (int i = 0; i < n; ++i)
      if (tl[static_cast<std::size_t>(i)]->step <= st.replay_step) idx = i;
  }
  const float live_w = ImGui::CalcTextSize("Live").x + 2 * ImGui::GetStyle().FramePadding.x;
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - live_w - ImGui::GetStyle().ItemSpacing.x);
  const auto& f = *tl[static_cast<std::size_t>(idx)];
  char text[96];
  std::snprintf(text, sizeof text, st.replaying ? "step %s (epoch %.1f)" : "live: step %s",
                group_digits(st.replaying ? f.step : fi.snap->step).c_str(), f.epoch);
  if (ImGui::SliderInt("##timeline", &idx, 0, n - 1, text, ImGuiSliderFlags_NoInput)) {
    st.replaying = idx < n - 1;
    st.replay_step = tl[static_cast<std::size_t>(idx)]->step;
  }
  hint(help::kTimeline);
  ImGui::SameLine();
  if (!st.replaying) ImGui::BeginDisabled();
  if (ImGui::Button("Live")) st.replaying = false;
  if (!st.replaying) ImGui::EndDisabled();
  hint(help::kLive);
}

}  // namespace mlpviz::ui
