// The training run (single-threaded): commands, determinism, divergence, stopping, history,
// timeline, unit health metrics.
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"

namespace mlpviz::train {
namespace {

TEST(Engine, SameSettingsGiveBitIdenticalParameters) {
  const Settings s = default_settings();
  Engine a(s), b(s);
  for (int i = 0; i < 2000; ++i) {
    ASSERT_TRUE(a.step());
    ASSERT_TRUE(b.step());
    if (i % 7 == 0) {  // reading snapshots and metrics must not disturb training
      b.update_metrics();
      (void)b.make_snapshot(static_cast<std::uint64_t>(i));
    }
  }
  EXPECT_EQ(a.params(), b.params());
  Settings other = s;
  other.weight_seed = 2;
  Engine c(other);
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(c.step());
  EXPECT_NE(a.params(), c.params());
}

TEST(Engine, DataSeedAndWeightSeedAreSeparate) {
  Settings s = default_settings();
  Engine a(s);
  s.data.seed = 99;
  Engine b(s);
  EXPECT_EQ(a.params(), b.params()) << "same weight seed, same initial weights";
  EXPECT_NE(a.data(), b.data());
}

TEST(Engine, CheapSettingsKeepTheNetworkShapeChangesRebuildIt) {
  Engine e(default_settings());
  for (int i = 0; i < 100; ++i) e.step();
  const auto trained = e.params();
  core::OptimizerSpec o = e.settings().optimizer;
  o.learning_rate = 0.001;
  o.batch_size = 32;
  o.l2 = 0.01;
  o.kind = core::OptimizerKind::Momentum;
  ASSERT_FALSE(e.apply(cmd::SetOptimizer{o}).has_value());
  EXPECT_EQ(e.params(), trained);
  EXPECT_EQ(e.step_count(), 100);
  ASSERT_FALSE(e.apply(cmd::AddPoint{0.1, 0.2, 1}).has_value());
  EXPECT_EQ(e.params(), trained) << "editing data does not re-initialize";
  EXPECT_EQ(e.data().points.back(), (core::Point{0.1, 0.2, 1, false}));
  ASSERT_FALSE(e.apply(cmd::RemoveNearest{0.1, 0.2}).has_value());
  EXPECT_EQ(e.params(), trained);
  EXPECT_EQ(e.data().points.size(), 400u);

  core::NetSpec n = e.settings().net;
  n.widths = {5};
  n.activations = {core::Activation::Relu};
  ASSERT_FALSE(e.apply(cmd::SetNet{n}).has_value());
  EXPECT_EQ(e.layout().sizes, (std::vector<int>{2, 5, 1}));
  EXPECT_EQ(e.step_count(), 0);
}

TEST(Engine, ResetWithSameOrNewWeights) {
  Engine e(default_settings());
  const auto initial = e.params();
  for (int i = 0; i < 50; ++i) e.step();
  ASSERT_NE(e.params(), initial);
  ASSERT_FALSE(e.apply(cmd::Reset{false}).has_value());
  EXPECT_EQ(e.params(), initial);
  EXPECT_EQ(e.step_count(), 0);
  ASSERT_FALSE(e.apply(cmd::Reset{true}).has_value());
  EXPECT_NE(e.params(), initial);
  EXPECT_EQ(e.settings().weight_seed, 2u);
}

TEST(Engine, InvalidCommandsChangeNothing) {
  Engine e(default_settings());
  const Settings before = e.settings();
  const auto params = e.params();
  core::NetSpec n = before.net;
  n.widths = {65, 8};
  auto err = e.apply(cmd::SetNet{n});
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find("network.widths[0] = 65"), std::string::npos) << *err;
  n = before.net;
  n.widths.assign(9, 4);
  n.activations.assign(9, core::Activation::Relu);
  EXPECT_NE(e.apply(cmd::SetNet{n}).value_or("").find("network.depth = 9"), std::string::npos);
  core::OptimizerSpec o = before.optimizer;
  o.learning_rate = 0;
  EXPECT_NE(e.apply(cmd::SetOptimizer{o}).value_or("").find("optimizer.learning_rate"), std::string::npos);
  o.learning_rate = 1e6;
  EXPECT_TRUE(e.apply(cmd::SetOptimizer{o}).has_value());
  o = before.optimizer;
  o.batch_size = 0;
  EXPECT_NE(e.apply(cmd::SetOptimizer{o}).value_or("").find("optimizer.batch_size"), std::string::npos);
  EXPECT_TRUE(e.apply(cmd::AddPoint{0, 0, 2}).has_value()) << "label 2 in a 2-class problem";
  EXPECT_TRUE(e.apply(cmd::AddPoint{NAN, 0, 0}).has_value());
  EXPECT_TRUE(e.apply(cmd::SetSpeed{-1}).has_value());
  EXPECT_TRUE(e.apply(cmd::SetParam{100000, 1.0}).has_value());
  EXPECT_TRUE(e.apply(cmd::SetParams{{1.0, 2.0}}).has_value());
  EXPECT_EQ(e.settings(), before);
  EXPECT_EQ(e.params(), params);
}

TEST(Engine, BatchLargerThanDataIsClampedToIt) {
  Settings s = default_settings();
  s.optimizer.batch_size = 5000;
  Engine e(s);
  EXPECT_EQ(e.effective_batch(), e.data().count(false));
  ASSERT_TRUE(e.step());
  ASSERT_TRUE(e.step());
  EXPECT_EQ(e.epoch(), 1);
}

TEST(Engine, EpochsCountPassesOverTheTrainingSet) {
  Settings s = default_settings();  // 280 training points, batch 10: 28 steps an epoch
  Engine e(s);
  for (int i = 0; i < 28; ++i) e.step();
  EXPECT_EQ(e.epoch(), 0);
  e.step();
  EXPECT_EQ(e.epoch(), 1);
}

TEST(Engine, DivergenceStopsKeepsLastGoodWeightsAndSaysSo) {
  Settings s = default_settings();
  s.net.activations = {core::Activation::Relu, core::Activation::Relu};
  s.net.output = core::OutputKind::LinearMse;
  s.optimizer.kind = core::OptimizerKind::Sgd;
  s.optimizer.learning_rate = 10;
  Engine e(s);
  e.set_state(RunState::Running);
  core::Params last_good;
  int steps = 0;
  while (steps < 10000) {
    last_good = e.params();
    if (!e.step()) break;
    ++steps;
  }
  ASSERT_EQ(e.state(), RunState::Diverged) << "lr 10 with ReLU and MSE must diverge";
  EXPECT_EQ(e.params(), last_good);
  for (float p : e.params()) EXPECT_TRUE(std::isfinite(p));
  EXPECT_NE(e.message().find("diverged at step " + std::to_string(steps + 1)), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("lower the learning rate"), std::string::npos);
  EXPECT_FALSE(e.step()) << "no steps after divergence until the user acts";
  ASSERT_FALSE(e.apply(cmd::Reset{false}).has_value());
  EXPECT_NE(e.state(), RunState::Diverged);
  EXPECT_TRUE(e.step());
}

TEST(Engine, StoppingRules) {
  Settings s = default_settings();
  Engine e(s);
  EXPECT_FALSE(e.stop_rule_met());
  ASSERT_FALSE(e.apply(cmd::SetStop{{StopRule::Kind::Steps, 30, 1, 0}}).has_value());
  for (int i = 0; i < 29; ++i) e.step();
  EXPECT_FALSE(e.stop_rule_met());
  e.step();
  EXPECT_TRUE(e.stop_rule_met());
  ASSERT_FALSE(e.apply(cmd::SetStop{{StopRule::Kind::Epochs, 1, 2, 0}}).has_value());
  EXPECT_FALSE(e.stop_rule_met());
  while (e.epoch() < 2) e.step();
  EXPECT_TRUE(e.stop_rule_met());
  ASSERT_FALSE(e.apply(cmd::SetStop{{StopRule::Kind::TargetLoss, 1, 1, 0.05}}).has_value());
  e.update_metrics();
  EXPECT_FALSE(e.stop_rule_met());
  for (int i = 0; i < 20000 && !e.stop_rule_met(); ++i) {
    e.step();
    if (i % 100 == 0) e.update_metrics();
  }
  EXPECT_LE(e.metrics().train_loss, 0.05);
}

TEST(Engine, HistoryAndTimelineStayBounded) {
  Engine e(default_settings());
  for (int i = 0; i < 200000; ++i) {
    e.step();
    if (i % 20 == 0) e.update_metrics();
  }
  const auto snap = e.make_snapshot(1);
  EXPECT_LE(static_cast<int>(snap->history.size()), kHistoryCapacity);
  EXPECT_GE(static_cast<int>(snap->history.size()), kHistoryCapacity / 4);
  EXPECT_LE(static_cast<int>(snap->timeline.size()), kTimelineCapacity);
  EXPECT_GE(static_cast<int>(snap->timeline.size()), kTimelineCapacity / 2);
  EXPECT_EQ(snap->timeline.front()->step, 0);
  for (std::size_t i = 1; i < snap->history.size(); ++i) EXPECT_LT(snap->history[i - 1].step, snap->history[i].step);
  for (std::size_t i = 1; i < snap->timeline.size(); ++i) EXPECT_LT(snap->timeline[i - 1]->step, snap->timeline[i]->step);
}

TEST(Metrics, DeadReluUnitsAreFound) {
  Settings s = default_settings();
  s.net.widths = {4};
  s.net.activations = {core::Activation::Relu};
  Engine e(s);
  // Unit 2 gets a huge negative bias: z < 0 on every point, so it is dead.
  std::vector<double> p(e.params().begin(), e.params().end());
  p[e.layout().layers[0].b_offset + 2] = -100.0;
  ASSERT_FALSE(e.apply(cmd::SetParams{p}).has_value());
  const auto& units = e.metrics().units;
  ASSERT_EQ(units.size(), 1u);
  EXPECT_TRUE(units[0][2].dead);
  EXPECT_EQ(units[0][2].active_fraction, 0.0f);
  EXPECT_EQ(e.metrics().dead_units, 1);
  for (int u : {0, 1, 3}) EXPECT_FALSE(units[0][u].dead);
}

TEST(Metrics, SaturatedTanhUnitsAreMeasured) {
  Settings s = default_settings();
  s.net.widths = {2};
  s.net.activations = {core::Activation::Tanh};
  Engine e(s);
  std::vector<double> p(e.params().begin(), e.params().end());
  const auto& l1 = e.layout().layers[0];
  p[l1.w_offset + 0] = 50.0;  // unit 0: z = 50 x1: saturated nearly everywhere
  p[l1.w_offset + 2] = 0.0;
  p[l1.w_offset + 1] = 0.001;  // unit 1: z ~ 0: linear regime
  p[l1.w_offset + 3] = 0.0;
  p[l1.b_offset + 0] = p[l1.b_offset + 1] = 0.0;
  ASSERT_FALSE(e.apply(cmd::SetParams{p}).has_value());
  const auto& u = e.metrics().units[0];
  EXPECT_GT(u[0].saturated_fraction, 0.9f);
  EXPECT_EQ(u[1].saturated_fraction, 0.0f);
  EXPECT_GT(u[0].mean_abs_activation, 0.9f);
}

TEST(Metrics, GradientNormsPerLayerAndConfusion) {
  Engine e(default_settings());
  const auto& m = e.metrics();
  ASSERT_EQ(m.grad_norm.size(), 3u);
  for (double g : m.grad_norm) EXPECT_GT(g, 0.0);
  int total = 0;
  for (int c : m.confusion) total += c;
  EXPECT_EQ(total, e.data().count(true));
}

TEST(Engine, ChangingToThreeClassDataRebuildsTheOutput) {
  Engine e(default_settings());
  core::DataSpec d = e.settings().data;
  d.kind = core::DataKind::Spiral;
  d.classes = 3;
  ASSERT_FALSE(e.apply(cmd::SetData{d}).has_value());
  EXPECT_EQ(e.layout().sizes.back(), 3);
  EXPECT_EQ(e.settings().net.output, core::OutputKind::SoftmaxCe);
  EXPECT_TRUE(e.step());
}

TEST(Engine, NoTrainingPointsIsAMessageNotACrash) {
  Engine e(default_settings());
  ASSERT_FALSE(e.apply(cmd::ClearPoints{}).has_value());
  EXPECT_FALSE(e.step());
  EXPECT_NE(e.message().find("no training points"), std::string::npos);
  ASSERT_FALSE(e.apply(cmd::AddPoint{0.5, 0.5, 1}).has_value());
  EXPECT_TRUE(e.step());
}

TEST(Engine, FullGradientMatchesFiniteDifferences) {
  Engine e(default_settings());
  std::vector<double> g;
  const double loss = e.full_gradient(g);
  EXPECT_NEAR(loss, e.metrics().train_loss, 1e-5);
  std::vector<double> p(e.params().begin(), e.params().end());
  for (int i : {0, 5, 20, static_cast<int>(p.size()) - 1}) {
    Engine up(e.settings()), down(e.settings());
    auto q = p;
    q[i] += 1e-3;
    up.apply(cmd::SetParams{q});
    q[i] -= 2e-3;
    down.apply(cmd::SetParams{q});
    std::vector<double> unused;
    const double numeric = (up.full_gradient(unused) - down.full_gradient(unused)) / 2e-3;
    EXPECT_NEAR(numeric, g[i], 1e-4 + 1e-3 * std::abs(g[i]));
  }
}

}  // namespace
}  // namespace mlpviz::train
