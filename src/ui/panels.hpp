// panels.hpp: the ImGui panels of the window, one file each, and the frame's layout.
//
// Contract for every panel: call between ImGui::NewFrame() and ImGui::Render(), inside the window
// draw_ui() opened for it; read the frame's snapshot (FrameInfo) and the UiState; append commands
// to FrameOutput; keep no state of their own.
//
// Section index
//   layout.cpp          draw_ui: menu bar, the five areas, dialogs; settings sync
//   menu_bar.cpp        File / View / Training / Help menus
//   controls_panel.cpp  left column: run buttons, Data, Network, Training
//   boundary_view.cpp   centre: the field, axes, points' editing, legend
//   timeline.cpp        replay slider under the view
//   network_panel.cpp   right column: graph with unit thumbnails, layer summaries
//   curves_panel.cpp    bottom strip: loss, accuracy, gradient norms, unit health, confusion
//   status_bar.cpp      bottom line: run state, counters, metrics, messages
//   dialogs.cpp         open/save session, edit a parameter, help
//   inspector_panel.cpp bottom strip in inspect mode: the math at one point, Step on this point
//   theme.cpp           colours and sizes
#pragma once

#include <string>

#include "ui/state.hpp"

namespace mlpviz::ui {

// The whole UI of one frame. The App then renders the view asked for in `out` and posts
// out.commands.
void draw_ui(UiState& st, const FrameInfo& fi, FrameOutput& out);

// The left panel: whether it was shown this frame, and the Ctrl+B toggle (remembered: the
// layout no longer decides for the user).
bool controls_panel_shown(const UiState& st);
void toggle_controls_panel(UiState& st);

// Copies the snapshot's settings into st.edit unless the user is editing (a widget held or
// commands not yet applied).
void sync_settings(UiState& st, const FrameInfo& fi);

void draw_menu_bar(UiState& st, const FrameInfo& fi, FrameOutput& out);
void draw_run_controls(UiState& st, const FrameInfo& fi, FrameOutput& out);
void draw_data_controls(UiState& st, const FrameInfo& fi, FrameOutput& out);
void draw_network_controls(UiState& st, const FrameInfo& fi, FrameOutput& out);
void draw_training_controls(UiState& st, const FrameInfo& fi, FrameOutput& out);
void draw_boundary_view(UiState& st, const FrameInfo& fi, FrameOutput& out);
void draw_timeline(UiState& st, const FrameInfo& fi);
void draw_network_panel(UiState& st, const FrameInfo& fi, FrameOutput& out);
void draw_curves_panel(UiState& st, const FrameInfo& fi);
void draw_status_bar(const UiState& st, const FrameInfo& fi);
void draw_dialogs(UiState& st, const FrameInfo& fi, FrameOutput& out);

// The backprop inspector (inspector_panel.cpp). pick_inspect_point: inspect (x1, x2), with data
// point `sample` (-1: none, the label is then `label`). update_inspection recomputes the
// inspection when the parameters shown or the point changed; shown_inspection is it, or null.
void pick_inspect_point(UiState& st, double x1, double x2, int sample, int label);
void update_inspection(UiState& st, const FrameInfo& fi);
const core::PointInspection* shown_inspection(const UiState& st, const core::Layout& layout);
void draw_inspector_panel(UiState& st, const FrameInfo& fi, FrameOutput& out);

// "layer 2, weight from unit 3 to unit 5" for a flat parameter index.
std::string describe_param(const core::Layout& layout, int index);

// The light theme, unscaled (the App scales a copy for HiDPI and presentation mode).
void apply_theme(ImGuiStyle& style);

}  // namespace mlpviz::ui
