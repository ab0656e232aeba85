// menu_bar.cpp: File / View / Training / Help. Every item names its shortcut; the work is done by
// ui/actions.cpp (commands) or by the App (requests).
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "ui/actions.hpp"
#include "ui/panels.hpp"

namespace mlpviz::ui {

void draw_menu_bar(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open session...", "Ctrl+O")) ask_open_session(st);
    if (ImGui::BeginMenu("Open recent", !st.recent_files.empty())) {
      for (std::size_t i = 0; i < st.recent_files.size(); ++i) {
        const bool there = i < st.recent_exists.size() && st.recent_exists[i];
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::MenuItem(st.recent_files[i].c_str(), nullptr, false, there)) st.requests.open_recent = st.recent_files[i];
        if (!there && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("not found: moved or deleted");
        ImGui::PopID();
      }
      ImGui::Separator();
      if (ImGui::MenuItem("Clear the list")) st.requests.clear_recent = true;
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem("Save session", "Ctrl+S")) ask_save_session(st, st.known_session_path, false);
    if (ImGui::MenuItem("Save session as...")) ask_save_session(st, st.known_session_path, true);
    ImGui::Separator();
    if (ImGui::MenuItem("Import points from CSV", nullptr, false, !st.csv_path.empty())) st.requests.import_csv = true;
    if (ImGui::MenuItem("Export points to CSV", nullptr, false, !st.csv_path.empty())) st.requests.export_csv = true;
    ImGui::Separator();
    if (ImGui::MenuItem("Screenshot", "Ctrl+P")) st.requests.screenshot = true;
    if (ImGui::MenuItem("Export figure...")) st.open_dialog = Dialog::ExportFigure;
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) st.requests.quit = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Larger text (presentation)", "Ctrl +")) st.requests.presentation_delta = +1;
    if (ImGui::MenuItem("Smaller text", "Ctrl -")) st.requests.presentation_delta = -1;
    if (ImGui::MenuItem("Normal text size", "Ctrl 0")) st.requests.presentation_delta = -100;
    if (ImGui::MenuItem("Full screen", "F11", fi.fullscreen)) st.requests.toggle_fullscreen = true;
    if (ImGui::MenuItem("Controls panel", "Ctrl+B", controls_panel_shown(st)))
      toggle_controls_panel(st);
    ImGui::Separator();
    ImGui::MenuItem("Level curves of the output", nullptr, &st.output_levels);
    ImGui::MenuItem("First-layer lines", nullptr, &st.first_layer_lines);
    ImGui::MenuItem("Legend", nullptr, &st.show_legend);
    ImGui::MenuItem("Run log", nullptr, &st.show_run_log);
    ImGui::MenuItem("Sweep: width x depth", nullptr, &st.sweep.open);
    ImGui::MenuItem("z histograms", nullptr, &st.show_histograms);
    ImGui::MenuItem("Linear regions", nullptr, &st.regions.show);
    ImGui::MenuItem("Hidden space window", nullptr, &st.hidden_space.open);
    if (ImGui::MenuItem("Fit view to the data", "F")) fit_view(st);
    if (ImGui::MenuItem("Show the output", nullptr, false, st.focus_layer >= 0)) st.focus_layer = -1;
    ImGui::Separator();
    if (ImGui::MenuItem("Classroom view", "Ctrl+L", st.classroom)) toggle_classroom(st);
    if (ImGui::BeginMenu("Classroom: what students see")) {
      // Editing the choice starts from the full window (everything checked).
      train::Classroom c = st.classroom_choice.value_or(train::Classroom{});
      bool changed = false;
      ImGui::TextDisabled("Panels");
      changed |= ImGui::MenuItem("Network graph", nullptr, &c.network_panel);
      changed |= ImGui::MenuItem("Curves", nullptr, &c.curves);
      changed |= ImGui::MenuItem("Timeline", nullptr, &c.timeline);
      ImGui::TextDisabled("Controls");
      changed |= ImGui::MenuItem("Run buttons", nullptr, &c.run);
      changed |= ImGui::MenuItem("Data", nullptr, &c.data);
      changed |= ImGui::MenuItem("Network", nullptr, &c.network);
      changed |= ImGui::MenuItem("Training", nullptr, &c.training);
      if (changed) st.classroom_choice = c;
      ImGui::EndMenu();
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Lessons")) {
    if (st.lessons.empty() && st.lesson_errors.empty()) ImGui::TextDisabled("No lessons found");
    for (std::size_t i = 0; i < st.lessons.size(); ++i) {
      const train::Lesson& l = st.lessons[i];
      if (ImGui::MenuItem(l.title.c_str(), nullptr, st.lesson == static_cast<int>(i))) {
        st.requests.open_lesson = static_cast<int>(i);
        st.requests.open_lesson_step = 1;
      }
    }
    if (!st.lesson_errors.empty()) {
      ImGui::Separator();
      for (const std::string& e : st.lesson_errors) ImGui::TextDisabled("%s", e.c_str());
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Training")) {
    const bool running = fi.snap->state == train::RunState::Running;
    if (ImGui::MenuItem(running ? "Pause" : "Play", "Space")) toggle_play(fi, out);
    if (ImGui::MenuItem("Step", "S")) step_once(out);
    if (ImGui::MenuItem("Reset (same weights)", "R")) reset_weights(out, false);
    if (ImGui::MenuItem("Reset with new weights")) reset_weights(out, true);
    if (ImGui::MenuItem("New data sample", "N")) new_data_sample(st, fi, out);
    ImGui::Separator();
    const int runs = std::max<int>(1, static_cast<int>(fi.compare.size()));
    if (ImGui::MenuItem("Compare: duplicate this network", nullptr, false, runs < kMaxCompareRuns))
      st.requests.compare = true;
    for (int k = 1; k < runs; ++k) {
      char label[32];
      std::snprintf(label, sizeof label, "Close compared run %d", k + 1);
      if (ImGui::MenuItem(label)) st.requests.compare_close = k;
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keyboard and mouse", "F1")) st.open_dialog = Dialog::Help;
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

}  // namespace mlpviz::ui
