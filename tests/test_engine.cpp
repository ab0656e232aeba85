// The training run (single-threaded): commands, determinism, divergence, stopping, history,
// timeline, unit health metrics.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>
#include <functional>

#include "test_util.hpp"
#include "train/session.hpp"
#include <nlohmann/json.hpp>

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

// Runs `steps` steps that must all succeed.
void run_steps(Engine& e, int steps) {
  for (int i = 0; i < steps; ++i) ASSERT_TRUE(e.step()) << "step " << i + 1 << ": " << e.message();
}

// A diverged engine names the step N that blew up and keeps the weights of step N-1: the weights an
// identical engine holds after N-1 steps (training is deterministic), finite and below the
// threshold, while those of step N were above it.
void expect_diverged_keeping_the_step_before(Engine& e, const Settings& s) {
  ASSERT_EQ(e.state(), RunState::Diverged);
  const std::int64_t kept = e.step_count();
  const std::string& m = e.message();
  EXPECT_NE(m.find("diverged at step " + std::to_string(kept + 1) + ":"), std::string::npos) << m;
  EXPECT_NE(m.find("(weights kept from step " + std::to_string(kept) + ")"), std::string::npos)
      << m;
  EXPECT_NE(m.find("lower the learning rate"), std::string::npos) << m;
  for (float p : e.params()) ASSERT_TRUE(std::isfinite(p));
  Engine twin(s);
  run_steps(twin, static_cast<int>(kept));
  EXPECT_EQ(e.params(), twin.params()) << "the weights of step " << kept;
  e.update_metrics();
  EXPECT_LE(e.metrics().train_loss, e.divergence_threshold());
  if (twin.step()) {  // the update that was undone (unless it overflowed outright)
    twin.update_metrics();
    EXPECT_FALSE(twin.metrics().train_loss <= e.divergence_threshold())
        << "step " << kept + 1 << " was not bad";
  }
  const auto snap = e.make_snapshot(1);
  EXPECT_EQ(snap->state, RunState::Diverged);
  EXPECT_EQ(snap->step, kept);
  EXPECT_EQ(snap->params, e.params());
  for (const auto& f : snap->timeline)
    EXPECT_LE(f->step, kept) << "a timeline frame of the undone step";
}

Settings relu_lr10(core::OptimizerKind kind) {
  Settings s = default_settings();  // two moons, 2-[8,8]-1, sigmoid + BCE, batch 10
  s.net.activations = {core::Activation::Relu, core::Activation::Relu};
  s.optimizer.kind = kind;
  s.optimizer.learning_rate = 10;
  return s;
}

TEST(Engine, DivergenceStopsKeepsLastGoodWeightsAndSaysSo) {
  Settings s = relu_lr10(core::OptimizerKind::Sgd);
  s.net.output = core::OutputKind::LinearMse;
  Engine e(s);
  e.set_state(RunState::Running);
  for (int i = 0; i < 10000 && e.step(); ++i) {
  }
  ASSERT_EQ(e.state(), RunState::Diverged) << "lr 10 with ReLU and MSE must diverge";
  expect_diverged_keeping_the_step_before(e, s);
  const auto kept = e.params();
  EXPECT_FALSE(e.step()) << "no steps after divergence until the user acts";
  EXPECT_EQ(e.params(), kept);
  ASSERT_FALSE(e.apply(cmd::Reset{false}).has_value());
  EXPECT_NE(e.state(), RunState::Diverged);
  EXPECT_TRUE(e.step());
}

TEST(Engine, LossExplosionWithoutOverflowIsDivergence) {
  // ReLU at lr 10 with Adam (the default optimizer): no NaN or Inf ever appears, but the loss
  // jumps by three orders of magnitude. It must pause within a few steps and say so, whatever is
  // read in between (metrics and snapshots after every step here, none in the twin).
  const Settings s = relu_lr10(core::OptimizerKind::Adam);
  Engine e(s);
  e.set_state(RunState::Running);
  for (int i = 0; i < 10 && e.step(); ++i) {
    e.update_metrics();
    (void)e.make_snapshot(static_cast<std::uint64_t>(i));
  }
  ASSERT_EQ(e.state(), RunState::Diverged) << "still " << name(e.state()) << " after 10 steps";
  EXPECT_NE(e.message().find("the loss rose to "), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("over 100x"), std::string::npos) << e.message();
  expect_diverged_keeping_the_step_before(e, s);
}

TEST(Engine, ResetOrALowerLearningRateRecoversFromALossExplosion) {
  const Settings s = relu_lr10(core::OptimizerKind::Adam);
  core::OptimizerSpec slower = s.optimizer;
  slower.learning_rate = 0.01;
  // Reset: the initial weights again; with a sane learning rate training goes on and learns.
  Engine e(s);
  for (int i = 0; i < 10 && e.step(); ++i) {
  }
  ASSERT_EQ(e.state(), RunState::Diverged);
  ASSERT_FALSE(e.apply(cmd::SetOptimizer{slower}).has_value());
  ASSERT_FALSE(e.apply(cmd::Reset{false}).has_value());
  EXPECT_EQ(e.state(), RunState::Paused);
  EXPECT_EQ(e.step_count(), 0);
  EXPECT_EQ(e.message(), "");
  run_steps(e, 3000);
  e.update_metrics();
  EXPECT_LT(e.metrics().train_loss, e.chance_loss()) << "it learns again";
  // Play on from the kept weights: the check starts afresh and does not fire at once.
  Engine f(s);
  for (int i = 0; i < 10 && f.step(); ++i) {
  }
  ASSERT_EQ(f.state(), RunState::Diverged);
  const std::int64_t kept = f.step_count();
  ASSERT_FALSE(f.apply(cmd::SetOptimizer{slower}).has_value());
  ASSERT_FALSE(f.apply(cmd::Play{}).has_value());
  EXPECT_EQ(f.state(), RunState::Running);
  run_steps(f, 3000);
  EXPECT_EQ(f.step_count(), kept + 3000);
}

TEST(Engine, HealthyRunsStayFarBelowTheDivergenceThreshold) {
  // No false positives: ordinary settings (learning rates 0.01 to 1, batch 1 and 10, every
  // optimizer, three data sets) never diverge, and the loss the check compares (the data loss on
  // the metrics sample, which metrics().train_loss equals without regularization) stays under a
  // fifth of the threshold at every step.
  struct Case {
    const char* name;
    core::Activation act;
    core::OptimizerKind opt;
    double lr;
    int batch;
    core::DataKind data;
    int classes;
  };
  using A = core::Activation;
  using O = core::OptimizerKind;
  using D = core::DataKind;
  const Case cases[] = {
      {"default session", A::Tanh, O::Adam, 0.01, 10, D::Moons, 2},
      {"relu sgd lr 1 batch 10 moons", A::Relu, O::Sgd, 1.0, 10, D::Moons, 2},
      {"relu sgd lr 0.1 batch 1 xor", A::Relu, O::Sgd, 0.1, 1, D::Xor, 2},
      {"tanh sgd lr 1 batch 10 spiral", A::Tanh, O::Sgd, 1.0, 10, D::Spiral, 2},
      {"relu momentum lr 0.01 batch 1 spiral 3 classes", A::Relu, O::Momentum, 0.01, 1, D::Spiral,
       3},
      {"tanh momentum lr 0.1 batch 10 xor", A::Tanh, O::Momentum, 0.1, 10, D::Xor, 2},
      {"tanh adam lr 0.1 batch 1 moons", A::Tanh, O::Adam, 0.1, 1, D::Moons, 2},
      {"relu adam lr 0.01 batch 10 spiral", A::Relu, O::Adam, 0.01, 10, D::Spiral, 2},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Settings s = default_settings();
    s.net.activations = {c.act, c.act};
    s.optimizer.kind = c.opt;
    s.optimizer.learning_rate = c.lr;
    s.optimizer.batch_size = c.batch;
    s.data.kind = c.data;
    s.data.classes = s.net.classes = c.classes;
    if (c.classes > 2) s.net.output = core::OutputKind::SoftmaxCe;
    Engine e(s);
    const double threshold = e.divergence_threshold();
    ASSERT_GE(threshold, kExplodeFactor * e.chance_loss());
    double worst = e.metrics().train_loss;
    for (int i = 0; i < 5000; ++i) {
      ASSERT_TRUE(e.step()) << "step " << i + 1 << ": " << e.message();
      e.update_metrics();
      worst = std::max(worst, e.metrics().train_loss);
    }
    EXPECT_NE(e.state(), RunState::Diverged);
    EXPECT_EQ(e.divergence_threshold(), threshold);
    EXPECT_LT(worst, 0.2 * threshold) << "highest loss " << worst << ", threshold " << threshold;
  }
}

TEST(Engine, ChanceLossIsTheLossOfPredictingTheClassShares) {
  // Two moons: half and half. Binary entropy ln 2 for BCE; MSE 1/2 p (1 - p) = 1/8.
  Settings s = default_settings();
  EXPECT_NEAR(Engine(s).chance_loss(), std::log(2.0), 0.01);
  s.net.output = core::OutputKind::LinearMse;
  EXPECT_NEAR(Engine(s).chance_loss(), 0.125, 0.002);
  // Three balanced spiral classes with softmax: ln 3.
  s = default_settings();
  s.data.kind = core::DataKind::Spiral;
  s.data.classes = s.net.classes = 3;
  s.net.output = core::OutputKind::SoftmaxCe;
  EXPECT_NEAR(Engine(s).chance_loss(), std::log(3.0), 0.01);
  // A single class: chance is 0; the floor keeps a usable threshold.
  Engine one(default_settings());
  const std::vector<core::Point> ones = {
      {0.1, 0.2, 1, false}, {0.3, 0.1, 1, false}, {0.5, 0.5, 1, false}};
  ASSERT_FALSE(one.apply(cmd::SetPoints{ones, 2}).has_value());
  EXPECT_EQ(one.chance_loss(), kChanceLossFloor);
  run_steps(one, 1000);
}

TEST(Engine, DataInLargeUnitsIsNotMistakenForDivergence) {
  // Coordinates in thousands (allowed up to 1e6): the untrained network's loss starts in the
  // hundreds, far above chance. The threshold follows the starting loss, so training at a sane
  // rate does not "diverge" on step 1.
  Settings s = default_settings();
  s.net.activations = {core::Activation::Relu, core::Activation::Relu};  // unbounded outputs
  Engine e(s);
  std::vector<core::Point> pts = e.data().points;
  for (core::Point& p : pts) {
    p.x1 *= 1000;
    p.x2 *= 1000;
  }
  ASSERT_FALSE(e.apply(cmd::SetPoints{pts, 2}).has_value());
  ASSERT_GT(e.metrics().train_loss, kExplodeFactor * e.chance_loss())
      << "the premise: a huge starting loss";
  run_steps(e, 2000);
  EXPECT_NE(e.state(), RunState::Diverged);
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
  // A 200,000-step run: every step up to 64, then about 147 points per decade.
  EXPECT_GE(static_cast<int>(snap->history.size()), 400);
  EXPECT_LE(static_cast<int>(snap->timeline.size()), kTimelineCapacity);
  EXPECT_GE(static_cast<int>(snap->timeline.size()), kTimelineCapacity / 2);
  EXPECT_EQ(snap->timeline.front()->step, 0);
  for (std::size_t i = 1; i < snap->history.size(); ++i) EXPECT_LT(snap->history[i - 1].step, snap->history[i].step);
  for (std::size_t i = 1; i < snap->timeline.size(); ++i) EXPECT_LT(snap->timeline[i - 1]->step, snap->timeline[i]->step);
}

// The case: a 10,000-step run with a stop rule at full speed (nobody reads metrics in
// between) drew its curves from 2 to 4 points. Points are logged by step now.
TEST(Engine, ARunWithAStopRuleLogsHundredsOfPointsAndItsEarlyPhase) {
  Settings s = default_settings();
  s.stop = {StopRule::Kind::Steps, 10000, 100, 0.01};
  Engine e(s);
  while (!e.stop_rule_met()) ASSERT_TRUE(e.step());
  const auto snap = e.make_snapshot(1);
  const std::vector<HistoryPoint>& h = snap->history;
  EXPECT_GE(h.size(), 200u);
  EXPECT_LE(static_cast<int>(h.size()), kHistoryCapacity);
  ASSERT_FALSE(h.empty());
  EXPECT_EQ(h.front().step, 0);
  EXPECT_GE(h.back().step, 9000) << "the curves reach the end of the run";
  int early = 0;  // within the first 5% of the steps
  for (const HistoryPoint& p : h) early += p.step <= 500 ? 1 : 0;
  EXPECT_GE(early, 60) << "the learning phase keeps its shape";
  for (std::size_t i = 1; i < h.size(); ++i) ASSERT_LT(h[i - 1].step, h[i].step);
  // The loss curve shows the descent: its first point is the untrained loss.
  EXPECT_GT(h.front().train_loss, 5 * h.back().train_loss);
}

TEST(Engine, TheEarlyPhaseStaysDenseInALongRun) {
  Engine e(default_settings());
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(e.step());
  const auto snap = e.make_snapshot(1);
  const std::vector<HistoryPoint>& h = snap->history;
  int first_100 = 0, first_1000 = 0;
  for (const HistoryPoint& p : h) {
    first_100 += p.step <= 100 ? 1 : 0;
    first_1000 += p.step <= 1000 ? 1 : 0;
  }
  EXPECT_GE(first_100, 80) << "every step up to 64, then every 1.6%";
  EXPECT_GE(first_1000, 200);
  EXPECT_LE(static_cast<int>(h.size()), kHistoryCapacity);
}

TEST(Engine, CurvesDoNotDependOnHowOftenMetricsAreRead) {
  Engine a(default_settings()), b(default_settings());
  for (int i = 0; i < 3000; ++i) {
    ASSERT_TRUE(a.step());
    ASSERT_TRUE(b.step());
    if (i % 7 == 0) b.update_metrics();
  }
  const auto ha = a.make_snapshot(1)->history, hb = b.make_snapshot(1)->history;
  ASSERT_EQ(ha.size(), hb.size());
  for (std::size_t i = 0; i < ha.size(); ++i) {
    EXPECT_EQ(ha[i].step, hb[i].step);
    EXPECT_EQ(ha[i].train_loss, hb[i].train_loss);
  }
}

// An engine started from a saved run goes on from its step, with its curves; the point at the
// saved step is that of the saved weights (not of a fresh initialization at step 0).
TEST(Engine, StartsFromSavedProgress) {
  Engine a(default_settings());
  for (int i = 0; i < 1500; ++i) ASSERT_TRUE(a.step());
  a.update_metrics();
  const RunProgress saved = a.progress();
  const std::vector<double> params(a.params().begin(), a.params().end());
  Engine b(default_settings(), a.data(), params, saved);
  EXPECT_EQ(b.step_count(), 1500);
  EXPECT_EQ(b.epoch(), a.epoch());
  const auto snap = b.make_snapshot(1);
  const std::vector<HistoryPoint>& h = snap->history;
  ASSERT_GE(h.size(), saved.history.size());
  EXPECT_EQ(h.front().step, 0);
  EXPECT_EQ(h.front().train_loss, saved.history.front().train_loss);
  EXPECT_EQ(h.back().step, 1500);
  EXPECT_NEAR(h.back().train_accuracy, a.metrics().train_accuracy, 1e-6);
  EXPECT_NEAR(h.back().train_loss, a.metrics().train_loss, 1e-6 + 1e-4 * a.metrics().train_loss);
  ASSERT_TRUE(b.step());
  EXPECT_EQ(b.step_count(), 1501);

  // Without progress (an older session): one true point at step 0, of the loaded weights.
  Engine c(default_settings(), a.data(), params);
  const auto snap_c = c.make_snapshot(1);
  const std::vector<HistoryPoint>& hc = snap_c->history;
  ASSERT_EQ(hc.size(), 1u);
  EXPECT_NEAR(hc[0].train_accuracy, a.metrics().train_accuracy, 1e-6);

  // Contradictory progress is refused.
  RunProgress bad = saved;
  bad.step = 10;  // history runs past it
  EXPECT_THROW(Engine(default_settings(), a.data(), params, bad), std::invalid_argument);
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

TEST(Metrics, AFullyDeadReluLayerIsNotedButDoesNotPause) {
  Settings s = default_settings();
  s.net.activations = {core::Activation::Relu, core::Activation::Relu};
  Engine e(s);
  EXPECT_EQ(e.health_note(), "");
  // Every unit of hidden layer 2 gets a huge negative bias: inactive on every point.
  std::vector<double> p(e.params().begin(), e.params().end());
  const auto& l2 = e.layout().layers[1];
  for (int u = 0; u < l2.out; ++u) p[l2.b_offset + u] = -1000.0;
  std::vector<double> one_alive = p;
  one_alive[l2.b_offset + 3] = 1000.0;
  ASSERT_FALSE(e.apply(cmd::SetParams{one_alive}).has_value());
  EXPECT_EQ(e.health_note(), "") << "one live unit is enough";
  ASSERT_FALSE(e.apply(cmd::SetParams{p}).has_value());
  EXPECT_NE(e.health_note().find("every ReLU unit of hidden layer 2 is dead"), std::string::npos)
      << e.health_note();
  EXPECT_NE(e.health_note().find("lower the learning rate and start again from new weights"), std::string::npos);
  const auto snap = e.make_snapshot(1);
  EXPECT_NE(snap->message.find("hidden layer 2 is dead"), std::string::npos) << snap->message;
  // Not a divergence: training goes on (and, with no gradient reaching the layer, stays dead).
  EXPECT_NE(e.state(), RunState::Diverged);
  run_steps(e, 100);
  e.update_metrics();
  EXPECT_NE(e.health_note(), "");
  ASSERT_FALSE(e.apply(cmd::Reset{false}).has_value());
  EXPECT_EQ(e.health_note(), "") << "fresh weights";
  EXPECT_EQ(e.make_snapshot(2)->message, "");
}

TEST(Metrics, ReluAtLearningRate10WithSgdDiesWithANoteInsteadOfDiverging) {
  // The other face of lr 10 with ReLU: plain SGD's loss peaks near 10 (far below 100x chance),
  // then the second layer dies and the loss sits at chance. Not paused, but not silent either.
  const Settings s = relu_lr10(core::OptimizerKind::Sgd);
  Engine e(s);
  e.set_state(RunState::Running);
  run_steps(e, 500);
  e.update_metrics();
  EXPECT_EQ(e.state(), RunState::Running);
  EXPECT_NE(e.health_note().find("is dead: the network can no longer learn"), std::string::npos)
      << "dead units: " << e.metrics().dead_units;
  EXPECT_NE(e.make_snapshot(1)->message.find("is dead"), std::string::npos);
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

// ---- initialization options (issue 8, item 8) ----

namespace mlpviz::init_tests {

using core::InitKind;

std::vector<double> init_params(const core::NetSpec& n, std::uint64_t seed) {
  std::vector<double> p;
  core::initialize(n, core::Layout::from_spec(n), seed, p);
  return p;
}

// A net whose second layer has fan_in 64 and 64 units.
core::NetSpec wide_net(InitKind k) {
  core::NetSpec n;
  n.widths = {64, 64};
  n.activations = {core::Activation::Tanh, core::Activation::Tanh};
  n.init = k;
  return n;
}

TEST(Init, PyTorchDrawsWeightsAndBiasesUniformInPlusMinusOneOverSqrtFanIn) {
  const core::NetSpec n = wide_net(InitKind::PyTorch);
  const core::Layout lay = core::Layout::from_spec(n);
  const auto& l2 = lay.layers[1];
  const double bound = 1.0 / std::sqrt(64.0);
  std::vector<double> w, b;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto p = init_params(n, seed);
    w.insert(w.end(), p.begin() + l2.w_offset, p.begin() + l2.w_offset + 64 * 64);
    b.insert(b.end(), p.begin() + l2.b_offset, p.begin() + l2.b_offset + 64);
  }
  auto mean = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); };
  auto var = [&](const std::vector<double>& v) {
    const double m = mean(v);
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return s / v.size();
  };
  for (const auto* v : {&w, &b}) {
    EXPECT_LE(*std::max_element(v->begin(), v->end()), bound);
    EXPECT_GE(*std::min_element(v->begin(), v->end()), -bound);
    EXPECT_GT(*std::max_element(v->begin(), v->end()), 0.95 * bound);  // fills the interval
  }
  // U(-a, a): mean 0, variance a^2 / 3.
  EXPECT_NEAR(mean(w), 0.0, 0.003);
  EXPECT_NEAR(var(w), bound * bound / 3, 0.03 * bound * bound / 3);
  EXPECT_NEAR(mean(b), 0.0, 0.01);
  EXPECT_NEAR(var(b), bound * bound / 3, 0.12 * bound * bound / 3);  // 1280 biases
  // The first layer (fan_in 2) has its own, wider bound.
  const auto p = init_params(n, 1);
  for (int i = 0; i < 64; ++i) EXPECT_LE(std::abs(p[lay.layers[0].b_offset + i]), 1.0 / std::sqrt(2.0));
}

TEST(Init, GainScalesEveryWeightExactlyAndNoBias) {
  for (int k = 0; k < core::kNumInitKinds; ++k) {
    core::NetSpec n = wide_net(static_cast<InitKind>(k));
    n.bias_init = 0.1;
    const auto one = init_params(n, 7);
    n.init_gain = 2.5;
    const auto scaled = init_params(n, 7);
    const core::Layout lay = core::Layout::from_spec(n);
    for (const auto& ll : lay.layers) {
      for (int i = 0; i < ll.in * ll.out; ++i)
        ASSERT_EQ(scaled[ll.w_offset + i], one[ll.w_offset + i] * 2.5) << core::name(n.init);
      for (int i = 0; i < ll.out; ++i) ASSERT_EQ(scaled[ll.b_offset + i], one[ll.b_offset + i]);
    }
  }
  // So the standard deviation of N(0, 1/fan_in) x g is g / sqrt(fan_in) exactly as drawn.
  core::NetSpec n = wide_net(InitKind::Normal);
  n.init_gain = 1.0;
  EXPECT_EQ(init_params(n, 3), init_params(wide_net(InitKind::Normal), 3)) << "gain 1 changes nothing";
}

TEST(Init, RandomBiasesChangeOnlyTheBiasesAndAreDeterministic) {
  core::NetSpec n = wide_net(InitKind::Normal);
  const auto plain = init_params(n, 5);
  n.random_bias = true;
  const auto rb = init_params(n, 5);
  EXPECT_EQ(rb, init_params(n, 5)) << "same seed, same draws";
  EXPECT_NE(rb, init_params(n, 6));
  const core::Layout lay = core::Layout::from_spec(n);
  for (const auto& ll : lay.layers) {
    for (int i = 0; i < ll.in * ll.out; ++i) ASSERT_EQ(rb[ll.w_offset + i], plain[ll.w_offset + i]);
    std::set<double> distinct;
    for (int i = 0; i < ll.out; ++i) {
      EXPECT_LE(std::abs(rb[ll.b_offset + i]), 1.0 / std::sqrt(static_cast<double>(ll.in)));
      distinct.insert(rb[ll.b_offset + i]);
    }
    EXPECT_EQ(static_cast<int>(distinct.size()), ll.out);
  }
}

TEST(Init, GainIsValidatedWithItsFieldAndRange) {
  core::NetSpec n;
  for (double g : {0.05, 10.5, std::nan(""), -1.0}) {
    n.init_gain = g;
    const auto e = core::validate(n);
    ASSERT_TRUE(e.has_value()) << g;
    EXPECT_NE(e->find("network.init_gain"), std::string::npos) << *e;
    EXPECT_NE(e->find("allowed 0.1 to 10"), std::string::npos) << *e;
  }
  n.init_gain = 0.1;
  EXPECT_FALSE(core::validate(n).has_value());
  n.init_gain = 10;
  EXPECT_FALSE(core::validate(n).has_value());
  EXPECT_EQ(core::parse_init("pytorch"), InitKind::PyTorch);
}

TEST(Init, SessionsKeepTheInitOptionsAndOldSessionsLoadAsBefore) {
  train::Session s;
  s.settings = train::default_settings();
  s.settings.net.init = InitKind::PyTorch;
  s.settings.net.init_gain = 3.5;
  s.settings.net.random_bias = true;
  const std::string text = train::to_json_text(s);
  auto r = train::from_json_text(text);
  ASSERT_TRUE(std::holds_alternative<train::Session>(r)) << std::get<train::LoadError>(r).message;
  EXPECT_EQ(std::get<train::Session>(r).settings.net, s.settings.net);
  // A session written before these fields existed: gain 1, constant biases.
  nlohmann::json j = nlohmann::json::parse(train::to_json_text(train::Session{train::default_settings(), std::nullopt, std::nullopt, std::nullopt}));
  ASSERT_TRUE(j["network"].contains("init_gain"));
  j["network"].erase("init_gain");
  j["network"].erase("random_bias");
  const std::string old = j.dump(1);
  auto ro = train::from_json_text(old);
  ASSERT_TRUE(std::holds_alternative<train::Session>(ro)) << std::get<train::LoadError>(ro).message << "\n" << old;
  EXPECT_EQ(std::get<train::Session>(ro).settings.net.init_gain, 1.0);
  EXPECT_FALSE(std::get<train::Session>(ro).settings.net.random_bias);
  // Out of range in a file: refused with the field named.
  std::string bad = text;
  bad.replace(bad.find("3.5"), 3, "20");
  auto rb = train::from_json_text(bad);
  ASSERT_TRUE(std::holds_alternative<train::LoadError>(rb));
  EXPECT_NE(std::get<train::LoadError>(rb).message.find("init_gain"), std::string::npos)
      << std::get<train::LoadError>(rb).message;
}

// Share of hidden activations with |a| > 0.99 on the training points at the start.
double saturated_share(const train::Engine& e) {
  core::MatX<float> x;
  std::vector<int> labels;
  core::build_features<float>(e.settings().net.features, e.data(), false, x, labels);
  core::Workspace<float> ws;
  core::forward<float>(e.layout(), e.params().data(), x, ws);
  long sat = 0, all = 0;
  for (int l = 1; l < e.layout().depth(); ++l) {
    sat += (ws.A[l].array().abs() > 0.99f).count();
    all += ws.A[l].size();
  }
  return static_cast<double>(sat) / all;
}

TEST(Init, LectureGain10SaturatesTanhUnitsAndSlowsLearning) {
  // The notes: "if initial weights are too large, most neurons saturate". Measured on the default
  // session (moons, 2 x 8 tanh, Adam 0.01, batch 10, seeds 1): at gain 10, 71% of the hidden
  // activations on the training points have |a| > 0.99 at the start (none at gain 1); after 100
  // steps the loss is 3.1 against 0.23 (51% against 89% accuracy), after 300 steps 0.23 against
  // 0.046. With Adam the stall is temporary: both reach 100% by step 1000.
  train::Settings s = train::default_settings();
  train::Engine one(s);
  s.net.init_gain = 10;
  train::Engine ten(s);
  EXPECT_GT(saturated_share(ten), 0.5);
  EXPECT_LT(saturated_share(one), 0.05);
  for (int steps : {100, 300}) {
    while (one.step_count() < steps) ASSERT_TRUE(one.step());
    while (ten.step_count() < steps) ASSERT_TRUE(ten.step());
    one.update_metrics();
    ten.update_metrics();
    EXPECT_GT(ten.metrics().train_loss, 4 * one.metrics().train_loss) << "step " << steps;
    EXPECT_LT(ten.metrics().train_accuracy, one.metrics().train_accuracy) << "step " << steps;
  }
}

TEST(Init, LectureNormalInitAndThePyTorchDefaultOnA4UnitTanhNet) {
  // Issue 8 reported that with the notes' N(0, 1/m) init and zero biases a 4-unit tanh net on
  // moons stalls at 89% for every weight seed (Adam, 10,000 steps) while PyTorch's default
  // (random biases) reaches 100%. Measured here (default moons data, Adam 0.01, batch 10), train
  // accuracy after 10,000 steps for weight seeds 1-6:
  //   normal   0.896 0.896 0.900 1.000 0.900 1.000
  //   pytorch  1.000 1.000 0.900 1.000 0.900 0.871
  // The contrast holds for seeds 1 and 2 (the lecture demo uses them); it does not hold for every
  // seed: N(0, 1/m) also solves seeds 4 and 6, and the PyTorch default stalls too (seeds 3, 5, 6).
  auto run = [](InitKind k, std::uint64_t seed) {
    train::Settings s = train::default_settings();
    s.net.widths = {4};
    s.net.activations = {core::Activation::Tanh};
    s.net.init = k;
    s.weight_seed = seed;
    return test::trained(s, 10000)->metrics().train_accuracy;
  };
  for (std::uint64_t seed : {1, 2}) {
    EXPECT_LT(run(InitKind::Normal, seed), 0.95) << "seed " << seed;
    EXPECT_GE(run(InitKind::PyTorch, seed), 0.99) << "seed " << seed;
  }
  EXPECT_GE(run(InitKind::Normal, 4), 0.99) << "N(0, 1/m) does not stall for every seed";
  EXPECT_LT(run(InitKind::PyTorch, 6), 0.95) << "nor does the PyTorch default always solve it";
}

}  // namespace mlpviz::init_tests

// ---- The run rule and the messages' lifetimes (commands.hpp, Engine::apply) -----------------

namespace mlpviz::train {
namespace {

enum class Prior { Running, Paused, Finished, Diverged };
const char* prior_name(Prior p) {
  switch (p) {
    case Prior::Running: return "running";
    case Prior::Paused: return "paused";
    case Prior::Finished: return "finished";
    case Prior::Diverged: return "diverged";
  }
  return "?";
}

// An engine in the given state after some training, as the trainer leaves it.
std::unique_ptr<Engine> engine_in(Prior p) {
  if (p == Prior::Diverged) {
    Settings s = default_settings();
    s.net.activations = {core::Activation::Relu, core::Activation::Relu};
    auto e = std::make_unique<Engine>(s);
    e->apply(cmd::Play{});
    for (int i = 0; i < 20; ++i) EXPECT_TRUE(e->step());
    s.optimizer.learning_rate = 10;  // Adam at lr 10 with ReLU: a loss explosion within steps
    e->apply(cmd::SetOptimizer{s.optimizer});
    for (int i = 0; i < 20 && e->step(); ++i) {
    }
    EXPECT_EQ(e->state(), RunState::Diverged);
    return e;
  }
  auto e = std::make_unique<Engine>(default_settings());
  e->apply(cmd::SetStop{{StopRule::Kind::Steps, 40, 1, 0}});
  e->apply(cmd::Play{});
  for (int i = 0; i < 40; ++i) EXPECT_TRUE(e->step());
  e->update_metrics();
  if (p == Prior::Finished) {  // what the trainer does when the rule is met
    EXPECT_TRUE(e->stop_rule_met());
    e->set_state(RunState::Finished);
    e->set_message("stopped at step 40: the stopping rule was met (press play to go on)");
  }
  if (p == Prior::Paused) e->apply(cmd::Pause{});
  return e;
}

TEST(RunRule, NewDataShapeInitOrSeedStartANewPausedRunWhateverTheStateBefore) {
  struct Case {
    const char* name;
    std::function<Command(const Engine&)> make;
  };
  const Case cases[] = {
      {"new data set", [](const Engine& e) {
         core::DataSpec d = e.settings().data;
         d.kind = core::DataKind::Circles;
         return Command{cmd::SetData{d}};
       }},
      {"new sample (data seed)", [](const Engine& e) {
         core::DataSpec d = e.settings().data;
         ++d.seed;
         return Command{cmd::SetData{d}};
       }},
      {"imported points", [](const Engine& e) {
         return Command{cmd::SetPoints{std::vector<core::Point>(e.data().points.begin(), e.data().points.begin() + 50), 2}};
       }},
      {"shape", [](const Engine& e) {
         core::NetSpec n = e.settings().net;
         n.widths = {5, 3};
         return Command{cmd::SetNet{n}};
       }},
      {"activation", [](const Engine& e) {
         core::NetSpec n = e.settings().net;
         n.activations = {core::Activation::Sigmoid, core::Activation::Sigmoid};
         return Command{cmd::SetNet{n}};
       }},
      {"initialization", [](const Engine& e) {
         core::NetSpec n = e.settings().net;
         n.init = core::InitKind::Xavier;
         return Command{cmd::SetNet{n}};
       }},
      {"weight seed", [](const Engine&) { return Command{cmd::SetWeightSeed{7}}; }},
      {"reset", [](const Engine&) { return Command{cmd::Reset{false}}; }},
      {"new weights", [](const Engine&) { return Command{cmd::Reset{true}}; }},
  };
  for (const Case& c : cases) {
    for (Prior p : {Prior::Running, Prior::Paused, Prior::Finished, Prior::Diverged}) {
      SCOPED_TRACE(std::string(c.name) + " when " + prior_name(p));
      auto e = engine_in(p);
      ASSERT_GT(e->step_count(), 0);
      const Command command = c.make(*e);
      ASSERT_FALSE(e->apply(command).has_value());
      EXPECT_EQ(e->state(), RunState::Paused);
      EXPECT_EQ(e->step_count(), 0);
      EXPECT_EQ(e->epoch(), 0);
      EXPECT_EQ(e->message(), "");
      // Fresh weights from the seed: those of a new engine with the same settings and data.
      const Engine fresh(e->settings(), e->data());
      EXPECT_EQ(e->params(), fresh.params());
      const auto snap = e->make_snapshot(1);
      ASSERT_LE(snap->history.size(), 1u) << "the curves start again";
      if (!snap->history.empty()) {
        EXPECT_EQ(snap->history.front().step, 0);
      }
      ASSERT_EQ(snap->timeline.size(), 1u);
      EXPECT_EQ(snap->timeline.front()->step, 0);
      // The new run trains exactly like the fresh engine (optimizer state cleared too).
      Engine twin(e->settings(), e->data());
      for (int i = 0; i < 20; ++i) {  // (lr 10 after a divergence may diverge again: alike)
        const bool stepped = e->step();
        ASSERT_EQ(stepped, twin.step());
        if (!stepped) break;
      }
      EXPECT_EQ(e->step_count(), twin.step_count());
      EXPECT_EQ(e->params(), twin.params());
    }
  }
}

TEST(RunRule, OptimizerSpeedStopAndPointEditsContinueTheRun) {
  struct Case {
    const char* name;
    std::function<Command(const Engine&)> make;
    bool same_params;
  };
  const Case cases[] = {
      {"learning rate", [](const Engine& e) {
         core::OptimizerSpec o = e.settings().optimizer;
         o.learning_rate = 0.05;
         return Command{cmd::SetOptimizer{o}};
       }, true},
      {"optimizer kind", [](const Engine& e) {
         core::OptimizerSpec o = e.settings().optimizer;
         o.kind = core::OptimizerKind::Momentum;
         return Command{cmd::SetOptimizer{o}};
       }, true},
      {"speed", [](const Engine&) { return Command{cmd::SetSpeed{30}}; }, true},
      {"stop rule", [](const Engine&) { return Command{cmd::SetStop{{StopRule::Kind::Never, 1, 1, 0}}}; }, true},
      {"add a point", [](const Engine&) { return Command{cmd::AddPoint{0.3, 0.4, 1}}; }, true},
      {"remove a point", [](const Engine&) { return Command{cmd::RemoveNearest{0.3, 0.4}}; }, true},
      {"clear points", [](const Engine&) { return Command{cmd::ClearPoints{}}; }, true},
      {"one weight", [](const Engine&) { return Command{cmd::SetParam{0, 0.5}}; }, false},
  };
  for (const Case& c : cases) {
    for (Prior p : {Prior::Running, Prior::Paused}) {
      SCOPED_TRACE(std::string(c.name) + " when " + prior_name(p));
      auto e = engine_in(p);
      const auto params = e->params();
      const std::int64_t step = e->step_count();
      const RunState state = e->state();
      const std::size_t history = e->make_snapshot(1)->history.size();
      ASSERT_FALSE(e->apply(c.make(*e)).has_value());
      EXPECT_EQ(e->state(), state);
      EXPECT_EQ(e->step_count(), step);
      EXPECT_EQ(e->make_snapshot(2)->history.size(), history);
      if (c.same_params) {
        EXPECT_EQ(e->params(), params);
      }
    }
  }
}

TEST(RunRule, PointEditsAndClearAreUndoneInOrder) {
  Engine e(default_settings());
  const core::Dataset original = e.data();
  const core::DataSpec spec = e.settings().data;
  EXPECT_TRUE(e.apply(cmd::UndoPoints{}).has_value()) << "nothing to undo yet";
  ASSERT_FALSE(e.apply(cmd::AddPoint{0.25, 0.5, 1}).has_value());
  const core::Dataset added = e.data();
  ASSERT_FALSE(e.apply(cmd::RemoveNearest{original.points[3].x1, original.points[3].x2}).has_value());
  const core::Dataset removed = e.data();
  ASSERT_FALSE(e.apply(cmd::ClearPoints{}).has_value());
  EXPECT_TRUE(e.data().points.empty());
  EXPECT_EQ(e.settings().data.kind, core::DataKind::Custom);
  EXPECT_EQ(e.make_snapshot(1)->point_undo_depth, 3);
  for (int i = 0; i < 5; ++i) e.step();  // no training points: nothing happens, and nothing is lost
  ASSERT_FALSE(e.apply(cmd::UndoPoints{}).has_value());
  EXPECT_EQ(e.data(), removed);
  EXPECT_EQ(e.settings().data, spec) << "the generated kind comes back with its points";
  ASSERT_FALSE(e.apply(cmd::UndoPoints{}).has_value());
  EXPECT_EQ(e.data(), added);
  ASSERT_FALSE(e.apply(cmd::UndoPoints{}).has_value());
  EXPECT_EQ(e.data(), original);
  EXPECT_EQ(e.make_snapshot(2)->point_undo_depth, 0);
  // A new data set starts a new history of edits.
  ASSERT_FALSE(e.apply(cmd::AddPoint{0.25, 0.5, 1}).has_value());
  core::DataSpec d = spec;
  d.noise = 0.2;
  ASSERT_FALSE(e.apply(cmd::SetData{d}).has_value());
  EXPECT_EQ(e.point_undo_depth(), 0);
  EXPECT_TRUE(e.apply(cmd::UndoPoints{}).has_value());
  // The stack is bounded.
  for (int i = 0; i < kPointUndoDepth + 20; ++i) ASSERT_FALSE(e.apply(cmd::AddPoint{0.01 * i, 0.0, 0}).has_value());
  EXPECT_EQ(e.point_undo_depth(), kPointUndoDepth);
}

TEST(Messages, ARejectedValuesErrorGoesWhenAValidValueOfThatKindIsAccepted) {
  Engine e(default_settings());
  core::OptimizerSpec o = e.settings().optimizer;
  o.learning_rate = 0;  // half-typed
  ASSERT_TRUE(e.apply(cmd::SetOptimizer{o}).has_value());
  EXPECT_NE(e.message().find("learning_rate = 0 is out of range"), std::string::npos) << e.message();
  ASSERT_FALSE(e.apply(cmd::SetSpeed{30}).has_value());
  EXPECT_NE(e.message().find("learning_rate"), std::string::npos) << "another kind keeps it";
  o.learning_rate = 0.1;  // typed in full
  ASSERT_FALSE(e.apply(cmd::SetOptimizer{o}).has_value());
  EXPECT_EQ(e.message(), "");
  EXPECT_EQ(e.make_snapshot(1)->message, "");
  // A refused point edit goes with the next point edit accepted.
  ASSERT_TRUE(e.apply(cmd::UndoPoints{}).has_value());
  EXPECT_NE(e.message().find("no point edit to undo"), std::string::npos);
  ASSERT_FALSE(e.apply(cmd::AddPoint{0.1, 0.1, 0}).has_value());
  EXPECT_EQ(e.message(), "");
  // A new run also ends it.
  core::NetSpec n = e.settings().net;
  n.widths = {65, 8};
  ASSERT_TRUE(e.apply(cmd::SetNet{n}).has_value());
  ASSERT_FALSE(e.apply(cmd::Reset{false}).has_value());
  EXPECT_EQ(e.message(), "");
}

TEST(Messages, StateMessagesGoWithTheirState) {
  // "No training points" goes when there are some again.
  Engine e(default_settings());
  ASSERT_FALSE(e.apply(cmd::ClearPoints{}).has_value());
  EXPECT_FALSE(e.step());
  EXPECT_NE(e.message().find("no training points"), std::string::npos);
  ASSERT_FALSE(e.apply(cmd::AddPoint{0.5, 0.5, 1}).has_value());
  EXPECT_EQ(e.message(), "");
  // A finished run's note goes when it plays on.
  auto f = engine_in(Prior::Finished);
  ASSERT_NE(f->message(), "");
  ASSERT_FALSE(f->apply(cmd::Play{}).has_value());
  EXPECT_EQ(f->state(), RunState::Running);
  EXPECT_EQ(f->message(), "");
  EXPECT_FALSE(f->stop_rule_met()) << "plays on past the rule";
}

TEST(Messages, ResumingAtTheLearningRateThatDivergedSaysSoEveryTime) {
  auto e = engine_in(Prior::Diverged);
  ASSERT_NE(e->message().find("diverged at step"), std::string::npos);
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE(round);
    ASSERT_EQ(e->state(), RunState::Diverged);
    ASSERT_FALSE(e->apply(cmd::Play{}).has_value());
    EXPECT_EQ(e->message(), "resumed at the learning rate that diverged (10): it may diverge again");
    EXPECT_TRUE(e->make_snapshot(1)->message_is_warning);
    for (int i = 0; i < 200 && e->step(); ++i) {
    }
    ASSERT_EQ(e->state(), RunState::Diverged) << "lr 10 diverges again";
    EXPECT_NE(e->message().find("diverged at step"), std::string::npos) << "and says so again";
  }
  // Another setting changed, same learning rate: still said on resuming (by Step too).
  core::OptimizerSpec o = e->settings().optimizer;
  o.beta1 = 0.8;
  ASSERT_FALSE(e->apply(cmd::SetOptimizer{o}).has_value());
  EXPECT_NE(e->message().find("settings changed after divergence"), std::string::npos);
  ASSERT_FALSE(e->apply(cmd::Step{1}).has_value());
  EXPECT_NE(e->message().find("resumed at the learning rate that diverged (10)"), std::string::npos);
  // Changing the learning rate ends the warning; a lower rate resumed after a divergence says nothing.
  o.learning_rate = 0.01;
  ASSERT_FALSE(e->apply(cmd::SetOptimizer{o}).has_value());
  EXPECT_EQ(e->message(), "");
  auto g = engine_in(Prior::Diverged);
  ASSERT_FALSE(g->apply(cmd::SetOptimizer{o}).has_value());
  ASSERT_FALSE(g->apply(cmd::Play{}).has_value());
  EXPECT_EQ(g->message(), "");
}

}  // namespace
}  // namespace mlpviz::train
