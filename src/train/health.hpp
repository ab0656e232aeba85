// health.hpp: the training health monitor: runs that go wrong without blowing up, said in words.
//
// Divergence (a NaN or a loss explosion) pauses training: see Engine::step(). This file is about
// the quieter failures a student meets, each turned into one plain note naming the likely cause
// and the setting to change:
//   no progress   the training loss has not been below chance for kHealthStallWindows windows of
//                 kHealthWindow steps (at chance, above it, or swinging: oscillation)
//   symmetric     every unit of a hidden layer has the same weights and bias (zero
//                 initialization): they get the same updates and stay identical
//   lr decayed    the schedule has taken the learning rate below kLrDecayedShare of its start
//   dead layer    every ReLU unit of a hidden layer inactive on every training point
//   non-finite    the weights as loaded give a non-finite loss (no step made them)
// Everything here is decided by step counts, the mini-batch losses and the parameters, never by
// wall time or by when metrics are read, so a run and its notes are reproducible.
//
// Thresholds (measured on the moons runs of tests/test_health.cpp): every optimizer x activation
// x output run at learning rate 10 that ends `mlpviz train`'s default 1000 steps at 50-55% has
// been at or above chance for at least its last 500 steps (some made progress first, then
// collapsed); the default session and the accuracy-table runs leave 0.95 x chance within their
// first windows and never return.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/mlp.hpp"
#include "core/spec.hpp"

namespace mlpviz::train {

inline constexpr int kHealthWindow = 100;       // steps whose mini-batch losses form one mean
inline constexpr int kHealthStallWindows = 5;   // windows without progress before a note
inline constexpr double kHealthProgress = 0.95; // a window mean below this x chance is progress
inline constexpr double kHealthSwing = 2.0;     // max/min window mean at or above this: swinging
inline constexpr double kLrDecayedShare = 1e-3; // scheduled rate at or below this x the start

// Window means of the mini-batch losses since the last restart, and how many windows in a row
// stayed at or above kHealthProgress x chance. Restarted whenever the weights, the data or the
// optimizer settings change (a user who lowered the learning rate gets a fresh verdict).
class LossTrend {
 public:
  void restart();
  // The mini-batch loss of one step taken with these optimizer settings and chance loss.
  void add(double batch_loss, const core::OptimizerSpec& optimizer, double chance_loss);
  // Steps in a row without progress (a multiple of kHealthWindow).
  std::int64_t stalled_steps() const { return stalled_windows_ * std::int64_t{kHealthWindow}; }
  bool stalled() const { return stalled_windows_ >= kHealthStallWindows; }
  // Over the last kHealthStallWindows window means (valid when stalled()).
  double recent_min() const;
  double recent_max() const;
  double recent_mean() const;

 private:
  core::OptimizerSpec optimizer_;
  bool has_optimizer_ = false;
  double sum_ = 0.0;
  int count_ = 0;
  std::int64_t stalled_windows_ = 0;
  std::vector<double> recent_;  // the last kHealthStallWindows window means
};

// The 1-based index of the first hidden layer (of 2 or more units) whose units all have the same
// incoming weights and bias, within a relative 1e-6; 0 when there is none.
int symmetric_hidden_layer(const core::Layout& layout, const core::Params& params);

// What the note is made from: the state of the run when metrics were last computed.
struct HealthFacts {
  int depth = 0;                          // hidden layers
  core::InitKind init = core::InitKind::Normal;
  core::OptimizerSpec optimizer;
  std::int64_t step = 0;
  double chance_loss = 0.0;
  bool loss_finite = true;                // the current weights' training loss
  int symmetric_layer = 0;                // symmetric_hidden_layer()
  int dead_layer = 0;                     // 1-based hidden layer whose ReLU units are all dead
  const LossTrend* trend = nullptr;
};

// One line for the status bar and the CLI ("" when the run looks healthy).
std::string health_note(const HealthFacts& f);

// Whether a learning rate is far above what the optimizer tolerates on this scale of problem
// (adaptive optimizers above 0.1, the SGD family above 1): the cause named for a stalled run.
bool learning_rate_too_large(const core::OptimizerSpec& o);

}  // namespace mlpviz::train
