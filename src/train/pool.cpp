#include "train/pool.hpp"

#include <algorithm>

namespace mlpviz::train {

using Clock = std::chrono::steady_clock;

int Pool::default_threads() {
  const int hw = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, hw - 1);
}

Pool::Pool(Options options) : options_(std::move(options)) {
  options_.threads = std::clamp(options_.threads, 1, 256);
  options_.slice_steps = std::max(1, options_.slice_steps);
}

Pool::~Pool() {
  {
    std::lock_guard lock(mutex_);
    for (auto& r : runs_)
      if (r) r->cancel.store(true);
    quit_ = true;
  }
  work_.notify_all();
  for (std::thread& t : workers_) t.join();
}

std::vector<Pool::RunId> Pool::add(std::vector<Job> jobs) {
  std::vector<RunId> ids;
  // Built outside the lock: the first snapshot copies the engine's state.
  std::vector<std::unique_ptr<Run>> fresh;
  for (Job& j : jobs) {
    auto r = std::make_unique<Run>();
    r->rules = j.rules;
    r->engine = std::move(j.engine);
    if (r->engine->state() != RunState::Diverged) r->engine->set_state(RunState::Running);
    r->progress = progress_of(*r->engine);
    r->snapshot.store(r->engine->make_snapshot(++r->version));
    r->last_snapshot = Clock::now();
    fresh.push_back(std::move(r));
  }
  {
    std::lock_guard lock(mutex_);
    for (auto& r : fresh) {
      ids.push_back(runs_.size());
      queue_.push_back(runs_.size());
      r->queued = true;
      runs_.push_back(std::move(r));
      ++active_;
    }
    start_workers();
  }
  work_.notify_all();
  return ids;
}

void Pool::start_workers() {
  const std::size_t wanted = std::min<std::size_t>(options_.threads, runs_.size());
  while (workers_.size() < wanted) workers_.emplace_back([this] { work(); });
}

Pool::RunId Pool::add_task(std::shared_ptr<PoolTask> task) {
  auto r = std::make_unique<Run>();
  r->task = std::move(task);
  RunId id = 0;
  {
    std::lock_guard lock(mutex_);
    id = runs_.size();
    r->queued = true;
    runs_.push_back(std::move(r));
    queue_.push_back(id);
    start_workers();
  }
  work_.notify_one();
  return id;
}

void Pool::wake(RunId id, Wake why) {
  const bool urgent = why == Wake::Urgent;
  {
    std::lock_guard lock(mutex_);
    Run* r = find(id);
    if (!r || !r->task || r->removed) return;
    if (r->queued) {  // already waiting for a turn: an urgent wake makes it the next one
      auto it = std::find(queue_.begin(), queue_.end(), id);
      if (urgent && it != queue_.begin()) {
        queue_.erase(it);
        queue_.push_front(id);
      }
      return;
    }
    if (r->held) {
      (urgent ? r->woken : r->limit_raised) = true;
      return;
    }
    if (r->sleeping) {
      sleepers_.erase(std::find(sleepers_.begin(), sleepers_.end(), id));
      r->sleeping = false;
    }
    r->queued = true;
    if (urgent)
      queue_.push_front(id);
    else
      queue_.push_back(id);
  }
  work_.notify_one();
}

void Pool::remove_task(RunId id) {
  {
    std::lock_guard lock(mutex_);
    Run* r = find(id);
    if (!r || !r->task || r->removed) return;
    if (r->held) {  // the worker drops it after this turn
      r->removed = true;
      return;
    }
    if (r->queued) queue_.erase(std::find(queue_.begin(), queue_.end(), id));
    if (r->sleeping) sleepers_.erase(std::find(sleepers_.begin(), sleepers_.end(), id));
    graveyard_.push_back(std::move(r->task));
    runs_[id].reset();  // the entry goes; its id stays unknown
  }
  work_.notify_one();
}

void Pool::turn_task(RunId id, Run& r, std::shared_ptr<PoolTask> task) {
  const PoolTask::Next next = task->turn();
  std::unique_ptr<Run> gone;  // a removed task's entry, freed after the lock with `task`
  {
    std::lock_guard lock(mutex_);
    r.held = false;
    if (r.removed) {
      r.task.reset();  // the last reference goes with `task`, after the lock
      gone = std::move(runs_[id]);
    } else if (r.woken) {
      // A command came during its turn: the next turn is its own, like any urgent wake.
      queue_.push_front(id);
      r.queued = true;
    } else if (r.limit_raised || next.kind == PoolTask::Next::Kind::Again) {
      queue_.push_back(id);
      r.queued = true;
    } else if (next.kind == PoolTask::Next::Kind::Sleep) {
      r.sleeping = true;
      r.due = next.until;
      sleepers_.push_back(id);
    }
    if (!gone) r.woken = r.limit_raised = false;
  }
  work_.notify_one();  // a sleeper's time may be the earliest now
}

Pool::RunId Pool::add(Job job) {
  std::vector<Job> jobs;
  jobs.push_back(std::move(job));
  return add(std::move(jobs)).front();
}

PoolProgress Pool::progress_of(const Engine& e) {
  PoolProgress p;
  p.step = e.step_count();
  p.epoch = e.epoch();
  p.metrics = e.metrics();
  p.metrics_step = e.metrics_step();
  return p;
}

void Pool::work() {
  std::vector<std::shared_ptr<PoolTask>> graveyard;
  for (;;) {
    RunId id = 0;
    Run* r = nullptr;
    std::shared_ptr<PoolTask> task;
    {
      std::unique_lock lock(mutex_);
      for (;;) {
        if (quit_) return;
        if (!graveyard_.empty()) {  // removed tasks: freed below, outside the lock
          graveyard.swap(graveyard_);
          break;
        }
        // Sleepers whose time came go to the front.
        const auto now = Clock::now();
        auto earliest = Clock::time_point::max();
        for (std::size_t i = 0; i < sleepers_.size();) {
          Run& s = *runs_[sleepers_[i]];
          if (s.due <= now) {
            s.sleeping = false;
            s.queued = true;
            queue_.push_front(sleepers_[i]);
            sleepers_[i] = sleepers_.back();
            sleepers_.pop_back();
          } else {
            earliest = std::min(earliest, s.due);
            ++i;
          }
        }
        if (!queue_.empty()) break;
        if (earliest != Clock::time_point::max())
          work_.wait_until(lock, earliest);
        else
          work_.wait(lock);
      }
      if (graveyard.empty()) {
        id = queue_.front();
        queue_.pop_front();
        r = runs_[id].get();
        r->queued = false;
        r->held = true;
        task = r->task;
      }
    }
    if (!graveyard.empty()) {
      graveyard.clear();
      continue;
    }
    if (task) {
      turn_task(id, *r, std::move(task));
      continue;
    }
    // ---- one slice, unlocked: this thread alone holds the engine ----
    Engine& e = *r->engine;
    const auto slice_end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(options_.slice_seconds));
    StopReason reason = e.done(r->rules);
    std::int64_t taken = 0;
    while (reason == StopReason::NotDone && taken < options_.slice_steps &&
           !r->cancel.load(std::memory_order_relaxed)) {
      const bool stepped = e.step();
      reason = e.done(r->rules);
      if (!stepped) {
        if (reason == StopReason::NotDone) reason = StopReason::NoData;  // step() refused
        break;
      }
      ++taken;
      if ((taken & 7) == 0 && Clock::now() >= slice_end) break;
    }
    const bool cancelled = reason == StopReason::NotDone && r->cancel.load();
    const bool finished = reason != StopReason::NotDone || cancelled;
    if (finished) {
      e.update_metrics();  // the final figures are of the final step
      if (reason == StopReason::Steps || reason == StopReason::Epochs || reason == StopReason::TargetLoss) {
        e.set_state(RunState::Finished);
        e.set_message("stopped at step " + std::to_string(e.step_count()) + ": the " + name(reason) +
                      " limit was reached");
      } else if (e.state() == RunState::Running) {
        e.set_state(RunState::Paused);
      }
    }
    PoolProgress p = progress_of(e);
    p.reason = cancelled ? StopReason::NotDone : reason;
    p.done = finished;
    p.cancelled = cancelled;
    if (finished) p.message = e.message();
    const auto now = Clock::now();
    if (finished || std::chrono::duration<double>(now - r->last_snapshot).count() >= options_.snapshot_interval) {
      r->snapshot.store(e.make_snapshot(++r->version));
      r->last_snapshot = now;
    }
    if (options_.on_slice) options_.on_slice(id, taken);
    {
      std::lock_guard lock(mutex_);
      r->progress = std::move(p);
      r->held = false;
      if (finished) {
        --active_;
      } else {
        queue_.push_back(id);
        r->queued = true;
      }
    }
    if (finished) idle_.notify_all();
  }
}

std::vector<PoolProgress> Pool::progress() const {
  std::lock_guard lock(mutex_);
  std::vector<PoolProgress> out;
  out.reserve(runs_.size());
  for (const auto& r : runs_) out.push_back(r ? r->progress : PoolProgress{});
  return out;
}

PoolProgress Pool::progress(RunId id) const {
  std::lock_guard lock(mutex_);
  const Run* r = find(id);
  return r ? r->progress : PoolProgress{};
}

std::shared_ptr<const Snapshot> Pool::snapshot(RunId id) const {
  std::lock_guard lock(mutex_);  // the entry may go once unlocked (the slot's own lock is short)
  const Run* r = find(id);
  return r ? r->snapshot.load() : nullptr;
}

void Pool::cancel(RunId id) {
  bool now_done = false;
  {
    std::lock_guard lock(mutex_);
    if (!find(id)) return;
    Run& r = *runs_[id];
    if (r.task || r.removed) return;  // a task: its owner stops it
    r.cancel.store(true);
    if (r.queued) {  // waiting for a slice: done at once (a held run stops at its next step)
      queue_.erase(std::find(queue_.begin(), queue_.end(), id));
      r.queued = false;
      r.progress.done = true;
      r.progress.cancelled = true;
      if (r.engine->state() == RunState::Running) r.engine->set_state(RunState::Paused);
      --active_;
      now_done = true;
    }
  }
  if (now_done) idle_.notify_all();
}

void Pool::cancel_all() {
  std::size_t n = size();
  for (RunId id = 0; id < n; ++id) cancel(id);
}

void Pool::wait() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return active_ == 0; });
}

void Pool::wait(const std::vector<RunId>& ids) {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] {
    for (RunId id : ids)
      if (const Run* r = find(id); r && !r->task && !r->removed && !r->progress.done) return false;
    return true;
  });
}

void Pool::forget(const std::vector<RunId>& ids) {
  for (RunId id : ids) cancel(id);
  wait(ids);
  std::vector<std::unique_ptr<Run>> gone;  // freed outside the lock
  {
    std::lock_guard lock(mutex_);
    for (RunId id : ids)
      if (const Run* r = find(id); r && !r->task && !r->removed) gone.push_back(std::move(runs_[id]));
  }
}

bool Pool::all_done() const {
  std::lock_guard lock(mutex_);
  return active_ == 0;
}

std::unique_ptr<Engine> Pool::take(RunId id) {
  std::lock_guard lock(mutex_);
  if (!find(id)) return nullptr;
  Run& r = *runs_[id];
  if (!r.progress.done || r.held || r.queued) return nullptr;
  return std::move(r.engine);
}

int Pool::threads_started() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(workers_.size());
}

std::size_t Pool::size() const {
  std::lock_guard lock(mutex_);
  return runs_.size();
}

}  // namespace mlpviz::train
