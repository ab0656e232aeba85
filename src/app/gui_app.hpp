// gui_app.hpp: the desktop front end's App: the one object that knows GLFW, the trainer, the
// renderer and the UI, and owns every piece of state of the window (no file-scope globals).
//
// Frame order (gui.cpp, App::frame):
//   poll events (GLFW's callbacks queue input: gui_input.cpp) -> rebuild fonts if the scale
//   changed -> load the newest snapshot once -> renderer: set_network (live or replayed
//   parameters), render_atlas -> ImGui frame: this frame's share of the queued input (never
//   waiting for events while some is queued), shortcuts, ui::draw_ui (asks for the view's size
//   and rectangle) ->
//   renderer: render_view for that request (same frame: the screen is never behind the snapshot) ->
//   ImGui render -> automation (screenshot, shader-vs-CPU check) -> swap ->
//   post the UI's commands -> carry out its requests (files, full screen, presentation size)
// Thread ownership: everything here runs on the UI thread; the runs, stepped by the pool's workers
// (pool_), are reached only through their post() and snapshot() (Trainer, Lockstep, SweepWork).
#pragma once

#include <imgui.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/desktop.hpp"
#include "app/gui.hpp"
#include "app/gui_run.hpp"
#include "app/gui_sweep.hpp"
#include "app/input_queue.hpp"
#include "render/renderer.hpp"
#include "train/autosave.hpp"
#include "train/lockstep.hpp"
#include "train/run_log.hpp"
#include "train/trainer.hpp"
#include "ui/state.hpp"

struct GLFWwindow;

namespace mlpviz::app {

using Clock = std::chrono::steady_clock;

struct FrameStats {
  std::vector<double> interval_ms;  // frame start to frame start
  std::vector<double> busy_ms;      // work of the frame, before the limiter's sleep
  double samples_per_second_sum = 0.0;
  int samples_per_second_count = 0;
  Clock::time_point first{}, last{};
  // GPU time (GL timer queries) of the passes, summed over the frames that were timed.
  double field_ms = 0, atlas_ms = 0, ui_ms = 0;
  int field_n = 0, atlas_n = 0, ui_n = 0;
};

class App {
 public:
  App(const GuiOptions& options, GLFWwindow* window);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  int run();  // until the window closes; returns the exit code

  // GLFW input callbacks (gui_input.cpp): they only queue (input_); installed over the ImGui
  // backend's by install_input().
  static void on_mouse_button(GLFWwindow* window, int button, int action, int mods);
  static void on_cursor_pos(GLFWwindow* window, double x, double y);
  static void on_cursor_enter(GLFWwindow* window, int entered);
  static void on_scroll(GLFWwindow* window, double dx, double dy);
  static void on_key(GLFWwindow* window, int key, int scancode, int action, int mods);
  static void on_char(GLFWwindow* window, unsigned int codepoint);
  // GLFW drop and close callbacks: they only record (the paths; that a close was asked); the
  // frame loop acts (gui_desktop.cpp).
  static void on_drop(GLFWwindow* window, int count, const char** paths);
  static void on_close(GLFWwindow* window);

 private:
  bool frame();  // false when the window should close
  // gui_input.cpp
  void install_input();    // our input callbacks over the ImGui backend's (constructor)
  void uninstall_input();  // the backend's back (destructor)
  void feed_imgui();       // the next frame_input_ into ImGuiIO, after ImGui_ImplGlfw_NewFrame
  // gui_fonts.cpp
  void update_scale();
  void rebuild_fonts();
  // gui_requests.cpp
  void handle_shortcuts(const ui::FrameInfo& fi, ui::FrameOutput& out);
  void carry_out_requests(const train::Snapshot& s);
  void open_session(const std::string& path);
  // Replaces the run with a loaded, validated session (the path of opening a file and a lesson).
  bool open_loaded_session(const train::Session& session, const std::string& label);
  void open_lesson(int index, int step);
  bool save_session(const std::string& path, const train::Snapshot& s);  // false: not saved (said)
  void import_csv(const std::string& path);
  void export_csv(const std::string& path, const train::Snapshot& s);
  void export_run_log(const std::string& path);
  void toggle_fullscreen();
  void replace_trainer(std::unique_ptr<train::Engine> engine);
  void notice(std::string text, bool error);
  // gui_autosave.cpp
  train::Session initial_session();  // the command line's (or with --recover open, the newest autosave)
  void start_autosave();
  void carry_out_recovery(double now);  // the recovery modal's answers
  void autosave_tick(const std::shared_ptr<const train::Snapshot>& snap, double now);
  void finish_autosave(bool clean_exit);
  // gui_desktop.cpp
  void start_desktop(const train::Snapshot& first);  // recent files, the saved mark, the title
  bool desktop_frame(const train::Snapshot& s);      // drops, title, recent files, quitting: true = quit now
  void remember_recent(const std::string& path);
  // The file now holds `s` and these compared runs' snapshots (compared_snapshots(), by default
  // the newest).
  void mark_saved(const train::Snapshot& s, const std::vector<std::shared_ptr<const train::Snapshot>>& compared);
  void mark_saved(const train::Snapshot& s) { mark_saved(s, compared_snapshots()); }
  bool automated() const;                            // --exit / --exit-after-frames: never ask
  bool answer_quit(const train::Snapshot& s);        // true: quit now
  void start_figure_export(const train::Snapshot& s, bool gif);
  void carry_out_sweep_requests(const train::Snapshot& s);  // gui_requests.cpp
  void start_sweep_from_options();                           // --sweep
  void poll_figure_export();
  // gui_automation.cpp
  bool screenshot_due(const train::Snapshot& s) const;
  bool capture(const train::Snapshot& s, const ui::FrameOutput& out, int fb_w, int fb_h, const std::string& path);
  bool write_view_check(const train::Snapshot& s, const ui::FrameOutput& out);
  bool write_layout_report(const ui::FrameOutput& out, int fb_w, int fb_h);  // --layout-report
  void record_frame(Clock::time_point start, Clock::time_point work_done, const train::Snapshot& s);
  bool write_frame_stats() const;
  void automate_switch(const train::Snapshot& s);  // --switch-net: post and follow each switch
  // gui_compare.cpp: Compare. Run 1 is the main run (runs_[0]: its Trainer, its view, ui_ as
  // always); each compared run (runs_[1..]) is an engine in lockstep_ with a view of its own on
  // the shared render context.
  void add_compared(const train::Snapshot& main, const GuiOptions::CompareChange& change);
  void add_compared_engine(const train::Snapshot& main, std::unique_ptr<train::Engine> engine);
  // A session's compared runs (train::compared_engines()) in place of the comparison, beside the new main
  // run (none: the comparison closes).
  void restore_compared(std::vector<std::unique_ptr<train::Engine>> engines);
  // Each compared run's newest snapshot, in runs_'s order (never waits for a step): what a
  // save holds of the comparison.
  std::vector<std::shared_ptr<const train::Snapshot>> compared_snapshots() const;
  void close_compared(int k);  // k: 1 .. compared_runs().size() (runs_[k])
  void close_all_compared();
  void compare_frame(const train::Snapshot& main, ui::FrameInfo& fi);  // target, snapshots, fi.compare
  void render_compared(const ui::FrameOutput& out, double now, bool full_resolution, float line_scale);
  void post_to_compared(const std::vector<train::Command>& main_commands, const ui::FrameOutput& out);
  bool compared_caught_up(const train::Snapshot& main) const;  // every compared run at the main's step
  void hold_main_to_compared(std::int64_t slowest);             // the main trainer's step ceiling
  bool write_compare_check(const ui::FrameOutput& out);         // --cpu-grid while comparing

  const GuiOptions& opt_;
  GLFWwindow* window_;
  // The one pool of workers that steps every run of the window (the main run, its compared runs,
  // a sweep's cells) fairly: the cores less the window's, no thread per network. Made first, so
  // every run leaves it before it goes.
  std::shared_ptr<train::Pool> pool_ = std::make_shared<train::Pool>();
  // What the views share on this GL context (programs, the cost model, the CPU worker); made
  // before and freed after every view.
  std::unique_ptr<render::RenderContext> render_ctx_;
  // The window's networks (gui_run.hpp): runs_[0] is run 1, the main network (never absent while
  // the window lives); runs_[1..] are the networks compared with it, in the order shown.
  std::vector<Run> runs_;
  std::uint64_t next_run_key_ = 1;
  std::uint64_t frame_run_key_ = 0;  // the key of the run this frame's main snapshot came from
  Run& main_run() { return runs_.front(); }
  const Run& main_run() const { return runs_.front(); }
  // Run 1's trainer and main view (owned by the run, as unique_ptrs: usable from const members).
  train::Trainer& trainer() const { return *runs_.front().trainer; }
  render::Renderer& main_view() const { return *runs_.front().view; }
  std::span<Run> compared_runs() { return std::span<Run>(runs_).subspan(1); }
  std::span<const Run> compared_runs() const { return std::span<const Run>(runs_).subspan(1); }
  void log_compared(Run& r);  // gui_compare.cpp: its run-log row, owed since log_at
  // Compare: the compared runs' stepping (runs of pool_, stepped to run 1's step), started by the
  // first comparison.
  std::unique_ptr<train::Lockstep> lockstep_;
  std::uint64_t compare_generation_ = 0;  // the main run's generation the compared runs follow
  bool compare_hold_ = false;             // a comparison's screenshot: the main run paused for it
  // How far the main run may lead its slowest compared run (hold_main_to_compared), and the
  // target the compared runs were last given.
  static constexpr std::int64_t kMinCompareLead = 16, kMaxCompareLead = 1 << 20;
  std::int64_t compare_lead_ = 256;
  std::int64_t compare_target_ = 0;
  ui::UiState ui_;
  // The run log: each run of the window's network, appended when it ends (RunWatcher).
  train::RunLog run_log_;
  train::RunWatcher run_watcher_;
  // The Sweep window's grid of networks (gui_sweep.hpp): its cells are jobs of pool_; its painter thread.
  SweepRunner sweep_;
  bool sweep_csv_written_ = false;  // --sweep-csv
  // Input: recorded by the callbacks, handed out a frame at a time (app/input_queue.hpp);
  // frame_input_ is this frame's share (ImGui's input and the shortcuts' key presses).
  InputQueue input_;
  InputQueue::FrameInput frame_input_;
  struct PreviousCallbacks {  // the ImGui backend's, put back at exit (GLFW's function types)
    void (*mouse_button)(GLFWwindow*, int, int, int) = nullptr;
    void (*cursor_pos)(GLFWwindow*, double, double) = nullptr;
    void (*cursor_enter)(GLFWwindow*, int) = nullptr;
    void (*scroll)(GLFWwindow*, double, double) = nullptr;
    void (*key)(GLFWwindow*, int, int, int, int) = nullptr;
    void (*chr)(GLFWwindow*, unsigned int) = nullptr;
  } prev_;
  bool paused_for_edit_ = false;

  // Scale: HiDPI content scale x presentation mode.
  float content_scale_ = 1.0f;      // the monitor's (GLFW content scale)
  float framebuffer_scale_ = 1.0f;  // framebuffer pixels per window unit
  int presentation_step_ = 1;       // index into kPresentationScales (1: 100%)
  float ui_scale_ = 1.0f;           // ImGui units per design pixel
  float presentation_scale() const;
  float built_font_px_ = 0.0f;
  ImVector<ImWchar> glyph_ranges_;
  ImFont* heading_font_ = nullptr;
  ImGuiStyle base_style_;
  std::string font_note_;

  // Window mode.
  bool fullscreen_ = false;
  int windowed_x_ = 0, windowed_y_ = 0, windowed_w_ = 0, windowed_h_ = 0;

  // Thumbnails: the square of the plane they show, refit when the data change.
  std::uint64_t thumb_data_version_ = ~0ull;
  std::uint64_t thumb_generation_ = ~0ull;
  ui::PlaneRect thumb_rect_;
  int thumb_cell_px_ = 80;

  // Frame loop and automation.
  long long frames_ = 0;
  FrameStats stats_;
  double fps_ = 0.0, frame_ms_ = 0.0;
  RunVersion last_version_;  // run 1's, as of the frame last_version_frame_
  long long last_version_frame_ = 0;
  bool captured_ = false;
  int exit_code_ = 0;
  bool screenshot_requested_ = false;
  render::gl::GpuTimer ui_timer_;  // ImGui's draw
  // --switch-net: each switch, from the frame it was posted to the frames its results showed (-1: not yet).
  struct SwitchRecord {
    long long posted = 0, net_frame = -1, field_frame = -1, atlas_frame = -1;
    std::vector<int> widths;
    bool gpu = false, model_gpu = false;  // the path in use, and the cost model's choice, once the net arrived
    double predicted_gpu_ms_min = 0, predicted_cpu_ms = 0;
    std::string field;  // the status line then
  };
  std::vector<SwitchRecord> switches_;
  Clock::time_point started_ = Clock::now();

  // Autosave (train/autosave.hpp): the file is written by a worker thread, never the UI's; one
  // save at a time (a tick while one is running is skipped). Joined at exit.
  std::unique_ptr<train::Autosave> autosave_;
  std::future<std::optional<std::string>> autosave_job_;
  double autosave_interval_s_ = 10.0;
  double next_autosave_s_ = 0.0;
  std::uint64_t autosave_seen_data_version_ = 0;
  const train::Snapshot* autosave_seen_snapshot_ = nullptr;  // identity only, never dereferenced
  std::shared_ptr<const train::Snapshot> autosaved_;         // the last snapshot saved
  std::vector<std::shared_ptr<const train::Snapshot>> autosaved_compared_;  // and its compared runs'
  // Recovery: autosaves of windows that did not close cleanly, claimed (locked) by this window.
  // offered_ mirrors ui_.recovery_rows until the user answers. adopted_ is the one opened here:
  // it is now this window's own work, removed once this window's autosave holds it (a save
  // started from frame adopt_from_frame_ on) or at its clean exit; after a crash both remain.
  std::vector<train::ClaimedAutosave> offered_;
  std::vector<train::ClaimedAutosave> adopted_;
  long long adopt_from_frame_ = 0;
  bool autosave_job_adopts_ = false;  // the running save was started after the adoption

  // Desktop (gui_desktop.cpp).
  std::vector<std::string> dropped_;    // paths dropped since the last frame (bounded)
  bool close_asked_ = false;            // the window's close button, since the last frame
  RecentFiles recent_;
  std::string recent_file_;             // where the list is kept ("" : nowhere)
  SavedMark saved_mark_;
  std::vector<ComparedMark> saved_compared_;  // the comparison as last saved or opened
  std::vector<ComparedMark> compared_now_;    // this frame's (reused: no allocation per frame)
  bool main_unsaved_ = false;                 // the main run differs from saved_mark_
  bool unsaved_ = false;                      // it, or the comparison, differs from the file
  RunVersion unsaved_version_;  // run 1's snapshot unsaved_ was computed for
  bool quit_after_save_ = false;        // the question's Save went to the Save modal
  std::string title_;
  // The view as laid out this frame (for the figure export) and the parameters shown.
  ui::PlaneRect view_rect_;
  int view_w_ = 0, view_h_ = 0;
  const core::Params* shown_params_ = nullptr;  // valid during frame() only
  std::future<std::optional<std::string>> figure_job_;
  std::string figure_job_path_;
};

}  // namespace mlpviz::app
