// gui.hpp: the desktop front end's entry point (implemented in gui.cpp when MLPVIZ_GUI is on).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "train/session.hpp"

namespace mlpviz::app {

// What the window does with the autosaves of windows that did not close cleanly (--recover).
enum class Recovery : std::uint8_t {
  Ask,   // a modal offers them: Open / Keep for later / Discard
  Open,  // opens the newest at once; the others are kept for later (tests, kiosks)
  Keep,  // offers nothing this time; all are kept for the next start
};

struct GuiOptions {
  train::Session session;                    // what to open (default or loaded from a file)
  std::optional<std::string> session_path;   // where it came from (Ctrl+S saves back there)
  int width = 1600;
  int height = 1000;
  // Automation for tests and README screenshots:
  long long screenshot_after_steps = -1;     // capture once the trainer passed this step (-1: never)
  std::string screenshot_path = "mlpviz-screenshot.png";
  bool exit_after_screenshot = false;
  long long exit_after_frames = -1;          // quit after this many frames (-1: never)
  std::string frame_stats_path;              // write frame-time statistics (JSON) here on exit
  std::string run_log_path;                  // --run-log-csv: write the run log (CSV) here on exit
  std::string cpu_grid_path;                 // with a screenshot: also dump the CPU evaluation
  bool start_paused = false;
  Recovery recover = Recovery::Ask;
  float ui_scale = 1.0f;                     // presentation size at start (as Ctrl +/-: 0.85 to 2.5)
  std::string layout_report_path;            // with a screenshot: the layout check (JSON) here
  // --switch-net FRAME:W1,W2,...: at that frame, post a SetNet with these hidden widths (the other
  // settings kept; the last hidden activation repeated for new layers). Frame statistics then
  // report, per switch, the path the cost model chose and when the new field and thumbnails showed.
  struct NetSwitch {
    long long frame = 0;
    std::vector<int> widths;
  };
  std::vector<NetSwitch> switch_nets;
  // --stall-frame FRAME:MS: after drawing that frame, sleep MS ms (printing a line first): a long
  // frame made on purpose, so that a test's input is sure to arrive inside one frame.
  struct Stall {
    long long frame = -1;  // -1: never
    int ms = 0;
  };
  Stall stall;
  bool show_histograms = false;              // --histograms: open the z histograms window at start
  // --lesson NAME [--lesson-step K]: the window opens on that lesson (session = its step K) with
  // the lesson panel shown.
  std::string lesson;
  int lesson_step = 1;
  bool classroom = false;  // --classroom: open in classroom mode (the lesson's or session's view)
  std::vector<std::string> show_views;       // --show: views open at start ("regions", "hidden")
  // --sweep WIDTHS:DEPTHS:STEPS: open the Sweep window and start that sweep at the first frame;
  // --sweep-csv PATH: once it is done, write its cells as run-log CSV and close the window (tests).
  std::string sweep_spec;
  std::string sweep_csv_path;
  std::string sweep_png_path;  // --sweep-png: with --sweep-csv, also export the grid there first
  // --drop PATH (repeatable): handled at the first frame as if dropped onto the window (tests).
  std::vector<std::string> drop_paths;
  // --export-figure PATH: with the --screenshot-after capture, "Export figure..." at 2x to PATH
  // (a .gif: the timeline's stored steps), as the dialog would (tests, README pictures).
  std::string export_figure_path;
  // --save-session PATH: with the --screenshot-after capture (a comparison's runs all at its step),
  // save the session to PATH as File > Save session does, compared runs included (tests).
  std::string save_session_path;
  // --compare KEY=VALUE[,KEY=VALUE...] (repeatable, up to three): after the first frame, the main
  // network duplicated into a compared run with these changes (Compare; tests, README pictures).
  // Keys: activation, width (every hidden layer), depth, optimizer, lr.
  struct CompareChange {
    std::optional<core::Activation> activation;
    std::optional<int> width, depth;
    std::optional<core::OptimizerKind> optimizer;
    std::optional<double> learning_rate;
  };
  std::vector<CompareChange> compare;
  long long inspect_sample = -1;             // --inspect N: open the inspector on data point N
  bool inspect_step = false;                 // --inspect-step: then press "Step on this point" once
};

// Runs the window until it is closed; returns the process exit code.
int run_gui(const GuiOptions& options);

}  // namespace mlpviz::app
