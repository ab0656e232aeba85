// engine.hpp: one training run, single-threaded: data, network, optimizer, counters, history.
//
// The Engine is what the Trainer's thread drives; the CLI and the tests drive it directly. It is
// deterministic: the same settings, data and commands give bit-identical parameters, whatever is
// read from it in between (make_snapshot() never changes the training state).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/data.hpp"
#include "core/metrics.hpp"
#include "core/mlp.hpp"
#include "core/optimizer.hpp"
#include "core/rng.hpp"
#include "train/commands.hpp"
#include "train/health.hpp"
#include "train/settings.hpp"
#include "train/snapshot.hpp"

namespace mlpviz::train {

inline constexpr int kMetricsMaxPoints = 4096;   // larger splits are evaluated on a fixed sample
// History schedule. Metrics cost 30 to 50 steps each (about 40 us against 1 us for a step of the
// default network on 400 points), so points are logged by step count, never on every step: after
// a point at step s the next is due at s + max(1, s / kHistoryEarlyRatio). Every step up to 64,
// then geometric: 2.3 * kHistoryEarlyRatio (147) points per decade of steps, so the learning phase
// keeps its shape on any run length, a 10,000-step run has about 390 points, the last half of any
// run about 44, and a run of a million steps costs about 700 evaluations (2 to 3% of full speed for
// the default session, BENCHMARKS.md). A uniform part on top (a fixed number of points over the
// whole run, thinned as it grows) was measured at 8 to 10% and dropped.
inline constexpr int kHistoryEarlyRatio = 64;
inline constexpr int kHistoryCapacity = 2048;    // bound on logged points (1e12 steps log ~1800)
inline constexpr int kTimelineCapacity = 256;    // parameter frames kept (halved when full)
// Undo of point edits (cmd::UndoPoints): the data before each of the last kPointUndoDepth edits,
// fewer when they hold more than kPointUndoMaxPoints points together.
inline constexpr int kPointUndoDepth = 100;
inline constexpr int kPointUndoMaxPoints = 2'000'000;

// Divergence by loss explosion (see Engine::step()): the run diverged when the data loss of the
// parameters on the metrics sample exceeds kExplodeFactor times the reference loss, the larger of
// the chance-level loss (always predicting the class shares; at least kChanceLossFloor) and the
// loss the run started from.
inline constexpr double kExplodeFactor = 100.0;
inline constexpr double kChanceLossFloor = 0.05;

class Engine {
 public:
  // Settings must be valid (validate(settings)); data defaults to generate(settings.data) and
  // params to a fresh initialization from settings.weight_seed.
  // progress (only with params: a saved run) restores the step and epoch counters and the
  // logged curves; std::invalid_argument when they contradict each other (the session loader
  // rejects such files with the field named first).
  explicit Engine(const Settings& settings, std::optional<core::Dataset> data = std::nullopt,
                  std::optional<std::vector<double>> params = std::nullopt,
                  std::optional<RunProgress> progress = std::nullopt);

  // Applies a command. Returns an error message (and changes nothing else) when it is invalid;
  // the message is also the engine's message() until a command of the same kind is accepted or
  // a new run starts. The run rule (commands.hpp): a new data set, network shape, initialization
  // or weight seed starts a new run, paused at step 0, whatever the state before; optimizer,
  // speed, stopping rule, point edits and single weights continue the run.
  std::optional<std::string> apply(const Command& c);

  // One optimization step on the next mini-batch. Returns false (and takes no step) when there is
  // nothing to train on or the run diverged; on divergence it restores the last good parameters.
  // Divergence is a non-finite gradient or update, or a loss explosion: the data loss of the
  // current parameters on the metrics sample above divergence_threshold(). A loss explosion
  // blames the update that produced the current parameters: they are replaced by those from one
  // step earlier and the step counter goes back by one, so step_count() names the weights kept.
  bool step();

  // Evaluates metrics on the current parameters. History points are logged by step() on the
  // schedule above (and at step 0), never by this call, so the curves do not depend on how often
  // a driver reads metrics.
  void update_metrics();

  // An immutable copy for readers; metrics are those of the last update_metrics().
  std::shared_ptr<const Snapshot> make_snapshot(std::uint64_t version) const;

  // Progress as a session saves it (counters and history).
  RunProgress progress() const { return {step_, epoch_, history_}; }

  // Whether the run is done by `rules`, and why: Diverged (the state), else the first rule met
  // (Steps, Epochs, TargetLoss, in that order), else NoData (no training points: step() cannot
  // go on), else NotDone.
  // The one judgement every driver uses (the Trainer by the settings' rule, the CLI by its flags,
  // the pool by its runs' rules). A target loss is judged on the metrics last evaluated: a driver
  // that wants a fresh judgement calls update_metrics() first.
  StopReason done(const StopRules& rules) const;
  // The settings' stopping rule (StopRules::from(settings().stop)), or no rule once play went on
  // past it (until the rule is set again or a new run starts).
  StopRules stop_rules() const;
  // Whether the settings' stopping rule is met (done(stop_rules()) names a rule).
  bool stop_rule_met() const;
  // The window's finish: a running run whose settings' rule is met becomes Finished, with a note
  // naming the rule and the step. Returns the reason (NotDone when it goes on).
  StopReason finish_if_done();
  // The step of the metrics() last evaluated (-1 before any).
  std::int64_t metrics_step() const { return metrics_step_; }

  const Settings& settings() const { return settings_; }
  const core::Dataset& data() const { return *data_; }
  const core::Layout& layout() const { return layout_; }
  const core::Params& params() const { return params_; }
  const core::Metrics& metrics() const { return metrics_; }
  std::int64_t step_count() const { return step_; }
  std::int64_t epoch() const { return epoch_; }
  RunState state() const { return state_; }
  void set_state(RunState s) { state_ = s; }
  const std::string& message() const { return message_; }
  // A note from the driver about the run's state (e.g. a stopping rule met); it goes when the run
  // is played, stepped or restarted.
  void set_message(std::string m) { say(Said::Driver, std::move(m)); }
  int point_undo_depth() const { return static_cast<int>(point_undo_.size()); }
  // The health monitor's note (train/health.hpp), set by update_metrics(): no progress, identical
  // units, a decayed learning rate, a dead ReLU layer, non-finite loaded weights; empty when the
  // run looks healthy. The snapshot's message carries it after message().
  const std::string& health_note() const { return health_note_; }
  // The divergence check's state (read-only; for tests and diagnostics).
  double chance_loss() const { return chance_loss_; }  // floored at kChanceLossFloor
  double reference_loss() const { return reference_loss_; }
  double divergence_threshold() const { return kExplodeFactor * reference_loss_; }
  int pending_steps() const { return pending_steps_; }
  void consume_pending_step() { if (pending_steps_ > 0) --pending_steps_; }
  int effective_batch() const;
  double samples_per_second = 0.0;  // filled in by the driver
  double full_speed_steps_per_second = 0.0;  // the driver's estimate (0: not measured yet)

  // Mean loss (data + regularization) and its gradient on the whole training split, in double
  // precision (for `mlpviz grad`).
  double full_gradient(std::vector<double>& grad) const;

 private:
  void rebuild(bool reinitialize);
  void rebuild_data_matrices();
  void new_epoch_order();
  void reset_counters();
  void log_timeline();
  void log_history();  // evaluates metrics and logs a point at step_
  // Replaces the points. new_run: a new data set (a new run follows); else a point edit (the
  // run goes on with the same weights).
  void set_data(core::Dataset d, bool new_run);
  void start_new_run();
  void resume();
  std::optional<std::string> apply_command(const Command& c);
  static std::size_t command_family(const Command& c);
  void push_point_undo();
  // What message_ belongs to, so that it goes when that state does.
  enum class Said : std::uint8_t {
    Nothing,
    Rejected,         // a command's error: until one of the same kind (family) is accepted
    NoData,           // no training points: until there are some
    NewRun,           // a note about the new run (e.g. the output rebuilt): until play or step
    Diverged,         // until play, step, a settings change or a new run
    AfterDivergence,  // settings changed after a divergence: until play or step
    Resumed,          // resumed at the learning rate that diverged: until it changes
    Driver,           // set_message(): until play, step or a new run
  };
  void say(Said kind, std::string text);
  void unsay(Said kind);  // clears message_ if it belongs to `kind`
  void compute_chance_loss();
  void arm_divergence_check();
  double sample_data_loss() const;
  bool stop_diverged(std::int64_t bad_step, const std::string& why);

  Settings settings_;
  std::shared_ptr<const core::Dataset> data_;
  core::Layout layout_;
  core::Params params_;
  core::Params backup_;        // parameters before the last update (restored on divergence)
  bool backup_valid_ = false;  // backup_ holds the parameters from one step before params_
  core::Params grad_;
  core::Optimizer<float> optimizer_;
  core::Workspace<float> ws_;
  core::MatX<float> x_train_, t_train_, x_test_, t_test_;  // full splits
  core::MatX<float> tb_;                                      // targets of the mini-batch
  std::vector<int> labels_train_, labels_test_;
  core::MatX<float> mx_train_, mt_train_, mx_test_, mt_test_;  // metrics sample
  std::vector<int> ml_train_, ml_test_;
  std::vector<int> order_;  // shuffled training indices of this epoch
  int cursor_ = 0;
  core::Rng batch_rng_{1};
  std::int64_t step_ = 0;
  std::int64_t epoch_ = 0;
  std::uint64_t generation_ = 0;
  std::uint64_t data_version_ = 0;
  RunState state_ = RunState::Paused;
  std::string message_;
  Said said_ = Said::Nothing;
  std::size_t rejected_kind_ = 0;      // command_family() of the rejected command (Said::Rejected)
  std::optional<double> diverged_lr_;  // learning rate of the divergence not yet resumed from
  std::string health_note_;
  LossTrend trend_;  // mini-batch losses by windows of steps, for the no-progress note
  double chance_loss_ = kChanceLossFloor;     // of the training split, for the current output
  double reference_loss_ = kChanceLossFloor;  // max(chance, the loss the run started from)
  int pending_steps_ = 0;
  bool stop_armed_ = true;  // false after play continues past a met stopping rule

  core::Metrics metrics_;
  std::int64_t metrics_step_ = -1;
  core::Params metrics_grad_;
  mutable core::Workspace<float> metrics_ws_;  // the training split's metrics sample
  core::Workspace<float> metrics_test_ws_;     // the test split's (kept apart: no reallocation)
  std::vector<HistoryPoint> history_;
  std::int64_t history_stride_ = 1;  // spacing after the newest point
  std::int64_t next_history_step_ = 0;
  std::vector<std::shared_ptr<const TimelineFrame>> timeline_;
  std::int64_t timeline_stride_ = 10;
  struct PointUndo {
    core::DataSpec spec;
    std::shared_ptr<const core::Dataset> data;
  };
  std::vector<PointUndo> point_undo_;  // oldest first
};

}  // namespace mlpviz::train
