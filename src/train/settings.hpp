// settings.hpp: everything a training run is configured by (what a session file stores besides
// the data points and the trained parameters).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/knock_out.hpp"
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

// The rules a driver stops a run by (Engine::done()); the first one met ends it. The window's
// rule is one StopRule (StopRules::from); the CLI combines --steps, --epochs and --target-loss;
// a sweep gives every cell the same rules. Counts are the engine's own counters (a resumed run's
// saved step counts).
struct StopRules {
  std::int64_t steps = 0;     // done at step_count() >= steps; 0: no step limit
  std::int64_t epochs = 0;    // done at epoch() >= epochs; 0: no epoch limit
  double target_loss = -1.0;  // done when the train loss of the metrics last evaluated is at or
                              // below this; < 0: none
  static StopRules from(const StopRule& r);
  bool operator==(const StopRules&) const = default;
};

// Why a run is done; NotDone while it may go on.
enum class StopReason : std::uint8_t { NotDone, Steps, Epochs, TargetLoss, Diverged, NoData };
const char* name(StopReason r);  // "not done", "steps", ..., "diverged", "no data"

struct Settings {
  core::NetSpec net;
  core::OptimizerSpec optimizer;
  core::DataSpec data;
  std::uint64_t weight_seed = 1;  // initial weights and mini-batch order; separate from data.seed
  StopRule stop;
  double steps_per_second = 0.0;  // 0: as fast as possible ("max")
  // Hidden units held at 0 (core/knock_out.hpp; cmd::SetKnockOut). Part of the network's state,
  // not of its shape: changing it continues the run. Stored as the session's network.knocked_out.
  core::UnitMask knocked_out;
  bool operator==(const Settings&) const = default;
};

inline constexpr double kMaxStepsPerSecond = 1e6;

// The window's default pace (default_settings()): a pace a class can watch. Measured on the
// default session (2x8 tanh, Adam 0.01, batch 10, moons; weight seeds 1 to 5, `mlpviz train
// --metrics-csv` and `mlpviz dump --steps N` on an 81x51 grid of the plane): the training accuracy
// reaches its final 100% after 250 to 350 steps, and the boundary is within 5% of the plane of its
// final place after about 1000 steps (21% differ at step 100, 9% at 500, 5% at 1000, 2.5% at 5000:
// after that only the far field moves while the loss falls a decade per 1000s of steps). At 50
// steps/s the learning phase takes 6 s and the boundary settles in about 20 s, inside the 10-30 s a
// lesson wants. (The TensorFlow Playground steps one epoch per animation frame with plain SGD, which
// needs far more steps than Adam here.) Full speed ("max", 0) is one click away.
inline constexpr double kDefaultStepsPerSecond = 50.0;

std::optional<std::string> validate(const StopRule& s);
// Validates every part, and that the network fits the data (classes).
std::optional<std::string> validate(const Settings& s);

// The embedded default: two moons, 2 hidden layers of 8 tanh units, Adam, training running at
// kDefaultStepsPerSecond.
Settings default_settings();

// What sets `other` apart from `base`, in one short line for a comparison ("relu vs tanh",
// "width 32 vs 8", "sgd vs adam, lr 0.1 vs 0.01"): activations, widths, depth, optimizer, learning
// rate, batch size, initialization and weight seed; "same settings" when none differ.
std::string describe_difference(const Settings& base, const Settings& other);

}  // namespace mlpviz::train
