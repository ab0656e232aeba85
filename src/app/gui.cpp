// gui.cpp: run_gui: the GLFW window with an OpenGL 3.3 core context, Dear ImGui with its GLFW and
// OpenGL3 backends, and the App's frame loop (see gui_app.hpp for the order of a frame).
#include "app/gui.hpp"

#include <epoxy/gl.h>
// epoxy first: GLFW must not pull in another GL header.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cfloat>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "app/gui_app.hpp"
#include "core/file_io.hpp"
#include "ui/panels.hpp"
#include "ui/hidden_regions.hpp"

namespace mlpviz::app {
namespace {

constexpr double kTargetFrameSeconds = 1.0 / 60.0;  // without vsync (e.g. Xvfb), sleep to 60 fps

void glfw_error(int code, const char* text) { std::fprintf(stderr, "mlpviz: GLFW error %d: %s\n", code, text); }

ImTextureID texture_id(GLuint t) { return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(t)); }

// The square of the plane that holds the data with a margin (and at least [-1.5, 1.5]^2).
ui::PlaneRect fit_square(const core::Dataset* data) {
  const core::Box b = core::data_bounds(data);
  const double cx = 0.5 * (b.x_min + b.x_max), cy = 0.5 * (b.y_min + b.y_max);
  const double half = 0.55 * std::max(b.x_max - b.x_min, b.y_max - b.y_min);
  return {cx - half, cx + half, cy - half, cy + half};
}

render::Bounds to_bounds(const ui::PlaneRect& r) { return {r.x_min, r.x_max, r.y_min, r.y_max}; }

}  // namespace

App::App(const GuiOptions& options, GLFWwindow* window) : opt_(options), window_(window) {
  glfwSetWindowUserPointer(window_, this);  // for the input, drop and close callbacks
  install_input();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is computed every frame: nothing to remember
  ui::apply_theme(base_style_);
  update_scale();
  render_ctx_ = std::make_unique<render::RenderContext>();
  runs_.emplace_back();  // run 1: its view now, its trainer once the session is read
  main_run().key = next_run_key_++;
  main_run().view = std::make_unique<render::Renderer>(*render_ctx_);
  // MLPVIZ_FIELD=cpu: the CPU evaluates every network; =gpu: the GPU does wherever it can, even
  // where the CPU would be faster (tests of the generic shader on llvmpipe).
  if (const char* f = std::getenv("MLPVIZ_FIELD")) {
    if (std::string_view(f) == "cpu") main_view().set_force_cpu(true);
    if (std::string_view(f) == "gpu") main_view().set_force_gpu(true);
  }
  if (!font_note_.empty()) notice(font_note_, false);
  const train::Session s = initial_session();  // may recover the autosave of a crashed window
  auto engine = std::make_unique<train::Engine>(s.settings, s.data, s.params, s.progress);
  std::vector<std::unique_ptr<train::Engine>> compared;  // the session's comparison, if any
  try {
    compared = train::compared_engines(s, engine->data());
  } catch (const std::exception& e) {
    notice(std::string("Compare: could not restore the compared runs: ") + e.what(), true);
  }
  main_run().trainer = std::make_unique<train::Trainer>(std::move(engine), pool_);
  restore_compared(std::move(compared));
  ui_.show_histograms = opt_.show_histograms;
  if (opt_.session_path) {
    ui_.known_session_path = *opt_.session_path;
    ui_.session_path = *opt_.session_path;
  }
  ui_.classroom_choice = s.classroom;
  // Lessons: read once at start-up; --lesson opens the panel on the one the session came from.
  train::LessonList lessons = train::list_lessons();
  ui_.lessons = std::move(lessons.lessons);
  ui_.lesson_errors = std::move(lessons.errors);
  for (std::size_t i = 0; i < ui_.lessons.size(); ++i)
    if (!opt_.lesson.empty() && ui_.lessons[i].name == opt_.lesson) {
      ui_.lesson = static_cast<int>(i);
      ui_.lesson_step = opt_.lesson_step;
      if (ui_.lessons[i].classroom) ui_.classroom_choice = ui_.lessons[i].classroom;
    }
  if (opt_.classroom) ui::toggle_classroom(ui_);
  start_autosave();
  for (const std::string& v : opt_.show_views) ui::show_view(ui_, v);
  if (!opt_.sweep_spec.empty()) start_sweep_from_options();
  start_desktop(*trainer().snapshot());
}

App::~App() {
  finish_autosave(false);  // an exception got here: the marker stays, the next start recovers
  uninstall_input();
  glfwSetWindowUserPointer(window_, nullptr);
  sweep_.close();  // its cells and painter; its textures while the context is current
  runs_.clear();   // each leaves the pool; their views (GL) go while the context is current
  lockstep_.reset();
  render_ctx_.reset();
}

int App::run() {
  while (!glfwWindowShouldClose(window_))
    if (!frame()) break;
  finish_autosave(true);  // window closed, Ctrl+Q, --exit, --exit-after-frames
  if (figure_job_.valid()) {  // a figure being written: finish it
    if (auto err = figure_job_.get()) {
      std::fprintf(stderr, "mlpviz: could not export: %s\n", err->c_str());
      if (!opt_.export_figure_path.empty()) exit_code_ = 1;
    }
  } else if (!opt_.export_figure_path.empty() && !ui_.dialog_error.empty()) {  // refused before it started
    std::fprintf(stderr, "mlpviz: --export-figure: %s\n", ui_.dialog_error.c_str());
    exit_code_ = 1;
  }
  if (!opt_.frame_stats_path.empty() && !write_frame_stats()) exit_code_ = 1;
  if (!opt_.run_log_path.empty())
    if (auto err = core::write_file_atomically(opt_.run_log_path, run_log_.to_csv())) {
      std::fprintf(stderr, "mlpviz: --run-log-csv: %s\n", err->c_str());
      exit_code_ = 1;
    }
  return exit_code_;
}

bool App::frame() {
  const Clock::time_point start = Clock::now();
  // Minimized (or a zero-sized framebuffer): draw nothing, keep training.
  if (glfwGetWindowAttrib(window_, GLFW_ICONIFIED)) {
    glfwWaitEventsTimeout(0.1);
    return true;
  }
  // Input is queued by the callbacks and handed out below, a share per frame: this loop never
  // waits for events (only while minimized, when nothing is drawn), so queued input keeps
  // frames coming until it is all delivered.
  glfwPollEvents();
  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(window_, &fb_w, &fb_h);
  if (fb_w <= 0 || fb_h <= 0) {
    glfwWaitEventsTimeout(0.1);
    return true;
  }
  update_scale();
  const double now = std::chrono::duration<double>(start - started_).count();

  // The newest snapshot, loaded once for the whole frame.
  const std::shared_ptr<const train::Snapshot> snap = trainer().snapshot();
  frame_run_key_ = main_run().key;  // whose snapshot `snap` is
  main_run().snap = snap;
  const train::Snapshot& s = *snap;
  if (RunVersion{main_run().key, s.version} != last_version_) {
    last_version_ = {main_run().key, s.version};
    last_version_frame_ = frames_;
  }
  if (auto ended = run_watcher_.observe(snap, &trainer())) {
    ended->time = train::utc_now();
    const std::string when = ended->time, status = ended->status;
    run_log_.append(std::move(*ended));
    // Compared runs end with the main run they follow: each is logged once it reaches the main
    // run's last step (compare_frame), or as it stands when a new main run resets it.
    for (Run& r : compared_runs()) {
      r.log_at = s.step;
      r.log_time = when;
      r.log_status = status;
    }
  }

  // Parameters shown: live, or a timeline frame while replaying.
  const core::Params* params = &s.params;
  // A new trainer (a session opened, a lesson, a recovery) counts its versions from the start again:
  // its serial keeps its keys apart from the old one's, so the view never keeps the old network.
  std::uint64_t key = view_key(main_run(), s.version);
  std::int64_t shown_step = s.step;
  bool replaying = false;
  if (ui_.replaying && !s.timeline.empty()) {
    const train::TimelineFrame* f = s.timeline.front().get();
    for (const auto& t : s.timeline)
      if (t->step <= ui_.replay_step) f = t.get();
    if (static_cast<int>(f->params.size()) == s.layout.num_params) {
      params = &f->params;
      key = view_key(main_run(), (s.generation << 32) ^ static_cast<std::uint64_t>(f->step), true);
      shown_step = f->step;
      replaying = true;
    }
  }
  if (!replaying) ui_.replaying = false;
  const float line_scale = content_scale_ * presentation_scale();
  main_view().set_network({&s.layout, s.settings.net.features, s.settings.net.classes, params, key}, now);
  if (s.data_version != thumb_data_version_ || s.generation != thumb_generation_) {
    thumb_rect_ = fit_square(s.data.get());
    thumb_data_version_ = s.data_version;
    thumb_generation_ = s.generation;
  }
  bool capture_now = screenshot_due(s);
  if (capture_now && !compared_runs().empty()) {
    // A comparison's screenshot shows every run at one step: the main run pauses, the compared
    // runs catch up with it, then the capture.
    if (!compare_hold_) trainer().post(train::cmd::Pause{});
    compare_hold_ = true;
    capture_now = s.state != train::RunState::Running && compared_caught_up(s);
  }
  render::AtlasRequest atlas{to_bounds(thumb_rect_), thumb_cell_px_, line_scale, capture_now};
  main_view().render_atlas(atlas, now);

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  feed_imgui();  // this frame's share of the queued input, over what the backend polled
  // Unattended runs (tests, README pictures): the pointer Xvfb parks mid-screen is nobody's.
  if (opt_.exit_after_screenshot) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  ImGui::NewFrame();

  ui::FrameInfo fi;
  fi.snap = &s;
  fi.params = params;
  fi.gradient = replaying ? nullptr : &s.gradient;
  fi.shown_step = shown_step;
  fi.replaying = replaying;
  fi.view = {};  // copied under the UI below (main_view().blit_view), not drawn by ImGui
  fi.thumbs.reserve(main_view().atlas_cells().size());
  for (const render::AtlasCell& c : main_view().atlas_cells())
    fi.thumbs.push_back({texture_id(main_view().atlas_texture()), ImVec2(c.u0, c.v0), ImVec2(c.u1, c.v1)});
  int nodes = 0;
  for (int k : s.layout.sizes) nodes += k;
  fi.thumbs_current = main_view().atlas_cells_rendered() == nodes;
  fi.thumb_rect = thumb_rect_;
  fi.render_status = main_view().status(capture_now);
  if (!main_view().gl_error().empty()) fi.render_status += " (GL: " + main_view().gl_error() + ")";
  fi.commands_pending = trainer().commands_posted() - trainer().commands_applied();
  fi.fps = fps_;
  fi.frame_ms = frame_ms_;
  fi.scale = ui_scale_;
  fi.heading_font = heading_font_;
  fi.fullscreen = fullscreen_;
  fi.time_s = now;
  fi.run_log = &run_log_;
  sweep_.poll(run_log_);
  fi.sweep = &sweep_.view();
  compare_frame(s, fi);
  if (main_run().compare_view && !compared_runs().empty()) {  // the main view is not drawn: run 1's compared view is
    fi.render_status = main_run().compare_view->status(capture_now);
    if (!main_run().compare_view->gl_error().empty()) fi.render_status += " (GL: " + main_run().compare_view->gl_error() + ")";
  }

  ui::FrameOutput out;
  handle_shortcuts(fi, out);
  ui::draw_ui(ui_, fi, out);
  view_rect_ = out.view_rect;  // for "Export figure..."
  view_w_ = out.view_width_px;
  view_h_ = out.view_height_px;
  shown_params_ = params;

  // The view the UI laid out, rendered now for this frame's snapshot.
  render::ViewRequest view;
  view.width = out.view_width_px;
  view.height = out.view_height_px;
  view.bounds = to_bounds(out.view_rect);
  view.focus = {ui_.focus_layer, ui_.focus_unit};
  view.style.scale = line_scale;
  view.style.output_levels = ui_.output_levels;
  view.style.show_train = ui_.show_train;
  view.style.show_test = ui_.show_test;
  view.data = s.data.get();
  view.data_version = s.data_version;
  view.full_resolution = capture_now;
  main_view().render_view(view, now);
  render_compared(out, now, capture_now, line_scale);
  // Thumbnails are drawn at the size the graph shows them (in multiples of 8 pixels).
  if (out.thumbnail_px > 0)
    thumb_cell_px_ = std::clamp((static_cast<int>(out.thumbnail_px * framebuffer_scale_) + 9) / 8 * 8, 24, 160);

  ImGui::Render();
  glViewport(0, 0, fb_w, fb_h);
  glDisable(GL_SCISSOR_TEST);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];  // the areas have no backgrounds
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  if (view.width > 0 && view.height > 0)
    main_view().blit_view(static_cast<int>(std::lround(out.view_pos.x * framebuffer_scale_)),
                         fb_h - static_cast<int>(std::lround(out.view_pos.y * framebuffer_scale_)) - view.height);
  const bool timing_ui = ui_timer_.begin();
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (timing_ui) ui_timer_.end();

  // Automation and Ctrl+P read the back buffer now, before the swap.
  bool quit = false;
  if (capture_now) {
    captured_ = true;
    const bool ok = capture(s, out, fb_w, fb_h, opt_.screenshot_path) &&
                    (compared_runs().empty() ? write_view_check(s, out) : write_compare_check(out));
    if (!ok) exit_code_ = 1;
    if (!opt_.save_session_path.empty() && !save_session(opt_.save_session_path, s)) {
      std::fprintf(stderr, "mlpviz: --save-session: %s\n", ui_.dialog_error.c_str());
      exit_code_ = 1;
    }
    if (opt_.exit_after_screenshot) quit = true;
  }
  if (screenshot_requested_) {
    screenshot_requested_ = false;
    std::string path = opt_.screenshot_path;
    if (path == GuiOptions{}.screenshot_path) {
      char name[64];
      std::snprintf(name, sizeof name, "mlpviz-step%lld.png", static_cast<long long>(s.step));
      path = name;
    }
    capture(s, out, fb_w, fb_h, path);
  }
  glfwSwapBuffers(window_);

  post_to_compared(out.commands, out);
  if (!out.commands.empty()) trainer().post(std::move(out.commands));
  if (capture_now && !opt_.export_figure_path.empty()) {
    const bool gif = drop_kind(opt_.export_figure_path) == DropKind::Unknown &&
                     opt_.export_figure_path.size() > 4 &&
                     opt_.export_figure_path.compare(opt_.export_figure_path.size() - 4, 4, ".gif") == 0;
    (gif ? ui_.figure.gif_path : ui_.figure.path) = opt_.export_figure_path;
    (gif ? ui_.requests.export_gif : ui_.requests.export_figure) = true;
  }
  carry_out_requests(s);
  // Compare and Close: after the frame drew the views' textures.
  if (ui_.requests.compare) add_compared(s, {});
  if (ui_.requests.compare_close > 0) close_compared(ui_.requests.compare_close);
  if (frames_ == 0)  // --compare: the runs asked for on the command line
    for (const GuiOptions::CompareChange& c : opt_.compare) add_compared(s, c);
  if (desktop_frame(s)) quit = true;
  shown_params_ = nullptr;
  autosave_tick(snap, now);
  ++frames_;
  // Training starts once the window shows (shader compilation on the first frame can take a
  // moment on a software rasterizer; the class sees the untrained network first).
  if (frames_ == 1 && !opt_.start_paused) trainer().post(train::cmd::Play{});
  // --inspect N: the inspector open on data point N (tests, README screenshots).
  if (frames_ == 1 && opt_.inspect_sample >= 0 && s.data &&
      opt_.inspect_sample < static_cast<long long>(s.data->points.size())) {
    const core::Point& q = s.data->points[static_cast<std::size_t>(opt_.inspect_sample)];
    ui_.inspect.mode = true;
    ui::pick_inspect_point(ui_, q.x1, q.x2, static_cast<int>(opt_.inspect_sample), q.label);
  }
  if (frames_ == 5 && opt_.inspect_step) ui_.inspect.step_requested = true;
  if (!opt_.switch_nets.empty()) automate_switch(s);
  if (opt_.exit_after_frames >= 0 && frames_ >= opt_.exit_after_frames) quit = true;
  if (opt_.stall.frame == frames_) {  // --stall-frame: a long frame made on purpose (input tests)
    std::printf("mlpviz: frame %lld stalls for %d ms\n", frames_, opt_.stall.ms);
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::milliseconds(opt_.stall.ms));
  }
  ui_.requests = {};

  // Without vsync, hold the frame rate at 60 so the trainer keeps its core.
  const Clock::time_point done = Clock::now();
  const auto target = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(kTargetFrameSeconds));
  if (done < target) std::this_thread::sleep_until(target);
  record_frame(start, done, s);
  if (auto ms = ui_timer_.poll_ms()) {
    stats_.ui_ms += *ms;
    ++stats_.ui_n;
  }
  if (quit) glfwSetWindowShouldClose(window_, GLFW_TRUE);
  return true;
}

int run_gui(const GuiOptions& options) {
  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) {
    std::fprintf(stderr, "mlpviz: cannot open a window (no display?). `mlpviz train` trains without one.\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(std::max(options.width, 1), std::max(options.height, 1), "mlpviz", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "mlpviz: cannot create an OpenGL 3.3 core window.\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  glfwSetWindowSizeLimits(window, 1, 1, GLFW_DONT_CARE, GLFW_DONT_CARE);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui_ImplGlfw_InitForOpenGL(window, true);  // the App then replaces its input callbacks (gui_input.cpp)
  ImGui_ImplOpenGL3_Init("#version 330 core");
  int code = 1;
  try {
    App app(options, window);
    code = app.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mlpviz: %s\n", e.what());
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return code;
}

}  // namespace mlpviz::app
