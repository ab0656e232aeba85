// layout.cpp: the frame's layout: the menu bar, then five fixed areas sized from the display:
//   left column    controls (Data / Network / Training)
//   centre         the boundary view with its timeline
//   right column   the network graph
//   bottom strip   curves (under the centre and the right column)
//   bottom line    status bar
// and the modals on top. Areas are plain ImGui windows placed every frame (no docking in 1.86),
// without backgrounds: the App clears the screen to the window colour, which saves a software
// rasterizer from filling every pixel twice.
#include <imgui.h>

#include <algorithm>

#include "ui/panels.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {
namespace {

constexpr ImGuiWindowFlags kAreaFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                        ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                        ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoTitleBar |
                                        ImGuiWindowFlags_NoBackground;  // the App clears to WindowBg

bool begin_area(const char* name, ImVec2 pos, ImVec2 size, ImGuiWindowFlags extra = 0) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)));
  return ImGui::Begin(name, nullptr, kAreaFlags | extra);
}

}  // namespace

void sync_settings(UiState& st, const FrameInfo& fi) {
  const train::Settings& now = fi.snap->settings;
  const bool editing = ImGui::IsAnyItemActive() || fi.commands_pending > 0;
  st.quiet_frames = editing ? 0 : st.quiet_frames + 1;
  // A new snapshot state: adopt it, unless a widget is held. Also resync after a few quiet frames
  // (a command the trainer rejected leaves the snapshot as it was: the controls go back to it).
  if (!st.have_settings || (!(now == st.seen) && !ImGui::IsAnyItemActive()) ||
      (st.quiet_frames > 10 && !(st.edit == now))) {
    st.edit = now;
    st.seen = now;
    st.have_settings = true;
  }
}

void draw_ui(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  sync_settings(st, fi);
  draw_menu_bar(st, fi, out);

  const ImGuiIO& io = ImGui::GetIO();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float sc = fi.scale;
  const ImVec2 ds = io.DisplaySize;
  const float menu_h = ImGui::GetFrameHeight();
  const float status_h = ImGui::GetTextLineHeight() + 2 * style.WindowPadding.y;
  const float body_h = std::max(ds.y - menu_h - status_h, 1.0f);
  // Columns keep a readable width on a wide screen and give way proportionally on a narrow one.
  const float left_w = std::clamp(ds.x * 0.21f, std::min(300.0f * sc, ds.x * 0.30f), 420.0f * sc);
  const float right_w = std::clamp(ds.x * 0.27f, std::min(300.0f * sc, ds.x * 0.25f), 560.0f * sc);
  const float bottom_h = std::min(std::clamp(body_h * 0.29f, 200.0f * sc, 340.0f * sc), body_h * 0.45f);
  const float centre_w = std::max(ds.x - left_w - right_w, 1.0f);
  const float top_h = std::max(body_h - bottom_h, 1.0f);

  if (begin_area("Controls", ImVec2(0, menu_h), ImVec2(left_w, body_h))) {
    draw_run_controls(st, fi, out);
    ImGui::Spacing();
    if (ImGui::CollapsingHeader("Data", ImGuiTreeNodeFlags_DefaultOpen)) draw_data_controls(st, fi, out);
    if (ImGui::CollapsingHeader("Network", ImGuiTreeNodeFlags_DefaultOpen)) draw_network_controls(st, fi, out);
    if (ImGui::CollapsingHeader("Training", ImGuiTreeNodeFlags_DefaultOpen)) draw_training_controls(st, fi, out);
  }
  ImGui::End();

  if (begin_area("Plane", ImVec2(left_w, menu_h), ImVec2(centre_w, top_h),
                 ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse))
    draw_boundary_view(st, fi, out);
  ImGui::End();

  if (begin_area("Graph", ImVec2(left_w + centre_w, menu_h), ImVec2(right_w, top_h),
                 ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse))
    draw_network_panel(st, fi, out);
  ImGui::End();

  if (begin_area("Curves", ImVec2(left_w, menu_h + top_h), ImVec2(centre_w + right_w, bottom_h),
                 ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse))
    draw_curves_panel(st, fi);
  ImGui::End();

  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::GetStyleColorVec4(ImGuiCol_MenuBarBg));
  if (begin_area("Status", ImVec2(0, ds.y - status_h), ImVec2(ds.x, status_h),
                 ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse))
    draw_status_bar(st, fi);
  ImGui::End();
  ImGui::PopStyleColor();

  draw_dialogs(st, fi, out);
}

}  // namespace mlpviz::ui
