#include "train/engine.hpp"

#include "core/inspect.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>
#include <type_traits>

namespace mlpviz::train {

const char* name(RunState s) {
  switch (s) {
    case RunState::Paused: return "paused";
    case RunState::Running: return "running";
    case RunState::Finished: return "finished";
    case RunState::Diverged: return "diverged";
  }
  return "?";
}

namespace {

constexpr const char* kNoEditsWithTargets =
    "this data set has target vectors (data.targets): point edits are off (they would leave "
    "points without targets); regenerate or import data to edit points";

template <class V>
bool all_finite(const V& v) {
  using T = typename V::value_type;
  return Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>(v.data(), static_cast<Eigen::Index>(v.size()))
      .allFinite();
}

// Mini-batch order depends on the weight seed only (not on the data seed), so that "same session,
// same seed" reproduces the same run.
core::Rng batch_rng_for(std::uint64_t weight_seed) { return core::Rng(weight_seed ^ 0xb5ad4eceda1ce2a9ULL); }

// Fixed subsample of at most kMetricsMaxPoints columns (all of them when the split is small).
void sample_columns(const core::MatX<float>& x, const core::MatX<float>& t,
                    const std::vector<int>& labels, std::uint64_t seed, core::MatX<float>& sx,
                    core::MatX<float>& st, std::vector<int>& sl) {
  const int n = static_cast<int>(x.cols());
  if (n <= kMetricsMaxPoints) {
    sx = x;
    st = t;
    sl = labels;
    return;
  }
  std::vector<int> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  core::Rng rng(seed);
  for (int i = 0; i < kMetricsMaxPoints; ++i)
    std::swap(idx[i], idx[i + rng.below(static_cast<std::uint64_t>(n - i))]);
  idx.resize(kMetricsMaxPoints);
  std::sort(idx.begin(), idx.end());
  sx.resize(x.rows(), kMetricsMaxPoints);
  st.resize(t.rows(), kMetricsMaxPoints);
  sl.resize(kMetricsMaxPoints);
  for (int i = 0; i < kMetricsMaxPoints; ++i) {
    sx.col(i) = x.col(idx[i]);
    st.col(i) = t.col(idx[i]);
    sl[i] = labels[idx[i]];
  }
}

double x_log_x(double x) { return x > 0.0 ? x * std::log(x) : 0.0; }

std::string format_g(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// A loss for a message: 0.69, 12.3, 1636, 2.5e+07.
std::string format_loss(double v) { return format_g(v >= 100 && v < 1e7 ? "%.0f" : "%.3g", v); }

// Adapts the network's output to K classes (sigmoid_bce cannot express K > 2).
core::NetSpec net_for_classes(core::NetSpec net, int classes) {
  net.classes = classes;
  net.outputs = 0;  // one-hot targets of the new classes
  if (classes > 2 && net.output == core::OutputKind::SigmoidBce) net.output = core::OutputKind::SoftmaxCe;
  return net;
}

}  // namespace

Engine::Engine(const Settings& settings, std::optional<core::Dataset> data,
               std::optional<std::vector<double>> params, std::optional<RunProgress> progress)
    : settings_(settings) {
  data_ = std::make_shared<const core::Dataset>(data ? std::move(*data) : core::generate(settings.data));
  rebuild(true);
  if (params && static_cast<int>(params->size()) == layout_.num_params) {
    params_.assign(params->begin(), params->end());
    arm_divergence_check();
    if (progress) {
      const auto& h = progress->history;
      bool ok = progress->step >= 0 && progress->epoch >= 0 &&
                static_cast<int>(h.size()) <= kHistoryCapacity;
      for (std::size_t i = 0; ok && i < h.size(); ++i)
        ok = h[i].step >= 0 && h[i].step <= progress->step && (i == 0 || h[i].step > h[i - 1].step);
      if (!ok)
        throw std::invalid_argument(
            "history: steps must increase and end at or before the run's step");
      step_ = progress->step;
      epoch_ = progress->epoch;
    }
    timeline_.clear();
    log_timeline();
    update_metrics();
    // The step-0 point logged by rebuild() was of the fresh initialization, not of these weights.
    history_ = progress ? progress->history : std::vector<HistoryPoint>{};
    log_history();
  }
}

void Engine::reset_counters() {
  step_ = 0;
  epoch_ = 0;
  batch_rng_ = batch_rng_for(settings_.weight_seed);
  new_epoch_order();
  optimizer_.reset(layout_);
  history_.clear();
  history_stride_ = 1;
  next_history_step_ = 0;
  timeline_.clear();
  timeline_stride_ = 10;
  ++generation_;
}

void Engine::rebuild(bool reinitialize) {
  layout_ = core::Layout::from_spec(settings_.net);
  layout_.knocked_out = settings_.knocked_out;
  if (reinitialize) {
    std::vector<double> p;
    core::initialize(settings_.net, layout_, settings_.weight_seed, p);
    params_.assign(p.begin(), p.end());
  }
  grad_.assign(layout_.num_params, 0.0f);
  backup_.assign(layout_.num_params, 0.0f);
  rebuild_data_matrices();
  arm_divergence_check();
  reset_counters();
  log_timeline();
  update_metrics();
  log_history();
}

void Engine::rebuild_data_matrices() {
  const int out = layout_.sizes.back();
  core::build_features<float>(settings_.net.features, *data_, false, x_train_, labels_train_);
  core::build_features<float>(settings_.net.features, *data_, true, x_test_, labels_test_);
  // The data's own target vectors when the MSE output fits them, else one-hot from the labels.
  t_train_ = core::build_targets<float>(*data_, false, layout_);
  t_test_ = core::build_targets<float>(*data_, true, layout_);
  (void)out;
  sample_columns(x_train_, t_train_, labels_train_, settings_.data.seed ^ 0x1234, mx_train_,
                 mt_train_, ml_train_);
  sample_columns(x_test_, t_test_, labels_test_, settings_.data.seed ^ 0x5678, mx_test_, mt_test_,
                 ml_test_);
  compute_chance_loss();
  ++data_version_;
}

// The loss of the best constant prediction on the training split: the class shares p_k. A network
// that has learnt nothing sits about here; one whose loss is 100 times higher has blown up.
//   sigmoid + BCE (one output):  binary entropy of the class-1 share
//   softmax + CE:                entropy of the class shares
//   MSE (sigmoid or linear):     1/2 sum_k p_k (1 - p_k)  (the variance of 0/1 targets)
// Floored at kChanceLossFloor: a single class has chance loss 0, and any loss would be "infinitely"
// above it. Computed when the data or the network changes, never per step.
void Engine::compute_chance_loss() {
  double chance = 0.0;
  const Eigen::Index n = t_train_.cols();
  if (n > 0) {
    const Eigen::VectorXd p = t_train_.cast<double>().rowwise().mean();
    switch (layout_.output) {
      case core::OutputKind::SigmoidBce:
        for (Eigen::Index k = 0; k < p.size(); ++k) chance -= x_log_x(p[k]) + x_log_x(1.0 - p[k]);
        break;
      case core::OutputKind::SoftmaxCe:
        for (Eigen::Index k = 0; k < p.size(); ++k) chance -= x_log_x(p[k]);
        break;
      case core::OutputKind::SigmoidMse:
      case core::OutputKind::LinearMse: {
        const Eigen::VectorXd mean_sq = t_train_.cast<double>().array().square().rowwise().mean();
        chance = 0.5 * (mean_sq.array() - p.array().square()).sum();
        break;
      }
    }
  }
  chance_loss_ = std::max(chance, kChanceLossFloor);
}

// Data loss (no regularization) of the current parameters on the metrics sample: the training
// split, or a fixed sample of kMetricsMaxPoints of its points. Depends on the parameters and the
// data only.
double Engine::sample_data_loss() const {
  if (mx_train_.cols() == 0) return 0.0;
  core::forward<float>(layout_, params_.data(), mx_train_, metrics_ws_);
  return core::data_loss_from_forward<float>(layout_, mt_train_, metrics_ws_);
}

// (Re)sets the reference of the loss-explosion check (step()) from the current parameters. Called
// when the network, the data or the parameters change, and when training resumes after a
// divergence. The reference is the larger of chance and the loss the run starts from: data in large
// units (coordinates up to 1e6), hand-set weights, or weights that were already far off when
// training resumed can start far above chance, and training down from there is not a divergence
// (and resuming must not fire again at once). A non-finite start leaves it at chance.
void Engine::arm_divergence_check() {
  const double start = sample_data_loss();
  reference_loss_ = std::isfinite(start) ? std::max(chance_loss_, start) : chance_loss_;
  backup_valid_ = false;
  trend_.restart();  // new weights or data: the health monitor's verdict starts afresh
}

void Engine::new_epoch_order() {
  const int n = static_cast<int>(x_train_.cols());
  order_.resize(n);
  std::iota(order_.begin(), order_.end(), 0);
  for (int i = n - 1; i > 0; --i)
    std::swap(order_[i], order_[batch_rng_.below(static_cast<std::uint64_t>(i) + 1)]);
  cursor_ = 0;
}

void Engine::set_data(core::Dataset d, bool new_run) {
  const int classes = d.classes;
  data_ = std::make_shared<const core::Dataset>(std::move(d));
  if (classes != settings_.net.classes) {
    // The output layer must change shape: a new network, whatever started it.
    settings_.net = net_for_classes(settings_.net, classes);
    start_new_run();
    say(Said::NewRun, "the data has " + std::to_string(classes) +
                          " classes: network rebuilt with " +
                          std::string(core::name(settings_.net.output)) + " outputs");
    return;
  }
  if (new_run) {
    start_new_run();
    return;
  }
  rebuild_data_matrices();
  arm_divergence_check();
  new_epoch_order();
  if (x_train_.cols() > 0) unsay(Said::NoData);
  update_metrics();
}

// A new run: step 0, fresh weights from the weight seed, history and timeline cleared, paused,
// whatever the state before. The messages of the old run go with it.
void Engine::start_new_run() {
  state_ = RunState::Paused;
  pending_steps_ = 0;
  stop_armed_ = true;
  diverged_lr_.reset();
  say(Said::Nothing, "");
  rebuild(true);
  if (data_->has_targets() && !core::uses_targets(*data_, layout_))
    say(Said::NewRun, "the data's target vectors (" + std::to_string(data_->target_dim) +
                          " per point) need a sigmoid_mse or linear_mse output with " +
                          std::to_string(data_->target_dim) + " units: training on the labels");
}

void Engine::push_point_undo() {
  point_undo_.push_back({settings_.data, data_});
  std::size_t total = 0;
  for (const PointUndo& u : point_undo_) total += u.data->points.size();
  std::size_t drop = 0;
  while (drop < point_undo_.size() &&
         (static_cast<int>(point_undo_.size() - drop) > kPointUndoDepth ||
          total > static_cast<std::size_t>(kPointUndoMaxPoints))) {
    total -= point_undo_[drop].data->points.size();
    ++drop;
  }
  point_undo_.erase(point_undo_.begin(), point_undo_.begin() + static_cast<std::ptrdiff_t>(drop));
}

void Engine::say(Said kind, std::string text) {
  said_ = text.empty() ? Said::Nothing : kind;
  message_ = std::move(text);
}

void Engine::unsay(Said kind) {
  if (said_ == kind) say(Said::Nothing, "");
}

int Engine::effective_batch() const {
  return std::min(settings_.optimizer.batch_size, static_cast<int>(x_train_.cols()));
}

// Commands whose errors are about the same thing: a point edit refused ("there is no point to
// remove") is resolved by any point edit accepted, a step count by any play or step.
std::size_t Engine::command_family(const Command& c) {
  return std::visit(
      [&](const auto& x) -> std::size_t {
        using C = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<C, cmd::AddPoint> || std::is_same_v<C, cmd::RemoveNearest> ||
                      std::is_same_v<C, cmd::ClearPoints> || std::is_same_v<C, cmd::UndoPoints> ||
                      std::is_same_v<C, cmd::SetPoints> || std::is_same_v<C, cmd::SetData>)
          return Command(cmd::AddPoint{}).index();
        else if constexpr (std::is_same_v<C, cmd::Play> || std::is_same_v<C, cmd::Step>)
          return Command(cmd::Play{}).index();
        else
          return c.index();
      },
      c);
}

std::optional<std::string> Engine::apply(const Command& command) {
  std::optional<std::string> error = apply_command(command);
  if (error) {
    say(Said::Rejected, *error);
    rejected_kind_ = command_family(command);
  } else if (said_ == Said::Rejected && rejected_kind_ == command_family(command)) {
    say(Said::Nothing, "");  // the value is valid now: its error goes
  }
  return error;
}

// Play or Step: training goes on from the current weights. After a divergence the optimizer's
// state is cleared and the divergence check re-armed; resuming at the learning rate that diverged
// says so (every time), any other rate clears the divergence's messages.
void Engine::resume() {
  if (state_ == RunState::Diverged) {
    optimizer_.clear_state();
    arm_divergence_check();
    diverged_lr_ = settings_.optimizer.learning_rate;
  }
  unsay(Said::Diverged);
  unsay(Said::AfterDivergence);
  unsay(Said::NewRun);
  unsay(Said::Driver);
  if (diverged_lr_) {
    if (settings_.optimizer.learning_rate == *diverged_lr_)
      say(Said::Resumed, "resumed at the learning rate that diverged (" +
                             format_g("%g", *diverged_lr_) + "): it may diverge again");
    diverged_lr_.reset();
  }
  if (state_ == RunState::Finished) stop_armed_ = false;  // play on past the rule
}

std::optional<std::string> Engine::apply_command(const Command& command) {
  return std::visit(
      [&](const auto& c) -> std::optional<std::string> {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, cmd::Play>) {
          resume();
          state_ = RunState::Running;
          pending_steps_ = 0;
        } else if constexpr (std::is_same_v<C, cmd::Pause>) {
          if (state_ == RunState::Running) state_ = RunState::Paused;
          pending_steps_ = 0;
        } else if constexpr (std::is_same_v<C, cmd::Step>) {
          if (c.count < 1 || c.count > 1000000)
            return "step count = " + std::to_string(c.count) + " is out of range: allowed 1 to 1000000";
          resume();
          state_ = RunState::Paused;
          pending_steps_ += c.count;
        } else if constexpr (std::is_same_v<C, cmd::Reset>) {
          if (c.new_weights) ++settings_.weight_seed;
          start_new_run();
        } else if constexpr (std::is_same_v<C, cmd::SetNet>) {
          core::NetSpec net = c.net;
          if (auto e = core::validate(net)) return e;
          if (net.classes != data_->classes)
            return "network.classes = " + std::to_string(net.classes) + " but the data has " +
                   std::to_string(data_->classes) + " classes: they must match";
          settings_.net = net;
          settings_.knocked_out = core::fit_knock_out(settings_.knocked_out, net);
          start_new_run();
        } else if constexpr (std::is_same_v<C, cmd::SetWeightSeed>) {
          settings_.weight_seed = c.seed;
          start_new_run();
        } else if constexpr (std::is_same_v<C, cmd::SetOptimizer>) {
          if (auto e = core::validate(c.optimizer)) return e;
          const bool kind_changed = c.optimizer.kind != settings_.optimizer.kind;
          const bool lr_changed = c.optimizer.learning_rate != settings_.optimizer.learning_rate;
          if (state_ == RunState::Diverged) diverged_lr_ = settings_.optimizer.learning_rate;
          settings_.optimizer = c.optimizer;
          if (kind_changed) optimizer_.clear_state();
          if (lr_changed) unsay(Said::Resumed);
          if (state_ == RunState::Diverged) {
            state_ = RunState::Paused;
            optimizer_.clear_state();
            arm_divergence_check();
            say(Said::AfterDivergence,
                "settings changed after divergence: press play to go on from the last good "
                "weights");
          }
        } else if constexpr (std::is_same_v<C, cmd::SetData>) {
          if (auto e = core::validate(c.data)) return e;
          settings_.data = c.data;
          point_undo_.clear();
          set_data(core::generate(c.data), true);
        } else if constexpr (std::is_same_v<C, cmd::SetPoints>) {
          if (c.classes < core::kMinClasses || c.classes > core::kMaxClasses)
            return "classes = " + std::to_string(c.classes) + " is out of range: allowed 2 to 6";
          if (static_cast<int>(c.points.size()) > core::kMaxPoints)
            return "points: " + std::to_string(c.points.size()) + " is more than the allowed " +
                   std::to_string(core::kMaxPoints);
          for (std::size_t i = 0; i < c.points.size(); ++i) {
            const core::Point& p = c.points[i];
            if (p.label < 0 || p.label >= c.classes)
              return "points[" + std::to_string(i) + "].label = " + std::to_string(p.label) +
                     " is out of range: allowed 0 to " + std::to_string(c.classes - 1);
            if (!std::isfinite(p.x1) || !std::isfinite(p.x2))
              return "points[" + std::to_string(i) + "]: coordinates must be finite";
          }
          settings_.data.kind = core::DataKind::Custom;
          settings_.data.classes = c.classes;
          settings_.data.points = static_cast<int>(c.points.size());
          point_undo_.clear();
          core::Dataset d;
          d.points = c.points;
          d.classes = c.classes;
          set_data(std::move(d), true);
        } else if constexpr (std::is_same_v<C, cmd::AddPoint>) {
          if (data_->has_targets()) return std::string(kNoEditsWithTargets);
          if (c.label < 0 || c.label >= data_->classes)
            return "label = " + std::to_string(c.label) + " is out of range: allowed 0 to " +
                   std::to_string(data_->classes - 1);
          if (!std::isfinite(c.x1) || !std::isfinite(c.x2)) return "point coordinates must be finite";
          if (static_cast<int>(data_->points.size()) >= core::kMaxPoints)
            return "the data already has the maximum of " + std::to_string(core::kMaxPoints) + " points";
          push_point_undo();
          core::Dataset d = *data_;
          d.points.push_back({c.x1, c.x2, c.label, false});
          set_data(std::move(d), false);
        } else if constexpr (std::is_same_v<C, cmd::RemoveNearest>) {
          if (data_->has_targets()) return std::string(kNoEditsWithTargets);
          const int i = core::nearest_point(*data_, c.x1, c.x2);
          if (i < 0) return "there is no point to remove";
          push_point_undo();
          core::Dataset d = *data_;
          d.points.erase(d.points.begin() + i);
          set_data(std::move(d), false);
        } else if constexpr (std::is_same_v<C, cmd::ClearPoints>) {
          if (data_->has_targets()) return std::string(kNoEditsWithTargets);
          if (data_->points.empty()) return std::nullopt;  // nothing to clear (nor to undo)
          push_point_undo();
          settings_.data.kind = core::DataKind::Custom;
          settings_.data.classes = data_->classes;
          core::Dataset d;
          d.classes = data_->classes;
          set_data(std::move(d), false);
        } else if constexpr (std::is_same_v<C, cmd::UndoPoints>) {
          if (point_undo_.empty()) return std::string("there is no point edit to undo");
          PointUndo u = std::move(point_undo_.back());
          point_undo_.pop_back();
          settings_.data = u.spec;
          set_data(core::Dataset(*u.data), false);
        } else if constexpr (std::is_same_v<C, cmd::SetSpeed>) {
          if (!std::isfinite(c.steps_per_second) || c.steps_per_second < 0 ||
              c.steps_per_second > kMaxStepsPerSecond)
            return "steps_per_second = " + std::to_string(c.steps_per_second) +
                   " is out of range: allowed 0 (as fast as possible) to 1e6";
          settings_.steps_per_second = c.steps_per_second;
        } else if constexpr (std::is_same_v<C, cmd::SetStop>) {
          if (auto e = validate(c.stop)) return e;
          settings_.stop = c.stop;
          stop_armed_ = true;
        } else if constexpr (std::is_same_v<C, cmd::SetParams>) {
          if (static_cast<int>(c.params.size()) != layout_.num_params)
            return "params: " + std::to_string(c.params.size()) + " values given, the network has " +
                   std::to_string(layout_.num_params);
          if (!all_finite(c.params)) return std::string("params: every value must be finite");
          params_.assign(c.params.begin(), c.params.end());
          optimizer_.clear_state();
          arm_divergence_check();
          update_metrics();
        } else if constexpr (std::is_same_v<C, cmd::SetParam>) {
          if (c.index < 0 || c.index >= layout_.num_params)
            return "parameter index = " + std::to_string(c.index) + " is out of range: allowed 0 to " +
                   std::to_string(layout_.num_params - 1);
          if (!std::isfinite(c.value) || std::abs(c.value) > 1e3)
            return "parameter value must be a finite number within -1000 to 1000";
          params_[c.index] = static_cast<float>(c.value);
          arm_divergence_check();
          update_metrics();
        } else if constexpr (std::is_same_v<C, cmd::SetKnockOut>) {
          const int depth = settings_.net.depth();
          if (c.layer < 1 || c.layer > depth)
            return "knock-out layer = " + std::to_string(c.layer) + " is out of range: allowed hidden layers 1 to " +
                   std::to_string(depth);
          const int width = settings_.net.widths[static_cast<std::size_t>(c.layer - 1)];
          if (c.unit < 0 || c.unit >= width)
            return "knock-out unit = " + std::to_string(c.unit + 1) + " is out of range: allowed 1 to " +
                   std::to_string(width);
          // The same run goes on (no reset, optimizer state kept): only the function changes.
          core::set_knocked_out(settings_.knocked_out, c.layer, c.unit, c.off);
          layout_.knocked_out = settings_.knocked_out;
          arm_divergence_check();
          update_metrics();
        } else if constexpr (std::is_same_v<C, cmd::StepOnPoint>) {
          if (!std::isfinite(c.x1) || !std::isfinite(c.x2)) return std::string("point coordinates must be finite");
          const int out = layout_.sizes.back();
          std::vector<double> t = c.target;
          if (t.empty()) {
            if (c.label < 0 || c.label >= data_->classes)
              return "label = " + std::to_string(c.label) + " is out of range: allowed 0 to " +
                     std::to_string(data_->classes - 1);
            t = core::target_of_label(c.label, layout_);
          } else if (static_cast<int>(t.size()) != out || !all_finite(t)) {
            return "target: " + std::to_string(t.size()) + " values given, the network has " +
                   std::to_string(out) + " outputs (finite numbers)";
          }
          const core::PointStep st = core::step_on_point(
              layout_, core::as_written(params_.data(), params_.size()),
              core::point_features(settings_.net.features, c.x1, c.x2),
              Eigen::Map<const core::VecX<double>>(t.data(), out),
              {settings_.optimizer.l1, settings_.optimizer.l2},
              core::scheduled_learning_rate(settings_.optimizer, step_));
          if (!all_finite(st.after)) return std::string("the step on this point gave non-finite weights: not applied");
          params_.assign(st.after.begin(), st.after.end());
          arm_divergence_check();
          update_metrics();
        }
        return std::nullopt;
      },
      command);
}

bool Engine::step() {
  if (state_ == RunState::Diverged) return false;
  const int n = static_cast<int>(x_train_.cols());
  if (n == 0) {
    say(Said::NoData, "no training points: add points or regenerate the data");
    return false;
  }
  const int batch = effective_batch();
  if (cursor_ + batch > n) {
    ++epoch_;
    new_epoch_order();
  }
  // Gather the mini-batch straight into the input slot of the workspace.
  ws_.ensure(layout_, batch);
  tb_.resize(t_train_.rows(), batch);
  for (int i = 0; i < batch; ++i) {
    const int j = order_[cursor_ + i];
    ws_.A[0].col(i) = x_train_.col(j);
    tb_.col(i) = t_train_.col(j);
  }
  core::forward_prepared<float>(layout_, params_.data(), ws_);

  // Loss explosion. A learning rate far too large need not overflow anything: ReLU at lr 10 with
  // Adam jumps from a loss of 0.8 to 1600 in one step, then wanders at chance with dead units. So
  // the parameters are checked before each update: diverged when their data loss on the metrics
  // sample exceeds divergence_threshold(). That costs a forward pass over up to kMetricsMaxPoints
  // points, so it is made only when this mini-batch's loss (outputs only: cheap) exceeds the
  // threshold too. A smoothed mini-batch loss (an average over ~100 points) was tried first and
  // rejected: it damps a one-step spike by its weight (ReLU at lr 10 on the default data peaked at
  // 78 against a threshold of 82), and batch-1 noise (single points above 100x chance in runs at
  // lr 0.3 that train fine) rules out a shorter window. The sample loss is the train loss the user
  // sees, and only the steps and the data decide it, never when metrics are read, so training
  // stays deterministic.
  // The update blamed is the one that produced the current parameters: they are replaced by
  // backup_, which still holds those of one step earlier (it is overwritten only below, after this
  // check), so no second copy of the parameters is made per step.
  const double threshold = divergence_threshold();
  const double batch_loss = core::data_loss_from_forward<float>(layout_, tb_, ws_);
  const double loss = batch_loss <= threshold ? batch_loss : sample_data_loss();  // NaN: checked
  if (!(loss <= threshold)) {
    std::string why;
    if (!std::isfinite(loss)) {
      why = "the loss became " + format_g("%g", loss);
    } else {
      // Both comparisons hold (the reference is at least chance); name the one that set it.
      const bool from_start = reference_loss_ > 2.0 * chance_loss_;
      why = "the loss rose to " + format_loss(loss) + " (over " + format_g("%g", kExplodeFactor) +
            "x the " + format_loss(from_start ? reference_loss_ : chance_loss_) +
            (from_start ? " it started from)" : " of guessing the class shares)");
    }
    if (!backup_valid_ && !std::isfinite(loss)) {
      // No step of this run made these weights (they were loaded, typed or kept from before a
      // divergence and already bad): the learning rate is not the cause.
      state_ = RunState::Diverged;
      pending_steps_ = 0;
      optimizer_.clear_state();
      message_ = std::string("the loaded weights give a non-finite loss (") +
                 (std::isnan(loss) ? "not a number" : "infinite") +
                 ") before any step: their forward pass overflows; load other weights or start "
                 "from new ones (reset with new weights)";
      update_metrics();
      return false;
    }
    if (backup_valid_) {
      // Undo the step that blew up: its weights, its count and the timeline frames past it (with a
      // new generation, as the GUI keys frame renders by generation and step, and these steps will
      // be taken again with other weights). The data order goes on: it is not part of the weights.
      std::copy(backup_.begin(), backup_.end(), params_.begin());
      backup_valid_ = false;
      --step_;
      bool dropped = false;
      while (timeline_.size() > 1 && timeline_.back()->step > step_) {
        timeline_.pop_back();
        dropped = true;
      }
      if (dropped) ++generation_;
    }
    return stop_diverged(step_ + 1, why);
  }

  const core::Regularization reg{settings_.optimizer.l1, settings_.optimizer.l2};
  core::backward<float>(layout_, params_.data(), tb_, reg, grad_.data(), ws_);
  // A NaN or Inf anywhere in the forward pass reaches the gradient; one overflowing update shows
  // in the parameters. Either way the step is undone and training stops.
  bool ok = all_finite(grad_);
  if (ok) {
    std::copy(params_.begin(), params_.end(), backup_.begin());
    optimizer_.step(settings_.optimizer, params_.data(), grad_.data(), step_);
    ok = all_finite(params_);
    if (!ok) std::copy(backup_.begin(), backup_.end(), params_.begin());
    backup_valid_ = ok;
  }
  if (!ok) return stop_diverged(step_ + 1, "");
  cursor_ += batch;
  ++step_;
  trend_.add(batch_loss, settings_.optimizer, chance_loss_);
  if (step_ % timeline_stride_ == 0) log_timeline();
  if (step_ >= next_history_step_) log_history();
  return true;
}

// Divergence: training stops on the last good weights (those of step_) and says so.
bool Engine::stop_diverged(std::int64_t bad_step, const std::string& why) {
  state_ = RunState::Diverged;
  pending_steps_ = 0;
  optimizer_.clear_state();
  say(Said::Diverged,
      "diverged at step " + std::to_string(bad_step) + ": " + (why.empty() ? "" : why + ": ") +
          "lower the learning rate (weights kept from step " + std::to_string(step_) + ")");
  update_metrics();
  return false;
}

StopReason Engine::done(const StopRules& rules) const {
  if (state_ == RunState::Diverged) return StopReason::Diverged;
  if (rules.steps > 0 && step_ >= rules.steps) return StopReason::Steps;
  if (rules.epochs > 0 && epoch_ >= rules.epochs) return StopReason::Epochs;
  if (rules.target_loss >= 0 && metrics_step_ >= 0 && metrics_.train_loss <= rules.target_loss)
    return StopReason::TargetLoss;
  if (x_train_.cols() == 0) return StopReason::NoData;
  return StopReason::NotDone;
}

StopRules Engine::stop_rules() const { return stop_armed_ ? StopRules::from(settings_.stop) : StopRules{}; }

bool Engine::stop_rule_met() const {
  const StopReason r = done(stop_rules());
  return r == StopReason::Steps || r == StopReason::Epochs || r == StopReason::TargetLoss;
}

StopReason Engine::finish_if_done() {
  if (state_ != RunState::Running || !stop_rule_met()) return StopReason::NotDone;
  const StopReason r = done(stop_rules());
  state_ = RunState::Finished;
  set_message("stopped at step " + std::to_string(step_) + ": " +
              (r == StopReason::TargetLoss ? "the target loss was reached" : "the stopping rule was met") +
              " (press play to go on)");
  return r;
}

void Engine::log_timeline() {
  auto f = std::make_shared<TimelineFrame>();
  f->step = step_;
  const int n = static_cast<int>(x_train_.cols());
  f->epoch = static_cast<double>(epoch_) + (n > 0 ? static_cast<double>(cursor_) / n : 0.0);
  f->params = params_;
  timeline_.push_back(std::move(f));
  if (static_cast<int>(timeline_.size()) > kTimelineCapacity) {
    // Keep every other frame (always the first), and log half as often from now on.
    std::vector<std::shared_ptr<const TimelineFrame>> kept;
    for (std::size_t i = 0; i < timeline_.size(); i += 2) kept.push_back(timeline_[i]);
    timeline_ = std::move(kept);
    timeline_stride_ *= 2;
  }
}

void Engine::update_metrics() {
  core::MetricsInput<float> in{&mx_train_, &mt_train_, &ml_train_, &mx_test_, &mt_test_, &ml_test_};
  const core::Regularization reg{settings_.optimizer.l1, settings_.optimizer.l2};
  metrics_ = core::compute_metrics<float>(layout_, params_.data(), in, reg, data_->classes,
                                          metrics_ws_, metrics_grad_, &metrics_test_ws_);
  metrics_step_ = step_;
  // The health note is a function of the parameters, the step and the windows of mini-batch
  // losses that step() recorded; when metrics are read changes no parameter, so determinism is not
  // at stake. A ReLU layer whose every unit is inactive on every point passes zeros on: no gradient
  // reaches it or anything below it. Not a divergence (training is not paused), but said.
  HealthFacts facts;
  facts.depth = settings_.net.depth();
  facts.init = settings_.net.init;
  facts.optimizer = settings_.optimizer;
  facts.step = step_;
  facts.chance_loss = chance_loss_;
  facts.loss_finite = metrics_.evaluated_train == 0 || std::isfinite(metrics_.train_loss);
  facts.symmetric_layer = symmetric_hidden_layer(layout_, params_);
  facts.trend = &trend_;
  if (metrics_.evaluated_train > 0)
    for (std::size_t l = 0; l < metrics_.units.size(); ++l) {
      const auto& units = metrics_.units[l];
      const auto dead = [](const core::UnitStats& u) { return u.dead; };
      if (!units.empty() && std::all_of(units.begin(), units.end(), dead)) {
        facts.dead_layer = static_cast<int>(l) + 1;
        break;
      }
    }
  health_note_ = train::health_note(facts);
}

// Logs the metrics of step_ (evaluating them unless they are current) and schedules the next
// point (see kHistoryEarlyRatio). Points past step_ (from steps undone by a divergence, to be
// taken again with other weights) are dropped first, so steps stay strictly increasing.
void Engine::log_history() {
  if (metrics_step_ != step_) update_metrics();
  while (!history_.empty() && history_.back().step >= step_) history_.pop_back();
  HistoryPoint h;
  h.step = step_;
  const int n = static_cast<int>(x_train_.cols());
  h.epoch = static_cast<double>(epoch_) + (n > 0 ? static_cast<double>(cursor_) / n : 0.0);
  h.train_loss = static_cast<float>(metrics_.train_loss);
  h.test_loss = static_cast<float>(metrics_.test_loss);
  h.train_accuracy = static_cast<float>(metrics_.train_accuracy);
  h.test_accuracy = static_cast<float>(metrics_.test_accuracy);
  h.dead_units = metrics_.dead_units;
  h.saturated_fraction = static_cast<float>(metrics_.saturated_fraction);
  for (std::size_t l = 0; l < metrics_.grad_norm.size() && l < h.grad_norm.size(); ++l)
    h.grad_norm[l] = static_cast<float>(metrics_.grad_norm[l]);
  history_.push_back(h);
  if (static_cast<int>(history_.size()) > kHistoryCapacity) {
    // Only a loaded history logged by other rules gets here: keep every other point, always the
    // first and the newest.
    std::vector<HistoryPoint> kept;
    for (std::size_t i = 0; i < history_.size(); i += 2) kept.push_back(history_[i]);
    if (kept.back().step != step_) kept.push_back(history_.back());
    history_ = std::move(kept);
  }
  history_stride_ = std::max<std::int64_t>(1, step_ / kHistoryEarlyRatio);
  next_history_step_ = step_ + history_stride_;
}

std::shared_ptr<const Snapshot> Engine::make_snapshot(std::uint64_t version) const {
  auto s = std::make_shared<Snapshot>();
  s->version = version;
  s->generation = generation_;
  s->data_version = data_version_;
  s->settings = settings_;
  s->layout = layout_;
  s->params = params_;
  s->gradient = metrics_grad_;
  s->data = data_;
  s->step = step_;
  s->epoch = epoch_;
  const int n = static_cast<int>(x_train_.cols());
  s->epoch_progress = n > 0 ? static_cast<double>(cursor_) / n : 0.0;
  s->metrics = metrics_;
  s->metrics_step = metrics_step_;
  s->history = history_;
  s->history_stride = history_stride_;
  s->timeline = timeline_;
  s->state = state_;
  s->message = message_;
  if (!health_note_.empty() && state_ != RunState::Diverged)
    s->message = message_.empty() ? health_note_ : message_ + "; " + health_note_;
  s->samples_per_second = samples_per_second;
  s->full_speed_steps_per_second = full_speed_steps_per_second;
  s->effective_batch = effective_batch();
  s->point_undo_depth = point_undo_depth();
  s->message_is_warning =
      said_ == Said::Rejected || said_ == Said::NoData || said_ == Said::Resumed;
  return s;
}

double Engine::full_gradient(std::vector<double>& grad) const {
  core::MatX<double> x;
  std::vector<int> labels;
  core::build_features<double>(settings_.net.features, *data_, false, x, labels);
  const core::MatX<double> t = core::build_targets<double>(*data_, false, layout_);
  const std::vector<double> p(params_.begin(), params_.end());
  grad.assign(layout_.num_params, 0.0);
  core::Workspace<double> ws;
  const core::Regularization reg{settings_.optimizer.l1, settings_.optimizer.l2};
  return core::loss_and_grad<double>(layout_, p.data(), x, t, reg, grad.data(), ws);
}

}  // namespace mlpviz::train
