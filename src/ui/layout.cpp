// layout.cpp: the frame's layout: the menu bar, the areas sized from the display, the status bar,
// and the modals on top. Two arrangements, chosen by the window's size in design pixels (its
// size divided by the text scale), so a larger text size reflows rather than squeezes:
//   side by side (wide)   left: controls | centre: the boundary view with its timeline |
//                         right: the network graph; curves in a strip under the centre and right
//   stacked (narrow)      left: controls | one column that scrolls: the view filling the visible
//                         height, then the network graph and the curves under it
// The left panel can be hidden (Ctrl+B or its arrow button); unless the user chose, it is hidden
// when the window is narrow for the text size. Areas are plain ImGui windows placed every frame
// (no docking in 1.86), without backgrounds: the App clears the screen to the window colour,
// which saves a software rasterizer from filling every pixel twice.
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>

#include "ui/hidden_regions.hpp"
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

// Design sizes (ImGui units at 100% text), below which the arrangement changes.
constexpr float kSideBySideMinWidth = 1250.0f;    // controls + view + graph side by side
constexpr float kSideBySideMinHeight = 600.0f;    // view over the curves strip
constexpr float kControlsAutoMinWidth = 1100.0f;  // the left panel shown unless the user hid it

// True when the wheel already scrolled a window between the hovered one and `top` (a graph that
// scrolls, say): the column must not scroll as well.
bool wheel_taken_below(ImGuiWindow* top) {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  for (ImGuiWindow* w = g.HoveredWindow; w && w != top; w = w->ParentWindow)
    if (w->ScrollMax.y > 0.0f && !(w->Flags & ImGuiWindowFlags_NoScrollWithMouse)) return true;
  return false;
}

}  // namespace

bool controls_panel_shown(const UiState& st) { return st.layout_record.controls_shown; }

void toggle_controls_panel(UiState& st) {
  st.controls_panel = st.layout_record.controls_shown ? PanelChoice::Hidden : PanelChoice::Shown;
}

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
  update_inspection(st, fi);
  draw_menu_bar(st, fi, out);

  const ImGuiIO& io = ImGui::GetIO();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float sc = fi.scale;
  const ImVec2 ds = io.DisplaySize;
  const float menu_h = ImGui::GetFrameHeight();
  const float status_h = ImGui::GetTextLineHeight() + 2 * style.WindowPadding.y;
  const float body_h = std::max(ds.y - menu_h - status_h, 1.0f);
  const float design_w = ds.x / sc, design_h = body_h / sc;
  const bool stacked = design_w < kSideBySideMinWidth || design_h < kSideBySideMinHeight;
  // Classroom mode shows only what the presenter chose (train/classroom.hpp).
  const train::Visibility vis = train::visibility(st.classroom, st.classroom_choice);
  st.hide_timeline = !vis.timeline;
  const bool controls =
      vis.controls_panel && (st.controls_panel == PanelChoice::Shown ||
                             (st.controls_panel == PanelChoice::Auto && design_w >= kControlsAutoMinWidth));
  st.layout_record.stacked = stacked;
  st.layout_record.controls_shown = controls;
  // Comparing networks: their views and curves take the main view's and the curves' places.
  const bool comparing = !fi.compare.empty();

  // Left: the controls, or a narrow strip with the button that brings them back.
  const float strip_w = ImGui::GetFrameHeight() + 2 * style.WindowPadding.x;
  float left_w = vis.controls_panel ? strip_w : 0.0f;
  if (controls) {
    // A readable width on a wide screen, giving way proportionally on a narrow one.
    left_w = stacked ? std::clamp(300.0f * sc, strip_w, ds.x * 0.4f)
                     : std::clamp(ds.x * 0.21f, std::min(300.0f * sc, ds.x * 0.30f), 420.0f * sc);
  }
  if (vis.controls_panel && begin_area("Controls", ImVec2(0, menu_h), ImVec2(left_w, body_h))) {
    if (controls) {
      if (ImGui::ArrowButton("hide controls", ImGuiDir_Left))
        st.controls_panel = PanelChoice::Hidden;
      hint("Hide the controls to give the view more room (Ctrl+B shows them again).");
      ImGui::SameLine();
      ImGui::TextDisabled("Controls");
      if (vis.run) draw_run_controls(st, fi, out);
      ImGui::Spacing();
      if (!fi.compare.empty() && ImGui::CollapsingHeader("Compared runs", ImGuiTreeNodeFlags_DefaultOpen))
        draw_compare_controls(st, fi, out);
      if (vis.data && ImGui::CollapsingHeader("Data", ImGuiTreeNodeFlags_DefaultOpen))
        draw_data_controls(st, fi, out);
      if (vis.network && ImGui::CollapsingHeader("Network", ImGuiTreeNodeFlags_DefaultOpen))
        draw_network_controls(st, fi, out);
      if (vis.training && ImGui::CollapsingHeader("Training", ImGuiTreeNodeFlags_DefaultOpen))
        draw_training_controls(st, fi, out);
    } else {
      if (ImGui::ArrowButton("show controls", ImGuiDir_Right))
        st.controls_panel = PanelChoice::Shown;
      hint("Show the controls: data, network, training (Ctrl+B).");
    }
  }
  if (vis.controls_panel) ImGui::End();

  const float rest_w = std::max(ds.x - left_w, 1.0f);
  // The lesson panel: a column between the view and the graph (a strip when collapsed).
  const bool lesson = lesson_panel_shown(st);
  const float lesson_w = !lesson ? 0.0f
                         : st.lesson_collapsed
                             ? strip_w
                             : std::clamp(ds.x * 0.22f, std::min(280.0f * sc, rest_w * 0.35f), 460.0f * sc);
  constexpr ImGuiWindowFlags kFixed =
      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
  if (!stacked) {
    const float right_w = !vis.network_panel ? 0.0f
        : std::clamp(ds.x * 0.27f, std::min(300.0f * sc, ds.x * 0.25f), 560.0f * sc);
    const float bottom_h = !(vis.curves || st.inspect.mode) ? 0.0f
        : std::min(std::clamp(body_h * 0.29f, 200.0f * sc, 340.0f * sc), body_h * 0.45f);
    const float centre_w = std::max(rest_w - right_w - lesson_w, 1.0f);
    const float top_h = std::max(body_h - bottom_h, 1.0f);

    if (begin_area("Plane", ImVec2(left_w, menu_h), ImVec2(centre_w, top_h), kFixed)) {
      if (comparing) draw_compare_views(st, fi, out);
      else draw_boundary_view(st, fi, out);
    }
    st.layout_record.view_panel = ImVec4(left_w, menu_h, left_w + centre_w, menu_h + top_h);
    ImGui::End();

    if (lesson) {
      if (begin_area("Lesson", ImVec2(left_w + centre_w, menu_h), ImVec2(lesson_w, top_h)))
        draw_lesson_panel(st, fi);
      ImGui::End();
    }

    if (vis.network_panel) {
      if (begin_area("Graph", ImVec2(left_w + centre_w + lesson_w, menu_h), ImVec2(right_w, top_h), kFixed))
        draw_network_panel(st, fi, out);
      ImGui::End();
    }

    if (vis.curves || st.inspect.mode) {
      if (begin_area("Curves", ImVec2(left_w, menu_h + top_h),
                     ImVec2(centre_w + lesson_w + right_w, bottom_h), kFixed)) {
        if (st.inspect.mode) draw_inspector_panel(st, fi, out);  // the strip shows the math at a point
        else if (comparing) draw_compare_curves(st, fi);
        else draw_curves_panel(st, fi);
      }
      ImGui::End();
    }
  } else {
    // One column: the view fills what is visible; the graph and the curves follow under it. The
    // wheel zooms the view and scrolls the column everywhere else.
    // Every pixel of height goes to the view: a thin padding above and below.
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding,
                        ImVec2(style.WindowPadding.x, std::floor(0.5f * style.WindowPadding.y)));
    const bool main_open =
        begin_area("Main", ImVec2(left_w, menu_h), ImVec2(rest_w, body_h),
                   ImGuiWindowFlags_AlwaysVerticalScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    if (main_open) {
      ImGuiWindow* column = ImGui::GetCurrentWindow();
      const float w = ImGui::GetContentRegionAvail().x;
      const float visible_h = body_h - 2 * std::floor(0.5f * style.WindowPadding.y);
      constexpr ImGuiWindowFlags kChild = kFixed | ImGuiWindowFlags_AlwaysUseWindowPadding;
      ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 0.0f);
      if (lesson) {  // above the view: the text first, the view a scroll away
        ImGui::BeginChild("Lesson", ImVec2(w, st.lesson_collapsed ? ImGui::GetFrameHeightWithSpacing() * 1.5f
                                                                  : std::max(visible_h * 0.4f, 160.0f * sc)),
                          false, ImGuiWindowFlags_AlwaysUseWindowPadding);
        draw_lesson_panel(st, fi);
        ImGui::EndChild();
      }
      // No padding of its own (the column's is enough): every pixel of height goes to the view.
      ImGui::BeginChild("Plane", ImVec2(w, visible_h), false, kFixed);
      if (comparing) draw_compare_views(st, fi, out);
      else draw_boundary_view(st, fi, out);
      ImGui::EndChild();
      st.layout_record.view_panel = ImVec4(ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y,
                                           ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y);
      if (vis.network_panel) {
        ImGui::BeginChild("Graph", ImVec2(w, std::max(visible_h, 320.0f * sc)), false, kChild);  // a screenful
        draw_network_panel(st, fi, out);
        ImGui::EndChild();
      }
      if (vis.curves || st.inspect.mode) {
        const float curves_h = curves_panel_height(
            w, fi.snap->metrics.classes, std::clamp(visible_h * 0.5f, 220.0f * sc, 340.0f * sc));
        ImGui::BeginChild("Curves", ImVec2(w, curves_h), false, kChild);
        if (st.inspect.mode) draw_inspector_panel(st, fi, out);
        else if (comparing) draw_compare_curves(st, fi);
        else draw_curves_panel(st, fi);
        ImGui::EndChild();
      }
      ImGui::PopStyleVar();
      const ImVec4& v = st.layout_record.view;  // the plot, where the wheel zooms instead
      const bool over_plot = io.MousePos.x >= v.x && io.MousePos.x < v.z && io.MousePos.y >= v.y &&
                             io.MousePos.y < v.w;
      if (io.MouseWheel != 0.0f && !over_plot &&
          ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows) && !wheel_taken_below(column))
        ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseWheel * 5.0f * ImGui::GetFontSize());
    }
    ImGui::End();
  }

  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::GetStyleColorVec4(ImGuiCol_MenuBarBg));
  if (begin_area("Status", ImVec2(0, ds.y - status_h), ImVec2(ds.x, status_h),
                 ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse))
    draw_status_bar(st, fi);
  ImGui::End();
  ImGui::PopStyleColor();

  draw_run_log_panel(st, fi);
  draw_sweep_panel(st, fi);
  draw_histogram_panel(st, fi);
  draw_hidden_space_window(st, fi);
  draw_dialogs(st, fi, out);
}

}  // namespace mlpviz::ui
