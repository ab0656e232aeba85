// Optimizers and schedules: each update rule against its formula, and each one learning.
#include <gtest/gtest.h>

#include <cmath>

#include "core/optimizer.hpp"
#include "test_util.hpp"

namespace mlpviz::core {
namespace {

// One weight and one bias: a 1-1 linear layout, so updates can be computed by hand.
const Layout kLay = Layout::from_sizes({1, 1}, {}, OutputKind::LinearMse);

std::vector<double> run(OptimizerSpec s, std::vector<double> p, const std::vector<std::vector<double>>& grads) {
  Optimizer<double> o;
  o.reset(kLay);
  for (std::size_t t = 0; t < grads.size(); ++t) o.step(s, p.data(), grads[t].data(), static_cast<std::int64_t>(t));
  return p;
}

TEST(Optimizer, SgdMomentumNesterovByHand) {
  OptimizerSpec s;
  s.learning_rate = 0.1;
  s.momentum = 0.9;
  const std::vector<std::vector<double>> g = {{1.0, 2.0}, {1.0, 2.0}};
  s.kind = OptimizerKind::Sgd;
  auto p = run(s, {0, 0}, g);
  EXPECT_DOUBLE_EQ(p[0], -0.2);
  s.kind = OptimizerKind::Momentum;  // v1 = -0.1, v2 = -0.09 - 0.1 = -0.19: p = -0.29
  p = run(s, {0, 0}, g);
  EXPECT_NEAR(p[0], -0.29, 1e-15);
  s.kind = OptimizerKind::Nesterov;  // p += -mu v + (1+mu) v_new: -0.19, then -0.19 + 0.09 - 0.361 = -0.461
  p = run(s, {0, 0}, g);
  EXPECT_NEAR(p[0], -0.461, 1e-15);
}

TEST(Optimizer, AdaptiveMethodsByHand) {
  OptimizerSpec s;
  s.learning_rate = 0.01;
  s.epsilon = 1e-8;
  const std::vector<std::vector<double>> g1 = {{4.0, -0.5}};
  for (OptimizerKind k : {OptimizerKind::Adam, OptimizerKind::AdaGrad}) {
    s.kind = k;  // the first step of Adam and AdaGrad moves each parameter by about lr
    auto p = run(s, {1.0, 1.0}, g1);
    EXPECT_NEAR(p[0], 1.0 - 0.01, 1e-8) << name(k);
    EXPECT_NEAR(p[1], 1.0 + 0.01, 1e-8) << name(k);
  }
  s.kind = OptimizerKind::RmsProp;  // v = 0.1 g^2: step = lr g / sqrt(0.1 g^2) = lr / sqrt(0.1)
  s.rho = 0.9;
  auto p = run(s, {0.0, 0.0}, g1);
  EXPECT_NEAR(p[0], -0.01 / std::sqrt(0.1), 1e-8);
  s.kind = OptimizerKind::AdamW;  // decoupled decay on the weight only
  s.weight_decay = 0.5;
  p = run(s, {2.0, 2.0}, {{0.0, 0.0}});
  EXPECT_NEAR(p[0], 2.0 - 0.01 * 0.5 * 2.0, 1e-12);
  EXPECT_DOUBLE_EQ(p[1], 2.0);
}

TEST(Optimizer, Schedules) {
  OptimizerSpec s;
  s.learning_rate = 0.1;
  s.schedule_step = 100;
  s.schedule_gamma = 0.5;
  s.schedule = ScheduleKind::Constant;
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(s, 1000), 0.1);
  s.schedule = ScheduleKind::Step;
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(s, 99), 0.1);
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(s, 250), 0.025);
  s.schedule = ScheduleKind::Exponential;
  EXPECT_NEAR(scheduled_learning_rate(s, 50), 0.1 * std::sqrt(0.5), 1e-15);
  s.schedule = ScheduleKind::InverseTime;
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(s, 2), 0.05);
}

class EveryOptimizer : public testing::TestWithParam<OptimizerKind> {};

TEST_P(EveryOptimizer, LearnsMoons) {
  train::Settings s = train::default_settings();
  s.optimizer.kind = GetParam();
  s.optimizer.learning_rate = GetParam() == OptimizerKind::Sgd || GetParam() == OptimizerKind::AdaGrad ? 0.3 : 0.02;
  train::Engine e(s);
  const double before = e.metrics().train_loss;
  for (int i = 0; i < 3000; ++i) ASSERT_TRUE(e.step());
  e.update_metrics();
  EXPECT_LT(e.metrics().train_loss, 0.5 * before) << name(GetParam());
  EXPECT_GT(e.metrics().train_accuracy, 0.9) << name(GetParam());
}

INSTANTIATE_TEST_SUITE_P(All, EveryOptimizer,
                         testing::Values(OptimizerKind::Sgd, OptimizerKind::Momentum, OptimizerKind::Nesterov,
                                         OptimizerKind::AdaGrad, OptimizerKind::RmsProp, OptimizerKind::Adam,
                                         OptimizerKind::AdamW),
                         [](const auto& info) { return std::string(name(info.param)); });

TEST(Regularization, L2ShrinksWeights) {
  train::Settings s = train::default_settings();
  auto plain = test::trained(s, 3000);
  s.optimizer.l2 = 0.05;
  auto decayed = test::trained(s, 3000);
  double a = 0, b = 0;
  for (const auto& ll : plain->layout().layers)
    for (int i = 0; i < ll.in * ll.out; ++i) {
      a += std::pow(plain->params()[ll.w_offset + i], 2);
      b += std::pow(decayed->params()[ll.w_offset + i], 2);
    }
  EXPECT_LT(b, 0.7 * a);
}

TEST(Initialization, EachSchemeHasItsScale) {
  NetSpec spec;
  spec.widths = {64, 64};
  spec.activations = {Activation::Tanh, Activation::Tanh};
  const Layout lay = Layout::from_spec(spec);
  auto var_of_layer2 = [&](InitKind k) {
    spec.init = k;
    std::vector<double> p;
    initialize(spec, lay, 9, p);
    const LayerLayout& ll = lay.layers[1];  // 64 -> 64
    double ss = 0;
    for (int i = 0; i < ll.in * ll.out; ++i) ss += p[ll.w_offset + i] * p[ll.w_offset + i];
    return ss / (ll.in * ll.out);
  };
  EXPECT_NEAR(var_of_layer2(InitKind::Normal), 1.0 / 64, 0.15 / 64);
  EXPECT_NEAR(var_of_layer2(InitKind::Uniform), 1.0 / (3 * 64), 0.15 / (3 * 64));
  EXPECT_NEAR(var_of_layer2(InitKind::Small), 1e-4, 0.15e-4);
  EXPECT_NEAR(var_of_layer2(InitKind::Xavier), 2.0 / 128, 0.15 * 2 / 128);
  EXPECT_NEAR(var_of_layer2(InitKind::He), 2.0 / 64, 0.15 * 2 / 64);
  EXPECT_EQ(var_of_layer2(InitKind::Zeros), 0.0);
}

TEST(Initialization, ZerosShowTheSymmetryProblem) {
  // With all-zero weights, the units of a hidden layer stay identical however long we train.
  train::Settings s = train::default_settings();
  s.net.init = InitKind::Zeros;
  s.net.bias_init = 0.1;
  auto e = test::trained(s, 500);
  const LayerLayout& ll = e->layout().layers[0];
  for (int u = 1; u < ll.out; ++u)
    for (int j = 0; j < ll.in; ++j)
      EXPECT_EQ(e->params()[ll.w_offset + j * ll.out + u], e->params()[ll.w_offset + j * ll.out]);
}

}  // namespace
}  // namespace mlpviz::core
