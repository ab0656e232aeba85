#include "train/settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace mlpviz::train {

std::optional<std::string> validate(const StopRule& s) {
  if (s.steps < 1 || s.steps > 1'000'000'000'000LL)
    return "stop.steps = " + std::to_string(s.steps) + " is out of range: allowed 1 to 1e12";
  if (s.epochs < 1 || s.epochs > 1'000'000'000LL)
    return "stop.epochs = " + std::to_string(s.epochs) + " is out of range: allowed 1 to 1e9";
  if (!std::isfinite(s.target_loss) || s.target_loss < 0 || s.target_loss > 100)
    return "stop.target_loss = " + std::to_string(s.target_loss) + " is out of range: allowed 0 to 100";
  return std::nullopt;
}

std::optional<std::string> validate(const Settings& s) {
  if (auto e = core::validate(s.net)) return e;
  if (auto e = core::validate_knock_out(s.knocked_out, s.net)) return e;
  if (auto e = core::validate(s.optimizer)) return e;
  if (auto e = core::validate(s.data)) return e;
  if (auto e = validate(s.stop)) return e;
  if (!std::isfinite(s.steps_per_second) || s.steps_per_second < 0 ||
      s.steps_per_second > kMaxStepsPerSecond)
    return "steps_per_second = " + std::to_string(s.steps_per_second) +
           " is out of range: allowed 0 (as fast as possible) to 1e6";
  const int data_classes = core::data_kind_has_classes(s.data.kind) ? s.data.classes : 2;
  if (s.net.classes != data_classes)
    return "network.classes = " + std::to_string(s.net.classes) + " but the data has " +
           std::to_string(data_classes) + " classes: they must match";
  return std::nullopt;
}

StopRules StopRules::from(const StopRule& r) {
  StopRules out;
  switch (r.kind) {
    case StopRule::Kind::Never: break;
    case StopRule::Kind::Steps: out.steps = r.steps; break;
    case StopRule::Kind::Epochs: out.epochs = r.epochs; break;
    case StopRule::Kind::TargetLoss: out.target_loss = r.target_loss; break;
  }
  return out;
}

const char* name(StopReason r) {
  switch (r) {
    case StopReason::NotDone: return "not done";
    case StopReason::Steps: return "steps";
    case StopReason::Epochs: return "epochs";
    case StopReason::TargetLoss: return "target loss";
    case StopReason::Diverged: return "diverged";
    case StopReason::NoData: return "no data";
  }
  return "?";
}

Settings default_settings() {
  Settings s;
  s.net.features = core::kX1 | core::kX2;
  s.net.widths = {8, 8};
  s.net.activations = {core::Activation::Tanh, core::Activation::Tanh};
  s.net.output = core::OutputKind::SigmoidBce;
  s.optimizer.kind = core::OptimizerKind::Adam;
  s.optimizer.learning_rate = 0.01;
  s.optimizer.batch_size = 10;
  s.data.kind = core::DataKind::Moons;
  s.data.points = 400;
  s.data.noise = 0.1;
  s.steps_per_second = kDefaultStepsPerSecond;
  return s;
}

}  // namespace mlpviz::train

namespace mlpviz::train {
namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// A network without hidden layers has no activations: named "none" in a difference.
std::string activations(const std::vector<core::Activation>& v) {
  return v.empty() ? std::string("none") : core::activations_text(v);
}

}  // namespace

std::string describe_difference(const Settings& base, const Settings& other) {
  std::vector<std::string> parts;
  const core::NetSpec &a = other.net, &b = base.net;
  if (activations(a.activations) != activations(b.activations))
    parts.push_back(activations(a.activations) + " vs " + activations(b.activations));
  if (a.widths.size() != b.widths.size())
    parts.push_back("depth " + std::to_string(a.widths.size()) + " vs " + std::to_string(b.widths.size()));
  const auto uniform = [](const std::vector<int>& w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), [&](int x) { return x == w.front(); });
  };
  if (uniform(a.widths) && uniform(b.widths)) {
    if (a.widths.front() != b.widths.front())
      parts.push_back("width " + std::to_string(a.widths.front()) + " vs " + std::to_string(b.widths.front()));
  } else if (a.widths != b.widths) {
    parts.push_back("widths " + core::widths_text(a.widths) + " vs " + core::widths_text(b.widths));
  }
  if (a.init != b.init) parts.push_back(std::string(core::name(a.init)) + " vs " + std::string(core::name(b.init)) + " init");
  if (other.optimizer.kind != base.optimizer.kind)
    parts.push_back(std::string(core::name(other.optimizer.kind)) + " vs " + std::string(core::name(base.optimizer.kind)));
  if (other.optimizer.learning_rate != base.optimizer.learning_rate)
    parts.push_back("lr " + number(other.optimizer.learning_rate) + " vs " + number(base.optimizer.learning_rate));
  if (other.optimizer.batch_size != base.optimizer.batch_size)
    parts.push_back("batch " + std::to_string(other.optimizer.batch_size) + " vs " +
                    std::to_string(base.optimizer.batch_size));
  if (other.weight_seed != base.weight_seed)
    parts.push_back("weight seed " + std::to_string(other.weight_seed) + " vs " + std::to_string(base.weight_seed));
  if (parts.empty()) return "same settings";
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) s += ", ";
    s += parts[i];
  }
  return s;
}

}  // namespace mlpviz::train
