// The worker pool (train/pool.hpp) and the engine's stop judgement (Engine::done): runs stepped
// round robin give the parameters of each engine stepped alone, bit for bit, on any number of
// threads; cancel and progress never wait for a step. Also run under ThreadSanitizer
// (scripts/test.sh: the Pool. tests).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "train/engine.hpp"
#include "train/pool.hpp"

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
