// trainer.hpp: the training thread.
//
// Thread ownership: the Engine belongs to the trainer's thread alone. Other threads talk to it in
// two ways only:
//   post()      appends commands to an inbox (a short mutex-guarded append); the thread swaps the
//               inbox out between steps and applies it unlocked.
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
#include <thread>
#include <vector>

#include "train/commands.hpp"
#include "train/engine.hpp"
#include "train/snapshot.hpp"

namespace mlpviz::train {

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

class Trainer {
 public:
  // Takes the engine over and starts the thread; the first snapshot is available on return.
  explicit Trainer(std::unique_ptr<Engine> engine);
  ~Trainer();  // asks the thread to stop and joins it
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  void post(Command c);
  void post(std::vector<Command> cs);
  std::shared_ptr<const Snapshot> snapshot() const { return snapshot_.load(); }
  // While running (not for single steps), the run waits at this step count until the ceiling is
  // raised: the window keeps the main run at most a few steps ahead of its compared runs
  // (lockstep at full speed). kNoCeiling: no limit (the default). Never waits itself.
  static constexpr std::int64_t kNoCeiling = INT64_MAX;
  void set_step_ceiling(std::int64_t step);
  std::int64_t step_ceiling() const { return ceiling_.load(); }
  // Commands posted so far that the thread has applied (for tests and "applying..." displays).
  std::uint64_t commands_posted() const { return posted_.load(); }
  std::uint64_t commands_applied() const { return applied_.load(); }

  static constexpr double kPublishInterval = 1.0 / 90.0;  // seconds

 private:
  void run();
  void publish();

  std::unique_ptr<Engine> engine_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Command> inbox_;  // guarded by mutex_
  bool quit_ = false;           // guarded by mutex_
  std::atomic<std::uint64_t> posted_{0};
  std::atomic<std::uint64_t> applied_{0};
  std::atomic<std::int64_t> ceiling_{kNoCeiling};
  SnapshotSlot snapshot_;
  std::uint64_t version_ = 0;
  std::thread thread_;
};

}  // namespace mlpviz::train
