// gui_sweep.hpp: the window's sweep (View > Sweep): the work of app/sweep_work.hpp (a grid of
// networks trained by a train::Pool, their boundaries drawn on the CPU by a painter thread, the
// finished cells for the run log, the grid's PNG) plus what needs GL: each cell's image as a
// texture, and the ui::SweepView the Sweep panel draws.
//
// Threads: as SweepWork's; this class is the UI thread's alone. poll() uploads the new images,
// takes finished engines back and appends them to the run log. Nothing the UI thread calls waits
// on a training step.
#pragma once

#include <epoxy/gl.h>

#include <optional>
#include <string>
#include <vector>

#include "app/sweep_work.hpp"
#include "core/data.hpp"
#include "train/run_log.hpp"
#include "train/session.hpp"
#include "train/sweep.hpp"
#include "ui/sweep_state.hpp"

namespace mlpviz::app {

class SweepRunner {
 public:
  static constexpr double kPaintInterval = SweepWork::kPaintInterval;
  static constexpr int kCellPx = SweepWork::kCellPx;

  SweepRunner() = default;
  ~SweepRunner() { close(); }
  // Cancels the cells, joins the threads, frees the textures (the GL context must be current).
  void close();
  SweepRunner(const SweepRunner&) = delete;
  SweepRunner& operator=(const SweepRunner&) = delete;

  // Starts the plan's cells (SweepWork::start) on the window's pool, replacing any sweep.
  void start(const train::Settings& base, const core::Dataset& data, const train::SweepPlan& plan,
             std::int64_t steps, std::shared_ptr<train::Pool> pool);
  void cancel() { work_.cancel(); }
  // UI thread, once a frame: images to textures, progress into view(), finished cells taken back
  // and appended to `log` (cancelled cells are not logged).
  void poll(train::RunLog& log);
  const ui::SweepView& view() const { return view_; }
  // The finished cells, as the run log holds them (in the order they finished).
  const train::RunLog& cell_log() const { return work_.cell_log(); }
  bool active() const { return work_.active(); }
  bool running() const { return view_.running; }
  std::optional<train::Session> cell_session(int index) const { return work_.cell_session(index); }
  // SweepWork's export: refusal or nullopt; its outcome from poll_export() (nullopt while none
  // finished) or, waiting (automation only), from finish_export().
  std::optional<std::string> export_png(const std::string& path) { return work_.export_png(path); }
  std::optional<std::string> poll_export() { return work_.poll_export(); }
  std::optional<std::string> finish_export() { return work_.finish_export(); }

 private:
  void upload_images();

  SweepWork work_;
  std::vector<GLuint> textures_;  // one per cell, 0 until its first image
  ui::SweepView view_;
};

}  // namespace mlpviz::app
