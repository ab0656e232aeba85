// gui_sweep.hpp: the window's sweep (View > Sweep): a grid of networks (train/sweep.hpp) trained
// on the main network's data and seeds by a train::Pool, their boundaries drawn on the CPU by a
// painter thread (app/figure.hpp, as `mlpviz render`) and shown as textures in the Sweep panel.
//
// Threads: the pool's workers step the cells (never the UI thread); the painter thread renders
// each cell's newest published snapshot into an RGB image, at most every kPaintInterval; the UI
// thread (poll()) uploads the new images, takes finished engines back from the pool and appends
// them to the run log. Nothing the UI thread calls waits on a training step.
#pragma once

#include <epoxy/gl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/data.hpp"
#include "train/pool.hpp"
#include "train/run_log.hpp"
#include "train/session.hpp"
#include "train/sweep.hpp"
#include "ui/sweep_state.hpp"

namespace mlpviz::app {

class SweepRunner {
 public:
  static constexpr double kPaintInterval = 0.25;  // seconds between a running cell's images
  static constexpr int kCellPx = 160;             // each cell's image, pixels a side

  SweepRunner() = default;
  ~SweepRunner() { close(); }
  // Cancels the cells, joins the threads, frees the textures (the GL context must be current).
  void close();
  SweepRunner(const SweepRunner&) = delete;
  SweepRunner& operator=(const SweepRunner&) = delete;

  // Starts the plan's cells (each cell_settings(base, cell) on `data`, fresh weights from the
  // weight seed, `steps` steps), replacing any sweep. The plan must come from plan_sweep().
  void start(const train::Settings& base, const core::Dataset& data, const train::SweepPlan& plan,
             std::int64_t steps, int threads);
  void cancel();
  // UI thread, once a frame: images to textures, progress into view(), finished cells taken back
  // and appended to `log` (cancelled cells are not logged).
  void poll(train::RunLog& log);
  const ui::SweepView& view() const { return view_; }
  // The finished cells, as the run log holds them (in the order they finished).
  const train::RunLog& cell_log() const { return cell_log_; }
  bool active() const { return pool_ != nullptr; }
  bool running() const { return view_.running; }
  // A finished cell as a session (its settings, data, weights and curves), to open as the main
  // network; nullopt while it trains or when it was cancelled.
  std::optional<train::Session> cell_session(int index) const;
  // The grid as one labelled PNG (app/sweep_grid.hpp), written atomically by a worker once every
  // cell is done; poll_export() gives its outcome (nullopt while none finished).
  std::optional<std::string> export_png(const std::string& path);
  std::optional<std::string> poll_export();
  // Waits for the export being written (automation only: the window waits) and gives its outcome.
  std::optional<std::string> finish_export();

 private:
  struct Cell {
    train::SweepCell at;
    train::Pool::RunId id = 0;
    std::unique_ptr<train::Engine> engine;  // taken back once done
    GLuint texture = 0;
    std::uint64_t painted_version = ~0ull;  // painter thread only
    // Guarded by paint_mutex_: the newest image and whether the UI has uploaded it.
    std::vector<unsigned char> rgb;
    bool fresh = false;
  };
  void stop();
  void paint_loop();

  std::unique_ptr<train::Pool> pool_;
  std::vector<std::unique_ptr<Cell>> cells_;
  ui::SweepView view_;
  train::RunLog cell_log_;
  std::chrono::steady_clock::time_point started_{};

  std::thread painter_;
  std::mutex paint_mutex_;
  std::condition_variable paint_wake_;
  bool paint_quit_ = false;  // guarded by paint_mutex_

  std::future<std::optional<std::string>> export_job_;
};

}  // namespace mlpviz::app
