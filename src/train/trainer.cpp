#include "train/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

namespace mlpviz::train {

using Clock = std::chrono::steady_clock;

namespace {
Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}
double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}
}  // namespace

// The run as the pool sees it. Everything below `mutex` is touched by the turn alone (one worker
// at a time), except the atomics.
class Trainer::Task : public PoolTask {
 public:
  explicit Task(std::unique_ptr<Engine> e) : engine(std::move(e)) { publish(); }
  Next turn() override;
  void publish() { snapshot.store(engine->make_snapshot(++version)); }

  std::mutex mutex;
  std::vector<Command> inbox;  // guarded by mutex
  std::atomic<std::uint64_t> posted{0};
  std::atomic<std::uint64_t> applied{0};
  std::atomic<std::int64_t> ceiling{kNoCeiling};
  SnapshotSlot snapshot;

 private:
  std::unique_ptr<Engine> engine;
  std::uint64_t version = 0;
  std::vector<Command> commands;
  Clock::time_point next_publish = Clock::now();
  Clock::time_point next_metrics = Clock::now();
  double metrics_cost = 0.0;  // seconds per metrics evaluation (measured)
  // Rate limiting: steps due since `anchor` at the requested speed.
  Clock::time_point anchor = Clock::now();
  std::int64_t steps_since_anchor = 0;
  double anchored_speed = -1.0;
  // Throughput window.
  Clock::time_point window_start = Clock::now();
  std::int64_t window_samples = 0;
  std::int64_t window_steps = 0;     // steps taken in the window at full speed or a pace
  double window_step_seconds = 0.0;  // time those steps took (the rest: waiting, metrics, others' turns)
  double window_held_seconds = 0.0;  // time held at the step ceiling (not the machine's speed)
  std::optional<Clock::time_point> held_from;  // the last turn ended at the ceiling
  bool waited = true;  // the last turn ended idle (paused, finished...) or refused to step
};

PoolTask::Next Trainer::Task::turn() {
  Engine& e = *engine;
  if (waited) {
    // Back from a wait of any length (a pause, a stop, no data): the pace and the throughput are
    // measured from now, never over the wait (a figure divided by a pause's seconds, a burst of
    // steps "due" during it).
    const auto now = Clock::now();
    anchor = window_start = now;
    steps_since_anchor = window_steps = window_samples = 0;
    window_step_seconds = window_held_seconds = 0.0;
    held_from.reset();
    waited = false;
  }
  if (held_from) {
    window_held_seconds += seconds_between(*held_from, Clock::now());
    held_from.reset();
  }
  commands.clear();
  {
    std::lock_guard lock(mutex);
    commands.swap(inbox);
  }
  bool changed = false;
  for (const Command& c : commands) {
    (void)e.apply(c);  // a rejected command's error becomes the engine's message
    changed = true;
  }
  if (!commands.empty()) applied.fetch_add(commands.size());

  // ---- steps ----
  const auto slice_end = Clock::now() + seconds(kSliceSeconds);
  const double speed = e.settings().steps_per_second;
  if (speed != anchored_speed || e.state() != RunState::Running) {
    anchor = Clock::now();
    steps_since_anchor = 0;
    anchored_speed = speed;
  }
  std::int64_t taken = 0;
  bool stepped_slowly = false;
  bool refused = false;  // step() took no step (no data, diverged)
  Next next = Next::again();
  if (e.pending_steps() > 0) {
    while (e.pending_steps() > 0 && Clock::now() < slice_end) {
      e.consume_pending_step();
      if (!e.step()) break;
      ++taken;
    }
    changed = true;
  } else if (e.state() == RunState::Running) {
    std::int64_t allowed = INT64_MAX;
    const std::int64_t ceil = ceiling.load();
    if (speed > 0.0) {
      const double elapsed = seconds_between(anchor, Clock::now());
      std::int64_t due = static_cast<std::int64_t>(elapsed * speed) - steps_since_anchor;
      if (due > speed * 0.25 + 1) {  // fell behind (machine too slow): do not burst to catch up
        anchor = Clock::now();
        steps_since_anchor = 0;
        due = 1;
      }
      allowed = std::max<std::int64_t>(due, 0);
      stepped_slowly = speed < 90.0;
    }
    if (ceil != kNoCeiling) allowed = std::min(allowed, std::max<std::int64_t>(ceil - e.step_count(), 0));
    const auto steps_start = Clock::now();
    while (taken < allowed) {
      if (!e.step()) {
        refused = true;
        break;
      }
      ++taken;
      if (e.stop_rule_met()) break;
      if ((taken & 7) == 0 && Clock::now() >= slice_end) break;
    }
    if (taken > 0 && e.step_count() >= ceil) changed = true;  // held from now on: show where
    steps_since_anchor += taken;
    window_steps += taken;
    window_step_seconds += seconds_between(steps_start, Clock::now());
    if (e.step_count() >= ceil) {
      // Held at the ceiling: the next turn comes when it rises (set_step_ceiling wakes the task)
      // or a command arrives; the time held is left out of the full-speed estimate.
      held_from = Clock::now();
      next = Next::sleep(Clock::now() + std::chrono::milliseconds(20));
    } else if (taken == 0 && speed > 0.0 && !refused) {
      // Nothing due yet: the next turn when the next step is, unless a command comes first.
      const double wait_s = (steps_since_anchor + 1) / speed - seconds_between(anchor, Clock::now());
      next = Next::sleep(Clock::now() + seconds(std::clamp(wait_s, 0.0, 0.05)));
    } else if (refused && taken == 0) {
      next = Next::sleep(Clock::now() + std::chrono::milliseconds(50));  // until a command changes it
    }
  }
  if (taken > 0) {
    window_samples += taken * e.effective_batch();
    if (e.finish_if_done() != StopReason::NotDone) changed = true;
  }
  if (e.state() == RunState::Diverged) changed = true;

  // ---- publication ----
  const auto now = Clock::now();
  const double window = seconds_between(window_start, now);
  if (window >= 0.5) {
    e.samples_per_second = window_samples / window;
    // Full speed: what the window reached, publication, metrics and other runs' turns included,
    // less the time held at the step ceiling (waiting for compared runs says nothing of the
    // machine). A pace: the steps' own time (an upper bound of the full-speed rate, which pays for
    // those as well).
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
      metrics_cost = seconds_between(t0, Clock::now());
      next_metrics = Clock::now() + seconds(4.0 * metrics_cost);
      (void)e.finish_if_done();  // a target loss is judged on fresh metrics
    }
    publish();
    next_publish = now + seconds(kPublishInterval);
  }
  if (e.pending_steps() > 0) return Next::again();
  if (e.state() != RunState::Running) {
    waited = true;
    return Next::idle();  // paused, finished or diverged: until a command
  }
  if (refused && taken == 0) waited = true;
  return next;
}

Trainer::Trainer(std::unique_ptr<Engine> engine) : Trainer(std::move(engine), nullptr) {}

Trainer::Trainer(std::unique_ptr<Engine> engine, std::shared_ptr<Pool> pool) : pool_(std::move(pool)) {
  if (!pool_) {
    Pool::Options o;
    o.threads = 1;
    pool_ = std::make_shared<Pool>(o);
  }
  task_ = std::make_shared<Task>(std::move(engine));
  id_ = pool_->add_task(task_);
}

Trainer::~Trainer() {
  task_.reset();  // the pool's reference is the last: the engine is freed on a worker
  pool_->remove_task(id_);
  pool_.reset();  // a pool of its own: joins its worker
}

void Trainer::post(Command c) {
  std::vector<Command> cs;
  cs.push_back(std::move(c));
  post(std::move(cs));
}

void Trainer::post(std::vector<Command> cs) {
  {
    std::lock_guard lock(task_->mutex);
    for (auto& c : cs) task_->inbox.push_back(std::move(c));
    task_->posted.fetch_add(cs.size());
  }
  pool_->wake(id_);
}

std::shared_ptr<const Snapshot> Trainer::snapshot() const { return task_->snapshot.load(); }

void Trainer::set_step_ceiling(std::int64_t step) {
  const std::int64_t before = task_->ceiling.exchange(step);
  if (step > before) pool_->wake(id_, Pool::Wake::Limit);
}

std::int64_t Trainer::step_ceiling() const { return task_->ceiling.load(); }
std::uint64_t Trainer::commands_posted() const { return task_->posted.load(); }
std::uint64_t Trainer::commands_applied() const { return task_->applied.load(); }

}  // namespace mlpviz::train
