// pool.hpp: many training runs stepped fairly by a few worker threads (a sweep, compared networks).
//
// Thread ownership: a run's Engine belongs to the pool from add() until the run is done and take()
// hands it back. A worker holds it only for one slice of steps, so no two threads ever touch one
// engine at once; the pool's mutex guards the queue and each run's published progress, and is
// never held during a step. Workers take runs round robin from a queue: a run gets a slice of at
// most Options::slice_steps steps (shorter after Options::slice_seconds), publishes its progress,
// and goes to the back of the queue.
//
// Determinism: a run is judged done by Engine::done(rules) before every step, whichever thread
// steps it, and nothing a worker does between steps changes the training state (metrics reads
// never do). So each run's parameters equal those of its engine stepped alone by the same rules,
// whatever the number of threads, the slice length or the interleaving (tests/test_pool.cpp).
#pragma once

#include <atomic>
#include <condition_variable>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/metrics.hpp"
#include "train/engine.hpp"
#include "train/settings.hpp"
#include "train/trainer.hpp"

namespace mlpviz::train {

// One run as the pool last published it (after its latest slice).
struct PoolProgress {
  std::int64_t step = 0;
  std::int64_t epoch = 0;
  core::Metrics metrics;          // as last evaluated: on the history schedule while training,
  std::int64_t metrics_step = -1; // of the final step once done
  StopReason reason = StopReason::NotDone;  // why it is done (NotDone while queued or cancelled)
  bool done = false;              // finished by its rules, diverged, out of data, or cancelled
  bool cancelled = false;
  std::string message;            // the engine's message once done (e.g. the divergence)
};

class Pool {
 public:
  using RunId = std::size_t;  // index in the order added, from 0

  struct Options {
    int threads = default_threads();  // at most this many workers (clamped to 1..256)
    int slice_steps = 256;            // most steps of one run before the next run's turn
    double slice_seconds = 0.004;     // a slice also ends after this long (checked every 8 steps)
    double snapshot_interval = 1.0 / 30.0;  // seconds between a run's published snapshots
    // Called by a worker after each slice (no lock held): the run and the steps it took. For
    // tests of the round-robin order.
    std::function<void(RunId, std::int64_t)> on_slice;
  };

  struct Job {
    std::unique_ptr<Engine> engine;  // valid settings, in any state but Diverged
    StopRules rules;                 // at least one limit, or the run never ends by itself
  };

  // The hardware threads less one (left to the window), at least 1.
  static int default_threads();

  Pool() : Pool(Options{}) {}
  explicit Pool(Options options);
  ~Pool();  // cancels every run at its next step and joins the workers
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Queues runs (all of them before any worker may take one: they start in the order given) and
  // starts workers up to Options::threads. Returns their ids.
  std::vector<RunId> add(std::vector<Job> jobs);
  RunId add(Job job);

  // Copies of what each run published last; never waits for a step.
  std::vector<PoolProgress> progress() const;
  PoolProgress progress(RunId id) const;
  // The newest snapshot of a run (published every snapshot_interval while it trains, and when it
  // is done); never waits for a step.
  std::shared_ptr<const Snapshot> snapshot(RunId id) const;

  // Stops a run at its next step (a queued one at once); cancelled runs are done. Never waits.
  void cancel(RunId id);
  void cancel_all();
  // Blocks until every run added so far is done.
  void wait();
  bool all_done() const;
  // The engine of a done run (its final metrics evaluated); nullptr before it is done or when
  // taken already.
  std::unique_ptr<Engine> take(RunId id);

  int max_threads() const { return options_.threads; }
  int threads_started() const;
  std::size_t size() const;

 private:
  struct Run {
    std::unique_ptr<Engine> engine;  // held by a worker during a slice (held == true)
    StopRules rules;
    std::atomic<bool> cancel{false};
    bool held = false;               // guarded by mutex_
    bool queued = false;             // guarded by mutex_
    PoolProgress progress;           // guarded by mutex_
    SnapshotSlot snapshot;
    std::uint64_t version = 0;       // worker only
    std::chrono::steady_clock::time_point last_snapshot{};  // worker only
  };
  void work();
  static PoolProgress progress_of(const Engine& e);

  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable work_;  // a run was queued, or quit
  std::condition_variable idle_;  // a run became done
  std::vector<std::unique_ptr<Run>> runs_;  // guarded by mutex_ (the vector; a Run stays put)
  std::deque<RunId> queue_;       // guarded by mutex_: runs waiting for a slice, front first
  std::size_t active_ = 0;        // guarded by mutex_: runs not done
  bool quit_ = false;             // guarded by mutex_
  std::vector<std::thread> workers_;
};

}  // namespace mlpviz::train
