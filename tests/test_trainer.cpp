// The training thread: commands applied between steps, pause/step, snapshots never blocking,
// determinism through the thread, no deadlock under thousands of rapid commands.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <utility>

#include "core/rng.hpp"
#include "train/trainer.hpp"

namespace mlpviz::train {
namespace {

using namespace std::chrono_literals;

template <class Pred>
bool wait_until(const Trainer& t, Pred pred, std::chrono::milliseconds timeout = 20000ms) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (pred(*t.snapshot())) return true;
    std::this_thread::sleep_for(1ms);
  }
  return false;
}

bool settled(const Trainer& t) { return t.commands_applied() == t.commands_posted(); }

// The default session at full speed (the window's default is paced: kDefaultStepsPerSecond).
Settings full_speed() {
  Settings s = default_settings();
  s.steps_per_second = 0.0;
  return s;
}

TEST(Trainer, PlayPauseAndStep) {
  Trainer t(std::make_unique<Engine>(full_speed()));
  EXPECT_EQ(t.snapshot()->state, RunState::Paused);
  EXPECT_EQ(t.snapshot()->step, 0);
  t.post(cmd::Play{});
  ASSERT_TRUE(wait_until(t, [](const Snapshot& s) { return s.step > 1000; }));
  t.post(cmd::Pause{});
  ASSERT_TRUE(wait_until(t, [&](const Snapshot& s) { return settled(t) && s.state == RunState::Paused; }));
  const auto paused_at = t.snapshot()->step;
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(t.snapshot()->step, paused_at);
  t.post(cmd::Step{5});
  ASSERT_TRUE(wait_until(t, [&](const Snapshot& s) { return s.step == paused_at + 5; }));
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(t.snapshot()->step, paused_at + 5);
}

// The window's lockstep at full speed: a running trainer waits at its step ceiling (published
// there, still running), goes on when it is raised, and single steps are not held.
TEST(Trainer, StepCeilingHoldsARunningTrainerUntilRaised) {
  Trainer t(std::make_unique<Engine>(full_speed()));
  EXPECT_EQ(t.step_ceiling(), Trainer::kNoCeiling);
  t.set_step_ceiling(500);
  t.post(cmd::Play{});
  ASSERT_TRUE(wait_until(t, [](const Snapshot& s) { return s.step == 500; }));
  std::this_thread::sleep_for(60ms);
  EXPECT_EQ(t.snapshot()->step, 500);
  EXPECT_EQ(t.snapshot()->state, RunState::Running);
  t.set_step_ceiling(1200);
  ASSERT_TRUE(wait_until(t, [](const Snapshot& s) { return s.step == 1200; }));
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(t.snapshot()->step, 1200);
  t.post(cmd::Pause{});
  t.post(cmd::Step{3});  // a Step is the user's: the ceiling is for running only
  ASSERT_TRUE(wait_until(t, [](const Snapshot& s) { return s.step == 1203; }));
  t.set_step_ceiling(Trainer::kNoCeiling);
  t.post(cmd::Play{});
  ASSERT_TRUE(wait_until(t, [](const Snapshot& s) { return s.step > 5000; }));
}

TEST(Trainer, StepsThroughTheThreadMatchTheEngineBitForBit) {
  const Settings s = default_settings();
  Engine reference(s);
  for (int i = 0; i < 3000; ++i) reference.step();
  Trainer t(std::make_unique<Engine>(s));
  t.post(cmd::Step{3000});
  std::atomic<bool> stop{false};
  std::thread reader([&] {  // a busy reader must not change the result
    while (!stop) (void)t.snapshot();
  });
  ASSERT_TRUE(wait_until(t, [](const Snapshot& s) { return s.step == 3000; }));
  stop = true;
  reader.join();
  EXPECT_EQ(t.snapshot()->params, reference.params());
}

TEST(Trainer, PublishesOftenWhileTraining) {
  Trainer t(std::make_unique<Engine>(full_speed()));
  t.post(cmd::Play{});
  ASSERT_TRUE(wait_until(t, [](const Snapshot& s) { return s.step > 0; }));
  const auto v0 = t.snapshot()->version;
  std::this_thread::sleep_for(500ms);
  const auto published = t.snapshot()->version - v0;
  // 90 a second is the aim; a loaded 2-core CI machine still gets well over 10 in half a second.
  EXPECT_GT(published, 10u);
}

// Steps a trainer takes over a measured interval (after its first step), and that interval in s.
std::pair<double, double> steps_over(const Settings& s, std::chrono::milliseconds interval) {
  Trainer t(std::make_unique<Engine>(s));
  t.post(cmd::Play{});
  EXPECT_TRUE(wait_until(t, [](const Snapshot& x) { return x.step > 0; }));
  const auto s0 = t.snapshot()->step;
  const auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(interval);
  const auto steps = t.snapshot()->step - s0;
  return {static_cast<double>(steps), std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()};
}

// Steps over a measured interval against the requested rate. Never ahead of it (3x margin for the
// snapshot's lag; the trainer never bursts to catch up). Not far behind it either, but only as far
// as this machine can go: the lower bound is taken against what full speed achieves in the same
// run (a sanitizer build or a loaded CI machine may not reach 5000 steps/s at all).
void expect_pace(double steps_per_second, std::chrono::milliseconds interval) {
  const auto [full_steps, full_elapsed] = steps_over(full_speed(), interval);
  Settings s = full_speed();
  s.steps_per_second = steps_per_second;
  const auto [steps, elapsed] = steps_over(s, interval);
  const double expected = steps_per_second * elapsed;
  // The lower bound only where this machine has ten times the headroom (full speed in the same
  // run): nearer its limit, sleeping between steps and the metrics take their share.
  const double full_rate = full_steps / full_elapsed;
  if (steps_per_second * 10 <= full_rate) {
    EXPECT_GE(steps, expected / 3) << steps_per_second << " steps/s over " << elapsed << " s (full speed: "
                                  << full_rate << " steps/s)";
  }
  EXPECT_LE(steps, expected * 3 + 2) << steps_per_second << " steps/s over " << elapsed << " s";
}

TEST(Trainer, SpeedLimitIsHonoured) {
  expect_pace(kDefaultStepsPerSecond, 1000ms);
  expect_pace(400, 500ms);
  expect_pace(5000, 500ms);
}

// Full speed is not paced. No machine speed is assumed: during the same window this thread steps
// a plain engine of the same settings, competing for the same cores, and the trainer must keep up
// with a tenth of it (it also publishes snapshots); paced at the default 50 steps/s it would make a
// few hundredths. (Against a fixed rate, this failed under AddressSanitizer on a loaded machine.)
TEST(Trainer, FullSpeedIsFarFasterThanThePace) {
  Trainer t(std::make_unique<Engine>(full_speed()));
  Engine reference(full_speed());
  t.post(cmd::Play{});
  ASSERT_TRUE(wait_until(t, [](const Snapshot& x) { return x.step > 0; }));
  const auto s0 = t.snapshot()->step;
  const auto t0 = std::chrono::steady_clock::now();
  std::int64_t reference_steps = 0;
  while (std::chrono::steady_clock::now() - t0 < 300ms) {
    ASSERT_TRUE(reference.step());
    ++reference_steps;
  }
  const auto steps = t.snapshot()->step - s0;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double paced = kDefaultStepsPerSecond * elapsed;
  if (reference_steps < 20 * paced)
    GTEST_SKIP() << "this machine stepped only " << reference_steps << " times in " << elapsed
                 << " s: too slow to tell full speed from the pace";
  // A tenth: under AddressSanitizer with two tests on two cores the trainer's thread once made an
  // eighth of this thread's steps (376 against 2,844), still 25 times the pace.
  EXPECT_GT(static_cast<double>(steps), reference_steps / 10.0)
      << "the trainer made " << steps << " steps while this thread made " << reference_steps;
}

// The speed slider's top: at a set pace the trainer still estimates what full speed would reach
// from the time its steps took, which can never be below the pace it achieved in the same window
// (the steps' time is part of the window's); at full speed it reports the rate it reached, the
// same window's samples per second over its batch. Unknown (0) before any step. No machine speed
// is assumed: both sides of each check come from the same window.
TEST(Trainer, EstimatesItsFullSpeedAtAPaceAndAtFullSpeed) {
  Trainer paced(std::make_unique<Engine>(default_settings()));
  EXPECT_EQ(paced.snapshot()->full_speed_steps_per_second, 0.0);
  paced.post(cmd::Play{});
  ASSERT_TRUE(wait_until(paced, [](const Snapshot& x) { return x.full_speed_steps_per_second > 0; }));
  {
    const auto p = paced.snapshot();
    const double achieved = p->samples_per_second / p->effective_batch;
    EXPECT_GE(p->full_speed_steps_per_second, achieved * (1 - 1e-9));
  }
  paced.post(cmd::Pause{});
  Trainer full(std::make_unique<Engine>(full_speed()));
  full.post(cmd::Play{});
  ASSERT_TRUE(wait_until(full, [](const Snapshot& x) { return x.full_speed_steps_per_second > 0; }));
  const auto f = full.snapshot();
  EXPECT_NEAR(f->full_speed_steps_per_second, f->samples_per_second / f->effective_batch,
              1e-9 * f->full_speed_steps_per_second);
}

// Held at a step ceiling most of the time (compared runs to wait for), a full-speed trainer's
// estimate of its full speed leaves the held time out: it stays well above the rate it achieved
// in the same window. The ceiling rises at a tenth of the speed the trainer first reached unheld
// (so the test holds on any machine, sanitizers included).
TEST(Trainer, TimeHeldAtTheCeilingIsNotCountedAgainstFullSpeed) {
  Trainer t(std::make_unique<Engine>(full_speed()));
  t.post(cmd::Play{});
  ASSERT_TRUE(wait_until(t, [](const Snapshot& x) { return x.full_speed_steps_per_second > 0; }));
  const double unheld = t.snapshot()->full_speed_steps_per_second;
  const std::int64_t per_tick = std::max<std::int64_t>(1, static_cast<std::int64_t>(unheld / 1000.0));  // 10 ms
  std::int64_t ceiling = t.snapshot()->step + per_tick;
  t.set_step_ceiling(ceiling);
  const auto start = std::chrono::steady_clock::now();
  std::shared_ptr<const Snapshot> s;
  while (std::chrono::steady_clock::now() - start < 1500ms) {  // three estimate windows
    std::this_thread::sleep_for(10ms);
    ceiling += per_tick;
    t.set_step_ceiling(ceiling);
  }
  s = t.snapshot();
  const double achieved = s->samples_per_second / s->effective_batch;
  ASSERT_GT(achieved, 0.0);
  EXPECT_LT(achieved, 0.5 * unheld) << "the ceiling did not hold the trainer back";
  EXPECT_GT(s->full_speed_steps_per_second, 2.0 * achieved)
      << "estimate " << s->full_speed_steps_per_second << " steps/s, achieved " << achieved << ", unheld " << unheld;
}

// The window opens at a pace a class can follow: the default session's learning phase (until the
// training accuracy stays within 1% of where it is after 3000 steps) lasts seconds at the default
// pace, neither a blink (the issue saw 1.3 million steps in 3 s) nor minutes.
TEST(Trainer, APauseIsNotCountedAsTimeTheStepsTook) {
  // The full-speed estimate and the pace are measured from the moment a run goes on, never over
  // the pause before (it would divide a window's steps by the pause's seconds).
  Trainer t(std::make_unique<Engine>(full_speed()));
  t.post(cmd::Play{});
  ASSERT_TRUE(wait_until(t, [](const Snapshot& s) { return s.full_speed_steps_per_second > 0; }));
  std::this_thread::sleep_for(200ms);  // part of the next window
  t.post(cmd::Pause{});
  ASSERT_TRUE(wait_until(t, [](const Snapshot& s) { return s.state == RunState::Paused; }));
  const double before = t.snapshot()->full_speed_steps_per_second;
  ASSERT_GT(before, 0);
  std::this_thread::sleep_for(1500ms);
  t.post(cmd::Play{});
  ASSERT_TRUE(wait_until(t, [](const Snapshot& s) { return s.state == RunState::Running; }));
  // Until a new window of steps completes (0.5 s of them), the estimate is the one before the
  // pause; a window that took the pause in would read at most a third of it.
  const double after = t.snapshot()->full_speed_steps_per_second;
  EXPECT_GE(after, 0.5 * before) << "before the pause " << before << " steps/s, after it " << after;
}

TEST(Trainer, TheDefaultSessionIsPacedForWatching) {
  const Settings s = default_settings();
  ASSERT_EQ(s.steps_per_second, kDefaultStepsPerSecond);
  ASSERT_GT(s.steps_per_second, 0.0) << "the default is paced, not full speed";
  Engine e(s);
  for (int i = 0; i < 3000; ++i) ASSERT_TRUE(e.step());
  const auto snap = e.make_snapshot(1);
  const float final_acc = snap->history.back().train_accuracy;
  std::int64_t settled_at = 0;
  for (const HistoryPoint& p : snap->history)
    if (std::fabs(p.train_accuracy - final_acc) > 0.01f) settled_at = p.step;
  const double seconds = static_cast<double>(settled_at) / s.steps_per_second;
  EXPECT_GE(seconds, 3.0) << "settled at step " << settled_at;
  EXPECT_LE(seconds, 30.0) << "settled at step " << settled_at;
}

TEST(Trainer, DivergenceIsCaughtAndReported) {
  Settings s = default_settings();
  s.net.activations = {core::Activation::Relu, core::Activation::Relu};
  s.net.output = core::OutputKind::LinearMse;
  s.optimizer.kind = core::OptimizerKind::Sgd;
  s.optimizer.learning_rate = 10;
  Trainer t(std::make_unique<Engine>(s));
  t.post(cmd::Play{});
  ASSERT_TRUE(wait_until(t, [](const Snapshot& x) { return x.state == RunState::Diverged; }));
  const auto snap = t.snapshot();
  EXPECT_NE(snap->message.find("diverged at step"), std::string::npos);
  for (float p : snap->params) EXPECT_TRUE(std::isfinite(p));
  t.post(cmd::Reset{true});
  ASSERT_TRUE(wait_until(t, [](const Snapshot& x) { return x.state != RunState::Diverged && x.step == 0; }));
}

TEST(Trainer, StopRuleFinishesTheRun) {
  Trainer t(std::make_unique<Engine>(full_speed()));
  t.post(cmd::SetStop{{StopRule::Kind::Steps, 500, 1, 0}});
  t.post(cmd::Play{});
  ASSERT_TRUE(wait_until(t, [](const Snapshot& s) { return s.state == RunState::Finished; }));
  EXPECT_EQ(t.snapshot()->step, 500);
}

TEST(Trainer, ThousandsOfRandomCommandsNeitherDeadlockNorCorrupt) {
  Trainer t(std::make_unique<Engine>(default_settings()));
  std::atomic<bool> stop{false};
  std::atomic<long> reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r)
    readers.emplace_back([&] {
      while (!stop) {
        auto s = t.snapshot();
        // A snapshot is internally consistent: its parameters fit its layout.
        if (static_cast<int>(s->params.size()) != s->layout.num_params) std::abort();
        ++reads;
      }
    });
  core::Rng rng(42);
  for (int i = 0; i < 5000; ++i) {
    switch (rng.below(12)) {
      case 0: t.post(cmd::Play{}); break;
      case 1: t.post(cmd::Pause{}); break;
      case 2: t.post(cmd::Step{1 + static_cast<int>(rng.below(5))}); break;
      case 3: t.post(cmd::Reset{rng.below(2) == 0}); break;
      case 4: {
        core::NetSpec n = default_settings().net;
        const int depth = static_cast<int>(rng.below(4));
        n.widths.assign(depth, 1 + static_cast<int>(rng.below(16)));
        n.activations.assign(depth, static_cast<core::Activation>(rng.below(core::kNumActivations)));
        t.post(cmd::SetNet{n});
        break;
      }
      case 5: t.post(cmd::AddPoint{rng.uniform(-1, 1), rng.uniform(-1, 1), static_cast<int>(rng.below(2))}); break;
      case 6: t.post(cmd::RemoveNearest{rng.uniform(-1, 1), rng.uniform(-1, 1)}); break;
      case 7: t.post(cmd::SetSpeed{rng.below(2) ? 0.0 : 1000.0}); break;
      case 8: {
        core::OptimizerSpec o = default_settings().optimizer;
        o.learning_rate = rng.uniform(0.0001, 0.5);
        o.batch_size = 1 + static_cast<int>(rng.below(64));
        o.kind = static_cast<core::OptimizerKind>(rng.below(core::kNumOptimizerKinds));
        t.post(cmd::SetOptimizer{o});
        break;
      }
      case 9: {
        core::DataSpec d = default_settings().data;
        d.seed = rng.below(100);
        d.points = 20 + static_cast<int>(rng.below(300));
        t.post(cmd::SetData{d});
        break;
      }
      case 10: t.post(cmd::ClearPoints{}); break;
      case 11: t.post(cmd::SetStop{{StopRule::Kind::Steps, 1 + static_cast<long long>(rng.below(1000)), 1, 0}}); break;
    }
    if (i % 50 == 0) std::this_thread::sleep_for(100us);
  }
  t.post(cmd::Pause{});
  const bool done = wait_until(t, [&](const Snapshot&) { return settled(t); }, 60000ms);
  stop = true;
  for (auto& r : readers) r.join();
  ASSERT_TRUE(done) << "the trainer stopped applying commands";
  EXPECT_GT(reads.load(), 100);
  const auto s = t.snapshot();
  EXPECT_EQ(static_cast<int>(s->params.size()), s->layout.num_params);
}

TEST(Trainer, DestroyingWhileRunningJoinsPromptly) {
  const auto t0 = std::chrono::steady_clock::now();
  {
    Trainer t(std::make_unique<Engine>(full_speed()));
    t.post(cmd::Play{});
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
}

}  // namespace
}  // namespace mlpviz::train
