// commands.hpp: what the UI (or a test, or the CLI) may ask of a training run.
//
// Commands are applied between optimization steps, in the order posted. One rule for what restarts
// the run (Engine::apply):
//   a new run: a new data set (SetData, SetPoints), the network's shape or initialization
//     (SetNet), the weight seed (SetWeightSeed), Reset: step 0, fresh weights from the weight
//     seed, history and timeline cleared, optimizer state cleared, and the run paused, whatever
//     its state before (running, paused, finished or diverged);
//   the same run goes on: optimizer, learning rate, regularization, batch size, speed, stopping
//     rule, point edits (AddPoint, RemoveNearest, ClearPoints, UndoPoints), single weights and
//     knocking a unit out or back in (SetKnockOut: training goes on with the unit held at 0, as
//     dropout at p = 1 for it; core/knock_out.hpp). A new network shape keeps the knock-outs of
//     the units it still has.
//     a step on one point (StepOnPoint).
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
struct Reset { bool new_weights = false; };         // new run; new_weights: weight_seed + 1
struct SetNet { core::NetSpec net; };               // new run
struct SetWeightSeed { std::uint64_t seed = 1; };   // new run
struct SetOptimizer { core::OptimizerSpec optimizer; };
struct SetData { core::DataSpec data; };            // regenerates the points; new run
struct SetPoints { std::vector<core::Point> points; int classes = 2; };  // e.g. a CSV import; new run
struct AddPoint { double x1 = 0, x2 = 0; int label = 0; };  // point edits: undoable
struct RemoveNearest { double x1 = 0, x2 = 0; };
struct ClearPoints {};
struct UndoPoints {};                                // undoes the last point edit
struct SetSpeed { double steps_per_second = 0.0; };  // 0: as fast as possible
struct SetStop { StopRule stop; };
struct SetParams { std::vector<double> params; };    // e.g. loaded from a session
struct SetParam { int index = 0; double value = 0.0; };  // one weight or bias, typed by the user
// Hidden unit `unit` (0-based) of hidden layer `layer` (1-based) held at 0 (off) or back on.
struct SetKnockOut { int layer = 1; int unit = 0; bool off = true; };
// One plain SGD step on this point alone at the current learning rate (core::step_on_point):
// W - lr * dW for every weight and bias; the optimizer's state and the step count stay. The
// target is `target` (one value per output unit) when given, else the label's.
struct StepOnPoint {
  double x1 = 0, x2 = 0;
  int label = 0;
  std::vector<double> target;
};
}  // namespace cmd

using Command = std::variant<cmd::Play, cmd::Pause, cmd::Step, cmd::Reset, cmd::SetNet,
                             cmd::SetWeightSeed, cmd::SetOptimizer, cmd::SetData, cmd::SetPoints,
                             cmd::AddPoint, cmd::RemoveNearest, cmd::ClearPoints, cmd::SetSpeed,
                             cmd::SetStop, cmd::SetParams, cmd::SetParam, cmd::UndoPoints,
                             cmd::SetKnockOut,
                             cmd::StepOnPoint>;

}  // namespace mlpviz::train
