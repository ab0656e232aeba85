// lesson_panel.cpp: the column beside the view while a lesson is open (or classroom mode is on):
// the lesson's title, its text, "Watch: ...", the step it is at, Next step and Restart lesson;
// under it, in classroom mode, the values of the settings students cannot see.
//
// The panel asks, the App acts: Next step and Restart post Requests::open_lesson, and the App
// loads that step's session exactly as it opens a session file. Collapsed, it is a strip with one
// arrow button (the layout gives the view the room).
#include <imgui.h>

#include <algorithm>
#include <string>

#include "ui/panels.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {

bool lesson_panel_shown(const UiState& st) {
  return (st.lesson >= 0 && st.lesson < static_cast<int>(st.lessons.size())) || st.classroom;
}

void toggle_classroom(UiState& st) {
  st.classroom = !st.classroom;
  // The first time, a classroom view without a choice would be the full window: start from the
  // lesson's view, else from one that hides the settings and keeps the instruments.
  if (st.classroom && !st.classroom_choice) {
    train::Classroom c;
    c.data = c.network = c.training = false;
    st.classroom_choice = c;
  }
}

void draw_lesson_panel(UiState& st, const FrameInfo& fi) {
  const bool have_lesson = st.lesson >= 0 && st.lesson < static_cast<int>(st.lessons.size());
  if (st.lesson_collapsed) {
    if (ImGui::ArrowButton("show lesson", ImGuiDir_Left)) st.lesson_collapsed = false;
    hint("Show the lesson's text and steps.");
    return;
  }
  if (ImGui::ArrowButton("hide lesson", ImGuiDir_Right)) st.lesson_collapsed = true;
  hint("Collapse the lesson panel to give the view more room.");
  ImGui::SameLine();
  ImGui::TextDisabled(have_lesson ? "Lesson" : "Classroom");
  if (have_lesson) {
    const train::Lesson& l = st.lessons[static_cast<std::size_t>(st.lesson)];
    const int n = l.step_count();
    const int k = std::clamp(st.lesson_step, 1, n);
    ImGui::PushTextWrapPos(0.0f);
    if (fi.heading_font) ImGui::PushFont(fi.heading_font);
    ImGui::TextWrapped("%s", l.title.c_str());
    if (fi.heading_font) ImGui::PopFont();
    ImGui::Spacing();
    ImGui::TextWrapped("%s", l.text.c_str());
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.10f, 0.33f, 0.62f, 1.0f));
    ImGui::TextWrapped("Watch: %s", l.watch.c_str());
    ImGui::PopStyleColor();
    ImGui::Separator();
    if (n > 1) {
      if (k == 1) ImGui::TextWrapped("Step 1 of %d: as the lesson opens", n);
      else ImGui::TextWrapped("Step %d of %d: %s", k, n, l.step_title(k).c_str());
      if (k > 1 && !l.steps[static_cast<std::size_t>(k - 2)].text.empty())
        ImGui::TextWrapped("%s", l.steps[static_cast<std::size_t>(k - 2)].text.c_str());
      if (k < n)
        ImGui::TextDisabled("Next: %s", l.step_title(k + 1).c_str());
    }
    ImGui::PopTextWrapPos();
    ImGui::BeginDisabled(k >= n);
    if (ImGui::Button("Next step")) {
      st.requests.open_lesson = st.lesson;
      st.requests.open_lesson_step = k + 1;
    }
    ImGui::EndDisabled();
    hint("Load the lesson's next step: its settings, from fresh weights.");
    ImGui::SameLine();
    if (ImGui::Button("Restart lesson")) {
      st.requests.open_lesson = st.lesson;
      st.requests.open_lesson_step = 1;
    }
    hint("Back to step 1 of the lesson, from fresh weights.");
    ImGui::SameLine();
    if (ImGui::Button("Close")) st.lesson = -1;
    hint("Close the lesson panel; the session stays open.");
  }
  ImGui::Separator();
  if (ImGui::Checkbox("Classroom view (Ctrl+L)", &st.classroom) && st.classroom) {
    st.classroom = false;
    toggle_classroom(st);
  }
  hint("Switch between the full window and the view chosen for students (View > Classroom).");
  const std::string hidden =
      train::hidden_settings_line(train::visibility(st.classroom, st.classroom_choice), fi.snap->settings);
  if (!hidden.empty()) {
    ImGui::TextWrapped("%s", hidden.c_str());
  }
}

}  // namespace mlpviz::ui
