// lockstep.hpp: compared runs stepped to a target step, as runs of a train::Pool.
//
// The window's "Compare" keeps the main network on its Trainer and every compared network here:
// the UI sets the target to the main run's published step each frame, and each compared run is
// stepped up to it in short turns on the pool's workers (the same pool as the main run's in the
// window), so they all train the same number of steps as the main run (they follow it: pausing,
// stepping and the pace are the main run's). No network has a thread of its own: the window keeps
// its core. Made without a pool, a Lockstep has a pool of its own with one worker.
//
// Thread ownership: an Engine belongs to whichever worker runs its turn, one at a time, from add()
// until remove() (after which a worker frees it, never the UI's thread). The UI talks to a run as
// to a Trainer: post() appends commands to the run's inbox (swapped out at the start of a turn,
// applied in order before its steps), snapshot() copies the newest published
// shared_ptr<const Snapshot> (SnapshotSlot). The mutexes guard the run list and the inboxes, never
// a step.
//
// Determinism: a run changes only by its commands and Engine::step(); reading metrics and making
// snapshots never change the training state. So a run stepped to N with no commands in between
// has the parameters of its engine stepped N times alone, bit for bit, whatever the turns, the
// other runs or how often the target moved (tests/test_lockstep.cpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "train/commands.hpp"
#include "train/engine.hpp"
#include "train/snapshot.hpp"
#include "train/pool.hpp"
#include "train/session.hpp"

namespace mlpviz::train {

class Lockstep {
 public:
  using RunId = std::uint64_t;  // from 1, never reused

  Lockstep();  // on a pool of its own (one worker)
  explicit Lockstep(std::shared_ptr<Pool> pool);
  ~Lockstep();  // every run leaves the pool (a worker frees the engines); a pool of its own is joined
  Lockstep(const Lockstep&) = delete;
  Lockstep& operator=(const Lockstep&) = delete;

  // Takes the engine over (any state: the target, not the engine's play state, says when it
  // steps); its first snapshot is available on return.
  RunId add(std::unique_ptr<Engine> engine);
  // The run goes: its engine is freed by a worker of the pool. Unknown ids are ignored.
  void remove(RunId id);
  void post(RunId id, Command c);
  void post(RunId id, std::vector<Command> cs);
  // Every run is stepped until its step count reaches `step` (a run ahead of it waits).
  void set_target(std::int64_t step);
  std::int64_t target() const;
  // The newest snapshot of a run (null for an unknown id); never waits for a step.
  std::shared_ptr<const Snapshot> snapshot(RunId id) const;
  std::size_t size() const;

  // The main run's commands its compared runs take too, so that they stay on its data and seeds:
  // point edits and undo, new data or points, resets and the weight seed.
  static bool shared_with_compared(const Command& c);

  static constexpr double kPublishInterval = 1.0 / 30.0;  // seconds, while a run steps
  static constexpr double kSliceSeconds = 0.004;          // a run's turn before the next one's

 private:
  class Run;  // lockstep.cpp: the pool's task for one compared run
  struct Entry {
    RunId id = 0;
    Pool::RunId task = 0;
    std::shared_ptr<Run> run;
  };
  std::shared_ptr<Pool> pool_;
  std::shared_ptr<std::atomic<std::int64_t>> target_;  // read by every run's turn
  mutable std::mutex mutex_;
  std::vector<Entry> runs_;  // guarded by mutex_
  RunId next_id_ = 1;        // guarded by mutex_
};

// A session's compared runs as engines on the main run's data: built, and so checked, before
// anything is replaced. Throws std::invalid_argument naming the run ("compared[1]: ...") when an
// engine refuses its settings, parameters or progress.
std::vector<std::unique_ptr<Engine>> compared_engines(const Session& s, const core::Dataset& data);

// A session's compared runs brought to the main run's step `step`, as the window's lockstep does
// (each engine stepped alone: the same parameters, bit for bit): what `mlpviz train --save` writes
// beside the trained main run, so a session's comparison is never dropped. A run that diverges or
// cannot step stays where it stopped; one already at or past `step` is kept as it is. Throws as
// compared_engines().
std::vector<ComparedRunSave> compared_at_step(const Session& s, const core::Dataset& data, std::int64_t step);

}  // namespace mlpviz::train
