// Knocking a unit out (core/knock_out.hpp) and the z histograms (core/histogram.hpp):
//   - backprop with knocked-out units against central differences of the same masked loss;
//   - the CPU evaluation with a unit knocked out equals the plain forward pass of a network whose
//     unit's outgoing weights are zeroed (an independent way to silence a unit);
//   - the engine keeps the run going when a unit is switched off or on; sessions store it;
//   - histogram counts sum to the values, the flat zone's fraction equals the dead / saturated
//     metric, and the saturation threshold means what its definition says (g' < 10% of g'(0)).
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "core/data.hpp"
#include "core/evaluate.hpp"
#include "core/histogram.hpp"
#include "core/knock_out.hpp"
#include "core/metrics.hpp"
#include "core/mlp.hpp"
#include "render/cpu_field.hpp"
#include "train/engine.hpp"
#include "train/session.hpp"

namespace mlpviz {
namespace {

using core::Activation;

core::NetSpec spec_of(Activation act, core::OutputKind out, int classes, std::vector<int> widths) {
  core::NetSpec spec;
  spec.features = core::kX1 | core::kX2 | core::kX1X2;
  spec.widths = widths;
  spec.activations.assign(widths.size(), act);
  spec.output = out;
  spec.classes = classes;
  spec.bias_init = 0.1;
  return spec;
}

struct GradCase {
  Activation act;
  core::OutputKind out;
  int classes;
};

class KnockOutGradient : public testing::TestWithParam<GradCase> {};

// Backprop of the masked network against central differences of the masked loss, every
// parameter; the knocked-out unit's incoming weights, bias and outgoing weights get exactly 0.
TEST_P(KnockOutGradient, MatchesCentralDifferencesAndSilencesTheUnit) {
  const GradCase c = GetParam();
  const core::NetSpec spec = spec_of(c.act, c.out, c.classes, {4, 5, 3});
  core::Layout layout = core::Layout::from_spec(spec);
  core::set_knocked_out(layout.knocked_out, 1, 2, true);  // layer 1 unit 3
  core::set_knocked_out(layout.knocked_out, 2, 0, true);  // layer 2 unit 1
  core::set_knocked_out(layout.knocked_out, 2, 4, true);  // layer 2 unit 5
  std::vector<double> params;
  core::initialize(spec, layout, 3, params);
  core::DataSpec ds;
  ds.kind = c.classes == 2 ? core::DataKind::Moons : core::DataKind::Spiral;
  ds.classes = c.classes;
  ds.points = 14;
  ds.noise = 0.2;
  ds.train_fraction = 1.0;
  const core::Dataset data = core::generate(ds);
  core::MatX<double> X;
  std::vector<int> labels;
  core::build_features<double>(spec.features, data, false, X, labels);
  const core::MatX<double> T = core::targets_from_labels<double>(labels, layout.sizes.back());
  const core::Regularization reg{};
  core::Workspace<double> ws;
  std::vector<double> grad(layout.num_params);
  core::loss_and_grad<double>(layout, params.data(), X, T, reg, grad.data(), ws);
  const double h = 1e-6;
  for (int i = 0; i < layout.num_params; ++i) {
    std::vector<double> p = params;
    p[i] = params[i] + h;
    const double up = core::loss_and_grad<double>(layout, p.data(), X, T, reg, nullptr, ws);
    p[i] = params[i] - h;
    const double down = core::loss_and_grad<double>(layout, p.data(), X, T, reg, nullptr, ws);
    const double numeric = (up - down) / (2 * h);
    EXPECT_NEAR(grad[i], numeric, 1e-6 + 1e-4 * std::abs(numeric)) << "parameter " << i;
  }
  // Layer 1 unit 3 (index 2): row 2 of W1, b1[2], column 2 of W2.
  const core::LayerLayout& l1 = layout.layers[0];
  const core::LayerLayout& l2 = layout.layers[1];
  for (int i = 0; i < l1.in; ++i) EXPECT_EQ(grad[l1.w_offset + i * l1.out + 2], 0.0);
  EXPECT_EQ(grad[l1.b_offset + 2], 0.0);
  for (int j = 0; j < l2.out; ++j) EXPECT_EQ(grad[l2.w_offset + 2 * l2.out + j], 0.0);
  // Layer 2 units 1 and 5 pass nothing down: the loss does not depend on their incoming weights.
  for (int i = 0; i < l2.in; ++i) {
    EXPECT_EQ(grad[l2.w_offset + i * l2.out + 0], 0.0);
    EXPECT_EQ(grad[l2.w_offset + i * l2.out + 4], 0.0);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, KnockOutGradient,
    testing::Values(GradCase{Activation::Tanh, core::OutputKind::SigmoidBce, 2},
                    GradCase{Activation::Sigmoid, core::OutputKind::SigmoidMse, 2},
                    GradCase{Activation::Relu, core::OutputKind::SoftmaxCe, 3},
                    GradCase{Activation::Swish, core::OutputKind::LinearMse, 2}),
    [](const testing::TestParamInfo<GradCase>& i) { return std::string(core::name(i.param.act)); });

// A unit's outgoing weights zeroed: the same function as the unit knocked out (independent).
std::vector<float> zero_outgoing(const core::Layout& lay, std::vector<float> p, int layer, int unit) {
  const core::LayerLayout& next = lay.layers[static_cast<std::size_t>(layer)];  // W[layer + 1]
  for (int k = 0; k < next.out; ++k) p[static_cast<std::size_t>(next.w_offset + unit * next.out + k)] = 0.0f;
  return p;
}

TEST(KnockOut, CpuEvaluationEqualsZeroedOutgoingWeights) {
  for (Activation act : {Activation::Tanh, Activation::Relu, Activation::Sigmoid}) {
    const core::NetSpec spec = spec_of(act, core::OutputKind::SoftmaxCe, 3, {6, 5});
    const core::Layout plain = core::Layout::from_spec(spec);
    core::Layout knocked = plain;
    core::set_knocked_out(knocked.knocked_out, 1, 4, true);
    core::set_knocked_out(knocked.knocked_out, 2, 1, true);
    std::vector<double> pd;
    core::initialize(spec, plain, 9, pd);
    const std::vector<float> p(pd.begin(), pd.end());
    const std::vector<float> zeroed = zero_outgoing(plain, zero_outgoing(plain, p, 1, 4), 2, 1);
    const core::GridSpec grid{48, 40, -2.0, 2.0, -1.5, 1.5};
    std::vector<float> a, b;
    core::Workspace<float> ws;
    core::evaluate_grid<float>(knocked, spec.features, p.data(), grid, a, ws);
    core::evaluate_grid<float>(plain, spec.features, zeroed.data(), grid, b, ws);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], 1e-6f) << core::name(act) << " value " << i;
    // The pictures the CPU field path draws agree too, the output field and a downstream unit.
    std::vector<std::uint8_t> ra, rb;
    for (int layer : {-1, 2}) {
      render::cpu_field_rgba(knocked, spec.features, p.data(), grid, layer, 0, 0.25f, true, ra, ws);
      render::cpu_field_rgba(plain, spec.features, zeroed.data(), grid, layer, 0, 0.25f, true, rb, ws);
      EXPECT_EQ(ra, rb) << core::name(act) << " layer " << layer;
    }
    // The knocked-out unit's own activation is 0 everywhere; its neighbours are untouched.
    std::vector<double> x1{-1.0, 0.3, 1.2}, x2{0.5, -0.7, 0.0};
    core::MatX<float> A, B;
    core::layer_activations<float>(knocked, spec.features, p.data(), x1.data(), x2.data(), 3, 1, A, ws);
    core::layer_activations<float>(plain, spec.features, p.data(), x1.data(), x2.data(), 3, 1, B, ws);
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(A(4, i), 0.0f);
      EXPECT_EQ(A(0, i), B(0, i));
    }
  }
}

TEST(KnockOut, MaskIsNormalizedAndFitsNewShapes) {
  core::UnitMask m;
  core::set_knocked_out(m, 2, 63, true);
  EXPECT_TRUE(core::is_knocked_out(m, 2, 63));
  EXPECT_FALSE(core::is_knocked_out(m, 1, 63));
  EXPECT_EQ(core::count_knocked_out(m), 1);
  core::set_knocked_out(m, 2, 63, false);
  EXPECT_TRUE(m.empty()) << "switching every unit back on leaves no mask";
  core::set_knocked_out(m, 1, 1, true);
  core::set_knocked_out(m, 1, 6, true);
  core::set_knocked_out(m, 3, 0, true);
  core::NetSpec net;
  net.widths = {4, 8};
  net.activations = {Activation::Tanh, Activation::Tanh};
  EXPECT_TRUE(core::validate_knock_out(m, net).has_value());
  const core::UnitMask fit = core::fit_knock_out(m, net);
  EXPECT_TRUE(core::is_knocked_out(fit, 1, 1));
  EXPECT_FALSE(core::is_knocked_out(fit, 1, 6));
  EXPECT_EQ(core::count_knocked_out(fit), 1);
  EXPECT_FALSE(core::validate_knock_out(fit, net).has_value());
}

// Switching a unit off and on continues the run: same step, generation and weights; the loss
// changes at once and comes back exactly; training goes on with the unit off and its incoming
// weights do not move under plain SGD (no gradient reaches them).
TEST(KnockOut, EngineContinuesTheRun) {
  train::Settings s = train::default_settings();
  s.optimizer.kind = core::OptimizerKind::Sgd;
  s.optimizer.learning_rate = 0.1;
  train::Engine e(s);
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(e.step());
  e.update_metrics();
  const double loss_on = e.metrics().train_loss;
  const auto before = e.make_snapshot(1);
  ASSERT_FALSE(e.apply(train::cmd::SetKnockOut{1, 3, true}).has_value());
  const auto after = e.make_snapshot(2);
  EXPECT_EQ(after->step, before->step);
  EXPECT_EQ(after->generation, before->generation);
  EXPECT_EQ(after->params, before->params);
  EXPECT_TRUE(after->layout.knocked(1, 3));
  EXPECT_TRUE(core::is_knocked_out(after->settings.knocked_out, 1, 3));
  EXPECT_NE(after->metrics.train_loss, loss_on);
  const core::LayerLayout& l1 = e.layout().layers[0];
  std::vector<float> incoming;
  for (int i = 0; i < l1.in; ++i) incoming.push_back(e.params()[l1.w_offset + i * l1.out + 3]);
  incoming.push_back(e.params()[l1.b_offset + 3]);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(e.step());
  EXPECT_EQ(e.step_count(), before->step + 50);
  for (int i = 0; i < l1.in; ++i) EXPECT_EQ(e.params()[l1.w_offset + i * l1.out + 3], incoming[i]);
  EXPECT_EQ(e.params()[l1.b_offset + 3], incoming.back());
  // Back on, with no step between: exactly the loss of before.
  train::Engine f(s);
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(f.step());
  ASSERT_FALSE(f.apply(train::cmd::SetKnockOut{1, 3, true}).has_value());
  ASSERT_FALSE(f.apply(train::cmd::SetKnockOut{1, 3, false}).has_value());
  EXPECT_EQ(f.metrics().train_loss, loss_on);
  EXPECT_TRUE(f.settings().knocked_out.empty());
  // Out of range: refused, nothing changed.
  EXPECT_TRUE(f.apply(train::cmd::SetKnockOut{3, 0, true}).has_value());
  EXPECT_TRUE(f.apply(train::cmd::SetKnockOut{1, 8, true}).has_value());
  EXPECT_TRUE(f.settings().knocked_out.empty());
  // A new shape keeps the units it still has.
  ASSERT_FALSE(f.apply(train::cmd::SetKnockOut{2, 1, true}).has_value());
  ASSERT_FALSE(f.apply(train::cmd::SetKnockOut{2, 6, true}).has_value());
  core::NetSpec narrow = f.settings().net;
  narrow.widths = {8, 4};
  ASSERT_FALSE(f.apply(train::cmd::SetNet{narrow}).has_value());
  EXPECT_TRUE(core::is_knocked_out(f.settings().knocked_out, 2, 1));
  EXPECT_EQ(core::count_knocked_out(f.settings().knocked_out), 1);
  EXPECT_TRUE(f.layout().knocked(2, 1));
}

TEST(KnockOut, SessionStoresItAndRejectsBadUnits) {
  train::Session a;
  a.settings = train::default_settings();
  const std::string plain = train::to_json_text(a);
  EXPECT_EQ(plain.find("knocked_out"), std::string::npos) << "absent when none";
  core::set_knocked_out(a.settings.knocked_out, 2, 7, true);
  core::set_knocked_out(a.settings.knocked_out, 1, 0, true);
  const std::string text = train::to_json_text(a);
  const nlohmann::json j = nlohmann::json::parse(text);
  EXPECT_EQ(j["network"]["knocked_out"], nlohmann::json::parse("[[1, 1], [2, 8]]"));
  const auto r = train::from_json_text(text);
  ASSERT_TRUE(std::holds_alternative<train::Session>(r)) << std::get<train::LoadError>(r).message;
  EXPECT_EQ(std::get<train::Session>(r).settings.knocked_out, a.settings.knocked_out);
  const auto old = train::from_json_text(plain);
  ASSERT_TRUE(std::holds_alternative<train::Session>(old));
  EXPECT_TRUE(std::get<train::Session>(old).settings.knocked_out.empty());
  const std::pair<const char*, const char*> bad[] = {
      {"[[3, 1]]", "network.knocked_out[0][0] = 3 is out of range: allowed hidden layers 1 to 2"},
      {"[[1, 9]]", "network.knocked_out[0][1] = 9 is out of range: allowed units 1 to 8"},
      {"[[1, 0]]", "network.knocked_out[0][1] = 0 is out of range"},
      {"[[1]]", "network.knocked_out[0]: expected [layer, unit]"},
      {"[[1, 1.5]]", "network.knocked_out[0]: expected [layer, unit]"},
      {"{}", "network.knocked_out: expected an array"},
  };
  for (const auto& [value, message] : bad) {
    nlohmann::json k = j;
    k["network"]["knocked_out"] = nlohmann::json::parse(value);
    const auto rr = train::from_json_text(k.dump());
    ASSERT_TRUE(std::holds_alternative<train::LoadError>(rr)) << value;
    EXPECT_NE(std::get<train::LoadError>(rr).message.find(message), std::string::npos)
        << value << ": " << std::get<train::LoadError>(rr).message;
  }
}

// ---- histograms ----

// The threshold from its definition: the slope there is kSaturatedSlope of the peak.
TEST(Histogram, SaturationThresholdIsWhereTheSlopeIsATenthOfItsPeak) {
  const double zt = core::saturation_z(Activation::Tanh);
  const double t = std::tanh(zt);
  EXPECT_NEAR(1.0 - t * t, 0.1 * 1.0, 1e-12);  // tanh'(0) = 1
  const double zs = core::saturation_z(Activation::Sigmoid);
  const double s = 1.0 / (1.0 + std::exp(-zs));
  EXPECT_NEAR(s * (1.0 - s), 0.1 * 0.25, 1e-12);  // sigmoid'(0) = 1/4
  // The README and metrics.hpp quote |z| > 1.82 (tanh) and 3.64 (sigmoid), |a| > 0.949 for tanh,
  // a > 0.974 for sigmoid; histograms of up to 4,096 training points in 40 bins.
  EXPECT_NEAR(zt, 1.82, 5e-3);
  EXPECT_NEAR(zs, 3.64, 5e-3);
  static_assert(core::kHistogramBins == 40 && train::kMetricsMaxPoints == 4096);
  EXPECT_NEAR(t, 0.949, 5e-4);
  EXPECT_NEAR(s, 0.974, 5e-4);
  EXPECT_TRUE(core::in_flat_zone(Activation::Tanh, -zt * 1.0001));
  EXPECT_FALSE(core::in_flat_zone(Activation::Tanh, zt * 0.9999));
  EXPECT_TRUE(core::in_flat_zone(Activation::Relu, 0.0));
  EXPECT_FALSE(core::in_flat_zone(Activation::Relu, 1e-7));
  EXPECT_FALSE(core::in_flat_zone(Activation::LeakyRelu, -5.0));
}

TEST(Histogram, BinsHoldEveryValueWhereItBelongs) {
  core::MatX<double> Z(2, 3);
  Z << -0.95, 0.0, 0.31, 1.9, -1.96, 0.0;
  const core::Layout lay = core::Layout::from_sizes({2, 2, 1}, {Activation::Identity}, core::OutputKind::SigmoidBce);
  const core::ZHistogram h = core::z_histogram<double>(Z, Activation::Identity, lay, 1, 40);
  EXPECT_EQ(h.hi, 2.0);  // max |z| 1.96 -> 2
  EXPECT_EQ(h.lo, -2.0);
  ASSERT_EQ(h.counts.size(), 40u);
  EXPECT_EQ(h.total, 6);
  int sum = 0;
  for (int c : h.counts) sum += c;
  EXPECT_EQ(sum, 6);
  // Bins 0.1 wide from -2: -1.96 -> 0, -0.95 -> 10, 0 -> 20 (twice), 0.31 -> 23, 1.9 -> 39.
  EXPECT_EQ(h.counts[0], 1);
  EXPECT_EQ(h.counts[10], 1);
  EXPECT_EQ(h.counts[20], 2);
  EXPECT_EQ(h.counts[23], 1);
  EXPECT_EQ(h.counts[39], 1);
  EXPECT_EQ(h.flat, 0);
  // ReLU: z <= 0 is flat (3 of 6); a knocked-out unit (row 1) is left out.
  core::Layout knocked = lay;
  core::set_knocked_out(knocked.knocked_out, 1, 1, true);
  const core::ZHistogram r = core::z_histogram<double>(Z, Activation::Relu, knocked, 1, 40);
  EXPECT_EQ(r.total, 3);
  EXPECT_EQ(r.flat, 2);  // -0.95 and 0
}

// Over a trained run's training points: counts sum to points x units, and the flat fraction is
// the metric's saturated fraction (tanh, sigmoid) or inactive fraction (ReLU) of the same layer.
TEST(Histogram, FlatFractionEqualsTheHealthMetric) {
  struct Run {
    Activation act;
    double gain;
  };
  for (const Run run : {Run{Activation::Tanh, 4.0}, Run{Activation::Sigmoid, 6.0}, Run{Activation::Relu, 1.0}}) {
    train::Settings s = train::default_settings();
    s.net.activations.assign(2, run.act);
    s.net.init_gain = run.gain;
    if (run.act == Activation::Relu) {
      s.optimizer.learning_rate = 0.3;  // dying ReLU: a learning rate far too high kills units
      s.net.init = core::InitKind::He;
    }
    train::Engine e(s);
    for (int i = 0; i < 300; ++i)
      if (!e.step()) break;
    e.update_metrics();
    const core::Metrics& m = e.metrics();
    ASSERT_EQ(m.z_histograms.size(), 2u);
    double flat_all = 0, total_all = 0;
    for (int l = 0; l < 2; ++l) {
      const core::ZHistogram& h = m.z_histograms[l];
      const int n = m.evaluated_train;
      int sum = 0;
      for (int c : h.counts) sum += c;
      EXPECT_EQ(sum, n * s.net.widths[l]);
      EXPECT_EQ(h.total, n * s.net.widths[l]);
      double expected_flat = 0;
      for (const core::UnitStats& u : m.units[l])
        expected_flat += run.act == Activation::Relu ? (1.0 - u.active_fraction) * n : u.saturated_fraction * n;
      EXPECT_NEAR(h.flat, expected_flat, 1e-3) << core::name(run.act) << " layer " << l + 1;
      int dead = 0;
      for (const core::UnitStats& u : m.units[l]) dead += u.dead;
      if (run.act == Activation::Relu) {
        EXPECT_GE(h.flat, dead * n);
      }
      flat_all += h.flat;
      total_all += h.total;
    }
    if (run.act != Activation::Relu) {
      EXPECT_NEAR(flat_all / total_all, m.saturated_fraction, 1e-6) << core::name(run.act);
      EXPECT_GT(m.saturated_fraction, 0.05) << "the large initialization saturates " << core::name(run.act);
    }
  }
}

}  // namespace
}  // namespace mlpviz

namespace mlpviz {
namespace {

// The README's knock-out picture (tests/gui/sessions/docs_knock_out.json): unit 7 of layer 1 drew
// the bend (alone it changes the class of about a fifth of the plane shown), unit 3 of layer 2
// alone changes under 2%.
TEST(KnockOut, ReadmePictureClaims) {
  const auto r = train::load_session(std::string(MLPVIZ_GUI_SESSIONS) + "/docs_knock_out.json");
  ASSERT_TRUE(std::holds_alternative<train::Session>(r)) << std::get<train::LoadError>(r).message;
  const train::Session& s = std::get<train::Session>(r);
  ASSERT_TRUE(s.params.has_value());
  EXPECT_TRUE(core::is_knocked_out(s.settings.knocked_out, 1, 6));
  EXPECT_TRUE(core::is_knocked_out(s.settings.knocked_out, 2, 2));
  EXPECT_EQ(core::count_knocked_out(s.settings.knocked_out), 2);
  const std::vector<float> p(s.params->begin(), s.params->end());
  const core::GridSpec grid{160, 110, -2.5, 2.5, -1.7, 1.7};
  core::Workspace<float> ws;
  const auto classes = [&](const core::UnitMask& m) {
    core::Layout lay = core::Layout::from_spec(s.settings.net);
    lay.knocked_out = m;
    std::vector<float> out;
    core::evaluate_grid<float>(lay, s.settings.net.features, p.data(), grid, out, ws);
    std::vector<int> c(out.size());
    for (std::size_t i = 0; i < out.size(); ++i) c[i] = out[i] > 0.5f;
    return c;
  };
  const std::vector<int> all_on = classes({});
  const auto changed = [&](int layer, int unit) {
    core::UnitMask m;
    core::set_knocked_out(m, layer, unit, true);
    const std::vector<int> c = classes(m);
    int n = 0;
    for (std::size_t i = 0; i < c.size(); ++i) n += c[i] != all_on[i];
    return static_cast<double>(n) / static_cast<double>(c.size());
  };
  const double unit7 = changed(1, 6), unit3 = changed(2, 2);
  EXPECT_GT(unit7, 0.15);
  EXPECT_LT(unit7, 0.25);
  EXPECT_LT(unit3, 0.02);
}

}  // namespace
}  // namespace mlpviz
