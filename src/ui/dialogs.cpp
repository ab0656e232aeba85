// dialogs.cpp: the modals: open and save a session (a path typed into a text field: there is no
// file dialog library), type a new value for a weight or bias, and the help window.
//
// A modal only sets a request (UiState::requests); the App does the work after the frame and
// either sets UiState::dialog_done (the modal closes) or puts the one-line
// error into UiState::dialog_error, leaving the modal open with nothing half-applied.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "ui/panels.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {
namespace {

namespace cmd = train::cmd;
constexpr const char* kOpenTitle = "Open session";
constexpr const char* kSaveTitle = "Save session";
constexpr const char* kEditTitle = "Edit parameter";
constexpr const char* kHelpTitle = "Keyboard and mouse";

void session_modal(UiState& st, const char* title, bool save) {
  const ImVec2 centre(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.5f);
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 34, 0), ImGuiCond_Always);  // height: fit
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
  ImGui::TextUnformatted(save ? "Save the settings, the points and the current weights as JSON:"
                              : "Open a session file (settings, points and optionally weights):");
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(-1);
  const bool enter = ImGui::InputText("##path", &st.session_path,
                                      ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
  if (!st.dialog_error.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", st.dialog_error.c_str());
    ImGui::PopTextWrapPos();
  }
  const float w = ImGui::GetFontSize() * 7;
  if ((ImGui::Button(save ? "Save" : "Open", ImVec2(w, 0)) || enter) && !st.session_path.empty()) {
    (save ? st.requests.save_session : st.requests.open_session) = true;
    st.requests.path = st.session_path;
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel", ImVec2(w, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    st.dialog_error.clear();
    ImGui::CloseCurrentPopup();
  }
  if (st.dialog_done) {  // the App carried the request out
    st.dialog_done = false;
    st.dialog_error.clear();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void edit_modal(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  const ImVec2 centre(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.5f);
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal(kEditTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings))
    return;
  const core::Layout& lay = fi.snap->layout;
  if (st.edit_param < 0 || st.edit_param >= lay.num_params) {
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return;
  }
  ImGui::TextUnformatted(describe_param(lay, st.edit_param).c_str());
  const std::size_t i = static_cast<std::size_t>(st.edit_param);
  if (i < fi.snap->params.size())
    ImGui::Text("current value %.5f   gradient dL/dparam %s", fi.snap->params[i],
                i < fi.snap->gradient.size() ? compact(fi.snap->gradient[i]).c_str() : "n/a");
  ImGui::TextDisabled("Training is paused while you edit; press Play to go on.");
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
  const bool enter = ImGui::InputDouble("new value", &st.edit_value, 0.1, 1.0, "%.5f", ImGuiInputTextFlags_EnterReturnsTrue);
  const float w = ImGui::GetFontSize() * 7;
  if (ImGui::Button("Apply", ImVec2(w, 0)) || enter) {
    out.commands.push_back(cmd::SetParam{st.edit_param, st.edit_value});
    st.edit_param = -1;
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel", ImVec2(w, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    st.edit_param = -1;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void help_window(UiState& st) {
  bool open = true;
  const ImVec2 centre(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.5f);
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal(kHelpTitle, &open, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) return;
  static constexpr const char* kRows[][2] = {
      {"Space", "play / pause training"},
      {"S", "one optimization step"},
      {"R", "reset to the initial weights (a new run, paused)"},
      {"N", "new data sample (data seed + 1; a new run)"},
      {"Ctrl+Z", "undo the last point edit (click, right-click, Clear points)"},
      {"F", "fit the view to the data"},
      {"Ctrl+O / Ctrl+S", "open / save the session"},
      {"Ctrl+P", "screenshot (PNG)"},
      {"Ctrl + / Ctrl - / Ctrl 0", "presentation mode: larger, smaller, normal text"},
      {"F11", "full screen"},
      {"Click in the plane", "add a point of the chosen class"},
      {"Right-click in the plane", "remove the nearest point"},
      {"Double-click or Ctrl+click a control", "type a value; Enter applies it"},
      {"Drag / wheel", "pan / zoom the plane"},
      {"Click a unit", "show its activation large; Back to output returns"},
      {"Click a connection or bias", "type a new value (training pauses)"},
  };
  if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
    for (const auto& r : kRows) {
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r[0]);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r[1]);
    }
    ImGui::EndTable();
  }
  if (ImGui::Button("Close") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
    ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
  (void)st;
}

}  // namespace

void draw_dialogs(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  switch (st.open_dialog) {
    case Dialog::OpenSession: ImGui::OpenPopup(kOpenTitle); st.dialog_error.clear(); st.dialog_done = false; break;
    case Dialog::SaveSession: ImGui::OpenPopup(kSaveTitle); st.dialog_error.clear(); st.dialog_done = false; break;
    case Dialog::Help: ImGui::OpenPopup(kHelpTitle); break;
    case Dialog::None: break;
  }
  st.open_dialog = Dialog::None;
  if (st.edit_open_requested) {
    st.edit_open_requested = false;
    out.commands.push_back(cmd::Pause{});
    ImGui::OpenPopup(kEditTitle);
  }
  session_modal(st, kOpenTitle, false);
  session_modal(st, kSaveTitle, true);
  edit_modal(st, fi, out);
  help_window(st);
}

}  // namespace mlpviz::ui
