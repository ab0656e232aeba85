// pool.hpp: the one pool of worker threads that steps every training run of a process fairly:
// the window's main network (a Trainer), its compared networks (a Lockstep), a sweep's cells.
//
// Two kinds of run share the workers and one queue:
//   jobs   (add): an engine stepped until its StopRules are met (a sweep cell, `mlpviz sweep`);
//          the pool steps it itself and publishes its progress and snapshots.
//   tasks  (add_task): a run whose owner drives it (PoolTask::turn: a Trainer's play, pause and
//          pace, a Lockstep run's target); the pool only decides when it gets a worker. A task
//          that waits (for a pace's next step, a ceiling, a command) gives its worker back and is
//          queued again when its time comes or its owner wakes it.
// Fairness: runs take turns round robin from one queue, a turn being a short slice (a few
// milliseconds); a task woken by its owner (a command from the window) or whose waiting time is
// over goes to the front, so a paced or clicked run never waits behind a queue of sweep cells.
// No run has a thread of its own, and a pool never has more workers than Options::threads (by
// default the cores less the one left to the window).
//
// Thread ownership: a job's Engine belongs to the pool from add() until the run is done and take()
// hands it back. A worker holds a run only for one turn, so no two threads ever touch one engine
// at once; the pool's mutex guards the queue and each run's published progress, and is never held
// during a step. A removed task is dropped by a worker (after its turn if it is in one), never by
// the thread that removed it.
//
// Determinism: a job is judged done by Engine::done(rules) before every step, whichever thread
// steps it, and nothing a worker does between steps changes the training state (metrics reads
// never do). So each job's parameters equal those of its engine stepped alone by the same rules,
// whatever the number of threads, the slice length or the interleaving (tests/test_pool.cpp);
// tasks keep their own guarantees (Trainer, Lockstep).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
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
#include "train/snapshot.hpp"

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

// A run driven by its owner (Trainer, Lockstep): the pool calls turn() on one worker at a time.
class PoolTask {
 public:
  using Clock = std::chrono::steady_clock;
  // When the task wants its next turn.
  struct Next {
    enum class Kind { Again, Sleep, Idle };
    Kind kind = Kind::Idle;
    Clock::time_point until{};  // Sleep: due then (or when woken earlier)
    static Next again() { return {Kind::Again, {}}; }
    static Next sleep(Clock::time_point t) { return {Kind::Sleep, t}; }
    static Next idle() { return {Kind::Idle, {}}; }  // until woken
  };
  virtual ~PoolTask() = default;
  // One turn: apply what the owner posted, step for a few milliseconds at most, publish.
  virtual Next turn() = 0;
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

  // A task: its first turn is queued at once. Starts a worker if fewer than Options::threads run.
  RunId add_task(std::shared_ptr<PoolTask> task);
  // Why a task is woken. Urgent: its owner posted a command (a click in the window): its next turn
  // is the next one given (it goes to the front of the queue, whether it was waiting or queued;
  // during its turn, another follows at once). Limit: its owner raised a limit it may be waiting
  // at (a Lockstep target, a Trainer's step ceiling, raised every frame while comparing): a
  // waiting task is queued at the back like any run, a queued one keeps its place, so runs that
  // follow one another never crowd the others (a sweep's cells) out.
  enum class Wake { Urgent, Limit };
  // Never waits; unknown or removed ids are ignored.
  void wake(RunId id, Wake why = Wake::Urgent);
  // No more turns: the pool drops its reference on a worker (after the turn in progress, if any),
  // and the run's entry goes. Never waits.
  void remove_task(RunId id);

  // Copies of what each run published last (tasks publish none); never waits for a step.
  std::vector<PoolProgress> progress() const;
  PoolProgress progress(RunId id) const;
  // The newest snapshot of a run (published every snapshot_interval while it trains, and when it
  // is done); never waits for a step.
  std::shared_ptr<const Snapshot> snapshot(RunId id) const;

  // Stops a run at its next step (a queued one at once); cancelled runs are done. Never waits.
  void cancel(RunId id);
  void cancel_all();
  // Blocks until every job added so far is done (tasks never are).
  void wait();
  // Blocks until these jobs are done (at most a slice after cancel()).
  void wait(const std::vector<RunId>& ids);
  // Cancels these jobs, waits for them, and frees them: their engines, snapshots and entries (a
  // sweep closed on a pool that others go on using). Their ids are then unknown.
  void forget(const std::vector<RunId>& ids);
  bool all_done() const;
  // The engine of a done run (its final metrics evaluated); nullptr before it is done or when
  // taken already.
  std::unique_ptr<Engine> take(RunId id);

  int max_threads() const { return options_.threads; }
  int threads_started() const;
  std::size_t size() const;

 private:
  struct Run {
    std::shared_ptr<PoolTask> task;  // a task (null once removed); else a job:
    std::unique_ptr<Engine> engine;  // held by a worker during a slice (held == true)
    StopRules rules;
    std::atomic<bool> cancel{false};
    bool held = false;               // guarded by mutex_
    bool queued = false;             // guarded by mutex_
    bool sleeping = false;           // guarded by mutex_: a task in sleepers_, due at `due`
    bool woken = false;              // guarded by mutex_: woken (Urgent) during its turn: another follows first
    bool limit_raised = false;       // guarded by mutex_: woken (Limit) during its turn: another follows
    bool removed = false;            // guarded by mutex_: a task removed during its turn
    std::chrono::steady_clock::time_point due{};  // guarded by mutex_
    PoolProgress progress;           // guarded by mutex_
    SnapshotSlot snapshot;
    std::uint64_t version = 0;       // worker only
    std::chrono::steady_clock::time_point last_snapshot{};  // worker only
  };
  void work();
  void start_workers();  // mutex_ held: up to Options::threads, at most one per run
  void turn_task(RunId id, Run& r, std::shared_ptr<PoolTask> task);  // a task's turn, then its place
  static PoolProgress progress_of(const Engine& e);

  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable work_;  // a run was queued, or quit
  std::condition_variable idle_;  // a run became done
  // Guarded by mutex_ (the vector; a Run stays put until its entry goes: null once a task is
  // removed or a job forgotten, its id never reused).
  std::vector<std::unique_ptr<Run>> runs_;
  Run* find(RunId id) const { return id < runs_.size() ? runs_[id].get() : nullptr; }  // mutex_ held
  std::deque<RunId> queue_;       // guarded by mutex_: runs waiting for a slice, front first
  std::vector<RunId> sleepers_;   // guarded by mutex_: tasks waiting for a time
  std::vector<std::shared_ptr<PoolTask>> graveyard_;  // guarded by mutex_: removed, freed by a worker
  std::size_t active_ = 0;        // guarded by mutex_: runs not done
  bool quit_ = false;             // guarded by mutex_
  std::vector<std::thread> workers_;
};

}  // namespace mlpviz::train
