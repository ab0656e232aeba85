// lockstep.hpp: compared runs stepped to a target step on one thread of their own.
//
// The window's "Compare" keeps the main network on its Trainer and every compared network here:
// the UI sets the target to the main run's published step each frame, and the thread steps each
// compared run up to it, round robin in short slices, so they all train the same number of steps
// as the main run (they follow it: pausing, stepping and the pace are the main run's). One thread
// for all of them, never one per network: the window keeps its core.
//
// Thread ownership: an Engine belongs to the lockstep's thread from add() until remove() (which
// frees it on that thread, never on the UI's). The UI talks to a run as to a Trainer: post()
// appends commands to the run's inbox (swapped out between slices, applied in order between
// steps), snapshot() copies the newest published shared_ptr<const Snapshot> (SnapshotSlot). The
// mutex guards the run list, the inboxes and the target, never a step.
//
// Determinism: a run changes only by its commands and Engine::step(); reading metrics and making
// snapshots never change the training state. So a run stepped to N with no commands in between
// has the parameters of its engine stepped N times alone, bit for bit, whatever the slices, the
// other runs or how often the target moved (tests/test_lockstep.cpp).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "train/commands.hpp"
#include "train/engine.hpp"
#include "train/snapshot.hpp"
#include "train/trainer.hpp"

namespace mlpviz::train {

class Lockstep {
 public:
  using RunId = std::uint64_t;  // from 1, never reused

  Lockstep();
  ~Lockstep();  // stops the thread at its next step and joins it; frees the engines
  Lockstep(const Lockstep&) = delete;
  Lockstep& operator=(const Lockstep&) = delete;

  // Takes the engine over (any state: the target, not the engine's play state, says when it
  // steps); its first snapshot is available on return.
  RunId add(std::unique_ptr<Engine> engine);
  // The run goes: its engine is freed on the lockstep's thread. Unknown ids are ignored.
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
  struct Run {
    RunId id = 0;
    std::unique_ptr<Engine> engine;  // the thread's alone
    std::vector<Command> inbox;      // guarded by mutex_
    SnapshotSlot snapshot;
    std::uint64_t version = 0;       // thread only
    bool stuck = false;              // thread only: step() refused (no data, diverged) until a command
    std::chrono::steady_clock::time_point next_publish{};  // thread only
  };
  void loop();
  static void publish(Run& r);

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool quit_ = false;                          // guarded by mutex_
  std::int64_t target_ = 0;                    // guarded by mutex_
  std::uint64_t serial_ = 0;                   // guarded by mutex_: bumped by every change
  std::vector<std::shared_ptr<Run>> runs_;     // guarded by mutex_ (the list; a Run's inbox too)
  std::vector<std::shared_ptr<Run>> removed_;  // guarded by mutex_: freed by the thread
  RunId next_id_ = 1;
  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace mlpviz::train
