// Compared runs (train/lockstep.hpp): stepped to a moving target on one thread, each run's
// parameters equal its engine stepped alone, bit for bit; commands apply in order; runs can go
// while others step. Also run under ThreadSanitizer (scripts/test.sh: the Lockstep. tests).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include "train/engine.hpp"
#include "train/lockstep.hpp"

namespace mlpviz::train {
namespace {

using namespace std::chrono_literals;

Settings with(core::Activation a, std::vector<int> widths, core::OptimizerKind opt = core::OptimizerKind::Adam) {
  Settings s = default_settings();
  s.net.widths = std::move(widths);
  s.net.activations.assign(s.net.widths.size(), a);
  s.optimizer.kind = opt;
  return s;
}

// Waits until the run's published snapshot is at `step` (the deadline only guards against a hang).
std::shared_ptr<const Snapshot> wait_for(const Lockstep& l, Lockstep::RunId id, std::int64_t step) {
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  for (;;) {
    auto s = l.snapshot(id);
    if (s && s->step == step) return s;
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "run " << id << " never published step " << step << " (at " << (s ? s->step : -1) << ")";
      return s;
    }
    std::this_thread::sleep_for(1ms);
  }
}

bool same_bits(const core::Params& a, const core::Params& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(a[0])) == 0;
}

TEST(Lockstep, RunsFollowTheTargetAndEqualEnginesAlone) {
  const std::vector<Settings> settings = {with(core::Activation::Tanh, {8, 8}), with(core::Activation::Relu, {8, 8}),
                                          with(core::Activation::Tanh, {32}, core::OptimizerKind::Sgd)};
  Lockstep l;
  std::vector<Lockstep::RunId> ids;
  for (const Settings& s : settings) ids.push_back(l.add(std::make_unique<Engine>(s)));
  ASSERT_EQ(l.size(), 3u);
  for (Lockstep::RunId id : ids) EXPECT_EQ(l.snapshot(id)->step, 0);
  // The target moves in uneven jumps, as the main run's published step does.
  for (std::int64_t target : {1, 37, 250, 251, 600}) {
    l.set_target(target);
    for (Lockstep::RunId id : ids) wait_for(l, id, target);
  }
  for (std::size_t i = 0; i < settings.size(); ++i) {
    Engine alone(settings[i]);
    for (int k = 0; k < 600; ++k) ASSERT_TRUE(alone.step());
    const auto s = l.snapshot(ids[i]);
    ASSERT_EQ(s->step, 600);
    EXPECT_TRUE(same_bits(s->params, alone.params())) << "run " << i << " differs from its engine stepped alone";
  }
  // A target behind the runs: they wait (no step back, no step on).
  l.set_target(100);
  std::this_thread::sleep_for(20ms);
  for (Lockstep::RunId id : ids) EXPECT_EQ(l.snapshot(id)->step, 600);
}

TEST(Lockstep, CommandsApplyBeforeTheNextSteps) {
  Lockstep l;
  const Settings s = with(core::Activation::Tanh, {8, 8});
  const auto id = l.add(std::make_unique<Engine>(s));
  core::OptimizerSpec opt = s.optimizer;
  opt.learning_rate = 0.05;
  l.post(id, cmd::SetOptimizer{opt});
  l.set_target(300);
  const auto snap = wait_for(l, id, 300);
  Engine alone(s);
  ASSERT_FALSE(alone.apply(cmd::SetOptimizer{opt}).has_value());
  for (int k = 0; k < 300; ++k) ASSERT_TRUE(alone.step());
  EXPECT_TRUE(same_bits(snap->params, alone.params()));
  EXPECT_EQ(snap->settings.optimizer.learning_rate, 0.05);
  // A new shape is a new run at step 0; it catches up with the target again.
  core::NetSpec net = s.net;
  net.widths = {4};
  net.activations = {core::Activation::Relu};
  l.post(id, cmd::SetNet{net});
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  auto again = l.snapshot(id);
  while (!(again->layout.sizes == std::vector<int>{2, 4, 1} && again->step == 300) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
    again = l.snapshot(id);
  }
  EXPECT_EQ(again->layout.sizes, (std::vector<int>{2, 4, 1}));
  EXPECT_EQ(again->step, 300);
}

TEST(Lockstep, RunsGoWhileOthersStep) {
  Lockstep l;
  const auto a = l.add(std::make_unique<Engine>(with(core::Activation::Tanh, {16, 16})));
  const auto b = l.add(std::make_unique<Engine>(with(core::Activation::Relu, {16, 16})));
  l.set_target(1'000'000'000);  // far away: both keep stepping
  std::this_thread::sleep_for(20ms);
  l.remove(a);
  EXPECT_EQ(l.snapshot(a), nullptr);
  EXPECT_EQ(l.size(), 1u);
  l.post(a, cmd::Reset{});  // an unknown run: ignored
  const auto before = l.snapshot(b)->step;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (l.snapshot(b)->step == before && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  EXPECT_GT(l.snapshot(b)->step, before) << "the other run stopped stepping";
  // The destructor stops the thread with a run mid-way.
}

// The window forwards the main run's data edits, resets and seeds to its compared runs: after the
// same commands a compared run has the main run's points and starts from the same weights.
TEST(Lockstep, SharedCommandsKeepComparedRunsOnTheMainRunsDataAndSeeds) {
  const Settings tanh = with(core::Activation::Tanh, {8, 8});
  Settings relu = tanh;
  std::fill(relu.net.activations.begin(), relu.net.activations.end(), core::Activation::Relu);
  Engine main(tanh);
  Lockstep l;
  const auto id = l.add(std::make_unique<Engine>(relu, main.data()));
  core::DataSpec spiral = tanh.data;
  spiral.kind = core::DataKind::Spiral;
  spiral.seed = 9;
  const std::vector<Command> edits = {cmd::SetData{spiral}, cmd::AddPoint{0.25, -0.5, 1}, cmd::AddPoint{1.0, 1.0, 0},
                                      cmd::RemoveNearest{0.3, -0.4}, cmd::SetWeightSeed{7}, cmd::SetSpeed{10.0},
                                      cmd::Pause{}};
  std::vector<Command> shared;
  for (const Command& c : edits) {
    ASSERT_FALSE(main.apply(c).has_value());
    if (Lockstep::shared_with_compared(c)) shared.push_back(c);
  }
  EXPECT_EQ(shared.size(), 5u) << "data, points and the seed go along; the pace and play state do not";
  l.post(id, shared);
  l.set_target(50);
  for (int k = 0; k < 50; ++k) ASSERT_TRUE(main.step());
  const auto s = wait_for(l, id, 50);
  ASSERT_EQ(s->data->points.size(), main.data().points.size());
  for (std::size_t i = 0; i < s->data->points.size(); ++i) {
    EXPECT_EQ(s->data->points[i].x1, main.data().points[i].x1);
    EXPECT_EQ(s->data->points[i].x2, main.data().points[i].x2);
    EXPECT_EQ(s->data->points[i].label, main.data().points[i].label);
  }
  EXPECT_EQ(s->settings.weight_seed, 7u);
  // Its own network (ReLU), on that data from seed 7: as an engine made so and stepped alone.
  Settings alone_settings = main.settings();
  alone_settings.net = relu.net;
  Engine alone(alone_settings, main.data());
  for (int k = 0; k < 50; ++k) ASSERT_TRUE(alone.step());
  EXPECT_TRUE(same_bits(s->params, alone.params()));
}

// The line Compare shows under each compared view.
TEST(Lockstep, ASessionsComparedRunsAreBroughtToTheMainRunsStepAsAlone) {
  // What `mlpviz train --save` writes of a session's comparison: each compared run at the main
  // run's step with its engine's own parameters; a diverging one where it stopped; one already past
  // the step as it was; a bad entry named.
  Session s;
  s.settings = default_settings();
  const Settings relu = with(core::Activation::Relu, {8, 8}), sgd = with(core::Activation::Tanh, {4}, core::OptimizerKind::Sgd);
  Settings exploding = with(core::Activation::Relu, {8, 8});
  exploding.optimizer.learning_rate = 10.0;  // ReLU with Adam at lr 10 explodes within a few steps
  s.compared.push_back({relu, std::nullopt, std::nullopt});
  s.compared.push_back({sgd, std::nullopt, std::nullopt});
  s.compared.push_back({exploding, std::nullopt, std::nullopt});
  const Engine main(s.settings);
  const std::vector<ComparedRunSave> out = compared_at_step(s, main.data(), 400);
  ASSERT_EQ(out.size(), 3u);
  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    Engine alone(i == 0 ? relu : sgd, main.data());
    for (int k = 0; k < 400; ++k) ASSERT_TRUE(alone.step());
    ASSERT_TRUE(out[i].params && out[i].progress);
    EXPECT_EQ(out[i].progress->step, 400);
    EXPECT_TRUE(out[i].settings == (i == 0 ? relu : sgd));
    ASSERT_EQ(out[i].params->size(), alone.params().size());
    for (std::size_t p = 0; p < out[i].params->size(); ++p)
      ASSERT_EQ((*out[i].params)[p], static_cast<double>(alone.params().data()[p])) << "parameter " << p;
  }
  ASSERT_TRUE(out[2].progress);
  EXPECT_LT(out[2].progress->step, 400) << "a diverging run stays where it stopped";

  // A run already past the step is kept as it is; a bad entry is named.
  Session ahead = s;
  ahead.compared = {out[0]};
  const std::vector<ComparedRunSave> kept = compared_at_step(ahead, main.data(), 100);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].progress->step, 400);
  EXPECT_EQ(*kept[0].params, *out[0].params);
  Session bad = s;
  bad.compared[1] = out[1];
  bad.compared[1].progress->step = -1;  // contradicts itself (the loader refuses such files)
  try {
    (void)compared_at_step(bad, main.data(), 10);
    ADD_FAILURE() << "a compared run at step -1 was taken";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("compared[1]"), std::string::npos) << e.what();
  }
}

TEST(DescribeDifference, NamesWhatDiffers) {
  const Settings base = default_settings();  // 8-8 tanh, adam 0.01
  EXPECT_EQ(describe_difference(base, base), "same settings");
  Settings s = base;
  std::fill(s.net.activations.begin(), s.net.activations.end(), core::Activation::Relu);
  EXPECT_EQ(describe_difference(base, s), "relu vs tanh");
  s = base;
  std::fill(s.net.widths.begin(), s.net.widths.end(), 32);
  EXPECT_EQ(describe_difference(base, s), "width 32 vs 8");
  s = base;
  s.net.widths = {8, 8, 8};
  s.net.activations.assign(3, core::Activation::Tanh);
  EXPECT_EQ(describe_difference(base, s), "depth 3 vs 2");
  s = base;
  s.net.widths = {4, 16};
  EXPECT_EQ(describe_difference(base, s), "widths 4,16 vs 8,8");
  s = base;
  s.optimizer.kind = core::OptimizerKind::Sgd;
  s.optimizer.learning_rate = 0.1;
  EXPECT_EQ(describe_difference(base, s), "sgd vs adam, lr 0.1 vs 0.01");
  s = base;
  s.net.activations = {core::Activation::Relu, core::Activation::Tanh};
  EXPECT_EQ(describe_difference(base, s), "relu,tanh vs tanh");
}

}  // namespace
}  // namespace mlpviz::train
