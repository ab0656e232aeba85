// dialogs.cpp: the modals: open and save a session (a small file chooser of our own, with the
// typed path as the fallback), type a new value for a weight or bias, the help window, the offer
// to recover the unsaved work of windows that did not close cleanly, the question before quitting
// with unsaved changes, and the figure export.
//
// A modal only sets a request (UiState::requests); the App does the work after the frame and
// either sets UiState::dialog_done (the modal closes) or puts the one-line
// error into UiState::dialog_error, leaving the modal open with nothing half-applied.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>

#include "ui/file_browser.hpp"
#include "ui/panels.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {
namespace {

namespace cmd = train::cmd;
constexpr const char* kOpenTitle = "Open session";
constexpr const char* kSaveTitle = "Save session";
constexpr const char* kEditTitle = "Edit parameter";
constexpr const char* kHelpTitle = "Keyboard and mouse";
constexpr const char* kRecoverTitle = "Recover unsaved work";
constexpr const char* kUnsavedTitle = "Unsaved changes";
constexpr const char* kFigureTitle = "Export figure";

void session_modal(UiState& st, const char* title, bool save) {
  const ImVec2 centre(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.5f);
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 34, 0), ImGuiCond_Always);  // height: fit
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
  ImGui::TextUnformatted(save ? "Save the settings, the points and the current weights as JSON:"
                              : "Open a session file (settings, points and optionally weights):");
  if (ImGui::IsWindowAppearing()) {
    st.browser.dir.clear();  // start in the typed path's folder
    ImGui::SetKeyboardFocusHere();
  }
  ImGui::SetNextItemWidth(-1);
  bool enter = ImGui::InputText("##path", &st.session_path,
                                ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
  enter = file_browser(st.browser, st.session_path, ".json", ImGui::GetFontSize() * 14) || enter;
  if (!st.dialog_error.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", st.dialog_error.c_str());
    ImGui::PopTextWrapPos();
  }
  const float w = ImGui::GetFontSize() * 7;
  if ((ImGui::Button(save ? "Save" : "Open", ImVec2(w, 0)) || enter) && !st.session_path.empty()) {
    if (st.session_path.find('/') == std::string::npos && !st.browser.dir.empty())
      st.session_path = st.browser.dir + "/" + st.session_path;  // a bare name: in the folder shown
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
      {"Ctrl+B", "hide or show the controls panel"},
      {"Ctrl+L", "classroom view: only what students should see (View > Classroom)"},
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

// Each row: Open / Keep for later / Discard. Nothing is removed unless Discard is pressed; closing
// the modal any other way (Escape, "Keep all for later", or the window closing) keeps every row
// for the next start. The App answers by removing the row (or filling recovery_error).
void recovery_modal(UiState& st) {
  if (st.recovery_rows.empty()) {  // all answered: close it explicitly (an open popup stops the shortcuts)
    if (ImGui::IsPopupOpen(kRecoverTitle) &&
        ImGui::BeginPopupModal(kRecoverTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) {
      ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
    }
    return;
  }
  if (!ImGui::IsPopupOpen(kRecoverTitle)) ImGui::OpenPopup(kRecoverTitle);
  const ImVec2 centre(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.5f);
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal(kRecoverTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings))
    return;
  const std::size_t n = st.recovery_rows.size();
  ImGui::TextUnformatted(n == 1 ? "A window did not close cleanly. Its work was autosaved:"
                                : "Windows did not close cleanly. Their work was autosaved (newest first):");
  const float w = ImGui::GetFontSize() * 7;
  for (std::size_t i = 0; i < n; ++i) {
    const RecoveryRow& r = st.recovery_rows[i];
    ImGui::PushID(static_cast<int>(i));
    ImGui::Separator();
    ImGui::Text("Recover unsaved work from %s?", r.when.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("(%s)", r.detail.c_str());
    const int row = static_cast<int>(i);
    if (ImGui::Button("Open", ImVec2(w, 0))) st.requests.recover_open = row;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Replace what the window shows with this work (save it with Ctrl+S)");
    ImGui::SameLine();
    if (ImGui::Button("Keep for later", ImVec2(w, 0))) st.requests.recover_keep = row;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Leave it on disk: the next start offers it again");
    ImGui::SameLine();
    if (ImGui::Button("Discard", ImVec2(w, 0))) st.requests.recover_discard = row;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Delete this autosave for good");
    ImGui::PopID();
  }
  ImGui::Separator();
  if (n > 1) ImGui::TextDisabled("Opening one keeps the others for the next start.");
  if (!st.recovery_note.empty()) ImGui::TextDisabled("%s", st.recovery_note.c_str());
  if (!st.recovery_error.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
    ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", st.recovery_error.c_str());
    ImGui::PopTextWrapPos();
  }
  if (ImGui::Button(n > 1 ? "Keep all for later" : "Decide later", ImVec2(0, 0)) ||
      ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
    st.requests.recover_keep_all = true;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Nothing is removed: the next start offers them again");
  ImGui::EndPopup();
}


// Quitting with unsaved changes: Save / Discard / Cancel. The autosave holds the work either
// way until the window closes; the App answers (and, for automated runs, never asks).
void unsaved_modal(UiState& st) {
  const ImVec2 centre(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.5f);
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal(kUnsavedTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings))
    return;
  ImGui::Text("Save the changes to %s before quitting?", st.unsaved_name.c_str());
  ImGui::TextDisabled("Discard quits without saving them.");
  const float w = ImGui::GetFontSize() * 7;
  using U = Requests::Unsaved;
  if (ImGui::Button("Save", ImVec2(w, 0))) st.requests.unsaved_answer = U::Save;
  ImGui::SameLine();
  if (ImGui::Button("Discard", ImVec2(w, 0))) st.requests.unsaved_answer = U::Discard;
  ImGui::SameLine();
  if (ImGui::Button("Cancel", ImVec2(w, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
    st.requests.unsaved_answer = U::Cancel;
  if (st.requests.unsaved_answer != U::None) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

// The view alone (or the unit shown large, or the network graph) as a PNG drawn on the CPU at
// 1x, 2x or 4x of the view's size on screen: the same picture `mlpviz render` draws.
void figure_modal(UiState& st) {
  const ImVec2 centre(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.5f);
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 30, 0), ImGuiCond_Always);
  if (!ImGui::BeginPopupModal(kFigureTitle, nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
  FigureChoice& f = st.figure;
  int what = f.graph ? 2 : f.unit ? 1 : 0;
  ImGui::RadioButton("decision boundary", &what, 0);
  ImGui::SameLine();
  if (st.focus_layer >= 0) {
    ImGui::RadioButton("the unit shown", &what, 1);
    ImGui::SameLine();
  } else if (what == 1) {
    what = 0;
  }
  ImGui::RadioButton("network graph", &what, 2);
  f.unit = what == 1;
  f.graph = what == 2;
  ImGui::TextUnformatted("Scale of the view's size:");
  for (int s : {1, 2, 4}) {
    ImGui::SameLine();
    char label[8];
    std::snprintf(label, sizeof label, "%dx", s);
    if (ImGui::RadioButton(label, f.scale == s)) f.scale = s;
  }
  ImGui::Checkbox("points", &f.points);
  ImGui::SameLine();
  ImGui::Checkbox("legend", &f.legend);
  ImGui::SameLine();
  ImGui::Checkbox("axes", &f.axes);
  ImGui::SetNextItemWidth(-1);
  ImGui::InputText("##figpath", &f.path);
  if (!st.dialog_error.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", st.dialog_error.c_str());
    ImGui::PopTextWrapPos();
  }
  const float w = ImGui::GetFontSize() * 7;
  if (ImGui::Button("Export", ImVec2(w, 0)) && !f.path.empty()) st.requests.export_figure = true;
  ImGui::SameLine();
  if (ImGui::Button("Cancel", ImVec2(w, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    st.dialog_error.clear();
    ImGui::CloseCurrentPopup();
  }
  ImGui::Separator();
  ImGui::TextWrapped("Training as an animated GIF: the same picture at the timeline's stored steps "
                     "(up to 60, evenly spread from step 0 to now), at 1x.");
  ImGui::SetNextItemWidth(-1);
  ImGui::InputText("##gifpath", &f.gif_path);
  if (ImGui::Button("Export GIF", ImVec2(w, 0)) && !f.gif_path.empty()) st.requests.export_gif = true;
  if (st.dialog_done) {
    st.dialog_done = false;
    st.dialog_error.clear();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

}  // namespace

void draw_dialogs(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  switch (st.open_dialog) {
    case Dialog::OpenSession: ImGui::OpenPopup(kOpenTitle); st.dialog_error.clear(); st.dialog_done = false; break;
    case Dialog::SaveSession: ImGui::OpenPopup(kSaveTitle); st.dialog_error.clear(); st.dialog_done = false; break;
    case Dialog::Help: ImGui::OpenPopup(kHelpTitle); break;
    case Dialog::UnsavedQuit: ImGui::OpenPopup(kUnsavedTitle); break;
    case Dialog::ExportFigure: ImGui::OpenPopup(kFigureTitle); st.dialog_error.clear(); st.dialog_done = false; break;
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
  recovery_modal(st);
  unsaved_modal(st);
  figure_modal(st);
}

}  // namespace mlpviz::ui
