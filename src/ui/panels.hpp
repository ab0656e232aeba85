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
// The curves' arrangement in a strip `width` wide: four plots and the confusion matrix in one
// row while each plot keeps kCurvesMinPlotFonts of width, else wrapped onto rows of equal cells.
inline constexpr float kCurvesMinPlotFonts = 9.0f;  // narrowest readable plot, in font sizes
inline constexpr float kCurvesMinRowFonts = 9.0f;   // lowest readable row of plots
struct CurvesGrid {
  int cols = 5, rows = 1;
  float plot_w = 0, conf_w = 0;
};
CurvesGrid curves_grid(float width, int classes);
// The panel's height for `width` when one row of plots would take `one_row_height` (the stacked
// layout gives a wrapped panel the rows it needs).
float curves_panel_height(float width, int classes, float one_row_height);
void draw_status_bar(const UiState& st, const FrameInfo& fi);
void draw_dialogs(UiState& st, const FrameInfo& fi, FrameOutput& out);

// "layer 2, weight from unit 3 to unit 5" for a flat parameter index.
std::string describe_param(const core::Layout& layout, int index);

// The light theme, unscaled (the App scales a copy for HiDPI and presentation mode).
void apply_theme(ImGuiStyle& style);

}  // namespace mlpviz::ui
