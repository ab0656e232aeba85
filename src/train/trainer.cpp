#include "train/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace mlpviz::train {

using Clock = std::chrono::steady_clock;

Trainer::Trainer(std::unique_ptr<Engine> engine) : engine_(std::move(engine)) {
  publish();
  thread_ = std::thread([this] { run(); });
}

Trainer::~Trainer() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Trainer::post(Command c) {
  {
    std::lock_guard lock(mutex_);
    inbox_.push_back(std::move(c));
    posted_.fetch_add(1);
  }
  wake_.notify_one();
}

void Trainer::post(std::vector<Command> cs) {
  {
    std::lock_guard lock(mutex_);
    for (auto& c : cs) inbox_.push_back(std::move(c));
    posted_.fetch_add(cs.size());
  }
  wake_.notify_one();
}

void Trainer::set_step_ceiling(std::int64_t step) {
  const std::int64_t before = ceiling_.exchange(step);
  if (step > before) {
    // Taken under the mutex so that a thread about to wait sees the new ceiling or the wake.
    { std::lock_guard lock(mutex_); }
    wake_.notify_one();
  }
}

void Trainer::publish() { snapshot_.store(engine_->make_snapshot(++version_)); }

void Trainer::run() {
  Engine& e = *engine_;
  const auto publish_every = std::chrono::duration<double>(kPublishInterval);
  auto next_publish = Clock::now();
  auto next_metrics = Clock::now();
  double metrics_cost = 0.0;  // seconds per metrics evaluation (measured)
  // Rate limiting: steps due since `anchor` at the requested speed.
  auto anchor = Clock::now();
  std::int64_t steps_since_anchor = 0;
  double anchored_speed = -1.0;
  // Throughput window.
  auto window_start = Clock::now();
  std::int64_t window_samples = 0;
  std::int64_t window_steps = 0;       // steps taken in the window at full speed or a pace
  double window_step_seconds = 0.0;    // time those steps took (the rest: sleeping, metrics)
  double window_held_seconds = 0.0;    // time held at the step ceiling (not the machine's speed)
  std::vector<Command> commands;

  for (;;) {
    commands.clear();
    {
      std::unique_lock lock(mutex_);
      const bool busy = e.state() == RunState::Running || e.pending_steps() > 0;
      if (!busy && inbox_.empty() && !quit_) wake_.wait_for(lock, std::chrono::milliseconds(100));
      if (quit_) break;
      commands.swap(inbox_);
    }
    bool changed = false;
    for (const Command& c : commands) {
      (void)e.apply(c);  // a rejected command's error becomes the engine's message
      changed = true;
    }
    if (!commands.empty()) applied_.fetch_add(commands.size());

    // ---- steps ----
    const auto slice_end = Clock::now() + std::chrono::milliseconds(8);
    const double speed = e.settings().steps_per_second;
    if (speed != anchored_speed || e.state() != RunState::Running) {
      anchor = Clock::now();
      steps_since_anchor = 0;
      anchored_speed = speed;
    }
    std::int64_t taken = 0;
    bool stepped_slowly = false;
    if (e.pending_steps() > 0) {
      while (e.pending_steps() > 0 && Clock::now() < slice_end) {
        e.consume_pending_step();
        if (!e.step()) break;
        ++taken;
      }
      changed = true;
    } else if (e.state() == RunState::Running) {
      std::int64_t allowed = INT64_MAX;
      const std::int64_t ceiling = ceiling_.load();
      if (speed > 0.0) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - anchor).count();
        std::int64_t due = static_cast<std::int64_t>(elapsed * speed) - steps_since_anchor;
        if (due > speed * 0.25 + 1) {  // fell behind (machine too slow): do not burst to catch up
          anchor = Clock::now();
          steps_since_anchor = 0;
          due = 1;
        }
        allowed = std::max<std::int64_t>(due, 0);
        stepped_slowly = speed < 90.0;
      }
      const bool at_ceiling = e.step_count() >= ceiling;
      if (ceiling != kNoCeiling) allowed = std::min(allowed, std::max<std::int64_t>(ceiling - e.step_count(), 0));
      const auto steps_start = Clock::now();
      while (taken < allowed) {
        if (!e.step()) break;
        ++taken;
        if (e.stop_rule_met()) break;
        if ((taken & 7) == 0 && Clock::now() >= slice_end) break;
      }
      if (taken > 0 && e.step_count() >= ceiling) changed = true;  // held from now on: show where
      steps_since_anchor += taken;
      window_steps += taken;
      window_step_seconds += std::chrono::duration<double>(Clock::now() - steps_start).count();
      if (at_ceiling) {
        // Held at the ceiling: wait for it to rise (set_step_ceiling wakes us) or a command.
        const auto held_from = Clock::now();
        std::unique_lock lock(mutex_);
        if (inbox_.empty() && !quit_ && e.step_count() >= ceiling_.load())
          wake_.wait_for(lock, std::chrono::milliseconds(20));
        window_held_seconds += std::chrono::duration<double>(Clock::now() - held_from).count();
      } else if (taken == 0 && speed > 0.0 && e.state() == RunState::Running) {
        // Nothing due yet: sleep until the next step is, unless a command arrives.
        const double wait_s = (steps_since_anchor + 1) / speed -
                              std::chrono::duration<double>(Clock::now() - anchor).count();
        std::unique_lock lock(mutex_);
        if (inbox_.empty() && !quit_ && wait_s > 0)
          wake_.wait_for(lock, std::chrono::duration<double>(std::min(wait_s, 0.05)));
      }
    }
    if (taken > 0) {
      window_samples += taken * e.effective_batch();
      if (e.finish_if_done() != StopReason::NotDone) changed = true;
    }
    if (e.state() == RunState::Diverged) changed = true;

    // ---- publication ----
    const auto now = Clock::now();
    const double window = std::chrono::duration<double>(now - window_start).count();
    if (window >= 0.5) {
      e.samples_per_second = window_samples / window;
      // Full speed: what the window reached, publication and metrics included, less the time held
      // at the step ceiling (waiting for compared runs says nothing of the machine). A pace: the
      // steps' own time (an upper bound of the full-speed rate, which pays for those as well).
      if (window_steps > 0 && e.state() == RunState::Running)
        e.full_speed_steps_per_second = speed <= 0.0 ? window_steps / std::max(window - window_held_seconds, 1e-3)
                                                     : window_steps / std::max(window_step_seconds, 1e-9);
      window_steps = 0;
      window_step_seconds = 0.0;
      window_held_seconds = 0.0;
      window_samples = 0;
      window_start = now;
    }
    if (e.state() != RunState::Running && e.pending_steps() == 0) e.samples_per_second = 0.0;
    const bool slow_step = stepped_slowly && taken > 0;
    if (changed || slow_step || (taken > 0 && now >= next_publish)) {
      // Metrics cost grows with data and width: keep them under about a fifth of the trainer's time.
      if (changed || slow_step || now >= next_metrics) {
        const auto t0 = Clock::now();
        e.update_metrics();
        metrics_cost = std::chrono::duration<double>(Clock::now() - t0).count();
        next_metrics = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(4.0 * metrics_cost));
        (void)e.finish_if_done();  // a target loss is judged on fresh metrics
      }
      publish();
      next_publish = now + std::chrono::duration_cast<Clock::duration>(publish_every);
    }
  }
}

}  // namespace mlpviz::train
