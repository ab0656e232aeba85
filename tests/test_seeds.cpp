// The lecture notes' worked examples (shared/seeds/004_2b4df39e60bc7eb0.txt), to their printed
// digits.
#include <gtest/gtest.h>

#include "core/mlp.hpp"
#include "core/optimizer.hpp"

namespace mlpviz::core {
namespace {

// Sets W[l] (given row by row, one row per unit) and b[l] in the flat buffer.
void set_layer(const Layout& lay, int l, const std::vector<std::vector<double>>& W,
               const std::vector<double>& b, std::vector<double>& p) {
  const LayerLayout& ll = lay.layers[l - 1];
  for (int i = 0; i < ll.out; ++i)
    for (int j = 0; j < ll.in; ++j) p[ll.w_offset + j * ll.out + i] = W[i][j];
  for (int i = 0; i < ll.out; ++i) p[ll.b_offset + i] = b[i];
}

double w_of(const Layout& lay, const std::vector<double>& p, int l, int i, int j) {
  const LayerLayout& ll = lay.layers[l - 1];
  return p[ll.w_offset + j * ll.out + i];
}

// "Multilayer Feedforward Neural Network: Forward Pass", the 3-2-2 sigmoid example.
TEST(SeedWorkedExamples, ForwardPass322Sigmoid) {
  const Layout lay = Layout::from_sizes({3, 2, 2}, {Activation::Sigmoid}, OutputKind::SigmoidMse);
  std::vector<double> p(lay.num_params);
  set_layer(lay, 1, {{0.1, 0.2, 0.6}, {0.4, 0.3, 0.1}}, {0.4, 0.2}, p);
  set_layer(lay, 2, {{0.2, 0.1}, {0.1, 0.4}}, {0.6, 0.3}, p);
  MatX<double> x(3, 1);
  x << 3, 0, 1;
  Workspace<double> ws;
  forward<double>(lay, p.data(), x, ws);
  // Printed to 4 decimals: agree when rounded.
  EXPECT_NEAR(ws.Z[1](0, 0), 1.3, 5e-5);
  EXPECT_NEAR(ws.Z[1](1, 0), 1.5, 5e-5);
  EXPECT_NEAR(ws.A[1](0, 0), 0.7858, 5e-5);
  EXPECT_NEAR(ws.A[1](1, 0), 0.8176, 5e-5);
  EXPECT_NEAR(ws.Z[2](0, 0), 0.8389, 5e-5);
  EXPECT_NEAR(ws.Z[2](1, 0), 0.7056, 5e-5);
  EXPECT_NEAR(ws.A[2](0, 0), 0.6982, 5e-5);
  EXPECT_NEAR(ws.A[2](1, 0), 0.6694, 5e-5);
}

// "Backpropagation Example" (2-2-2 sigmoid, E = sum 1/2 (target - out)^2), and one gradient
// descent step at learning rate 0.5 as in the example's source.
class Backprop222 : public testing::Test {
 protected:
  void SetUp() override {
    p.assign(lay.num_params, 0.0);
    set_layer(lay, 1, {{0.15, 0.20}, {0.25, 0.30}}, {0.35, 0.35}, p);  // w1 w2 / w3 w4, b1
    set_layer(lay, 2, {{0.40, 0.45}, {0.50, 0.55}}, {0.60, 0.60}, p);  // w5 w6 / w7 w8, b2
    x << 0.05, 0.10;
    t << 0.01, 0.99;
  }
  Layout lay = Layout::from_sizes({2, 2, 2}, {Activation::Sigmoid}, OutputKind::SigmoidMse);
  std::vector<double> p;
  MatX<double> x = MatX<double>(2, 1);
  MatX<double> t = MatX<double>(2, 1);
  Workspace<double> ws;
};

TEST_F(Backprop222, ForwardAndLoss) {
  std::vector<double> g(lay.num_params);
  const double e_total = loss_and_grad<double>(lay, p.data(), x, t, {}, g.data(), ws);
  EXPECT_NEAR(ws.Z[1](0, 0), 0.3775, 5e-5);    // net_h1
  EXPECT_NEAR(ws.A[1](0, 0), 0.593269992, 5e-10);  // out_h1
  EXPECT_NEAR(ws.A[2](0, 0), 0.75136507, 5e-9);    // out_o1
  EXPECT_NEAR(ws.A[2](1, 0), 0.773, 5e-4);         // out_o2
  EXPECT_NEAR(e_total, 0.298371109, 5e-10);
}

TEST_F(Backprop222, Gradients) {
  std::vector<double> g(lay.num_params);
  loss_and_grad<double>(lay, p.data(), x, t, {}, g.data(), ws);
  EXPECT_NEAR(w_of(lay, g, 2, 0, 0), 0.082167041, 5e-10);   // dE/dw5
  EXPECT_NEAR(w_of(lay, g, 2, 1, 0), -0.023, 5e-4);         // dE/dw7 (in-class exercise)
  EXPECT_NEAR(w_of(lay, g, 1, 0, 0), 0.000438568, 5e-10);   // dE/dw1
}

TEST_F(Backprop222, WeightsAfterOneStepAtHalf) {
  std::vector<double> g(lay.num_params);
  loss_and_grad<double>(lay, p.data(), x, t, {}, g.data(), ws);
  Optimizer<double> opt;
  opt.reset(lay);
  OptimizerSpec sgd;
  sgd.kind = OptimizerKind::Sgd;
  sgd.learning_rate = 0.5;
  opt.step(sgd, p.data(), g.data(), 0);
  EXPECT_NEAR(w_of(lay, p, 2, 0, 0), 0.35891648, 5e-9);   // w5+
  EXPECT_NEAR(w_of(lay, p, 2, 0, 1), 0.408666186, 5e-10); // w6+
  EXPECT_NEAR(w_of(lay, p, 2, 1, 0), 0.511301270, 5e-10); // w7+
  EXPECT_NEAR(w_of(lay, p, 2, 1, 1), 0.561370121, 5e-10); // w8+
  EXPECT_NEAR(w_of(lay, p, 1, 0, 0), 0.149780716, 5e-10); // w1+
  EXPECT_NEAR(w_of(lay, p, 1, 0, 1), 0.19956143, 5e-9);   // w2+
  EXPECT_NEAR(w_of(lay, p, 1, 1, 0), 0.24975114, 5e-9);   // w3+
  EXPECT_NEAR(w_of(lay, p, 1, 1, 1), 0.29950229, 5e-9);   // w4+
}

}  // namespace
}  // namespace mlpviz::core
