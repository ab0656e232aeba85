// state.hpp: what the panels read each frame (FrameInfo), what they edit and remember (UiState,
// owned by the App), and what they ask for (FrameOutput). Panels keep nothing of their own.
//
// Thread ownership: everything here lives on the UI thread. Panels read snapshots only, never the
// live model; they change training by appending train::Commands to FrameOutput::commands, and
// ask the App for everything else (files, screenshots, full screen) through UiState::requests.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/inspect.hpp"
#include "core/mlp.hpp"
#include "train/classroom.hpp"
#include "train/commands.hpp"
#include "train/run_log.hpp"
#include "train/session.hpp"
#include "train/lesson.hpp"
#include "train/snapshot.hpp"
#include "ui/hidden_regions_state.hpp"
#include "ui/sweep_state.hpp"

namespace mlpviz::ui {

// A texture (or a part of one) to draw with ImGui; uv0 is the top-left corner.
struct TextureRef {
  ImTextureID id = nullptr;
  ImVec2 uv0{0, 0}, uv1{1, 1};
};

// A rectangle of the input plane, in data units.
struct PlaneRect {
  double x_min = -2, x_max = 2, y_min = -2, y_max = 2;
};

// Compare: the main run and up to three compared networks (the App's runs; compare_panel.cpp).
inline constexpr int kMaxCompareRuns = 1 + train::kMaxComparedRuns;  // as many as a session holds

// One run of a comparison as the App hands it to the panels.
struct CompareRun {
  const train::Snapshot* snap = nullptr;  // its newest published snapshot (never null)
  TextureRef view;                        // its boundary view (rendered at the size asked for)
  std::string difference;                 // its settings against run 1's ("relu vs tanh"); "" for run 1
  std::string status;                     // its view's field path ("GPU field", ...)
};

// Provided by the App each frame.
struct FrameInfo {
  const train::Snapshot* snap = nullptr;           // newest published snapshot (never null)
  const core::Params* params = nullptr;            // parameters shown: live or replayed
  const core::Params* gradient = nullptr;          // their gradient (null while replaying)
  std::int64_t shown_step = 0;                     // step of the parameters shown
  bool replaying = false;
  TextureRef view;                                 // the boundary view; id null: the App copies it
                                                   // under the UI itself (FrameOutput::view_pos)
  std::vector<TextureRef> thumbs;                  // one per node: features, hidden units, outputs
  bool thumbs_current = false;                     // false while the atlas lags a new shape
  PlaneRect thumb_rect;                            // the square every thumbnail shows
  std::string render_status;                       // "GPU field", or the CPU fallback and why
  std::uint64_t commands_pending = 0;              // posted but not yet applied by the trainer
  double fps = 0, frame_ms = 0;
  float scale = 1.0f;                              // ImGui units per design pixel (HiDPI x presentation)
  ImFont* heading_font = nullptr;                  // larger font for panel headings (may be null)
  bool fullscreen = false;
  double time_s = 0.0;                             // seconds since the window opened
  const train::RunLog* run_log = nullptr;          // the window's ended runs (View > Run log)
  const SweepView* sweep = nullptr;                // the window's sweep (View > Sweep), if any
  // Comparing: [0] the main run, then each compared run (empty: no comparison). Shown instead of
  // the main view and its curves.
  std::vector<CompareRun> compare;
};

// The main view's interaction state: centre and zoom of the plane.
struct PlaneView {
  double cx = 0.0, cy = 0.0;
  double units_per_px = 0.0;   // data units per ImGui unit; 0: fit the data on the next frame
  bool pressed_inside = false; // the left button went down inside the plane
  bool panning = false;        // that press became a drag: it pans instead of adding a point
};

enum class Dialog : std::uint8_t { None, OpenSession, SaveSession, Help, UnsavedQuit, ExportFigure };

// What the UI asks the App to do this frame (the UI asks; the owner acts).
struct Requests {
  bool open_session = false;   // load `path`
  bool save_session = false;   // save to `path`
  bool import_csv = false;     // read csv_path (as test points if import_as_test)
  bool export_csv = false;     // write csv_path
  bool export_run_log = false; // write the run log as CSV to UiState::run_log_path
  bool screenshot = false;
  bool toggle_fullscreen = false;
  bool quit = false;
  int presentation_delta = 0;  // +1 larger, -1 smaller, -100 reset
  std::string path;
  // The recovery modal's answers, by row (-1: none).
  int recover_open = -1;       // open that autosave in the window; the others are kept
  int recover_keep = -1;       // keep it for the next start
  int recover_discard = -1;    // remove it (the user's say)
  bool recover_keep_all = false;
  // Lessons: open lesson st.lessons[open_lesson] at step open_lesson_step (-1: none).
  int open_lesson = -1;
  int open_lesson_step = 1;
  // Desktop (gui_desktop.cpp): a Recent files entry to open (a session, or points by .csv),
  // forget the list, the unsaved-changes question's answer, a figure to export.
  std::string open_recent;
  bool clear_recent = false;
  enum class Unsaved : std::uint8_t { None, Save, Discard, Cancel } unsaved_answer = Unsaved::None;
  bool export_figure = false;  // with UiState::figure
  bool export_gif = false;     // the timeline's stored steps as a GIF (UiState::figure.gif_path)
  // Compare: duplicate the main network into a new compared run (same data and seeds); close
  // compared run `compare_close` (1 .. kMaxCompareRuns - 1; -1: none).
  bool compare = false;
  int compare_close = -1;
};

// The file chooser's folder and its listing (read again when the folder changes or on Refresh).
struct FileBrowser {
  std::string dir;                     // absolute; "" : the typed path's folder, else the current one
  std::string listed;                  // the folder `folders` and `files` were read from
  std::string ext;                     // the filter they were read with (".json")
  std::vector<std::string> folders, files;  // names, sorted
  std::string error;                   // the folder could not be read
};

// The window's "Export figure..." choices (the App draws it on the CPU: app/figure.hpp).
struct FigureChoice {
  int scale = 2;              // 1, 2 or 4 times the view's size on screen
  bool points = true, legend = true, axes = true;
  bool unit = false;          // the unit shown large (focus) instead of the boundary
  bool graph = false;         // the network graph instead
  std::string path = "figure.png";
  std::string gif_path = "training.gif";
};

// One autosave of a window that did not close cleanly, as the recovery modal lists it.
struct RecoveryRow {
  std::string when;            // "Wed 2 Dec 14:02:11"
  std::string detail;          // "0.2 MB"
};

// Where the layout put things this frame, for the automation's layout check (the App reads it
// after the frame; vectors are reused, not reallocated, frame to frame). Rectangles in ImGui units
// as (x_min, y_min, x_max, y_max).
struct LayoutRecord {
  std::vector<ImVec4>
      graph_nodes;                // every node of the network graph: inputs, hidden units, outputs
  ImVec4 legend{0, 0, 0, 0};      // the main view's legend (zero when not shown)
  ImVec4 view{0, 0, 0, 0};        // the main view's plot
  ImVec4 view_panel{0, 0, 0, 0};  // the whole boundary view: plot, axes, toolbar, timeline
  bool stacked = false;           // the graph and the curves are under the view
  bool controls_shown = true;     // the left panel this frame
  ImVec4 speed_slider{0, 0, 0, 0};  // the speed slider (input tests drive it with a real mouse)
  ImVec4 points_field{0, 0, 0, 0};  // the data's Points drag (input tests type into it)
};

enum class PanelChoice : std::uint8_t { Auto, Shown, Hidden };

// The backprop inspector (inspector_panel.cpp). In inspect mode a click in the view picks a point
// (the nearest data point within a few pixels, else the clicked spot with the class a click would
// add) instead of adding one; the bottom strip shows the math at that point and the network graph
// shows its values and gradients. The inspection is computed on the UI thread from the parameters
// shown (core::inspect_point: one column forward and backward, about a microsecond for the worked
// example and under 0.1 ms for 8 x 64 units), and only when they or the point change.
struct InspectState {
  bool mode = false;
  bool picked = false;
  double x1 = 0, x2 = 0;
  int sample = -1;                 // the data point picked, -1: a free spot
  int label = 0;
  std::uint64_t pick_serial = 0;   // bumped on every pick: the inspection is recomputed
  // The inspection of the shown parameters, and what it was computed from.
  bool valid = false;
  core::PointInspection result;
  std::vector<double> params;      // the shown parameters as written (core::as_written)
  double learning_rate = 0.0;      // of "Step on this point": the run's current rate
  std::uint64_t key_version = 0, key_pick = 0, key_data = 0;
  std::int64_t key_step = -1;
  const void* key_params = nullptr;
  // The unit whose formula is shown: the one under the mouse in the graph or the table, else the
  // first output. Layer 0: an input.
  int unit_layer = -1, unit_index = 0;
  // The last "Step on this point": every parameter before and after (W - lr * dW).
  std::vector<double> step_before, step_after;
  double step_lr = 0.0;
  double step_loss = 0.0;          // the point's loss before that step
  bool step_requested = false;     // the App's automation presses the button (--inspect-step)
  std::string error;               // why there is no inspection (no target, a shape change)
};

// Compare (compare_panel.cpp): the compared runs' settings as edited (synced from their snapshots
// like `UiState::edit`) and the one square of the plane every compared view shows: pan and zoom
// are linked.
struct CompareEdit {
  train::Settings edit, seen;
  bool have = false;
};
struct CompareState {
  double cx = 0.0, cy = 0.0, half = 0.0;  // centre and half side of the square shown; 0: fit the data
  std::vector<CompareEdit> runs;          // compared run k (1..) at runs[k - 1]
  std::vector<double> columns[3 * kMaxCompareRuns];  // the curves' scratch, reused every frame
};

struct UiState {
  // Settings as edited: synced from the newest snapshot except while a widget is held.
  train::Settings edit;
  train::Settings seen;        // the snapshot settings `edit` was last synced from
  bool have_settings = false;
  int quiet_frames = 0;        // frames with no command pending and no widget held
  bool same_width = true;      // one width slider for every hidden layer
  int paint_class = 0;         // class added by a click in the view
  std::string data_seed_text;  // the seed fields as typed (applied on Enter; a uint64 each)
  std::string weight_seed_text;
  double speed_top = 0;        // the speed slider's top stop before "max" (steps/s; 0: not set)

  // Main view.
  PlaneView plane;
  int focus_layer = -1;        // < 0: output field; else a unit of layer focus_layer
  int focus_unit = 0;
  bool output_levels = true;
  bool first_layer_lines = false;
  bool show_train = true;
  bool show_test = true;
  bool show_legend = true;
  bool show_histograms = false;  // the z histograms window (View menu)

  // Timeline replay.
  bool replaying = false;
  std::int64_t replay_step = 0;

  // Curves.
  bool loss_log = true;
  bool x_epochs = false;
  bool x_log = false;  // curves against log10(step + 1)

  // Text fields and dialogs.
  std::string session_path;            // the session modal's text field
  std::string known_session_path;      // where the session came from / was saved (Ctrl+S target)
  std::string csv_path = "points.csv";
  bool import_as_test = false;
  Dialog open_dialog = Dialog::None;   // request to open a modal this frame
  std::string dialog_error;            // one line shown in the open modal
  bool dialog_done = false;            // set by the App when a modal's request succeeded
  FileBrowser browser;                 // the open/save modals' file chooser (ui/file_browser.cpp)
  // Desktop (App: gui_desktop.cpp): Recent files (newest first) and whether each still exists;
  // what the unsaved-changes question names.
  std::vector<std::string> recent_files;
  std::vector<char> recent_exists;
  std::string unsaved_name;
  FigureChoice figure;

  // Recovery (App: gui_autosave.cpp; modal: dialogs.cpp): offered at start-up, newest first,
  // whatever the command line named; the modal shows while rows remain.
  std::vector<RecoveryRow> recovery_rows;
  std::string recovery_note;           // e.g. how many older autosaves are not listed, and where
  std::string recovery_error;          // one line: an autosave that could not be opened or removed

  // Parameter editing (network graph -> modal).
  int edit_param = -1;                 // flat index, -1: none
  double edit_value = 0.0;
  bool edit_open_requested = false;

  // The left panel: shown or hidden by the user (Ctrl+B, or its button), else decided by the
  // window's width at the text size (the choice is kept across text sizes and window sizes).
  PanelChoice controls_panel = PanelChoice::Auto;
  LayoutRecord layout_record;
  float graph_below_h = 0.0f;  // network panel: height of its lines under the graph, last frame

  // The run log panel (run_log_panel.cpp): shown from the View menu; the row order for the
  // table's sort and the fields as text, both rebuilt only when the sort or the log changes.
  bool show_run_log = false;
  std::string run_log_path = "runs.csv";
  std::vector<std::size_t> run_log_order;
  std::vector<std::string> run_log_text;
  // Lessons (menu_bar.cpp, lesson_panel.cpp): found by the App at start-up; the open one (-1:
  // none) and its step (1 .. step_count()), set by the App once it has loaded the step.
  std::vector<train::Lesson> lessons;
  std::vector<std::string> lesson_errors;  // files that did not load, one line each
  int lesson = -1;
  int lesson_step = 1;
  bool lesson_collapsed = false;           // the panel shrunk to a strip
  // Classroom mode (train/classroom.hpp): on, and what students see (absent: everything). Set by
  // a lesson's or a session's "classroom", or by the presenter in the View menu.
  bool classroom = false;
  std::optional<train::Classroom> classroom_choice;
  bool hide_timeline = false;              // set by the layout each frame from the visibility
  RegionsOverlayState regions;         // the boundary view's linear regions (regions_overlay.cpp)
  HiddenSpaceState hidden_space;       // the Hidden space window (hidden_space_panel.cpp)
  SweepUi sweep;                       // the Sweep window (sweep_panel.cpp)
  InspectState inspect;
  CompareState compare;

  Requests requests;
  std::string notice;                  // result of the last action, for the status bar
  std::string notice_key;              // what it is about ("weight seed"): cleared once resolved
  bool notice_is_error = false;
  double notice_until = 0.0;           // shown until this time (FrameInfo::time_s)

  // Scratch reused across frames so panels do not allocate every frame.
  core::Workspace<float> ws;
  std::vector<double> xs, ys[core::kMaxHiddenLayers + 3];
  std::vector<float> edge_strength;    // network graph: picking the strongest connections
};

// Produced by the panels each frame.
struct FrameOutput {
  std::vector<train::Command> commands;  // posted by the App, in order
  // The main view the App should render: framebuffer pixels and the plane rectangle shown.
  int view_width_px = 0, view_height_px = 0;
  PlaneRect view_rect;
  ImVec2 view_pos{0, 0};                 // its top-left corner on screen (ImGui units)
  int thumbnails_drawn = 0;              // hidden-unit thumbnails drawn by the network panel
  int connections_drawn = 0;             // weight lines drawn by the network panel
  float thumbnail_px = 0.0f;             // their size on screen (ImGui units), for the atlas
  // Compare: commands for compared run k (1..), and the views to render: every one compare_px
  // square (framebuffer pixels; 0: none this frame) showing compare_rect.
  std::vector<std::pair<int, train::Command>> compare_commands;
  int compare_px = 0;
  PlaneRect compare_rect;
};

}  // namespace mlpviz::ui
