// gui_desktop.cpp: the window as a desktop citizen: files dropped onto it (a session opens, a CSV
// is imported), the Recent files menu's list, the title (the session's name, " *" when changed),
// the question before quitting with unsaved changes, and "Export figure..." (the CPU figure of
// app/figure.hpp, the same picture `mlpviz render` draws, or a GIF of the timeline's stored
// steps), written by a worker thread so the window never waits for it.
//
// The GLFW callbacks only record; desktop_frame() acts, after the frame's requests.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <filesystem>

#include "app/figure.hpp"
#include "app/gif_writer.hpp"
#include "app/gui_app.hpp"
#include "app/render_png.hpp"
#include "core/file_io.hpp"

namespace mlpviz::app {
namespace {

constexpr std::size_t kMaxDropsPerFrame = 16;
constexpr int kGifMaxFrames = 60;  // timeline frames in an exported GIF (evenly picked), drawn at 1x
constexpr long long kRecentCheckFrames = 60;

}  // namespace

void App::on_drop(GLFWwindow* window, int count, const char** paths) {
  auto* app = static_cast<App*>(glfwGetWindowUserPointer(window));
  if (!app) return;
  for (int i = 0; i < count && app->dropped_.size() < kMaxDropsPerFrame; ++i) app->dropped_.emplace_back(paths[i]);
}

void App::on_close(GLFWwindow* window) {
  auto* app = static_cast<App*>(glfwGetWindowUserPointer(window));
  if (app && app->unsaved_ && !app->automated()) {
    glfwSetWindowShouldClose(window, GLFW_FALSE);  // ask first (desktop_frame)
    app->close_asked_ = true;
  }
}

bool App::automated() const { return opt_.exit_after_screenshot || opt_.exit_after_frames >= 0; }

void App::start_desktop(const train::Snapshot& first) {
  recent_file_ = recent_files_path();
  recent_ = load_recent(recent_file_);
  if (opt_.session_path) remember_recent(*opt_.session_path);
  ui_.recent_files = recent_.paths;
  mark_saved(first);
  glfwSetDropCallback(window_, App::on_drop);
  glfwSetWindowCloseCallback(window_, App::on_close);
  for (const std::string& p : opt_.drop_paths) dropped_.push_back(p);  // --drop: as if dropped
}

void App::remember_recent(const std::string& path) {
  recent_.add(path);
  ui_.recent_files = recent_.paths;
  ui_.recent_exists.clear();  // checked again next frame
  if (recent_file_.empty()) return;
  if (auto err = save_recent(recent_file_, recent_)) std::fprintf(stderr, "mlpviz: recent files: %s\n", err->c_str());
}

void App::mark_saved(const train::Snapshot& s, const std::vector<std::shared_ptr<const train::Snapshot>>& compared) {
  saved_mark_ = mark_of(s);
  saved_compared_.clear();
  for (std::size_t i = 0; i < compared.size() && i < compared_runs().size(); ++i)
    saved_compared_.push_back({compared_runs()[i].key, compared[i] ? compared[i]->version : 0});
  main_unsaved_ = unsaved_ = false;
  unsaved_version_ = {main_run().key, s.version};
}

bool App::answer_quit(const train::Snapshot& /*s*/) {
  if (!unsaved_ || automated()) return true;
  ui_.unsaved_name = ui_.known_session_path.empty() ? std::string("the untitled session")
                                                    : std::filesystem::path(ui_.known_session_path).filename().string();
  ui_.open_dialog = ui::Dialog::UnsavedQuit;
  return false;
}

// Returns true when the window should close now.
bool App::desktop_frame(const train::Snapshot& s) {
  ui::Requests& r = ui_.requests;
  bool quit = false;
  // Files dropped onto the window (or named by --drop), in order.
  std::vector<std::string> drops;
  drops.swap(dropped_);
  for (const std::string& path : drops) {
    switch (drop_kind(path)) {
      case DropKind::Session:
        open_session(path);
        if (!ui_.dialog_error.empty()) {
          notice(ui_.dialog_error, true);
          ui_.dialog_error.clear();
        }
        ui_.dialog_done = false;
        break;
      case DropKind::Csv: import_csv(path); break;
      case DropKind::Unknown:
        notice("cannot open " + core::printable(path, 80) + ": drop a session (.json) or points (.csv)", true);
        break;
    }
  }
  // Recent files.
  if (!r.open_recent.empty()) {
    const std::string path = r.open_recent;
    if (drop_kind(path) == DropKind::Csv) {
      import_csv(path);
    } else {
      open_session(path);
      if (!ui_.dialog_error.empty()) {
        notice(ui_.dialog_error, true);
        ui_.dialog_error.clear();
      }
      ui_.dialog_done = false;
    }
  }
  if (r.clear_recent) {
    recent_ = {};
    ui_.recent_files.clear();
    if (!recent_file_.empty()) save_recent(recent_file_, recent_);
  }
  if (ui_.recent_exists.size() != recent_.paths.size() || frames_ % kRecentCheckFrames == 0) {
    ui_.recent_exists.clear();
    std::error_code ec;
    for (const std::string& p : recent_.paths) ui_.recent_exists.push_back(std::filesystem::is_regular_file(p, ec) ? 1 : 0);
  }
  // Unsaved changes, the title.
  // `s` is this frame's snapshot, of the run then in run 1's place (frame_run_key_); a request
  // carried out since may have put a new run there, marked as it was opened: judged next frame.
  if (frame_run_key_ == main_run().key && RunVersion{frame_run_key_, s.version} != unsaved_version_) {
    main_unsaved_ = has_unsaved_changes(saved_mark_, s);
    unsaved_version_ = {frame_run_key_, s.version};
  }
  compared_now_.clear();
  for (const Run& r : compared_runs()) compared_now_.push_back({r.key, r.snap ? r.snap->version : 0});
  unsaved_ = main_unsaved_ || compared_changed(saved_compared_, compared_now_);
  const std::string title = window_title(ui_.known_session_path, unsaved_);
  if (title != title_) {
    title_ = title;
    glfwSetWindowTitle(window_, title_.c_str());
  }
  // Quitting: the window's close button, Ctrl+Q or the menu; the question's answer.
  if (r.quit || close_asked_) quit = answer_quit(s);
  close_asked_ = false;
  using U = ui::Requests::Unsaved;
  if (r.unsaved_answer == U::Discard) quit = true;
  if (r.unsaved_answer == U::Save) {
    if (ui_.known_session_path.empty()) {
      quit_after_save_ = true;
      ui::Dialog d = ui::Dialog::SaveSession;
      ui_.session_path = "session.json";
      ui_.open_dialog = d;
    } else {
      save_session(ui_.known_session_path, s);
      ui_.dialog_done = false;
      if (!unsaved_) quit = true;  // saved: mark_saved cleared it
    }
  }
  if (quit_after_save_) {
    if (!unsaved_ && ui_.open_dialog != ui::Dialog::SaveSession) {
      quit_after_save_ = false;  // the Save modal saved
      quit = true;
    } else if (ui_.open_dialog != ui::Dialog::SaveSession && !ImGui::IsPopupOpen("Save session")) {
      quit_after_save_ = false;  // the Save modal was cancelled: stay
    }
  }
  // Figures.
  if (r.export_figure) start_figure_export(s, false);
  if (r.export_gif) start_figure_export(s, true);
  poll_figure_export();
  return quit;
}

void App::start_figure_export(const train::Snapshot& s, bool gif) {
  if (figure_job_.valid()) {
    ui_.dialog_error = "an export is still being written";
    return;
  }
  const ui::FigureChoice& c = ui_.figure;
  const std::string path = gif ? c.gif_path : c.path;
  if (auto why = core::check_output_path(path)) {
    ui_.dialog_error = path + ": " + *why;
    return;
  }
  if (view_w_ < 16 || view_h_ < 16) {
    ui_.dialog_error = "the view is too small to export";
    return;
  }
  FigureOptions o;
  o.plot_w = view_w_;
  o.plot_h = view_h_;
  o.scale = gif ? 1 : c.scale;  // a GIF at 1x: a file a slide can hold, written in seconds
  o.points = c.points;
  o.legend = c.legend;
  o.axes = c.axes;
  o.show_train = ui_.show_train;
  o.show_test = ui_.show_test;
  if (c.unit && ui_.focus_layer >= 0) {
    o.unit_layer = ui_.focus_layer;
    o.unit_index = ui_.focus_unit;
    if (check_unit(s.layout, o.unit_layer, o.unit_index)) o.unit_layer = -1;
  }
  core::GridSpec view;
  view.x_min = view_rect_.x_min;
  view.x_max = view_rect_.x_max;
  view.y_min = view_rect_.y_min;
  view.y_max = view_rect_.y_max;
  if (static_cast<long long>(std::max(o.plot_w, o.plot_h)) * o.scale > kMaxPlotSide) {
    ui_.dialog_error = "the view at " + std::to_string(o.scale) + "x would be " + std::to_string(std::max(o.plot_w, o.plot_h) * o.scale) +
                       " pixels wide: allowed at most " + std::to_string(kMaxPlotSide) + "; choose a smaller scale";
    return;
  }
  if (c.graph) {
    view.x_min = thumb_rect_.x_min, view.x_max = thumb_rect_.x_max, view.y_min = thumb_rect_.y_min, view.y_max = thumb_rect_.y_max;
    o.plot_w = o.plot_h = std::min(view_w_, view_h_);
  }
  // Everything the worker reads is a copy or shared and immutable.
  const core::Layout layout = s.layout;
  const std::uint32_t features = s.settings.net.features;
  const std::shared_ptr<const core::Dataset> data = s.data ? s.data : std::make_shared<core::Dataset>();
  std::vector<std::shared_ptr<const core::Params>> frames;
  if (gif) {
    const auto& t = s.timeline;
    const std::size_t n = std::min<std::size_t>(t.size(), kGifMaxFrames);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& f = t[n == 1 ? 0 : i * (t.size() - 1) / (n - 1)];
      if (static_cast<int>(f->params.size()) == layout.num_params)
        frames.push_back(std::shared_ptr<const core::Params>(f, &f->params));
    }
    if (frames.empty()) {
      ui_.dialog_error = "the timeline holds no steps of this network yet: train first";
      return;
    }
  } else {
    frames.push_back(std::make_shared<const core::Params>(shown_params_ ? *shown_params_ : s.params));
  }
  const bool graph = c.graph;
  figure_job_path_ = path;
  figure_job_ = std::async(std::launch::async, [=]() -> std::optional<std::string> {
    const TextPainter text;
    const auto draw = [&](const core::Params& p) {
      return graph ? render_graph(text, layout, features, p, view, o) : render_figure(text, layout, features, p, *data, view, o);
    };
    if (!gif) {
      const Image img = draw(*frames.front());
      return write_png(path, img.width, img.height, img.rgb);
    }
    std::unique_ptr<GifWriter> w;
    for (const auto& p : frames) {
      const Image img = draw(*p);
      if (!w) w = std::make_unique<GifWriter>(img.width, img.height, 10);
      if (auto err = w->add(img)) return err;
    }
    std::string bytes;
    if (auto err = w->finish(bytes)) return err;
    return core::write_file_atomically(path, bytes);
  });
  ui_.dialog_done = true;  // the modal closes; the status bar says when the file is written
  notice("writing " + path + " ...", false);
}

void App::poll_figure_export() {
  if (!figure_job_.valid() || figure_job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  if (auto err = figure_job_.get()) {
    notice("could not export: " + *err, true);
    if (!opt_.export_figure_path.empty()) {
      std::fprintf(stderr, "mlpviz: --export-figure: %s\n", err->c_str());
      exit_code_ = 1;
    }
  } else notice("exported " + figure_job_path_, false);
}

}  // namespace mlpviz::app
