#include "train/health.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace mlpviz::train {
namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// A loss for a note: 0.693, 12.3, 1636.
std::string loss_text(double v) { return fmt(v >= 100 && v < 1e7 ? "%.0f" : "%.3g", v); }

bool adaptive(core::OptimizerKind k) {
  return k == core::OptimizerKind::AdaGrad || k == core::OptimizerKind::RmsProp ||
         k == core::OptimizerKind::Adam || k == core::OptimizerKind::AdamW;
}

}  // namespace

void LossTrend::restart() {
  has_optimizer_ = false;
  sum_ = 0.0;
  count_ = 0;
  stalled_windows_ = 0;
  recent_.clear();
}

void LossTrend::add(double batch_loss, const core::OptimizerSpec& optimizer, double chance_loss) {
  if (!has_optimizer_ || !(optimizer == optimizer_)) {
    restart();
    optimizer_ = optimizer;
    has_optimizer_ = true;
  }
  sum_ += batch_loss;
  if (++count_ < kHealthWindow) return;
  const double mean = sum_ / count_;
  sum_ = 0.0;
  count_ = 0;
  // NaN counts as no progress (it never compares below).
  stalled_windows_ = mean < kHealthProgress * chance_loss ? 0 : stalled_windows_ + 1;
  recent_.push_back(mean);
  if (static_cast<int>(recent_.size()) > kHealthStallWindows) recent_.erase(recent_.begin());
}

double LossTrend::recent_min() const {
  return recent_.empty() ? 0.0 : *std::min_element(recent_.begin(), recent_.end());
}
double LossTrend::recent_max() const {
  return recent_.empty() ? 0.0 : *std::max_element(recent_.begin(), recent_.end());
}
double LossTrend::recent_mean() const {
  return recent_.empty() ? 0.0 : std::accumulate(recent_.begin(), recent_.end(), 0.0) / recent_.size();
}

int symmetric_hidden_layer(const core::Layout& layout, const core::Params& params) {
  for (int l = 0; l + 1 < layout.depth(); ++l) {
    const core::LayerLayout& ll = layout.layers[l];
    if (ll.out < 2) continue;
    // W is column-major (out x in): W(i, j) at w_offset + j * out + i.
    double scale = 0.0;
    for (int k = 0; k < ll.in * ll.out + ll.out; ++k)
      scale = std::max(scale, static_cast<double>(std::abs(params[ll.w_offset + k])));
    const double tol = 1e-6 * scale;
    bool same = true;
    for (int i = 1; i < ll.out && same; ++i) {
      same = std::abs(params[ll.b_offset + i] - params[ll.b_offset]) <= tol;
      for (int j = 0; j < ll.in && same; ++j)
        same = std::abs(params[ll.w_offset + j * ll.out + i] - params[ll.w_offset + j * ll.out]) <= tol;
    }
    if (same) return l + 1;
  }
  return 0;
}

bool learning_rate_too_large(const core::OptimizerSpec& o) {
  return o.learning_rate > (adaptive(o.kind) ? 0.1 : 1.0);
}

std::string health_note(const HealthFacts& f) {
  if (!f.loss_finite)
    return f.step == 0 ? "the loaded weights give a non-finite loss: their forward pass overflows; load other "
                         "weights or start from new ones (reset with new weights)"
                       : "the weights give a non-finite loss: start again from new weights with a lower "
                         "learning rate";
  const core::OptimizerSpec& o = f.optimizer;
  const double lr_now = core::scheduled_learning_rate(o, f.step);
  const bool lr_decayed = o.schedule != core::ScheduleKind::Constant && lr_now <= kLrDecayedShare * o.learning_rate;

  // The likely cause, most specific first.
  std::string cause;
  if (f.symmetric_layer > 0) {
    cause = "the units of hidden layer " + std::to_string(f.symmetric_layer) + " are identical (" +
            (f.init == core::InitKind::Zeros ? "zero initialization" : "identical weights") +
            "): they get identical updates and stay identical; choose another initialization";
  } else if (lr_decayed) {
    cause = "the learning rate has decayed to " + fmt("%.3g", lr_now) + " (" + std::string(core::name(o.schedule)) +
            " schedule, schedule_gamma " + fmt("%g", o.schedule_gamma) +
            "): training has stopped moving; raise schedule_gamma or use the constant schedule";
  } else if (f.dead_layer > 0) {
    cause = "every ReLU unit of hidden layer " + std::to_string(f.dead_layer) +
            " is dead: the network can no longer learn; lower the learning rate and start again from new weights";
  }

  const LossTrend* t = f.trend;
  if (f.depth == 0 || t == nullptr || !t->stalled()) return cause;  // a linear model at chance is the lesson

  const double lo = t->recent_min(), hi = t->recent_max(), mean = t->recent_mean();
  const std::string chance = loss_text(f.chance_loss);
  std::string what;
  if (hi >= kHealthSwing * lo)
    what = "the training loss swings between " + loss_text(lo) + " and " + loss_text(hi) +
           " without getting below chance (" + chance + ")";
  else if (mean <= (2.0 - kHealthProgress) * f.chance_loss)
    what = "the training loss stays at chance (" + chance + ")";
  else
    what = "the training loss stays above chance (" + loss_text(mean) + " against " + chance +
           " for guessing the class shares)";
  if (cause.empty()) {
    if (learning_rate_too_large(o))
      cause = "the learning rate " + fmt("%g", o.learning_rate) + " is too large for " + std::string(core::name(o.kind)) +
              ": lower it and start again from new weights";
    else if (hi >= kHealthSwing * lo)
      cause = "lower the learning rate";
    else
      cause = "try another learning rate, initialization or a wider network";
  }
  return "no progress for " + std::to_string(t->stalled_steps()) + " steps: " + what + "; " + cause;
}

}  // namespace mlpviz::train
