// The lecture notes' accuracy table (004_2b4df39e60bc7eb0.txt), with fixed seeds:
//   logistic regression about 86% on moons and about 50% on circles;
//   a 4-2 tanh net 100% (here: at least 99%) on moons and on circles;
//   softmax regression about 50% and a 64-32-16 tanh net 99% on 3-class spirals;
// and the classic XOR truth table solved by 2 tanh hidden units (003_efd6b37823beeba0.txt).
#include <gtest/gtest.h>

#include "test_util.hpp"

namespace mlpviz {
namespace {

using core::Activation;

train::Settings settings(core::DataKind kind, int classes, std::vector<int> widths, double lr, int batch) {
  train::Settings s = test::accuracy_table_settings(kind, classes, std::move(widths), lr, batch);
  EXPECT_FALSE(train::validate(s).has_value()) << *train::validate(s);
  return s;
}

TEST(SeedAccuracyTable, LogisticRegressionOnMoonsIsAbout86Percent) {
  auto e = test::trained(settings(core::DataKind::Moons, 2, {}, 0.05, 10), 5000);
  EXPECT_GT(e->metrics().train_accuracy, 0.82);
  EXPECT_LT(e->metrics().train_accuracy, 0.92);  // a line cannot separate the moons
}

TEST(SeedAccuracyTable, LogisticRegressionOnCirclesIsAbout50Percent) {
  auto e = test::trained(settings(core::DataKind::Circles, 2, {}, 0.05, 10), 5000);
  EXPECT_GT(e->metrics().train_accuracy, 0.35);
  EXPECT_LT(e->metrics().train_accuracy, 0.65);
}

// "Can achieve": trains until the training accuracy reaches `target` (checked every 500 steps),
// at most max_steps. Returns the engine with current metrics.
std::unique_ptr<train::Engine> train_until(const train::Settings& s, double target, long max_steps) {
  auto e = std::make_unique<train::Engine>(s);
  for (long i = 1; i <= max_steps; ++i) {
    if (!e->step()) break;
    if (i % 500 == 0) {
      e->update_metrics();
      if (e->metrics().train_accuracy >= target) break;
    }
  }
  e->update_metrics();
  return e;
}

TEST(SeedAccuracyTable, TanhNet4x2SolvesMoons) {
  auto e = train_until(settings(core::DataKind::Moons, 2, {4, 2}, 0.03, 10), 0.99, 20000);
  EXPECT_GE(e->metrics().train_accuracy, 0.99);
  EXPECT_GE(e->metrics().test_accuracy, 0.95);
}

TEST(SeedAccuracyTable, TanhNet4x2SolvesCircles) {
  auto e = train_until(settings(core::DataKind::Circles, 2, {4, 2}, 0.03, 10), 0.99, 20000);
  EXPECT_GE(e->metrics().train_accuracy, 0.99);
  EXPECT_GE(e->metrics().test_accuracy, 0.95);
}

TEST(SeedAccuracyTable, SoftmaxRegressionOnSpiralIsAbout50Percent) {
  auto e = test::trained(settings(core::DataKind::Spiral, 3, {}, 0.05, 10), 5000);
  EXPECT_GT(e->metrics().train_accuracy, 0.35);
  EXPECT_LT(e->metrics().train_accuracy, 0.65);
}

TEST(SeedAccuracyTable, TanhNet64x32x16SolvesSpiral) {
  auto e = train_until(settings(core::DataKind::Spiral, 3, {64, 32, 16}, 0.01, 32), 0.99, 30000);
  EXPECT_GE(e->metrics().train_accuracy, 0.99);
  EXPECT_GE(e->metrics().test_accuracy, 0.85);
}

TEST(SeedAccuracyTable, TwoTanhUnitsSolveXorTruthTable) {
  // A 2-2-1 tanh net can represent XOR, but its loss surface has well-known local minima (one
  // point stays misclassified). Over 8 weight seeds, require that several reach 100% and that
  // every run ends either solved or in that 3-of-4 minimum, never somewhere unexplained.
  const core::Dataset xor4{{{-1, -1, 0, false}, {-1, 1, 1, false}, {1, -1, 1, false}, {1, 1, 0, false}}, 2};
  int solved = 0;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    train::Settings s = settings(core::DataKind::Custom, 2, {2}, 0.1, 4);
    s.weight_seed = seed;
    train::Engine e(s, xor4);
    for (int i = 0; i < 3000; ++i) ASSERT_TRUE(e.step());
    e.update_metrics();
    const double acc = e.metrics().train_accuracy;
    EXPECT_TRUE(acc == 1.0 || acc == 0.75) << "seed " << seed << ": accuracy " << acc;
    if (acc == 1.0) {
      EXPECT_LT(e.metrics().train_loss, 0.01) << "seed " << seed;
      ++solved;
    }
  }
  EXPECT_GE(solved, 3);
}

TEST(SeedAccuracyTable, XorIsNotLinearlySeparableButX1X2MakesItSo) {
  // 003: the product feature x1*x2 makes XOR linear: depth 0 on x1*x2 alone solves it.
  train::Settings s = settings(core::DataKind::Xor, 2, {}, 0.1, 10);
  s.data.noise = 0.0;
  auto plain = test::trained(s, 3000);
  EXPECT_LT(plain->metrics().train_accuracy, 0.75);
  s.net.features = core::kX1X2;
  auto product = test::trained(s, 3000);
  EXPECT_EQ(product->metrics().train_accuracy, 1.0);
}

}  // namespace
}  // namespace mlpviz
