#include "train/lockstep.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace mlpviz::train {

using Clock = std::chrono::steady_clock;

class Lockstep::Run : public PoolTask {
 public:
  Run(std::unique_ptr<Engine> e, std::shared_ptr<const std::atomic<std::int64_t>> target)
      : engine_(std::move(e)), target_(std::move(target)) {
    engine_->update_metrics();
    publish();  // before any worker sees it: the engine is still the adding thread's
  }
  Next turn() override;
  void post(std::vector<Command> cs) {
    std::lock_guard lock(mutex_);
    for (auto& c : cs) inbox_.push_back(std::move(c));
  }
  std::shared_ptr<const Snapshot> snapshot() const { return snapshot_.load(); }

 private:
  void publish() { snapshot_.store(engine_->make_snapshot(++version_)); }

  std::unique_ptr<Engine> engine_;
  std::shared_ptr<const std::atomic<std::int64_t>> target_;
  std::mutex mutex_;
  std::vector<Command> inbox_;  // guarded by mutex_
  SnapshotSlot snapshot_;
  // The turn's alone:
  std::vector<Command> commands_;
  std::uint64_t version_ = 0;
  bool stuck_ = false;  // step() refused (no data, diverged) until a command
  Clock::time_point next_publish_{};
};

PoolTask::Next Lockstep::Run::turn() {
  commands_.clear();
  {
    std::lock_guard lock(mutex_);
    commands_.swap(inbox_);
  }
  Engine& e = *engine_;
  const bool changed = !commands_.empty();
  for (const Command& c : commands_) (void)e.apply(c);  // a rejected command's error is the engine's message
  if (changed) stuck_ = false;
  const std::int64_t target = target_->load();
  const auto slice_end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(kSliceSeconds));
  std::int64_t taken = 0;
  while (!stuck_ && e.step_count() < target) {
    if (!e.step()) {
      stuck_ = true;
      break;
    }
    ++taken;
    if ((taken & 7) == 0 && Clock::now() >= slice_end) break;
  }
  const bool short_of_target = !stuck_ && e.step_count() < target;
  // Publish after commands, on reaching the target, and every kPublishInterval while stepping.
  const auto now = Clock::now();
  if (changed || (taken > 0 && (!short_of_target || now >= next_publish_))) {
    e.update_metrics();
    publish();
    next_publish_ = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(kPublishInterval));
  }
  return short_of_target ? Next::again() : Next::idle();  // idle: until a command or a new target
}

Lockstep::Lockstep() : Lockstep(nullptr) {}

Lockstep::Lockstep(std::shared_ptr<Pool> pool)
    : pool_(std::move(pool)), target_(std::make_shared<std::atomic<std::int64_t>>(0)) {
  if (!pool_) {
    Pool::Options o;
    o.threads = 1;
    pool_ = std::make_shared<Pool>(o);
  }
}

Lockstep::~Lockstep() {
  std::vector<Entry> runs;
  {
    std::lock_guard lock(mutex_);
    runs.swap(runs_);
  }
  for (Entry& r : runs) {
    r.run.reset();  // the pool's reference is the last: a worker frees the engine
    pool_->remove_task(r.task);
  }
  pool_.reset();  // a pool of its own: joins its worker
}

bool Lockstep::shared_with_compared(const Command& c) {
  return std::holds_alternative<cmd::SetData>(c) || std::holds_alternative<cmd::SetPoints>(c) ||
         std::holds_alternative<cmd::AddPoint>(c) || std::holds_alternative<cmd::RemoveNearest>(c) ||
         std::holds_alternative<cmd::ClearPoints>(c) || std::holds_alternative<cmd::UndoPoints>(c) ||
         std::holds_alternative<cmd::Reset>(c) || std::holds_alternative<cmd::SetWeightSeed>(c);
}

Lockstep::RunId Lockstep::add(std::unique_ptr<Engine> engine) {
  auto run = std::make_shared<Run>(std::move(engine), target_);
  std::lock_guard lock(mutex_);
  Entry e;
  e.id = next_id_++;
  e.run = run;
  e.task = pool_->add_task(std::move(run));
  runs_.push_back(std::move(e));
  return runs_.back().id;
}

void Lockstep::remove(RunId id) {
  Pool::RunId task = 0;
  {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(runs_.begin(), runs_.end(), [id](const Entry& e) { return e.id == id; });
    if (it == runs_.end()) return;
    task = it->task;
    runs_.erase(it);  // our reference goes: the pool's is the last
  }
  pool_->remove_task(task);
}

void Lockstep::post(RunId id, Command c) {
  std::vector<Command> cs;
  cs.push_back(std::move(c));
  post(id, std::move(cs));
}

void Lockstep::post(RunId id, std::vector<Command> cs) {
  std::shared_ptr<Run> run;
  Pool::RunId task = 0;
  {
    std::lock_guard lock(mutex_);
    for (const Entry& e : runs_)
      if (e.id == id) {
        run = e.run;
        task = e.task;
      }
  }
  if (!run) return;
  run->post(std::move(cs));
  pool_->wake(task);
}

void Lockstep::set_target(std::int64_t step) {
  if (target_->exchange(step) == step) return;
  std::vector<Pool::RunId> tasks;
  {
    std::lock_guard lock(mutex_);
    for (const Entry& e : runs_) tasks.push_back(e.task);
  }
  for (Pool::RunId t : tasks) pool_->wake(t, Pool::Wake::Limit);
}

std::int64_t Lockstep::target() const { return target_->load(); }

std::shared_ptr<const Snapshot> Lockstep::snapshot(RunId id) const {
  std::shared_ptr<Run> run;
  {
    std::lock_guard lock(mutex_);
    for (const Entry& e : runs_)
      if (e.id == id) run = e.run;
  }
  return run ? run->snapshot() : nullptr;
}

std::size_t Lockstep::size() const {
  std::lock_guard lock(mutex_);
  return runs_.size();
}

std::vector<std::unique_ptr<Engine>> compared_engines(const Session& s, const core::Dataset& data) {
  std::vector<std::unique_ptr<Engine>> out;
  for (std::size_t i = 0; i < s.compared.size(); ++i) {
    const ComparedRunSave& c = s.compared[i];
    try {
      out.push_back(std::make_unique<Engine>(c.settings, data, c.params, c.progress));
    } catch (const std::exception& e) {
      std::string m = "compared[";
      throw std::invalid_argument(m.append(std::to_string(i)).append("]: ").append(e.what()));
    }
  }
  return out;
}

std::vector<ComparedRunSave> compared_at_step(const Session& s, const core::Dataset& data, std::int64_t step) {
  std::vector<ComparedRunSave> out;
  for (const std::unique_ptr<Engine>& e : compared_engines(s, data)) {
    while (e->step_count() < step)
      if (!e->step()) break;  // diverged, or no data: it stays there
    e->update_metrics();
    out.push_back({e->settings(), std::vector<double>(e->params().begin(), e->params().end()), e->progress()});
  }
  return out;
}

}  // namespace mlpviz::train
