#include "train/settings.hpp"

#include <cmath>

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
