// gui_compare.cpp: Compare: the main network duplicated into up to three compared runs on the same
// data and seeds, each changed on its own, trained in lockstep with the main run.
//
// Runs (App::runs_, gui_run.hpp): run 1 is the window's main run (its Trainer, its Renderer with
// the atlas, the UI state). Compared runs 2 to 4 are engines in one train::Lockstep, stepped by the
// window's pool to the main run's published step (set every frame: they follow its play, pause,
// steps and pace, never the other way round, so the UI never waits), each with a light view of its
// own on the shared render context.
// The main run's data edits, resets and weight seeds go to every compared run as well (the same
// commands), and a new main run (a shape, a seed, new data) restarts them, so they stay on the
// same data and seeds.
//
// Sessions and autosave hold the compared runs too (train::Session::compared: settings, parameters
// and progress, on run 1's data): a save takes each one's newest snapshot, opening or recovering a
// session restores them at their saved step (the target then follows run 1 as always), and a
// session without them closes the comparison.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "app/gui_app.hpp"
#include "core/evaluate.hpp"
#include "train/session.hpp"

namespace mlpviz::app {
namespace {

ImTextureID texture_id(GLuint t) { return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(t)); }

// A view's texture for ImGui: GL rows run from the bottom.
ui::TextureRef view_ref(const render::Renderer& v) {
  return {texture_id(v.view_texture()), ImVec2(0, 1), ImVec2(1, 0)};
}

train::Settings changed(train::Settings s, const GuiOptions::CompareChange& c) {
  core::NetSpec& n = s.net;
  if (c.depth) {
    const int w = n.widths.empty() ? 8 : n.widths.back();
    const core::Activation a = n.activations.empty() ? core::Activation::Tanh : n.activations.back();
    n.widths.resize(static_cast<std::size_t>(*c.depth), w);
    n.activations.resize(static_cast<std::size_t>(*c.depth), a);
  }
  if (c.width) std::fill(n.widths.begin(), n.widths.end(), *c.width);
  if (c.activation) std::fill(n.activations.begin(), n.activations.end(), *c.activation);
  if (c.optimizer) s.optimizer.kind = *c.optimizer;
  if (c.learning_rate) s.optimizer.learning_rate = *c.learning_rate;
  return s;
}

}  // namespace

void App::add_compared(const train::Snapshot& main, const GuiOptions::CompareChange& change) {
  if (!main.data) return;
  if (1 + static_cast<int>(compared_runs().size()) >= ui::kMaxCompareRuns) {
    notice("Compare: at most " + std::to_string(ui::kMaxCompareRuns) + " networks side by side", true);
    return;
  }
  const train::Settings settings = changed(main.settings, change);
  if (auto err = train::validate(settings)) {
    notice("Compare: " + *err, true);
    return;
  }
  std::unique_ptr<train::Engine> engine;
  try {
    engine = std::make_unique<train::Engine>(settings, *main.data);
  } catch (const std::exception& e) {
    notice(std::string("Compare: ") + e.what(), true);
    return;
  }
  add_compared_engine(main, std::move(engine));
}

void App::add_compared_engine(const train::Snapshot& main, std::unique_ptr<train::Engine> engine) {
  if (!lockstep_) lockstep_ = std::make_unique<train::Lockstep>(pool_);
  if (!main_run().compare_view) main_run().compare_view = std::make_unique<render::Renderer>(*render_ctx_);
  Run r;
  r.key = next_run_key_++;
  r.lockstep = lockstep_.get();
  r.follower = lockstep_->add(std::move(engine));
  r.view = std::make_unique<render::Renderer>(*render_ctx_);
  r.snap = r.snapshot();
  runs_.push_back(std::move(r));
  compare_generation_ = main.generation;
  lockstep_->set_target(main.step);
}

void App::restore_compared(std::vector<std::unique_ptr<train::Engine>> engines) {
  close_all_compared();
  if (engines.empty()) return;
  const std::shared_ptr<const train::Snapshot> main = trainer().snapshot();
  for (auto& e : engines) add_compared_engine(*main, std::move(e));
}

std::vector<std::shared_ptr<const train::Snapshot>> App::compared_snapshots() const {
  std::vector<std::shared_ptr<const train::Snapshot>> out;
  out.reserve(compared_runs().size());
  for (const Run& r : compared_runs()) {
    auto s = r.snapshot();
    out.push_back(s ? std::move(s) : r.snap);  // a run's first snapshot exists from its add()
  }
  return out;
}

void App::close_compared(int k) {
  if (k < 1 || k > static_cast<int>(compared_runs().size())) return;
  const std::size_t i = static_cast<std::size_t>(k - 1);
  lockstep_->remove(runs_[i + 1].follower);  // its engine is freed by a worker of the pool
  runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(i + 1));
  if (i < ui_.compare.runs.size()) ui_.compare.runs.erase(ui_.compare.runs.begin() + static_cast<std::ptrdiff_t>(i));
  if (compared_runs().empty()) {
    trainer().set_step_ceiling(train::Trainer::kNoCeiling);  // the main run alone: no lockstep
    main_run().compare_view.reset();
    ui_.compare.half = 0;  // the next comparison fits the data again
  }
}

void App::close_all_compared() {
  while (!compared_runs().empty()) close_compared(static_cast<int>(compared_runs().size()));
}

// A compared run ends with the main run it follows: its row takes the main run's ending (finished,
// paused...) unless it diverged on its own.
void App::log_compared(Run& r) {
  train::RunLogEntry e = train::log_entry(*r.snap, r.log_time);
  if (e.status != "diverged") e.status = r.log_status;
  run_log_.append(std::move(e));
  r.log_at = -1;
}

void App::compare_frame(const train::Snapshot& main, ui::FrameInfo& fi) {
  if (compared_runs().empty()) return;
  if (main.generation != compare_generation_) {
    // A new main run: the compared runs start theirs too (after the forwarded commands); one still
    // owed to the run log is logged as it stands.
    for (Run& r : compared_runs()) {
      if (r.log_at >= 0 && r.snap && r.snap->step > 0) log_compared(r);
      r.log_at = -1;
      r.post(train::cmd::Reset{});
    }
    compare_generation_ = main.generation;
  }
  lockstep_->set_target(main.step);
  fi.compare.push_back({&main, view_ref(main_run().comparison_view()), "", main_run().comparison_view().status()});
  std::int64_t slowest = train::Trainer::kNoCeiling;
  for (Run& r : compared_runs()) {
    if (auto s = r.snapshot()) r.snap = std::move(s);
    if (r.snap->state != train::RunState::Diverged) slowest = std::min(slowest, r.snap->step);
    if (r.log_at >= 0 && r.snap->step >= r.log_at) log_compared(r);  // caught up with the main run's end
    if (r.difference.empty() || !(r.diff_of_main == main.settings) || !(r.diff_of_run == r.snap->settings)) {
      r.difference = train::describe_difference(main.settings, r.snap->settings);  // worded once per change
      r.diff_of_main = main.settings;
      r.diff_of_run = r.snap->settings;
    }
    fi.compare.push_back({r.snap.get(), view_ref(*r.view), r.difference, r.view->status()});
  }
  hold_main_to_compared(slowest);
}

// Lockstep at any speed: the main run may lead the slowest compared run (a diverged one aside) by
// at most compare_lead_ steps, so at full speed its trainer waits for the lockstep thread instead
// of running away from it (and leaves it the core). The lead doubles while the compared runs keep
// up with the target they were given, and halves while they trail: at a pace the ceiling never
// binds; at full speed the runs' curves end within a frame's steps of each other.
void App::hold_main_to_compared(std::int64_t slowest) {
  if (compared_runs().empty() || slowest == train::Trainer::kNoCeiling) {
    trainer().set_step_ceiling(train::Trainer::kNoCeiling);
    return;
  }
  const bool kept_up = slowest >= compare_target_;
  compare_lead_ = std::clamp<std::int64_t>(kept_up ? compare_lead_ * 2 : compare_lead_ / 2, kMinCompareLead, kMaxCompareLead);
  compare_target_ = lockstep_->target();
  trainer().set_step_ceiling(slowest + compare_lead_);
}

void App::render_compared(const ui::FrameOutput& out, double now, bool full_resolution, float line_scale) {
  if (compared_runs().empty() || out.compare_px <= 0) return;
  for (Run& r : runs_) {
    render::Renderer& view = r.comparison_view();
    const train::Snapshot& s = *r.snap;
    view.set_network({&s.layout, s.settings.net.features, s.settings.net.classes, &s.params, view_key(r, s.version)}, now);
    render::ViewRequest v;
    v.width = v.height = out.compare_px;
    v.bounds = {out.compare_rect.x_min, out.compare_rect.x_max, out.compare_rect.y_min, out.compare_rect.y_max};
    v.style.scale = line_scale;
    v.style.output_levels = ui_.output_levels;
    v.style.show_train = ui_.show_train;
    v.style.show_test = ui_.show_test;
    v.data = s.data.get();
    v.data_version = s.data_version;
    v.full_resolution = full_resolution;
    view.render_view(v, now);
  }
}

void App::post_to_compared(const std::vector<train::Command>& main_commands, const ui::FrameOutput& out) {
  if (compared_runs().empty()) return;
  std::vector<train::Command> shared;
  for (const train::Command& c : main_commands)
    if (train::Lockstep::shared_with_compared(c)) shared.push_back(c);
  if (!shared.empty())
    for (const Run& r : compared_runs()) r.post(shared);
  for (const auto& [k, c] : out.compare_commands)
    if (k >= 1 && k <= static_cast<int>(compared_runs().size())) runs_[static_cast<std::size_t>(k)].post(c);
}

bool App::compared_caught_up(const train::Snapshot& main) const {
  for (const Run& r : compared_runs()) {
    const std::shared_ptr<const train::Snapshot> s = r.snapshot();
    if (!s || s->step != main.step) return false;
  }
  return true;
}

// The comparison's check (tests/gui/compare_test.cmake): every run's view, rendered once more in
// the shader's class-id mode at its exact size and rectangle, against core::evaluate_grid on the
// same snapshot's parameters; each run's step (lockstep) and how many pixels its classes differ
// from run 1's (the views are not copies of one network).
bool App::write_compare_check(const ui::FrameOutput& out) {
  if (opt_.cpu_grid_path.empty()) return true;
  const int w = out.compare_px, h = out.compare_px;
  const render::Bounds b{out.compare_rect.x_min, out.compare_rect.x_max, out.compare_rect.y_min, out.compare_rect.y_max};
  struct Row {
    const train::Snapshot* s;
    render::Renderer* view;
  };
  std::vector<Row> rows;
  for (Run& r : runs_) rows.push_back({r.snap.get(), &r.comparison_view()});
  std::vector<std::uint8_t> first;
  std::ostringstream os;
  os.precision(9);
  os << "{\n  \"width\": " << w << ",\n  \"height\": " << h << ",\n  \"bounds\": [" << b.x_min << ", " << b.x_max << ", "
     << b.y_min << ", " << b.y_max << "],\n  \"runs\": [";
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const train::Snapshot& s = *rows[k].s;
    const std::vector<std::uint8_t> gpu = rows[k].view->class_ids(w, h, b);
    const long long pixels = gpu.empty() ? 0 : static_cast<long long>(w) * h;
    long long agree = 0, differs = 0;
    std::vector<long long> per_class(static_cast<std::size_t>(core::kMaxClasses), 0);
    if (!gpu.empty()) {
      std::vector<float> cpu;
      core::Workspace<float> ws;
      core::evaluate_grid<float>(s.layout, s.settings.net.features, s.params.data(), b.grid(w, h), cpu, ws);
      const int K = s.layout.sizes.back();
      for (long long i = 0; i < pixels; ++i) {
        int cls = 0;
        if (K == 1) {
          cls = cpu[static_cast<std::size_t>(i)] > 0.5f ? 1 : 0;
        } else {
          const float* o = &cpu[static_cast<std::size_t>(i) * K];
          for (int c = 1; c < K; ++c)
            if (o[c] > o[cls]) cls = c;
        }
        const int g = gpu[static_cast<std::size_t>(i)];
        agree += g == cls ? 1 : 0;
        if (g < core::kMaxClasses) ++per_class[static_cast<std::size_t>(g)];
        if (k > 0 && first.size() == gpu.size()) differs += g != first[static_cast<std::size_t>(i)] ? 1 : 0;
      }
    }
    if (k == 0) first = gpu;
    int classes_seen = 0;
    for (long long c : per_class) classes_seen += c > 0 ? 1 : 0;
    std::string field = rows[k].view->status();
    std::string diff = k == 0 ? std::string() : train::describe_difference(rows[0].s->settings, s.settings);
    for (std::string* t : {&field, &diff})
      for (char& c : *t)
        if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = ' ';
    os << (k ? "," : "") << "\n    {\"run\": " << k + 1 << ", \"step\": " << s.step << ", \"pixels\": " << pixels
       << ", \"agree\": " << agree << ", \"classes_seen\": " << classes_seen << ", \"differs_from_run1\": " << differs
       << ", \"gpu_field\": " << (rows[k].view->gpu_field() ? "true" : "false") << ", \"field\": \"" << field
       << "\", \"difference\": \"" << diff << "\", \"gl_error\": \"" << rows[k].view->gl_error() << "\"}";
    std::printf("mlpviz: compare check: run %zu at step %lld: %lld of %lld pixels agree%s%s\n", k + 1,
                static_cast<long long>(s.step), agree, pixels, diff.empty() ? "" : "; ", diff.c_str());
  }
  os << "\n  ]\n}\n";
  std::fflush(stdout);
  if (auto err = train::write_file_atomically(opt_.cpu_grid_path, os.str())) {
    std::fprintf(stderr, "mlpviz: %s\n", err->c_str());
    return false;
  }
  return true;
}

}  // namespace mlpviz::app
