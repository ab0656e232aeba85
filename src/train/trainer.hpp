// trainer.hpp: one interactive training run (the window's network, a CLI's run): play, pause,
// single steps, a pace, a step ceiling, snapshots for the views.
//
// A Trainer is a task on a train::Pool (pool.hpp): the pool's workers give it turns of a few
// milliseconds, shared fairly with every other run of the process (compared networks, a sweep's
// cells); it has no thread of its own. Made without a pool, it gets a pool of its own with one
// worker (the command line, tests).
//
// Thread ownership: the Engine belongs to whichever worker runs the trainer's turn, one at a time.
// Other threads talk to it in two ways only:
//   post()      appends commands to an inbox (a short mutex-guarded append) and wakes the task;
//               its next turn swaps the inbox out before any step and applies it unlocked.
//   snapshot()  copies the newest published shared_ptr<const Snapshot> out of a SnapshotSlot:
//               never waits for a step, and the trainer never waits for readers.
// Snapshots go out about 90 times a second while training, and after every step when training is
// slower than that.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "train/commands.hpp"
#include "train/engine.hpp"
#include "train/pool.hpp"
#include "train/snapshot.hpp"

namespace mlpviz::train {

class Trainer {
 public:
  // Takes the engine over and starts it on a pool of its own (one worker thread); the first
  // snapshot is available on return.
  explicit Trainer(std::unique_ptr<Engine> engine);
  // The same, as one of `pool`'s runs (the window's pool: every run of the window shares it).
  Trainer(std::unique_ptr<Engine> engine, std::shared_ptr<Pool> pool);
  // The run leaves its pool: a turn in progress ends within its slice (about 8 ms) and the engine
  // is freed by the pool's worker. A pool of its own is joined here.
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  void post(Command c);
  void post(std::vector<Command> cs);
  std::shared_ptr<const Snapshot> snapshot() const;
  // While running (not for single steps), the run waits at this step count until the ceiling is
  // raised: the window keeps the main run at most a few steps ahead of its compared runs
  // (lockstep at full speed). kNoCeiling: no limit (the default). Never waits itself.
  static constexpr std::int64_t kNoCeiling = INT64_MAX;
  void set_step_ceiling(std::int64_t step);
  std::int64_t step_ceiling() const;
  // Commands posted so far that the trainer has applied (for tests and "applying..." displays).
  std::uint64_t commands_posted() const;
  std::uint64_t commands_applied() const;

  static constexpr double kPublishInterval = 1.0 / 90.0;  // seconds
  static constexpr double kSliceSeconds = 0.008;          // one turn's steps at most

 private:
  class Task;  // trainer.cpp: the engine, the inbox and the pace's state; the pool's PoolTask
  std::shared_ptr<Pool> pool_;
  std::shared_ptr<Task> task_;
  Pool::RunId id_ = 0;
};

}  // namespace mlpviz::train
