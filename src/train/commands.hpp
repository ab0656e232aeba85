// commands.hpp: what the UI (or a test, or the CLI) may ask of a training run.
//
// Commands are applied between optimization steps, in the order posted. Changing the architecture,
// initialization or weight seed re-initializes the network; changing the optimizer, learning
// rate, regularization, batch size or the data points does not.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "core/data.hpp"
#include "train/settings.hpp"

namespace mlpviz::train {

namespace cmd {
struct Play {};
struct Pause {};
struct Step { int count = 1; };                     // pauses, then runs `count` steps
struct Reset { bool new_weights = false; };         // new_weights: weight_seed + 1
struct SetNet { core::NetSpec net; };               // rebuilds and re-initializes
struct SetWeightSeed { std::uint64_t seed = 1; };   // re-initializes
struct SetOptimizer { core::OptimizerSpec optimizer; };
struct SetData { core::DataSpec data; };            // regenerates the points
struct SetPoints { std::vector<core::Point> points; int classes = 2; };  // e.g. a CSV import
struct AddPoint { double x1 = 0, x2 = 0; int label = 0; };
struct RemoveNearest { double x1 = 0, x2 = 0; };
struct ClearPoints {};
struct SetSpeed { double steps_per_second = 0.0; };  // 0: as fast as possible
struct SetStop { StopRule stop; };
struct SetParams { std::vector<double> params; };    // e.g. loaded from a session
struct SetParam { int index = 0; double value = 0.0; };  // one weight or bias, typed by the user
}  // namespace cmd

using Command = std::variant<cmd::Play, cmd::Pause, cmd::Step, cmd::Reset, cmd::SetNet,
                             cmd::SetWeightSeed, cmd::SetOptimizer, cmd::SetData, cmd::SetPoints,
                             cmd::AddPoint, cmd::RemoveNearest, cmd::ClearPoints, cmd::SetSpeed,
                             cmd::SetStop, cmd::SetParams, cmd::SetParam>;

}  // namespace mlpviz::train
