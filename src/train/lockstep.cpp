#include "train/lockstep.hpp"

#include <algorithm>
#include <chrono>

namespace mlpviz::train {

using Clock = std::chrono::steady_clock;

Lockstep::Lockstep() : thread_([this] { loop(); }) {}

Lockstep::~Lockstep() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Lockstep::shared_with_compared(const Command& c) {
  return std::holds_alternative<cmd::SetData>(c) || std::holds_alternative<cmd::SetPoints>(c) ||
         std::holds_alternative<cmd::AddPoint>(c) || std::holds_alternative<cmd::RemoveNearest>(c) ||
         std::holds_alternative<cmd::ClearPoints>(c) || std::holds_alternative<cmd::UndoPoints>(c) ||
         std::holds_alternative<cmd::Reset>(c) || std::holds_alternative<cmd::SetWeightSeed>(c);
}

void Lockstep::publish(Run& r) { r.snapshot.store(r.engine->make_snapshot(++r.version)); }

Lockstep::RunId Lockstep::add(std::unique_ptr<Engine> engine) {
  auto r = std::make_shared<Run>();
  r->engine = std::move(engine);
  r->engine->update_metrics();
  publish(*r);  // before the thread sees it: the engine is still this thread's
  RunId id = 0;
  {
    std::lock_guard lock(mutex_);
    id = r->id = next_id_++;
    runs_.push_back(std::move(r));
    ++serial_;
  }
  wake_.notify_one();
  return id;
}

void Lockstep::remove(RunId id) {
  {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(runs_.begin(), runs_.end(), [id](const auto& r) { return r->id == id; });
    if (it == runs_.end()) return;
    removed_.push_back(std::move(*it));
    runs_.erase(it);
    ++serial_;
  }
  wake_.notify_one();
}

void Lockstep::post(RunId id, Command c) {
  std::vector<Command> cs;
  cs.push_back(std::move(c));
  post(id, std::move(cs));
}

void Lockstep::post(RunId id, std::vector<Command> cs) {
  {
    std::lock_guard lock(mutex_);
    for (auto& r : runs_)
      if (r->id == id) {
        for (auto& c : cs) r->inbox.push_back(std::move(c));
        ++serial_;
      }
  }
  wake_.notify_one();
}

void Lockstep::set_target(std::int64_t step) {
  {
    std::lock_guard lock(mutex_);
    if (step == target_) return;
    target_ = step;
    ++serial_;
  }
  wake_.notify_one();
}

std::int64_t Lockstep::target() const {
  std::lock_guard lock(mutex_);
  return target_;
}

std::shared_ptr<const Snapshot> Lockstep::snapshot(RunId id) const {
  std::shared_ptr<Run> run;
  {
    std::lock_guard lock(mutex_);
    for (const auto& r : runs_)
      if (r->id == id) run = r;
  }
  return run ? run->snapshot.load() : nullptr;
}

std::size_t Lockstep::size() const {
  std::lock_guard lock(mutex_);
  return runs_.size();
}

void Lockstep::loop() {
  std::vector<std::shared_ptr<Run>> runs, removed;
  std::vector<std::vector<Command>> commands;
  std::uint64_t seen = ~0ull;  // the serial of the last pass
  bool busy = false;           // the last pass left a run short of the target
  for (;;) {
    std::int64_t target = 0;
    {
      std::unique_lock lock(mutex_);
      if (!busy) wake_.wait(lock, [&] { return quit_ || serial_ != seen; });
      if (quit_) break;
      seen = serial_;
      target = target_;
      runs = runs_;
      removed.swap(removed_);
      commands.resize(runs.size());
      for (std::size_t i = 0; i < runs.size(); ++i) commands[i].swap(runs[i]->inbox);
    }
    removed.clear();  // the removed runs' engines are freed here, on this thread
    busy = false;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      Run& r = *runs[i];
      Engine& e = *r.engine;
      bool changed = !commands[i].empty();
      for (const Command& c : commands[i]) (void)e.apply(c);  // a rejected command's error is the engine's message
      commands[i].clear();
      if (changed) r.stuck = false;
      const auto slice_end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                std::chrono::duration<double>(kSliceSeconds));
      std::int64_t taken = 0;
      while (!r.stuck && e.step_count() < target) {
        if (!e.step()) {
          r.stuck = true;
          break;
        }
        ++taken;
        if ((taken & 7) == 0 && Clock::now() >= slice_end) break;
      }
      const bool short_of_target = !r.stuck && e.step_count() < target;
      busy = busy || short_of_target;
      // Publish after commands, on reaching the target, and every kPublishInterval while stepping.
      const auto now = Clock::now();
      if (changed || (taken > 0 && (!short_of_target || now >= r.next_publish))) {
        e.update_metrics();
        publish(r);
        r.next_publish = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(kPublishInterval));
      }
    }
    runs.clear();  // a run removed meanwhile is freed with the next pass's `removed`, or here
  }
}

}  // namespace mlpviz::train
