// gui_requests.cpp: what the UI asks and the App does: keyboard shortcuts (mapped onto the same
// ui/actions.cpp as the menus), opening and saving sessions, CSV import and export, full screen,
// presentation size. Bad files or paths become one line in the dialog or the status bar;
// nothing is half-applied (a session is loaded and validated completely before the trainer is
// replaced).
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <sstream>

#include "app/gui_app.hpp"
#include "core/data.hpp"
#include "core/file_io.hpp"
#include "train/session.hpp"
#include "ui/actions.hpp"
#include "ui/panels.hpp"

namespace mlpviz::app {

void App::notice(std::string text, bool error) {
  ui::FrameInfo now;
  now.time_s = std::chrono::duration<double>(Clock::now() - started_).count();
  ui::set_notice(ui_, now, std::move(text), error);
}

// Shortcuts act on the key presses this frame handed to ImGui (frame_input_, from the input
// queue), in the order typed and with the mods GLFW reported: a quick tap during a slow frame is
// a press in one frame and a release in the next, and a key typed into a field after a Ctrl+click
// reaches the field, not a shortcut (io.WantTextInput is already set when it arrives).
void App::handle_shortcuts(const ui::FrameInfo& fi, ui::FrameOutput& out) {
  const ImGuiIO& io = ImGui::GetIO();
  std::vector<std::pair<int, int>> presses;
  for (const InputQueue::KeyEvent& k : frame_input_.keys)
    if (k.down) presses.emplace_back(k.key, k.mods);
  // Ctrl+Q quits from anywhere, as in any desktop program (found by the abuse test: a focused
  // text field used to swallow it).
  for (const auto& [key, mods] : presses)
    if ((mods & GLFW_MOD_CONTROL) && key == GLFW_KEY_Q) ui_.requests.quit = true;
  // Typing in a text field, or a modal open: other keys belong to it.
  if (io.WantTextInput || ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) return;
  for (const auto& [key, mods] : presses) {
    if (mods & GLFW_MOD_CONTROL) {
      switch (key) {
        case GLFW_KEY_S: ui::ask_save_session(ui_, ui_.known_session_path, false); break;
        case GLFW_KEY_O: ui::ask_open_session(ui_); break;
        case GLFW_KEY_P: ui_.requests.screenshot = true; break;
        case GLFW_KEY_B:
          ui::toggle_controls_panel(ui_);
          break;
        case GLFW_KEY_L: ui::toggle_classroom(ui_); break;
        case GLFW_KEY_Z: ui::undo_points(out); break;
        case GLFW_KEY_Q: ui_.requests.quit = true; break;
        case GLFW_KEY_EQUAL: case GLFW_KEY_KP_ADD: ui_.requests.presentation_delta = +1; break;
        case GLFW_KEY_MINUS: case GLFW_KEY_KP_SUBTRACT: ui_.requests.presentation_delta = -1; break;
        case GLFW_KEY_0: case GLFW_KEY_KP_0: ui_.requests.presentation_delta = -100; break;
        default: break;
      }
      continue;
    }
    if (mods & (GLFW_MOD_ALT | GLFW_MOD_SUPER)) continue;
    switch (key) {
      case GLFW_KEY_SPACE: ui::toggle_play(fi, out); break;
      case GLFW_KEY_S: ui::step_once(out); break;
      case GLFW_KEY_R: ui::reset_weights(out, false); break;
      case GLFW_KEY_N: ui::new_data_sample(ui_, fi, out); break;
      case GLFW_KEY_F: ui::fit_view(ui_); break;
      case GLFW_KEY_F1: ui_.open_dialog = ui::Dialog::Help; break;
      case GLFW_KEY_F11: ui_.requests.toggle_fullscreen = true; break;
      case GLFW_KEY_ESCAPE:
        if (fullscreen_) ui_.requests.toggle_fullscreen = true;
        else ui_.focus_layer = -1;
        break;
      default: break;
    }
  }
}

void App::carry_out_requests(const train::Snapshot& s) {
  ui::Requests& r = ui_.requests;
  if (r.screenshot) screenshot_requested_ = true;  // taken after the next frame's rendering
  if (r.open_session) open_session(r.path);
  if (r.open_lesson >= 0) open_lesson(r.open_lesson, r.open_lesson_step);
  if (r.save_session) save_session(r.path, s);
  if (r.import_csv) import_csv(ui_.csv_path);
  if (r.export_csv) export_csv(ui_.csv_path, s);
  if (r.export_run_log) export_run_log(ui_.run_log_path);
  carry_out_sweep_requests(s);
  if (r.toggle_fullscreen) toggle_fullscreen();
  if (r.presentation_delta != 0) {
    const int steps = 7;  // gui_fonts.cpp: kPresentationScales
    presentation_step_ = r.presentation_delta == -100 ? 1 : std::clamp(presentation_step_ + r.presentation_delta, 0, steps - 1);
    notice("text size " + std::to_string(static_cast<int>(presentation_scale() * 100 + 0.5f)) + "%", false);
  }
}

void App::replace_trainer(std::unique_ptr<train::Engine> engine) {
  close_all_compared();  // another session or lesson: the comparison was of the run it replaces
  // The old run leaves the pool at once (a worker frees it after its turn): nothing waits here.
  // A new network in run 1's place: a new run (a new key for the views' caches) on the same view.
  main_run().trainer = std::make_unique<train::Trainer>(std::move(engine), pool_);
  main_run().key = next_run_key_++;
}

void App::open_session(const std::string& path) {
  auto loaded = train::load_session(path);
  if (auto* e = std::get_if<train::LoadError>(&loaded)) {
    ui_.dialog_error = e->message;
    return;
  }
  const train::Session& session = std::get<train::Session>(loaded);
  if (!open_loaded_session(session, path)) return;
  ui_.known_session_path = path;
  ui_.dialog_done = true;
  ui_.lesson = -1;  // a file of one's own: the lesson panel goes
  ui_.classroom_choice = session.classroom;
  if (!session.classroom) ui_.classroom = false;
  mark_saved(*trainer().snapshot());
  remember_recent(path);
  notice("opened " + path, false);
}

bool App::open_loaded_session(const train::Session& session, const std::string& label) {
  std::unique_ptr<train::Engine> engine;
  std::vector<std::unique_ptr<train::Engine>> compared;  // checked too before anything is replaced
  try {
    engine = std::make_unique<train::Engine>(session.settings, session.data, session.params, session.progress);
    compared = train::compared_engines(session, engine->data());
  } catch (const std::exception& e) {
    ui_.dialog_error = label + ": " + e.what();
    notice(label + ": " + e.what(), true);
    return false;
  }
  const bool was_running = trainer().snapshot()->state == train::RunState::Running;
  replace_trainer(std::move(engine));
  restore_compared(std::move(compared));  // the session's comparison, or none
  if (was_running) trainer().post(train::cmd::Play{});
  ui_.have_settings = false;
  ui_.replaying = false;
  ui_.focus_layer = -1;
  ui_.plane.units_per_px = 0;
  return true;
}

// A lesson's step: its session, loaded like a session file, the run started afresh and playing
// (a lesson is for watching). Its "classroom" choice, if any, becomes the presenter's.
void App::open_lesson(int index, int step) {
  if (index < 0 || index >= static_cast<int>(ui_.lessons.size())) return;
  const train::Lesson& l = ui_.lessons[static_cast<std::size_t>(index)];
  step = std::clamp(step, 1, l.step_count());
  if (!open_loaded_session(l.session_at(step), "lesson " + l.name)) return;
  // A lesson is for watching, unless it says otherwise (a worked example opens before its step).
  if (l.paused) trainer().post(train::cmd::Pause{});
  else trainer().post(train::cmd::Play{});
  const bool new_lesson = ui_.lesson != index;
  ui_.lesson = index;
  ui_.lesson_step = step;
  ui_.lesson_collapsed = false;
  ui_.known_session_path.clear();  // Ctrl+S asks where to save: never over the lesson's file
  if (new_lesson && l.classroom) ui_.classroom_choice = l.classroom;
  notice("lesson: " + l.title + (l.step_count() > 1 ? ", step " + std::to_string(step) + " of " +
                                                          std::to_string(l.step_count())
                                                    : std::string()),
         false);
  mark_saved(*trainer().snapshot());  // a lesson as it ships: nothing of the user's to lose yet
}

bool App::save_session(const std::string& path, const train::Snapshot& s) {
  train::Session session = train::session_of(s);
  session.classroom = ui_.classroom_choice;  // the presenter's choice travels with the session
  // And the comparison, each run as it stands now; the saved mark takes these same snapshots.
  const std::vector<std::shared_ptr<const train::Snapshot>> compared = compared_snapshots();
  for (const auto& c : compared) session.compared.push_back(train::compared_of(*c));
  if (auto err = train::save_session(path, session)) {
    ui_.dialog_error = *err;
    notice("could not save: " + *err, true);
    return false;
  }
  ui_.known_session_path = path;
  ui_.dialog_done = true;
  mark_saved(s, compared);
  remember_recent(path);
  notice("saved session to " + path + " (step " + std::to_string(s.step) + ")", false);
  return true;
}

void App::import_csv(const std::string& path) {
  std::vector<core::Point> points;
  std::string note;  // a skipped header is said, not silent
  if (auto err = core::read_csv_file(path, ui_.import_as_test, points, &note)) {
    notice(*err, true);
    return;
  }
  int max_label = 1;
  for (const core::Point& p : points) max_label = std::max(max_label, p.label);
  std::vector<train::Command> cmds;
  cmds.emplace_back(train::cmd::SetPoints{std::move(points), max_label + 1});
  post_to_compared(cmds, ui::FrameOutput{});  // compared runs take the same points
  trainer().post(std::move(cmds));
  ui_.plane.units_per_px = 0;
  remember_recent(path);
  notice("imported points from " + path + (note.empty() ? "" : "; note: " + note), false);
}

void App::export_csv(const std::string& path, const train::Snapshot& s) {
  if (!s.data) return;
  std::ostringstream os;
  core::write_csv(os, s.data->points);
  if (auto err = train::write_file_atomically(path, os.str())) {
    notice(*err, true);
    return;
  }
  notice("exported " + std::to_string(s.data->points.size()) + " points to " + path, false);
}

void App::export_run_log(const std::string& path) {
  if (auto err = train::write_file_atomically(path, run_log_.to_csv())) {
    notice(*err, true);
    return;
  }
  notice("exported " + std::to_string(run_log_.entries().size()) + " runs to " + path, false);
}

void App::toggle_fullscreen() {
  if (!fullscreen_) {
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
    if (!mode) {
      notice("full screen is not available here", true);
      return;
    }
    glfwGetWindowPos(window_, &windowed_x_, &windowed_y_);
    glfwGetWindowSize(window_, &windowed_w_, &windowed_h_);
    glfwSetWindowMonitor(window_, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
    fullscreen_ = true;
  } else {
    glfwSetWindowMonitor(window_, nullptr, windowed_x_, windowed_y_, std::max(windowed_w_, 1),
                         std::max(windowed_h_, 1), 0);
    fullscreen_ = false;
  }
}

// The Sweep window's requests: start a sweep on the main network's settings and data, cancel it,
// open a finished cell as the main network, export the grid.
void App::carry_out_sweep_requests(const train::Snapshot& s) {
  ui::SweepUi& su = ui_.sweep;
  if (su.start) {
    su.start = false;
    train::SweepPlan plan;
    if (auto err = train::plan_sweep(s.settings.net, su.axes, plan)) {
      su.error = *err;
    } else if (!s.data || s.data->points.empty()) {
      su.error = "no training points: add points or regenerate the data";
    } else {
      sweep_.start(s.settings, *s.data, plan, su.form.steps, pool_);
      notice("sweep started: " + std::to_string(plan.cells.size()) + " networks (View > Sweep)", false);
    }
  }
  if (su.cancel) {
    su.cancel = false;
    sweep_.cancel();
  }
  if (su.open_cell >= 0) {
    const int i = su.open_cell;
    su.open_cell = -1;
    if (auto session = sweep_.cell_session(i)) {
      const std::string name = train::cell_name(sweep_.view().cells[static_cast<std::size_t>(i)].at);
      if (open_loaded_session(*session, "sweep cell " + name)) {
        ui_.known_session_path.clear();  // Ctrl+S asks where to save it
        notice("opened the sweep's " + name + " network", false);
      }
    }
  }
  if (su.export_png) {
    su.export_png = false;
    if (auto err = sweep_.export_png(su.png_path)) su.error = *err;
  }
  if (!opt_.sweep_csv_path.empty() && !sweep_csv_written_ && sweep_.active() && !sweep_.running()) {
    sweep_csv_written_ = true;
    if (!opt_.sweep_png_path.empty()) {
      const std::optional<std::string> refused = sweep_.export_png(opt_.sweep_png_path);
      const std::optional<std::string> outcome = refused ? refused : sweep_.finish_export();
      std::fprintf(stderr, "mlpviz: %s\n", outcome.value_or("no export").c_str());
      if (refused || !outcome || outcome->rfind("exported", 0) != 0) exit_code_ = 1;
    }
    if (auto err = core::write_file_atomically(opt_.sweep_csv_path, sweep_.cell_log().to_csv())) {
      std::fprintf(stderr, "mlpviz: --sweep-csv: %s\n", err->c_str());
      exit_code_ = 1;
    }
    glfwSetWindowShouldClose(window_, GLFW_TRUE);
  }
}

// --sweep WIDTHS:DEPTHS:STEPS: the form filled as a user would, checked as Run checks it.
void App::start_sweep_from_options() {
  ui::SweepUi& su = ui_.sweep;
  su.open = true;
  const std::string& spec = opt_.sweep_spec;
  const std::size_t a = spec.find(':'), b = a == std::string::npos ? a : spec.find(':', a + 1);
  std::optional<std::string> err;
  if (b == std::string::npos) {
    err = "--sweep '" + spec + "': expected WIDTHS:DEPTHS:STEPS, e.g. 2,4,8:1,2:3000";
  } else {
    su.form.widths = spec.substr(0, a);
    su.form.depths = spec.substr(a + 1, b - a - 1);
    try {
      std::size_t used = 0;
      su.form.steps = std::stoi(spec.substr(b + 1), &used);
      if (used != spec.size() - b - 1) throw std::invalid_argument("trailing");
    } catch (const std::exception&) {
      err = "--sweep '" + spec + "': STEPS is not a whole number";
    }
  }
  train::SweepAxes axes;
  if (!err) err = ui::check_sweep_form(su.form, axes);
  if (err) {
    std::fprintf(stderr, "mlpviz: %s\n", err->c_str());
    su.error = *err;
    exit_code_ = 2;
    glfwSetWindowShouldClose(window_, GLFW_TRUE);
    return;
  }
  su.axes = std::move(axes);
  su.start = true;
}

}  // namespace mlpviz::app
