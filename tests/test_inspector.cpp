// The math at one point (core/inspect.hpp), ReLU's derivative at 0, target vectors for MSE
// outputs (data.targets), one SGD step on one point, and the worked-example lesson's claims.
// Expected numbers come from the lecture notes' printed digits (shared/seeds/004_*.txt, the
// backpropagation example and the source it cites), from `mlpviz grad`'s engine path, or from
// central differences: never from this code's own output.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/data.hpp"
#include "core/inspect.hpp"
#include "core/mlp.hpp"
#include "train/commands.hpp"
#include "train/engine.hpp"
#include "train/session.hpp"

namespace mlpviz {
namespace {

using core::Activation;
using core::Layout;
using core::MatX;
using core::OutputKind;
using core::VecX;

VecX<double> vec(std::initializer_list<double> v) {
  VecX<double> r(static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (double x : v) r[i++] = x;
  return r;
}

// W[l] given row by row (one row per unit) and b[l] into the flat buffer.
void set_layer(const Layout& lay, int l, const std::vector<std::vector<double>>& W,
               const std::vector<double>& b, std::vector<double>& p) {
  const core::LayerLayout& ll = lay.layers[static_cast<std::size_t>(l - 1)];
  for (int i = 0; i < ll.out; ++i)
    for (int j = 0; j < ll.in; ++j) p[ll.w_offset + j * ll.out + i] = W[i][j];
  for (int i = 0; i < ll.out; ++i) p[ll.b_offset + i] = b[i];
}
double w_of(const Layout& lay, const std::vector<double>& p, int l, int i, int j) {
  const core::LayerLayout& ll = lay.layers[static_cast<std::size_t>(l - 1)];
  return p[ll.w_offset + j * ll.out + i];
}

// ---- ReLU's derivative at 0 ----------------------------------------------------------------

// A ReLU unit whose z is exactly 0 passes no gradient (g'(0) = 0, as PyTorch, TensorFlow, JAX);
// a leaky ReLU unit passes alpha times it.
TEST(ReluAtZero, DerivativeIsZeroAndLeakyIsAlpha) {
  for (Activation act : {Activation::Relu, Activation::LeakyRelu}) {
    Layout lay = Layout::from_sizes({1, 1, 1}, {act}, OutputKind::LinearMse);
    lay.leaky_alpha = 0.25;
    std::vector<double> p(lay.num_params);
    set_layer(lay, 1, {{2.0}}, {0.0}, p);  // z1 = 2 * 0 + 0 = 0 exactly
    set_layer(lay, 2, {{3.0}}, {0.5}, p);
    const core::PointInspection r = core::inspect_point(lay, p.data(), vec({0.0}), vec({1.0}), {});
    ASSERT_EQ(r.layers[0].z[0], 0.0);
    const double upstream = 3.0 * r.layers[1].delta[0];  // w2 * dL/dz2 = 3 * (0.5 - 1)
    ASSERT_EQ(upstream, -1.5);
    const double expected = act == Activation::Relu ? 0.0 : 0.25 * upstream;
    EXPECT_EQ(r.layers[0].delta[0], expected) << core::name(act);
    EXPECT_EQ(r.layers[0].db[0], expected) << core::name(act);
    EXPECT_EQ(r.layers[1].db[0], -0.5);  // the output still learns
  }
}

// The case: a ReLU layer whose inputs are all 0 (dead units below it) and whose bias is 0
// sits at z = 0 on every point; it and everything below it receive no gradient.
TEST(ReluAtZero, LayerAboveDeadUnitsGetsNoGradient) {
  const Layout lay = Layout::from_sizes({2, 3, 2, 1}, {Activation::Relu, Activation::Relu}, OutputKind::SigmoidBce);
  std::vector<double> p(lay.num_params);
  set_layer(lay, 1, {{-1, -1}, {-2, -1}, {-1, -3}}, {-5, -5, -5}, p);  // dead on the points below
  set_layer(lay, 2, {{0.5, -0.3, 0.7}, {0.2, 0.9, -0.4}}, {0.0, 0.0}, p);
  set_layer(lay, 3, {{0.8, -0.6}}, {0.1}, p);
  MatX<double> X(2, 3);
  X << 0.5, -1.0, 1.5,
       0.2, 0.8, -0.3;
  MatX<double> T(1, 3);
  T << 1, 0, 1;
  core::Workspace<double> ws;
  std::vector<double> g(lay.num_params);
  core::loss_and_grad<double>(lay, p.data(), X, T, {}, g.data(), ws);
  ASSERT_TRUE((ws.Z[2].array() == 0.0).all());
  for (int l = 1; l <= 2; ++l) {
    const core::LayerLayout& ll = lay.layers[static_cast<std::size_t>(l - 1)];
    for (int k = ll.w_offset; k < ll.b_offset + ll.out; ++k) EXPECT_EQ(g[k], 0.0) << "layer " << l << " parameter " << k;
  }
  EXPECT_NE(g[lay.layers[2].b_offset], 0.0);
}

// ---- the worked backprop example (seed 004) ------------------------------------------------

class WorkedExample : public testing::Test {
 protected:
  void SetUp() override {
    p.assign(lay.num_params, 0.0);
    set_layer(lay, 1, {{0.15, 0.20}, {0.25, 0.30}}, {0.35, 0.35}, p);  // w1 w2 / w3 w4, b1
    set_layer(lay, 2, {{0.40, 0.45}, {0.50, 0.55}}, {0.60, 0.60}, p);  // w5 w6 / w7 w8, b2
  }
  Layout lay = Layout::from_sizes({2, 2, 2}, {Activation::Sigmoid}, OutputKind::SigmoidMse);
  std::vector<double> p;
  VecX<double> x = vec({0.05, 0.10});
  VecX<double> t = vec({0.01, 0.99});
};

// Checks an inspection of the worked example against the notes' printed digits.
void expect_notes_digits(const core::PointInspection& r) {
  EXPECT_NEAR(r.loss, 0.298371109, 5e-10);              // E_total
  EXPECT_NEAR(r.layers[0].z[0], 0.3775, 5e-5);          // net_h1
  EXPECT_NEAR(r.layers[0].a[0], 0.593269992, 5e-10);    // out_h1
  EXPECT_NEAR(r.layers[1].a[0], 0.75136507, 5e-9);      // out_o1
  EXPECT_NEAR(r.layers[1].a[1], 0.773, 5e-4);           // out_o2
  EXPECT_NEAR(r.layers[1].delta[0], 0.138498562, 5e-10);  // dE/dnet_o1 = 0.74136507 * 0.186815602
  EXPECT_NEAR(r.layers[1].delta[1], -0.03815, 5e-4);      // dE/dnet_o2 = -0.218 * 0.175
  // dE/dnet_h1 = dE/dout_h1 * dout_h1/dnet_h1 = 0.036350306 * 0.241300709
  EXPECT_NEAR(r.layers[0].delta[0], 0.036350306 * 0.241300709, 5e-10);
  EXPECT_NEAR(r.layers[1].dW(0, 0), 0.082167041, 5e-10);  // dE/dw5
  EXPECT_NEAR(r.layers[1].dW(1, 0), -0.023, 5e-4);        // dE/dw7 (the in-class exercise)
  EXPECT_NEAR(r.layers[0].dW(0, 0), 0.000438568, 5e-10);  // dE/dw1
}

TEST_F(WorkedExample, InspectionMatchesTheNotes) {
  expect_notes_digits(core::inspect_point(lay, p.data(), x, t, {}));
}

// The weights after one step at learning rate 0.5: w+ = w - 0.5 dE/dw, printed by the example's
// source (mattmazur.com, cited by the notes) to 8-9 digits.
void expect_notes_step(const Layout& lay, const std::vector<double>& q) {
  EXPECT_NEAR(w_of(lay, q, 2, 0, 0), 0.35891648, 5e-9);    // w5+
  EXPECT_NEAR(w_of(lay, q, 2, 0, 1), 0.408666186, 5e-10);  // w6+
  EXPECT_NEAR(w_of(lay, q, 2, 1, 0), 0.511301270, 5e-10);  // w7+
  EXPECT_NEAR(w_of(lay, q, 2, 1, 1), 0.561370121, 5e-10);  // w8+
  EXPECT_NEAR(w_of(lay, q, 1, 0, 0), 0.149780716, 5e-10);  // w1+
  EXPECT_NEAR(w_of(lay, q, 1, 0, 1), 0.19956143, 5e-9);    // w2+
  EXPECT_NEAR(w_of(lay, q, 1, 1, 0), 0.24975114, 5e-9);    // w3+
  EXPECT_NEAR(w_of(lay, q, 1, 1, 1), 0.29950229, 5e-9);    // w4+
}

TEST_F(WorkedExample, StepOnThePointMatchesTheNotes) {
  const core::PointStep s = core::step_on_point(lay, p, x, t, {}, 0.5);
  EXPECT_EQ(s.before, p);
  expect_notes_step(lay, s.after);
  // Every weight and bias: exactly W - lr * dW.
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_EQ(s.after[i], p[i] - 0.5 * s.inspection.grad[i]);
  // w5 by the notes' own chain, from their printed factors: 0.40 - 0.5 * 0.74136507 * 0.186815602 * 0.593269992.
  EXPECT_NEAR(w_of(lay, s.after, 2, 0, 0), 0.40 - 0.5 * 0.74136507 * 0.186815602 * 0.593269992, 1e-9);
}

TEST(AsWritten, FloatsReadBackAsTheirShortestDecimal) {
  const float f[] = {0.15f, 0.35891648f, -1e-7f, 3.0f, 0.1f + 0.2f};
  const std::vector<double> d = core::as_written(f, 5);
  EXPECT_EQ(d[0], 0.15);
  EXPECT_EQ(d[1], 0.3589165);  // 8 digits do not fit a float: its shortest decimal has 7
  EXPECT_EQ(d[2], -1e-7);
  EXPECT_EQ(d[3], 3.0);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(static_cast<float>(d[i]), f[i]);  // the same float
}

// ---- against central differences ----------------------------------------------------------

TEST(InspectPoint, MatchesCentralDifferences) {
  struct Case { Activation act; OutputKind out; int classes; int outputs; double l1, l2; };
  const Case cases[] = {{Activation::Tanh, OutputKind::SigmoidBce, 2, 0, 0, 0},
                        {Activation::Tanh, OutputKind::SoftmaxCe, 3, 0, 0.01, 0.02},
                        {Activation::Sigmoid, OutputKind::SigmoidMse, 2, 2, 0, 0.05},
                        {Activation::Swish, OutputKind::LinearMse, 2, 3, 0, 0},
                        {Activation::Relu, OutputKind::SoftmaxCe, 4, 0, 0, 0}};  // kinks avoided: z away from 0
  for (const Case& c : cases) {
    core::NetSpec spec;
    spec.features = core::kX1 | core::kX2 | core::kX1X2;
    spec.widths = {4, 3};
    spec.activations = {c.act, c.act};
    spec.output = c.out;
    spec.classes = c.classes;
    spec.outputs = c.outputs;
    spec.bias_init = 0.1;
    ASSERT_FALSE(core::validate(spec).has_value());
    const Layout lay = Layout::from_spec(spec);
    std::vector<double> p;
    core::initialize(spec, lay, 11, p);
    const VecX<double> x = core::point_features(spec.features, 0.7, -0.4);
    VecX<double> t = VecX<double>::Zero(lay.sizes.back());
    t[t.size() - 1] = 1.0;
    if (c.out == OutputKind::LinearMse) t = vec({0.3, -1.2, 2.0});
    const core::Regularization reg{c.l1, c.l2};
    const core::PointInspection r = core::inspect_point(lay, p.data(), x, t, reg);
    const auto loss_at = [&](const std::vector<double>& q) {
      core::Workspace<double> ws;
      return core::loss_and_grad<double>(lay, q.data(), MatX<double>(x), MatX<double>(t), reg, nullptr, ws);
    };
    ASSERT_NEAR(r.loss, loss_at(p), 1e-14);
    for (const MatX<double>& Z : {MatX<double>(r.layers[0].z), MatX<double>(r.layers[1].z)})
      if (c.act == Activation::Relu) {
        ASSERT_GT(Z.cwiseAbs().minCoeff(), 1e-4) << "a kink: choose another point";
      }
    const double h = 1e-6;
    for (int i = 0; i < lay.num_params; ++i) {
      std::vector<double> up = p, down = p;
      up[i] += h;
      down[i] -= h;
      const double numeric = (loss_at(up) - loss_at(down)) / (2 * h);
      EXPECT_NEAR(r.grad[i], numeric, 1e-7 + 1e-6 * std::abs(numeric)) << core::name(c.out) << " parameter " << i;
    }
    // delta = dL/dz: a bias moves z one for one, and biases are not regularized.
    for (int l = 1; l <= lay.depth(); ++l)
      for (int u = 0; u < lay.sizes[l]; ++u)
        EXPECT_DOUBLE_EQ(r.layers[l - 1].delta[u], r.grad[lay.layers[l - 1].b_offset + u]);
  }
}

// ---- against `mlpviz grad` (Engine::full_gradient) on a one-point data set ---------------------

train::Settings one_point_settings(OutputKind out, int outputs) {
  train::Settings s = train::default_settings();
  s.data.kind = core::DataKind::Custom;
  s.data.points = 1;
  s.data.train_fraction = 1.0;
  s.net.widths = {5, 3};
  s.net.activations = {Activation::Tanh, Activation::Relu};
  s.net.output = out;
  s.net.outputs = outputs;
  s.net.bias_init = 0.1;
  s.optimizer.l2 = 0.01;
  s.optimizer.l1 = 0.002;
  return s;
}

void expect_equal_gradients(const train::Engine& e, const core::PointInspection& r) {
  std::vector<double> g;
  const double loss = e.full_gradient(g);
  EXPECT_NEAR(r.loss, loss, 1e-12);
  ASSERT_EQ(g.size(), r.grad.size());
  for (std::size_t i = 0; i < g.size(); ++i) EXPECT_NEAR(r.grad[i], g[i], 1e-12) << "parameter " << i;
}

TEST(InspectPoint, EqualsGradOnAOnePointDataSet) {
  const train::Settings s = one_point_settings(OutputKind::SigmoidBce, 0);
  core::Dataset d;
  d.points = {{0.4, -0.9, 1, false}};
  train::Engine e(s, d);
  const std::vector<double> p(e.params().begin(), e.params().end());
  const core::PointInspection r =
      core::inspect_point(e.layout(), p.data(), core::point_features(s.net.features, 0.4, -0.9),
                          vec({1.0}), {s.optimizer.l1, s.optimizer.l2});
  expect_equal_gradients(e, r);
}

// ---- target vectors (data.targets) -----------------------------------------------------------

core::Dataset with_targets() {
  core::Dataset d;
  d.points = {{0.4, -0.9, 1, false}, {-0.2, 0.3, 0, false}, {1.0, 1.0, 0, true}};
  d.target_dim = 2;
  d.targets = {0.01, 0.99, 0.7, 0.2, 0.5, 0.5};
  return d;
}

TEST(Targets, TheEngineTrainsOnThem) {
  train::Settings s = one_point_settings(OutputKind::SigmoidMse, 2);
  s.data.points = 3;
  core::Dataset d = with_targets();
  d.points.resize(1);  // one point: compare with the inspection
  d.targets.resize(2);
  train::Engine e(s, d);
  ASSERT_EQ(e.layout().sizes.back(), 2);
  const std::vector<double> p(e.params().begin(), e.params().end());
  const core::PointInspection r =
      core::inspect_point(e.layout(), p.data(), core::point_features(s.net.features, 0.4, -0.9),
                          vec({0.01, 0.99}), {s.optimizer.l1, s.optimizer.l2});
  expect_equal_gradients(e, r);
  // Not the one-hot target of label 1 ([0, 1]).
  const core::PointInspection onehot =
      core::inspect_point(e.layout(), p.data(), r.input, vec({0.0, 1.0}), {s.optimizer.l1, s.optimizer.l2});
  EXPECT_GT(std::abs(onehot.loss - r.loss), 1e-6);
}

TEST(Targets, BuildTargetsKeepsTheSplitOrder) {
  const core::Dataset d = with_targets();
  const Layout lay = Layout::from_sizes({2, 2}, {}, OutputKind::LinearMse);
  const MatX<double> tr = core::build_targets<double>(d, false, lay);
  const MatX<double> te = core::build_targets<double>(d, true, lay);
  ASSERT_EQ(tr.cols(), 2);
  ASSERT_EQ(te.cols(), 1);
  EXPECT_EQ(tr(0, 1), 0.7);
  EXPECT_EQ(tr(1, 1), 0.2);
  EXPECT_EQ(te(0, 0), 0.5);
  // A network that does not fit them (a BCE output) trains on the labels.
  const Layout bce = Layout::from_sizes({2, 1}, {}, OutputKind::SigmoidBce);
  EXPECT_FALSE(core::uses_targets(d, bce));
  EXPECT_EQ(core::build_targets<double>(d, false, bce)(0, 1), 0.0);
}

TEST(Targets, PointEditsAreRefusedOnDataWithTargets) {
  train::Settings s = one_point_settings(OutputKind::SigmoidMse, 2);
  train::Engine e(s, with_targets());
  for (const train::Command& c : {train::Command(train::cmd::AddPoint{0.1, 0.1, 0}),
                                  train::Command(train::cmd::RemoveNearest{0.1, 0.1}),
                                  train::Command(train::cmd::ClearPoints{})}) {
    const auto err = e.apply(c);
    ASSERT_TRUE(err.has_value());
    EXPECT_NE(err->find("data.targets"), std::string::npos) << *err;
  }
  EXPECT_EQ(e.data().points.size(), 3u);
}

train::Session targets_session() {
  train::Session s;
  s.settings = one_point_settings(OutputKind::SigmoidMse, 2);
  s.settings.data.points = 3;
  s.data = with_targets();
  return s;
}

TEST(Targets, SessionRoundTrip) {
  const train::Session s = targets_session();
  const std::string text = train::to_json_text(s);
  auto r = train::from_json_text(text);
  ASSERT_TRUE(std::holds_alternative<train::Session>(r)) << std::get<train::LoadError>(r).message;
  const train::Session& back = std::get<train::Session>(r);
  ASSERT_TRUE(back.data.has_value());
  EXPECT_EQ(back.data->target_dim, 2);
  EXPECT_EQ(back.data->targets, s.data->targets);
  EXPECT_EQ(back.settings.net.outputs, 2);
  EXPECT_EQ(back.settings, s.settings);
  EXPECT_EQ(train::to_json_text(back), text);
  // A file without the new keys loads as before: no targets, outputs from the classes.
  train::Session plain;
  plain.settings = train::default_settings();
  auto p = train::from_json_text(train::to_json_text(plain));
  ASSERT_TRUE(std::holds_alternative<train::Session>(p));
  EXPECT_EQ(std::get<train::Session>(p).settings.net.outputs, 0);
  EXPECT_EQ(train::to_json_text(plain).find("targets"), std::string::npos);
  EXPECT_EQ(train::to_json_text(plain).find("\"outputs\""), std::string::npos);
}

TEST(Targets, BadTargetsAreRefusedNamingTheField) {
  const std::string good = train::to_json_text(targets_session());
  const auto edit = [&](const std::function<void(nlohmann::json&)>& f) {
    nlohmann::json j = nlohmann::json::parse(good);
    f(j);
    auto r = train::from_json_text(j.dump());
    return std::holds_alternative<train::LoadError>(r) ? std::get<train::LoadError>(r).message : std::string("loaded");
  };
  using J = nlohmann::json;
  const std::vector<std::pair<std::function<void(J&)>, std::string>> cases = {
      {[](J& j) { j["data"]["targets"].erase(2); }, "data.targets: 2 rows for 3 samples"},
      {[](J& j) { j["data"]["targets"][1] = {0.5}; }, "data.targets[1]: 1 numbers"},
      {[](J& j) { j["data"]["targets"][1][0] = 1.5; }, "data.targets[1][0] = 1.5 is out of range: allowed 0 to 1"},
      {[](J& j) { j["data"]["targets"][2][1] = "x"; }, "data.targets[2][1]: expected a number"},
      {[](J& j) { j["data"]["targets"][0] = J::array(); }, "data.targets[0]: expected an array of 1 to 6"},
      {[](J& j) { j["data"].erase("samples"); }, "data.targets: given without data.samples"},
      {[](J& j) { j["network"].erase("outputs"); }, "data.targets: rows of 2 numbers, but the network has 1 output units"},
      {[](J& j) { j["network"]["output"] = "sigmoid_bce"; }, "network.outputs: given with output sigmoid_bce"},
      {[](J& j) { j["network"]["outputs"] = 7; }, "network.outputs = 7 is out of range"},
      {[](J& j) { j["network"]["output"] = "linear_mse"; j["data"]["targets"][1][0] = 1.5; }, "loaded"},
  };
  for (const auto& [f, want] : cases) {
    const std::string got = edit(f);
    EXPECT_NE(got.find(want), std::string::npos) << "got: " << got << "\nwanted: " << want;
  }
}

// ---- one step on one point through the engine's inbox ------------------------------------------

TEST(StepOnPoint, TheEngineAppliesWMinusLrTimesDw) {
  train::Settings s = one_point_settings(OutputKind::SoftmaxCe, 0);
  s.net.classes = 3;
  s.data.classes = 3;
  s.data.points = 0;
  s.optimizer.kind = core::OptimizerKind::Adam;  // the step is plain SGD whatever the run uses
  s.optimizer.learning_rate = 0.3;
  core::Dataset d;
  d.classes = 3;
  train::Engine e(s, d);
  const std::vector<double> before(e.params().begin(), e.params().end());
  const core::PointInspection r =
      core::inspect_point(e.layout(), before.data(), core::point_features(s.net.features, 0.5, 0.25),
                          vec({0, 0, 1}),
                          {s.optimizer.l1, s.optimizer.l2});
  ASSERT_FALSE(e.apply(train::cmd::StepOnPoint{0.5, 0.25, 2, {}}).has_value());
  EXPECT_EQ(e.step_count(), 0);
  for (std::size_t i = 0; i < before.size(); ++i)
    EXPECT_NEAR(e.params()[i], before[i] - 0.3 * r.grad[i], 1e-6) << "parameter " << i;
  EXPECT_TRUE(e.apply(train::cmd::StepOnPoint{0.5, 0.25, 3, {}}).has_value());       // no class 3
  EXPECT_TRUE(e.apply(train::cmd::StepOnPoint{0.5, 0.25, 0, {0.5, 0.5}}).has_value());  // 2 of 3 targets
}

// ---- the worked-example lesson ---------------------------------------------------------------

nlohmann::json read_lesson(const std::string& name) {
  std::ifstream in(std::string(MLPVIZ_ASSETS_DIR) + "/lessons/" + name + ".json");
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

// The lesson's text promises E_total, dE/dw5, dE/dw1 and the weights after one step at 0.5: its
// session, run through the engine (float weights, as the window), gives them to the notes' digits.
TEST(WorkedExampleLesson, ItsClaimsHold) {
  const nlohmann::json lesson = read_lesson("backprop_worked_example");
  for (const char* k : {"lesson", "title", "order", "text", "watch", "session"}) ASSERT_TRUE(lesson.contains(k)) << k;
  const std::string text = lesson["text"].get<std::string>();
  for (const char* claim : {"0.298371109", "0.082167041", "0.000438568", "0.35891648", "0.149780716", "0.5"})
    EXPECT_NE(text.find(claim), std::string::npos) << claim;
  // The README's screenshot is made from a copy of this session: the same.
  {
    std::ifstream in(std::string(MLPVIZ_ASSETS_DIR) + "/../tests/gui/sessions/docs_worked_example.json");
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(nlohmann::json::parse(ss.str()), lesson["session"]);
  }
  auto r = train::from_json_text(lesson["session"].dump());
  ASSERT_TRUE(std::holds_alternative<train::Session>(r)) << std::get<train::LoadError>(r).message;
  const train::Session s = std::get<train::Session>(r);
  ASSERT_TRUE(s.data && s.params);
  train::Engine e(s.settings, s.data, s.params);
  const core::Layout& lay = e.layout();
  ASSERT_EQ(lay.sizes, (std::vector<int>{2, 2, 2}));
  // The notes' weights: in double, to the last printed digit.
  const std::vector<double> p = *s.params;
  const core::VecX<double> t = Eigen::Map<const VecX<double>>(core::target_of_point(e.data(), 0, lay).data(), 2);
  ASSERT_EQ(t, vec({0.01, 0.99}));
  expect_notes_digits(core::inspect_point(lay, p.data(), core::point_features(s.settings.net.features, 0.05, 0.10),
                                          t, {s.settings.optimizer.l1, s.settings.optimizer.l2}));
  // What the window and `mlpviz inspect` compute from: the engine's float weights as written.
  const std::vector<double> written = core::as_written(e.params().data(), e.params().size());
  EXPECT_EQ(written, p);
  expect_notes_digits(core::inspect_point(lay, written.data(), core::point_features(s.settings.net.features, 0.05, 0.10),
                                          t, {}));
  // What the engine trains on: the same loss and gradient (its `grad`).
  std::vector<double> g;
  EXPECT_NEAR(e.full_gradient(g), 0.298371109, 1e-7);  // float weights: 0.15f etc.
  EXPECT_NEAR(w_of(lay, g, 2, 0, 0), 0.082167041, 1e-7);
  EXPECT_NEAR(w_of(lay, g, 1, 0, 0), 0.000438568, 1e-8);
  // "Step on this point" at the session's learning rate (0.5), in double.
  EXPECT_EQ(s.settings.optimizer.learning_rate, 0.5);
  const core::PointStep st = core::step_on_point(
      lay, p, core::point_features(s.settings.net.features, 0.05, 0.10), t, {}, s.settings.optimizer.learning_rate);
  expect_notes_step(lay, st.after);
  // The same step through the engine's inbox (float weights) and by one training step (SGD, batch 1,
  // the one point), to float precision.
  train::Engine e2(s.settings, s.data, s.params);
  ASSERT_FALSE(e2.apply(train::cmd::StepOnPoint{0.05, 0.10, 1, {0.01, 0.99}}).has_value());
  train::Engine e3(s.settings, s.data, s.params);
  ASSERT_TRUE(e3.step());
  for (const train::Engine* en : {&e2, &e3}) {
    const std::vector<double> q(en->params().begin(), en->params().end());
    for (std::size_t i = 0; i < q.size(); ++i) EXPECT_NEAR(q[i], st.after[i], 1e-7) << "parameter " << i;
  }
}

}  // namespace
}  // namespace mlpviz
