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
//   run_log_panel.cpp   View > Run log: the ended runs, sortable, exported as CSV
//   sweep_panel.cpp     View > Sweep: a width x depth grid trained by the App's pool, live
//   histogram_panel.cpp floating window (View menu): z histograms per hidden layer
//   lesson_panel.cpp    beside the view: the open lesson's text, steps, classroom line
//   dialogs.cpp         open/save session, edit a parameter, help, unsaved changes, export figure
//   file_browser.cpp    the open/save modals' file chooser
//   inspector_panel.cpp bottom strip in inspect mode: the math at one point, Step on this point
//   compare_panel.cpp   Compare: the runs' views side by side, overlaid curves, their settings
//   theme.cpp           colours and sizes
#pragma once

#include <string>
#include <vector>

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
void draw_run_log_panel(UiState& st, const FrameInfo& fi);
// The Sweep window (View > Sweep): the form, the grid of boundaries filling in live, test
// accuracy against depth and against parameters; requests in st.sweep.
void draw_sweep_panel(UiState& st, const FrameInfo& fi);

// What the histogram panel drew, per hidden layer (for tests; screen coordinates).
struct HistogramPlot {
  int layer = 0;                   // 1-based hidden layer
  int total = 0;                   // values in the histogram
  std::vector<float> bar_heights;  // per bin, 0 for an empty bin; the tallest bin fills the plot
  float flat_x[2][2] = {};         // shaded flat-zone intervals [x0, x1] (flat_count of them)
  int flat_count = 0;
  ImVec2 plot_min{0, 0}, plot_max{0, 0};
};
struct HistogramRecord {
  std::vector<HistogramPlot> plots;
};
// The z histograms window, when st.show_histograms (its close button clears it).
void draw_histogram_panel(UiState& st, const FrameInfo& fi, HistogramRecord* record = nullptr);
// The open lesson (title, text, "Watch:", step, Next step / Restart lesson) and, in classroom
// mode, the values of the hidden settings. Shown while a lesson is open or classroom mode is on.
void draw_lesson_panel(UiState& st, const FrameInfo& fi);
bool lesson_panel_shown(const UiState& st);
// Classroom mode: one toggle (View menu, Ctrl+L) between the full window and the chosen view.
void toggle_classroom(UiState& st);

// The backprop inspector (inspector_panel.cpp). pick_inspect_point: inspect (x1, x2), with data
// point `sample` (-1: none, the label is then `label`). update_inspection recomputes the
// inspection when the parameters shown or the point changed; shown_inspection is it, or null.
void pick_inspect_point(UiState& st, double x1, double x2, int sample, int label);
void update_inspection(UiState& st, const FrameInfo& fi);
const core::PointInspection* shown_inspection(const UiState& st, const core::Layout& layout);
void draw_inspector_panel(UiState& st, const FrameInfo& fi, FrameOutput& out);

// A view of the plane's frame, ticks and numbers (outside [p0, p1]) and the axis names (inside).
void draw_plane_axes(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const PlaneRect& r, float sc);

// Compare (compare_panel.cpp), shown while fi.compare holds runs: the runs' boundary views side
// by side in the view's area (pan and zoom linked), the loss and accuracy of every run overlaid
// in the curves' strip, and the compared runs' own settings in the controls panel.
void draw_compare_views(UiState& st, const FrameInfo& fi, FrameOutput& out);
void draw_compare_curves(UiState& st, const FrameInfo& fi);
void draw_compare_controls(UiState& st, const FrameInfo& fi, FrameOutput& out);
// The colour that names compare run k (0: the main run) in headers, curves and legends.
ImU32 compare_color(int k);

// "layer 2, weight from unit 3 to unit 5" for a flat parameter index.
std::string describe_param(const core::Layout& layout, int index);

// The light theme, unscaled (the App scales a copy for HiDPI and presentation mode).
void apply_theme(ImGuiStyle& style);

}  // namespace mlpviz::ui
