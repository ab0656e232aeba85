// settings.hpp: everything a training run is configured by (what a session file stores besides
// the data points and the trained parameters).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/spec.hpp"

namespace mlpviz::train {

struct StopRule {
  enum class Kind : std::uint8_t { Never, Steps, Epochs, TargetLoss };
  Kind kind = Kind::Never;
  std::int64_t steps = 10000;
  std::int64_t epochs = 100;
  double target_loss = 0.01;  // train loss at or below this stops training
  bool operator==(const StopRule&) const = default;
};

struct Settings {
  core::NetSpec net;
  core::OptimizerSpec optimizer;
  core::DataSpec data;
  std::uint64_t weight_seed = 1;  // initial weights and mini-batch order; separate from data.seed
  StopRule stop;
  double steps_per_second = 0.0;  // 0: as fast as possible
  bool operator==(const Settings&) const = default;
};

inline constexpr double kMaxStepsPerSecond = 1e6;

std::optional<std::string> validate(const StopRule& s);
// Validates every part, and that the network fits the data (classes).
std::optional<std::string> validate(const Settings& s);

// The embedded default: two moons, 2 hidden layers of 8 tanh units, Adam, training running.
Settings default_settings();

}  // namespace mlpviz::train
