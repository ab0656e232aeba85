// snapshot.hpp: what the trainer publishes: an immutable copy of everything a view needs.
//
// Readers hold a shared_ptr<const Snapshot>; nothing in it ever changes after publication, so any
// thread may read it at leisure while the trainer goes on.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/data.hpp"
#include "core/metrics.hpp"
#include "core/mlp.hpp"
#include "train/settings.hpp"

namespace mlpviz::train {

enum class RunState : std::uint8_t {
  Paused,    // waiting for play or step
  Running,   // stepping continuously
  Finished,  // a stopping rule was met (play continues past it)
  Diverged,  // NaN/Inf or a loss explosion (see Engine::step()): parameters are the last good
             // ones; reset or change settings, then play
};
const char* name(RunState s);

// One logged point of the run. Points are logged by step, every step early and geometrically
// spaced later (kHistoryEarlyRatio in engine.hpp), so that any run has a few hundred points and
// its first steps are never thinned away.
struct HistoryPoint {
  std::int64_t step = 0;
  double epoch = 0.0;
  float train_loss = 0, test_loss = 0, train_accuracy = 0, test_accuracy = 0;
  int dead_units = 0;
  float saturated_fraction = 0;
  std::array<float, core::kMaxHiddenLayers + 1> grad_norm{};  // per layer 1..L
};

// Where a run stands, as a session saves it: the step and epoch counters and the logged curves
// (steps strictly increasing, none past `step`). An engine started from it goes on from there.
struct RunProgress {
  std::int64_t step = 0;
  std::int64_t epoch = 0;
  std::vector<HistoryPoint> history;
};

// Past parameters for the replay slider.
struct TimelineFrame {
  std::int64_t step = 0;
  double epoch = 0.0;
  core::Params params;
};

struct Snapshot {
  std::uint64_t version = 0;     // increases with every publication
  std::uint64_t generation = 0;  // increases when the network is rebuilt or re-initialized
  std::uint64_t data_version = 0;  // increases when the points change
  Settings settings;
  core::Layout layout;
  core::Params params;           // flat buffer, see core/mlp.hpp
  core::Params gradient;         // full-batch dL/dparams at metrics_step (for hover displays)
  std::shared_ptr<const core::Dataset> data;
  std::int64_t step = 0;         // optimizer steps since the last reset
  std::int64_t epoch = 0;        // completed passes over the training set
  double epoch_progress = 0.0;   // fraction of the current epoch done
  core::Metrics metrics;         // computed on the published parameters unless metrics_step < step
  std::int64_t metrics_step = 0;
  std::vector<HistoryPoint> history;
  std::int64_t history_stride = 1;  // steps from the newest logged point to the next
  std::vector<std::shared_ptr<const TimelineFrame>> timeline;
  RunState state = RunState::Paused;
  std::string message;           // last notice for the status bar ("diverged at step N: ...")
  bool message_is_warning = false;  // a refused command, no data, or resumed where it diverged
  double samples_per_second = 0.0;
  // Steps per second this machine reaches at full speed with the current network and batch
  // (0 until measured): at full speed the measured rate, at a set pace the time the steps took.
  double full_speed_steps_per_second = 0.0;
  int effective_batch = 0;       // batch size actually used (clamped to the training set)
  int point_undo_depth = 0;      // point edits cmd::UndoPoints can undo
};

// The newest published snapshot. The mutex guards only a shared_ptr copy (a reference-count
// increment), never a step or an allocation; the replaced snapshot is released after the lock.
// (libstdc++ 12's std::atomic<shared_ptr> is itself a spin lock that ThreadSanitizer cannot see,
// so this explicit one keeps the concurrency tests checkable.)
class SnapshotSlot {
 public:
  std::shared_ptr<const Snapshot> load() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  void store(std::shared_ptr<const Snapshot> s) {
    {
      std::lock_guard lock(mutex_);
      current_.swap(s);
    }
    // s (the previous snapshot) is released here, outside the lock.
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> current_;
};

}  // namespace mlpviz::train
