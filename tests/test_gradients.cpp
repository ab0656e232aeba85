// Finite-difference checks of backpropagation, in double precision: every activation, every
// output/loss, depths 0, 1 and 3, with and without L1/L2.
#include <gtest/gtest.h>

#include <ostream>

#include <cmath>
#include <string>
#include <tuple>

#include "core/data.hpp"
#include "core/mlp.hpp"
#include "core/rng.hpp"

namespace mlpviz::core {
namespace {

struct Case {
  Activation act;
  OutputKind output;
  int classes;
  int depth;
  double l1, l2;
};

std::string case_name(const testing::TestParamInfo<Case>& info) {
  const Case& c = info.param;
  std::string s = std::string(name(c.act)) + "_" + std::string(name(c.output)) + "_k" +
                  std::to_string(c.classes) + "_d" + std::to_string(c.depth);
  if (c.l1 > 0) s += "_l1";
  if (c.l2 > 0) s += "_l2";
  return s;
}

void PrintTo(const Case& c, std::ostream* os) {
  *os << name(c.act) << " " << name(c.output) << " K=" << c.classes << " depth " << c.depth << " l1=" << c.l1
      << " l2=" << c.l2;
}

class GradientCheck : public testing::TestWithParam<Case> {};

TEST_P(GradientCheck, MatchesCentralDifferences) {
  const Case c = GetParam();
  NetSpec spec;
  spec.features = kX1 | kX2 | kX1X2;
  spec.widths.assign(c.depth, 5);
  spec.widths.resize(c.depth);
  for (int l = 0; l < c.depth; ++l) spec.widths[l] = 4 + l;  // uneven widths catch transposes
  spec.activations.assign(c.depth, c.act);
  spec.output = c.output;
  spec.classes = c.classes;
  spec.init = InitKind::Normal;
  spec.bias_init = 0.1;
  ASSERT_FALSE(validate(spec).has_value());
  const Layout layout = Layout::from_spec(spec);
  std::vector<double> params;
  initialize(spec, layout, 7, params);

  DataSpec ds;
  ds.kind = c.classes == 2 ? DataKind::Moons : DataKind::Spiral;
  ds.classes = c.classes;
  ds.points = 12;
  ds.noise = 0.2;
  ds.train_fraction = 1.0;
  const Dataset data = generate(ds);
  MatX<double> X;
  std::vector<int> labels;
  build_features<double>(spec.features, data, false, X, labels);
  const MatX<double> T = targets_from_labels<double>(labels, layout.sizes.back());
  const Regularization reg{c.l1, c.l2};

  Workspace<double> ws;
  std::vector<double> grad(layout.num_params);
  const double loss = loss_and_grad<double>(layout, params.data(), X, T, reg, grad.data(), ws);
  ASSERT_TRUE(std::isfinite(loss));

  const double h = 1e-6;
  double worst = 0.0;
  int worst_index = -1;
  for (int i = 0; i < layout.num_params; ++i) {
    std::vector<double> p = params;
    p[i] = params[i] + h;
    const double up = loss_and_grad<double>(layout, p.data(), X, T, reg, nullptr, ws);
    p[i] = params[i] - h;
    const double down = loss_and_grad<double>(layout, p.data(), X, T, reg, nullptr, ws);
    const double numeric = (up - down) / (2 * h);
    // Relative error, with an absolute floor for tiny gradients where the central difference's
    // own rounding (about 1e-16 * loss / h = 1e-10) dominates.
    const double err = std::abs(numeric - grad[i]) / std::max(1e-4, std::abs(numeric) + std::abs(grad[i]));
    if (std::abs(numeric - grad[i]) > 1e-6) ADD_FAILURE() << "parameter " << i << ": backprop " << grad[i] << ", numeric " << numeric;
    if (err > worst) {
      worst = err;
      worst_index = i;
    }
  }
  EXPECT_LT(worst, 1e-4) << "worst relative error at parameter " << worst_index << " of "
                         << layout.num_params;
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  const Activation acts[] = {Activation::Identity, Activation::Sigmoid,  Activation::Tanh,
                             Activation::Relu,     Activation::LeakyRelu, Activation::Elu,
                             Activation::Softplus, Activation::Swish,    Activation::Abs};
  const std::tuple<OutputKind, int> outputs[] = {{OutputKind::SigmoidBce, 2},
                                                 {OutputKind::SoftmaxCe, 3},
                                                 {OutputKind::SigmoidMse, 2},
                                                 {OutputKind::SigmoidMse, 3},
                                                 {OutputKind::LinearMse, 3}};
  // Every activation at depths 1 and 3 with every loss; regularization on a subset.
  for (Activation a : acts)
    for (auto [o, k] : outputs)
      for (int depth : {1, 3}) cases.push_back({a, o, k, depth, 0.0, 0.0});
  for (Activation a : acts) {
    cases.push_back({a, OutputKind::SigmoidBce, 2, 3, 0.01, 0.0});
    cases.push_back({a, OutputKind::SoftmaxCe, 3, 1, 0.0, 0.05});
    cases.push_back({a, OutputKind::SigmoidMse, 2, 3, 0.02, 0.03});
  }
  // Depth 0: logistic / softmax regression, with and without regularization.
  for (auto [o, k] : outputs) {
    cases.push_back({Activation::Tanh, o, k, 0, 0.0, 0.0});
    cases.push_back({Activation::Tanh, o, k, 0, 0.01, 0.02});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(AllActivationsLossesDepths, GradientCheck, testing::ValuesIn(all_cases()),
                         case_name);

// The float path (used for training) computes the same gradient as the double path.
TEST(GradientFloat, AgreesWithDouble) {
  NetSpec spec;
  spec.widths = {8, 8};
  spec.activations = {Activation::Tanh, Activation::Relu};
  const Layout layout = Layout::from_spec(spec);
  std::vector<double> pd;
  initialize(spec, layout, 3, pd);
  const std::vector<float> pf(pd.begin(), pd.end());
  DataSpec ds;
  ds.points = 50;
  const Dataset data = generate(ds);
  MatX<double> Xd;
  MatX<float> Xf;
  std::vector<int> labels;
  build_features<double>(spec.features, data, false, Xd, labels);
  build_features<float>(spec.features, data, false, Xf, labels);
  std::vector<double> gd(layout.num_params);
  std::vector<float> gf(layout.num_params);
  Workspace<double> wsd;
  Workspace<float> wsf;
  const double ld = loss_and_grad<double>(layout, pd.data(), Xd, targets_from_labels<double>(labels, 1), {}, gd.data(), wsd);
  const double lf = loss_and_grad<float>(layout, pf.data(), Xf, targets_from_labels<float>(labels, 1), {}, gf.data(), wsf);
  EXPECT_NEAR(ld, lf, 1e-5);
  for (int i = 0; i < layout.num_params; ++i) EXPECT_NEAR(gd[i], gf[i], 1e-5) << "parameter " << i;
}

// BCE from logits stays finite where a naive log(sigmoid(z)) would give -inf.
TEST(LossStability, ExtremeLogitsStayFinite) {
  const Layout layout = Layout::from_sizes({1, 1}, {}, OutputKind::SigmoidBce);
  std::vector<double> p = {1.0, 0.0};
  MatX<double> X(1, 2);
  X << 800.0, -800.0;
  MatX<double> T(1, 2);
  T << 0.0, 1.0;  // both confidently wrong
  Workspace<double> ws;
  std::vector<double> g(2);
  const double loss = loss_and_grad<double>(layout, p.data(), X, T, {}, g.data(), ws);
  EXPECT_NEAR(loss, 800.0, 1e-9);  // mean of 800 and 800
  EXPECT_TRUE(std::isfinite(g[0]) && std::isfinite(g[1]));

  const Layout sm = Layout::from_sizes({1, 3}, {}, OutputKind::SoftmaxCe);
  std::vector<double> q = {1000.0, 0.0, -1000.0, 0.0, 0.0, 0.0};
  MatX<double> x1(1, 1);
  x1 << 1.0;
  MatX<double> t3 = MatX<double>::Zero(3, 1);
  t3(2, 0) = 1.0;
  const double ce = loss_and_grad<double>(sm, q.data(), x1, t3, {}, nullptr, ws);
  EXPECT_NEAR(ce, 2000.0, 1e-9);  // logsumexp(1000, 0, -1000) - (-1000)
}

}  // namespace
}  // namespace mlpviz::core
