// sweep_work.hpp: the window's sweep (View > Sweep) without GL: a grid of networks
// (train/sweep.hpp) trained by a train::Pool, a painter thread drawing each cell's boundary on the
// CPU (app/figure.hpp, as `mlpviz render`), the finished cells taken back for the run log, and the
// grid's PNG export.
// The window's SweepRunner (app/gui_sweep.hpp) adds only the textures; the unit tests
// (tests/test_sweep_work.cpp) run it headless, also under ThreadSanitizer.
//
// Threads: the pool's workers step the cells (never the caller); the painter thread renders each
// cell's newest published snapshot into an RGB image, at most every kPaintInterval; the owner's
// thread (the UI thread in the window) calls everything else: take_fresh_images(), poll(), the
// queries. Nothing it calls waits on a training step; only close() (and the destructor) joins.
#pragma once

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
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

namespace mlpviz::app {

class SweepWork {
 public:
  static constexpr double kPaintInterval = 0.25;  // seconds between a running cell's images
  static constexpr int kCellPx = 160;             // each cell's image, pixels a side

  // One cell as the window shows it (plan order). Owner's thread only.
  using CellStatus = train::SweepCellStatus;
  // A cell's newest image: kCellPx x kCellPx RGB, 3 bytes a pixel, rows top first; empty until the
  // painter drew the cell. `version` and `step` are those of the snapshot it shows.
  struct CellImage {
    std::vector<unsigned char> rgb;
    std::uint64_t version = 0;
    std::int64_t step = 0;
  };

  SweepWork() = default;
  ~SweepWork() { close(); }
  SweepWork(const SweepWork&) = delete;
  SweepWork& operator=(const SweepWork&) = delete;

  // Starts the plan's cells (each cell_settings(base, cell) on `data`, fresh weights from the
  // weight seed, `steps` steps) as jobs of `pool` (the window's: they share its workers with the
  // window's other runs), and the painter; replaces any sweep. The plan must come from
  // plan_sweep().
  void start(const train::Settings& base, const core::Dataset& data, const train::SweepPlan& plan,
             std::int64_t steps, std::shared_ptr<train::Pool> pool);
  // The same on a pool of its own with `threads` workers.
  void start(const train::Settings& base, const core::Dataset& data, const train::SweepPlan& plan,
             std::int64_t steps, int threads);
  // Stops every cell at its next step (cancelled cells are done); never waits.
  void cancel();
  // Cancels the cells, joins the painter, waits for the cells' last slices (a few ms) and frees
  // them from the pool, waits for an export being written, and forgets the cells (active() turns false; cell_log() stays until the next start).
  void close();

  // Calls upload(index, const CellImage&) for each cell whose image changed since the last call,
  // under the painter's lock: keep it short (one texture upload).
  template <class Upload>
  void take_fresh_images(Upload&& upload) {
    std::lock_guard<std::mutex> lock(paint_mutex_);
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      Cell& c = *cells_[i];
      if (!c.fresh) continue;
      c.fresh = false;
      upload(i, static_cast<const CellImage&>(c.image));
    }
  }
  // A copy of a cell's newest image (empty before the painter drew it, or for a bad index).
  CellImage image(int index) const;

  // Progress into cells(); finished cells taken back from the pool and appended to `log` and
  // cell_log() (cancelled cells are not logged). Once every cell is done it reads nothing more.
  void poll(train::RunLog& log);

  bool active() const { return pool_ != nullptr; }
  bool running() const { return running_; }
  const std::vector<CellStatus>& cells() const { return status_; }
  const train::SweepPlan& plan() const { return plan_; }
  const std::string& title() const { return title_; }  // what every cell shares
  int threads() const { return threads_; }              // workers the sweep can use
  double seconds() const { return seconds_; }           // since the start, as of the last poll
  // The finished cells, as the run log holds them (in the order they finished).
  const train::RunLog& cell_log() const { return cell_log_; }
  // A finished cell's engine (taken back by poll()); nullptr while it trains or for a bad index.
  const train::Engine* cell_engine(int index) const;
  // A finished cell as a session (its settings, data, weights and curves), to open as the main
  // network; nullopt while it trains or when it was cancelled.
  std::optional<train::Session> cell_session(int index) const;

  // The grid as one labelled PNG (app/sweep_grid.hpp), written atomically by a worker once every
  // cell is done: the refusal, or nullopt when the worker started; poll_export() gives its
  // outcome (nullopt while none finished).
  std::optional<std::string> export_png(const std::string& path);
  std::optional<std::string> poll_export();
  // Waits for the export being written (automation only: the window waits) and gives its outcome.
  std::optional<std::string> finish_export();

 private:
  struct Cell {
    train::SweepCell at;
    train::Pool::RunId id = 0;
    std::unique_ptr<train::Engine> engine;  // owner's thread: taken back once done
    std::uint64_t painted_version = ~0ull;  // painter thread only
    // Guarded by paint_mutex_: the newest image and whether take_fresh_images() has seen it.
    CellImage image;
    bool fresh = false;
  };
  void stop();
  void paint_loop();

  // Set by start() before the painter starts, freed by close() after it is joined; the painter
  // reads cells_[i]->id and the pool, both thread-safe to read.
  std::shared_ptr<train::Pool> pool_;
  std::vector<train::Pool::RunId> ids_;  // the cells' jobs in pool_
  std::vector<std::unique_ptr<Cell>> cells_;
  // Owner's thread only.
  std::vector<CellStatus> status_;
  train::SweepPlan plan_;
  std::string title_;
  int threads_ = 0;
  bool running_ = false;
  double seconds_ = 0;
  train::RunLog cell_log_;
  std::chrono::steady_clock::time_point started_{};
  std::future<std::optional<std::string>> export_job_;

  std::thread painter_;
  mutable std::mutex paint_mutex_;
  std::condition_variable paint_wake_;
  bool paint_quit_ = false;  // guarded by paint_mutex_
};

}  // namespace mlpviz::app
