// state.hpp: what the panels read each frame (FrameInfo), what they edit and remember (UiState,
// owned by the App), and what they ask for (FrameOutput). Panels keep nothing of their own.
//
// Thread ownership: everything here lives on the UI thread. Panels read snapshots only, never the
// live model; they change training by appending train::Commands to FrameOutput::commands, and
// ask the App for everything else (files, screenshots, full screen) through UiState::requests.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/mlp.hpp"
#include "train/commands.hpp"
#include "train/snapshot.hpp"

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
};

// The main view's interaction state: centre and zoom of the plane.
struct PlaneView {
  double cx = 0.0, cy = 0.0;
  double units_per_px = 0.0;   // data units per ImGui unit; 0: fit the data on the next frame
  bool pressed_inside = false; // the left button went down inside the plane
  bool panning = false;        // that press became a drag: it pans instead of adding a point
};

enum class Dialog : std::uint8_t { None, OpenSession, SaveSession, Help };

// What the UI asks the App to do this frame (the UI asks; the owner acts).
struct Requests {
  bool open_session = false;   // load `path`
  bool save_session = false;   // save to `path`
  bool import_csv = false;     // read csv_path (as test points if import_as_test)
  bool export_csv = false;     // write csv_path
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
};

enum class PanelChoice : std::uint8_t { Auto, Shown, Hidden };

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
};

}  // namespace mlpviz::ui
