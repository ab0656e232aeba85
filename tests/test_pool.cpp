// The worker pool (train/pool.hpp) and the engine's stop judgement (Engine::done): runs stepped
// round robin give the parameters of each engine stepped alone, bit for bit, on any number of
// threads; cancel and progress never wait for a step; one worker steps a Trainer, compared runs
// and sweep jobs together; woken and due tasks go first; removed tasks are freed by a worker. Also run under ThreadSanitizer
// (scripts/test.sh: the Pool. tests).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "train/engine.hpp"
#include "train/lockstep.hpp"
#include "train/pool.hpp"
#include "train/trainer.hpp"

namespace mlpviz::train {
namespace {

using namespace std::chrono_literals;

struct Case {
  Settings settings;
  StopRules rules;
};

// Different shapes, activations, batch sizes and rules; one that diverges (ReLU with Adam at lr 10
// explodes within a few steps) and one that stops by epochs.
std::vector<Case> cases() {
  std::vector<Case> out;
  const auto add = [&](std::vector<int> widths, core::Activation a, int batch, StopRules rules,
                       double lr = 0.01) {
    Settings s = default_settings();
    s.net.widths = std::move(widths);
    s.net.activations.assign(s.net.widths.size(), a);
    s.optimizer.batch_size = batch;
    s.optimizer.learning_rate = lr;
    s.weight_seed = 3 + out.size();
    out.push_back({s, rules});
  };
  add({2}, core::Activation::Tanh, 10, {300, 0, -1});
  add({8, 8}, core::Activation::Relu, 10, {450, 0, -1});
  add({16, 16, 16}, core::Activation::Tanh, 5, {200, 0, -1});
  add({4}, core::Activation::Sigmoid, 20, {0, 2, -1});  // 2 epochs of 280 points, batch 20
  add({8, 8}, core::Activation::Relu, 10, {400, 0, -1}, 10.0);  // diverges
  add({32}, core::Activation::Tanh, 1, {350, 0, -1});
  return out;
}

// The reference: one engine stepped alone by the same judgement.
std::unique_ptr<Engine> alone(const Case& c) {
  auto e = std::make_unique<Engine>(c.settings);
  while (e->done(c.rules) == StopReason::NotDone)
    if (!e->step()) break;
  e->update_metrics();
  return e;
}

std::vector<std::unique_ptr<Engine>> pooled(const std::vector<Case>& cs, int threads, int slice) {
  Pool::Options o;
  o.threads = threads;
  o.slice_steps = slice;
  Pool pool(o);
  std::vector<Pool::Job> jobs;
  for (const Case& c : cs) jobs.push_back({std::make_unique<Engine>(c.settings), c.rules});
  const auto ids = pool.add(std::move(jobs));
  pool.wait();
  EXPECT_LE(pool.threads_started(), threads);
  std::vector<std::unique_ptr<Engine>> out;
  for (auto id : ids) {
    out.push_back(pool.take(id));
    EXPECT_NE(out.back(), nullptr);
  }
  return out;
}

bool same_bits(const core::Params& a, const core::Params& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(a[0])) == 0;
}

TEST(Pool, EachRunEqualsItsEngineSteppedAloneOnOneAndTwoThreads) {
  const std::vector<Case> cs = cases();
  const auto one = pooled(cs, 1, 7);
  const auto two = pooled(cs, 2, 13);
  ASSERT_EQ(one.size(), cs.size());
  ASSERT_EQ(two.size(), cs.size());
  for (std::size_t i = 0; i < cs.size(); ++i) {
    SCOPED_TRACE(i);
    const auto ref = alone(cs[i]);
    ASSERT_TRUE(one[i] && two[i]);
    EXPECT_TRUE(same_bits(one[i]->params(), two[i]->params())) << "1 thread against 2 threads";
    EXPECT_TRUE(same_bits(one[i]->params(), ref->params())) << "pool against the engine alone";
    EXPECT_EQ(one[i]->step_count(), ref->step_count());
    EXPECT_EQ(two[i]->step_count(), ref->step_count());
    EXPECT_EQ(one[i]->epoch(), ref->epoch());
    EXPECT_EQ(one[i]->metrics().test_loss, ref->metrics().test_loss);
    EXPECT_EQ(two[i]->metrics().train_accuracy, ref->metrics().train_accuracy);
  }
  // The rules were met as set: steps, epochs, and the divergence.
  EXPECT_EQ(one[0]->step_count(), 300);
  EXPECT_EQ(one[0]->state(), RunState::Finished);
  EXPECT_EQ(one[3]->epoch(), 2);
  EXPECT_EQ(one[4]->state(), RunState::Diverged);
  EXPECT_LT(one[4]->step_count(), 400);
}

TEST(Pool, StepsRunsRoundRobinInSlices) {
  std::mutex m;
  std::vector<std::pair<Pool::RunId, std::int64_t>> slices;
  Pool::Options o;
  o.threads = 1;
  o.slice_steps = 10;
  o.slice_seconds = 1e9;  // slices by count only
  o.on_slice = [&](Pool::RunId id, std::int64_t taken) {
    std::lock_guard lock(m);
    slices.emplace_back(id, taken);
  };
  {
    Pool pool(o);
    std::vector<Pool::Job> jobs;
    for (int i = 0; i < 3; ++i) jobs.push_back({std::make_unique<Engine>(default_settings()), {100, 0, -1}});
    pool.add(std::move(jobs));
    pool.wait();
    for (const PoolProgress& p : pool.progress()) {
      EXPECT_TRUE(p.done);
      EXPECT_EQ(p.step, 100);
      EXPECT_EQ(p.reason, StopReason::Steps);
      EXPECT_EQ(p.metrics_step, 100) << "final figures are of the final step";
    }
    const auto snap = pool.snapshot(2);
    ASSERT_NE(snap, nullptr);
    EXPECT_EQ(snap->step, 100);
    EXPECT_EQ(snap->state, RunState::Finished);
  }
  ASSERT_EQ(slices.size(), 30u);
  for (std::size_t i = 0; i < slices.size(); ++i) {
    EXPECT_EQ(slices[i].first, i % 3) << "slice " << i;
    EXPECT_EQ(slices[i].second, 10) << "slice " << i;
  }
}

TEST(Pool, StartsAtMostTheThreadsAskedForAndNoMoreThanRuns) {
  // The hardware threads less one (the window's), at least one (README, `sweep --threads`).
  EXPECT_EQ(Pool::default_threads(), std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1));
  {
    Pool::Options o;
    o.threads = 2;
    Pool pool(o);
    std::vector<Pool::Job> jobs;
    for (int i = 0; i < 5; ++i) jobs.push_back({std::make_unique<Engine>(default_settings()), {50, 0, -1}});
    pool.add(std::move(jobs));
    pool.wait();
    EXPECT_EQ(pool.threads_started(), 2);
  }
  {
    Pool::Options o;
    o.threads = 4;
    Pool pool(o);
    pool.add({std::make_unique<Engine>(default_settings()), {50, 0, -1}});
    pool.wait();
    EXPECT_EQ(pool.threads_started(), 1);
  }
  Pool::Options o;
  o.threads = 0;
  EXPECT_EQ(Pool(o).max_threads(), 1) << "at least one thread";
}

TEST(Pool, CancelAndProgressNeverWaitForAStepAndStopEveryRun) {
  Pool::Options o;
  o.threads = 2;
  o.slice_steps = 5;
  Pool pool(o);
  std::vector<Pool::Job> jobs;
  for (int i = 0; i < 4; ++i)
    jobs.push_back({std::make_unique<Engine>(default_settings()), {1'000'000'000, 0, -1}});
  const auto ids = pool.add(std::move(jobs));
  EXPECT_EQ(pool.take(ids[0]), nullptr) << "not before it is done";
  // A reader polling progress and snapshots while the workers step (ThreadSanitizer's case).
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop) {
      for (const PoolProgress& p : pool.progress()) (void)p.step;
      (void)pool.snapshot(1);
    }
  });
  const auto end = std::chrono::steady_clock::now() + 60s;
  bool stepping = false;
  while (!stepping && std::chrono::steady_clock::now() < end) {
    stepping = true;
    for (const PoolProgress& p : pool.progress()) stepping = stepping && p.step > 0;
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(stepping) << "every run got slices";
  pool.cancel(ids[3]);
  pool.cancel_all();
  pool.wait();
  stop = true;
  reader.join();
  EXPECT_TRUE(pool.all_done());
  for (auto id : ids) {
    const PoolProgress p = pool.progress(id);
    EXPECT_TRUE(p.done);
    EXPECT_TRUE(p.cancelled);
    EXPECT_EQ(p.reason, StopReason::NotDone);
    auto e = pool.take(id);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->step_count(), p.step);
    EXPECT_NE(e->state(), RunState::Running);
    EXPECT_EQ(pool.take(id), nullptr) << "taken once";
  }
}

// ---- tasks: Trainer and Lockstep runs on a shared pool -----------------------------------------

// Polls until `pred` holds (the deadline only guards against a hang).
template <class Pred>
bool eventually(Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

std::unique_ptr<Engine> stepped_alone(const Settings& s, std::int64_t steps) {
  auto e = std::make_unique<Engine>(s);
  for (std::int64_t i = 0; i < steps; ++i) EXPECT_TRUE(e->step());
  return e;
}

TEST(Pool, OneWorkerStepsATrainerComparedRunsAndSweepJobsTogether) {
  // The window's case on a two-core machine: one worker for the main run, its compared runs and a
  // sweep. Nobody starves, and each run's weights are those of its engine stepped alone.
  Pool::Options o;
  o.threads = 1;
  auto pool = std::make_shared<Pool>(o);
  Settings main = default_settings();
  main.steps_per_second = 0.0;  // full speed
  Settings relu = main, wide = main;
  relu.net.activations.assign(relu.net.widths.size(), core::Activation::Relu);
  wide.net.widths.assign(wide.net.widths.size(), 16);
  Trainer trainer(std::make_unique<Engine>(main), pool);
  Lockstep compared(pool);
  const Lockstep::RunId a = compared.add(std::make_unique<Engine>(relu));
  const Lockstep::RunId b = compared.add(std::make_unique<Engine>(wide));
  trainer.post(cmd::Play{});
  std::vector<Pool::Job> jobs;
  const std::vector<Case> cs = cases();
  for (int i = 0; i < 3; ++i) jobs.push_back({std::make_unique<Engine>(cs[i].settings), cs[i].rules});
  const auto ids = pool->add(std::move(jobs));
  // The window's frame loop: the compared runs follow the main run's published step.
  ASSERT_TRUE(eventually([&] {
    compared.set_target(trainer.snapshot()->step);
    return pool->all_done();
  }));
  // Every job needs many slices (256 steps each): round robin gave the others turns meanwhile.
  EXPECT_GT(trainer.snapshot()->step, 0) << "the main run was stepped while the sweep ran";
  ASSERT_TRUE(eventually([&] {
    compared.set_target(trainer.snapshot()->step);
    return compared.snapshot(a)->step > 0 && compared.snapshot(b)->step > 0;
  })) << "the compared runs were stepped";
  EXPECT_EQ(pool->threads_started(), 1) << "one worker for every run";

  trainer.post(cmd::Pause{});
  ASSERT_TRUE(eventually([&] { return trainer.snapshot()->state == RunState::Paused; }));
  const std::int64_t n = trainer.snapshot()->step;
  compared.set_target(n);
  ASSERT_TRUE(eventually([&] { return compared.snapshot(a)->step == n && compared.snapshot(b)->step == n; }));
  EXPECT_TRUE(same_bits(trainer.snapshot()->params, stepped_alone(main, n)->params())) << "main run";
  EXPECT_TRUE(same_bits(compared.snapshot(a)->params, stepped_alone(relu, n)->params())) << "compared ReLU run";
  EXPECT_TRUE(same_bits(compared.snapshot(b)->params, stepped_alone(wide, n)->params())) << "compared wide run";
  for (int i = 0; i < 3; ++i) {
    auto e = pool->take(ids[static_cast<std::size_t>(i)]);
    ASSERT_NE(e, nullptr);
    EXPECT_TRUE(same_bits(e->params(), alone(cs[static_cast<std::size_t>(i)])->params())) << "sweep job " << i;
  }
}

// A task that counts its turns and says what it wants next.
struct Probe : PoolTask {
  std::atomic<int> turns{0};
  std::function<Next(int)> next = [](int) { return Next::idle(); };
  std::function<void()> on_turn;
  std::function<void()> on_destroy;
  Next turn() override {
    if (on_turn) on_turn();  // before the count: whoever sees the count sees what on_turn wrote
    const int k = ++turns;
    return next(k);
  }
  ~Probe() override {
    if (on_destroy) on_destroy();
  }
};

TEST(Pool, AWokenTaskTurnsBeforeTheQueuedRuns) {
  // A command from the window (a click on the main run) waits for the slice in progress at most,
  // never for a queue of sweep cells.
  // Slices are counted under `gate`: while the test holds it to read the count and wake a task, the
  // worker can finish no slice, so the count at the wake is exact however the test thread is
  // scheduled (a preempted test thread once saw 5 slices pass between its read and its wake).
  std::mutex gate;
  std::atomic<int> slices{0};
  Pool::Options o;
  o.threads = 1;
  o.slice_steps = 10;
  o.slice_seconds = 1e9;  // slices by count only
  o.on_slice = [&](Pool::RunId, std::int64_t) {
    std::lock_guard lock(gate);
    ++slices;
  };
  // Wakes `id` and returns the slice count at that moment.
  const auto wake_counted = [&](Pool& pool, Pool::RunId id, Pool::Wake why) {
    std::lock_guard lock(gate);
    pool.wake(id, why);
    return slices.load();
  };
  Pool pool(o);
  auto probe = std::make_shared<Probe>();
  std::atomic<int> slices_at_turn{-1};
  probe->on_turn = [&] { slices_at_turn = slices.load(); };
  const Pool::RunId id = pool.add_task(probe);
  std::vector<Pool::Job> jobs;
  for (int i = 0; i < 4; ++i) jobs.push_back({std::make_unique<Engine>(default_settings()), {1'000'000'000, 0, -1}});
  pool.add(std::move(jobs));
  ASSERT_TRUE(eventually([&] { return probe->turns == 1 && slices > 12; }));
  for (int k = 0; k < 5; ++k) {
    const int at_wake = wake_counted(pool, id, Pool::Wake::Urgent);
    ASSERT_TRUE(eventually([&] { return probe->turns == 2 + k; }));
    EXPECT_LE(slices_at_turn - at_wake, 1) << "waited behind the queue, wake " << k;
    EXPECT_GE(slices_at_turn - at_wake, 0);
  }
  // A busy task (one that always wants another turn) queued behind the jobs goes first too.
  // Its turns go on after the one looked at, so each turn's count is logged (a single value could
  // be a later turn's by the time the test reads it).
  auto busy = std::make_shared<Probe>();
  std::mutex busy_mutex;
  std::vector<int> busy_slices_at_turn;  // guarded by busy_mutex: [k]: the count at turn k + 1
  busy->on_turn = [&] {
    std::lock_guard lock(busy_mutex);
    busy_slices_at_turn.push_back(slices.load());
  };
  busy->next = [](int) { return PoolTask::Next::again(); };
  const Pool::RunId busy_id = pool.add_task(busy);
  ASSERT_TRUE(eventually([&] { return busy->turns > 3; }));
  for (int k = 0; k < 5; ++k) {
    const int turns = busy->turns.load();
    const int at_wake = wake_counted(pool, busy_id, Pool::Wake::Urgent);
    ASSERT_TRUE(eventually([&] { return busy->turns > turns; }));
    int at_turn = 0;
    {
      std::lock_guard lock(busy_mutex);
      at_turn = busy_slices_at_turn[static_cast<std::size_t>(turns)];  // turn turns + 1: the next one
    }
    EXPECT_LE(at_turn - at_wake, 1) << "a queued task waited behind the queue, wake " << k;
  }
  pool.remove_task(busy_id);
  // A raised limit (a Lockstep target, a step ceiling: every frame while comparing) is no command:
  // a waiting task woken by it queues behind the runs already waiting.
  auto follower = std::make_shared<Probe>();
  std::atomic<int> follower_slices_at_turn{-1};
  follower->on_turn = [&] { follower_slices_at_turn = slices.load(); };
  const Pool::RunId follower_id = pool.add_task(follower);  // turns once, then idle
  ASSERT_TRUE(eventually([&] { return follower->turns == 1; }));
  for (int k = 0; k < 3; ++k) {
    const int at_wake = wake_counted(pool, follower_id, Pool::Wake::Limit);
    ASSERT_TRUE(eventually([&] { return follower->turns == 2 + k; }));
    EXPECT_GE(follower_slices_at_turn - at_wake, 3) << "a limit wake jumped the queue of 4 jobs, wake " << k;
  }
  pool.remove_task(follower_id);
  pool.cancel_all();
  pool.wait();
}

TEST(Pool, ASleepingTaskTurnsAtItsTimeAndARemovedOneIsFreedOnAWorker) {
  Pool::Options o;
  o.threads = 1;
  Pool pool(o);
  std::mutex m;
  std::vector<std::chrono::steady_clock::time_point> turn_times;
  std::chrono::steady_clock::time_point due{};
  std::atomic<bool> destroyed{false};
  std::thread::id destroyed_on;
  Pool::RunId id = 0;
  {
    auto probe = std::make_shared<Probe>();
    probe->on_turn = [&] {
      std::lock_guard lock(m);
      turn_times.push_back(std::chrono::steady_clock::now());
    };
    probe->next = [&](int k) {
      std::lock_guard lock(m);
      if (k > 1) return PoolTask::Next::idle();
      due = std::chrono::steady_clock::now() + 30ms;
      return PoolTask::Next::sleep(due);
    };
    probe->on_destroy = [&] {
      destroyed_on = std::this_thread::get_id();
      destroyed = true;
    };
    id = pool.add_task(std::move(probe));  // the pool holds the only reference
  }
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(m);
    return turn_times.size() == 2;
  }));
  {
    std::lock_guard lock(m);
    EXPECT_GE(turn_times[1], due) << "a sleeping task turns no earlier than its time";
  }
  pool.remove_task(id);
  ASSERT_TRUE(eventually([&] { return destroyed.load(); }));
  EXPECT_NE(destroyed_on, std::this_thread::get_id()) << "freed by a worker, not the remover";
  pool.wake(id);         // a removed task: ignored
  pool.remove_task(id);  // twice: ignored
  EXPECT_EQ(pool.snapshot(id), nullptr);
  EXPECT_EQ(pool.take(id), nullptr);
}

TEST(Pool, ForgottenJobsAreFreedAndTheirIdsUnknown) {
  // A sweep closed on the window's pool: its cells go, entries and all; the pool goes on.
  Pool::Options o;
  o.threads = 1;
  Pool pool(o);
  std::vector<Pool::Job> jobs;
  for (int i = 0; i < 3; ++i) jobs.push_back({std::make_unique<Engine>(default_settings()), {1'000'000'000, 0, -1}});
  const auto ids = pool.add(std::move(jobs));
  ASSERT_TRUE(eventually([&] { return pool.progress(ids[2]).step > 0; }));
  ASSERT_NE(pool.snapshot(ids[1]), nullptr);
  pool.forget(ids);
  EXPECT_TRUE(pool.all_done());
  for (auto id : ids) {
    EXPECT_EQ(pool.snapshot(id), nullptr);
    EXPECT_EQ(pool.take(id), nullptr);
    EXPECT_EQ(pool.progress(id).step, 0) << "an unknown id's progress is empty";
    pool.cancel(id);  // unknown: ignored
  }
  pool.wait(ids);  // returns at once
  const Pool::RunId next = pool.add({std::make_unique<Engine>(default_settings()), {50, 0, -1}});
  pool.wait();
  EXPECT_EQ(pool.progress(next).step, 50) << "the pool goes on";
}

// ---- Engine::done: the one judgement of every driver -----------------------------------------

TEST(EngineDone, NamesTheRuleMetFirst) {
  Engine e(default_settings());
  EXPECT_EQ(e.done({}), StopReason::NotDone) << "no rule: never done by itself";
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(e.step());
  EXPECT_EQ(e.done({30, 0, -1}), StopReason::Steps);
  EXPECT_EQ(e.done({31, 0, -1}), StopReason::NotDone);
  // 280 training points, batch 10: epoch 1 begins at the 29th step.
  EXPECT_EQ(e.epoch(), 1);
  EXPECT_EQ(e.done({0, 1, -1}), StopReason::Epochs);
  EXPECT_EQ(e.done({30, 1, -1}), StopReason::Steps) << "steps before epochs";
  // The target loss is judged on the metrics last evaluated.
  e.update_metrics();
  const double loss = e.metrics().train_loss;
  EXPECT_EQ(e.done({0, 0, loss}), StopReason::TargetLoss);
  EXPECT_EQ(e.done({0, 0, loss * 0.5}), StopReason::NotDone);
}

TEST(EngineDone, DivergedAndNoDataAreDone) {
  Settings s = default_settings();
  s.net.activations = {core::Activation::Relu, core::Activation::Relu};
  s.optimizer.learning_rate = 10;
  Engine e(s);
  for (int i = 0; i < 100 && e.step(); ++i) {
  }
  ASSERT_EQ(e.state(), RunState::Diverged);
  EXPECT_EQ(e.done({1'000'000, 0, -1}), StopReason::Diverged);
  Engine empty(default_settings());
  ASSERT_FALSE(empty.apply(cmd::ClearPoints{}).has_value());
  EXPECT_EQ(empty.done({100, 0, -1}), StopReason::NoData);
}

TEST(EngineDone, TheWindowsRuleFinishesARunningRunAndPlayGoesOnPastIt) {
  Engine e(default_settings());
  ASSERT_FALSE(e.apply(cmd::SetStop{{StopRule::Kind::Steps, 20, 1, 0}}).has_value());
  EXPECT_EQ(e.stop_rules(), (StopRules{20, 0, -1}));
  EXPECT_EQ(e.finish_if_done(), StopReason::NotDone) << "paused: not the rule's business";
  ASSERT_FALSE(e.apply(cmd::Play{}).has_value());
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(e.step());
  EXPECT_EQ(e.finish_if_done(), StopReason::Steps);
  EXPECT_EQ(e.state(), RunState::Finished);
  EXPECT_EQ(e.message(), "stopped at step 20: the stopping rule was met (press play to go on)");
  ASSERT_FALSE(e.apply(cmd::Play{}).has_value());
  EXPECT_EQ(e.stop_rules(), StopRules{}) << "played on past the rule";
  EXPECT_FALSE(e.stop_rule_met());
  EXPECT_EQ(StopRules::from({StopRule::Kind::Epochs, 5, 7, 0}), (StopRules{0, 7, -1}));
  EXPECT_EQ(StopRules::from({StopRule::Kind::TargetLoss, 5, 7, 0.25}), (StopRules{0, 0, 0.25}));
}

}  // namespace
}  // namespace mlpviz::train
