#include "train/run_log.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <numeric>
#include <optional>

namespace mlpviz::train {

namespace {

enum Column : std::size_t {
  kTime, kData, kPoints, kNoise, kDataSeed, kTrainPoints, kWidths, kDepth, kActivation, kParameters,
  kOptimizer, kLearningRate, kBatch, kWeightSeed, kSteps, kEpochs, kTrainLoss, kTestLoss,
  kTrainAccuracy, kTestAccuracy, kStatus, kNumColumns
};

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// The value a column sorts by, when it is a number.
std::optional<double> numeric(const RunLogEntry& e, std::size_t column) {
  switch (column) {
    case kPoints: return e.data.points;
    case kNoise: return e.data.noise;
    case kDataSeed: return static_cast<double>(e.data.seed);
    case kTrainPoints: return e.train_points;
    case kDepth: return static_cast<double>(e.widths.size());
    case kParameters: return e.parameters;
    case kLearningRate: return e.optimizer.learning_rate;
    case kBatch: return e.optimizer.batch_size;
    case kWeightSeed: return static_cast<double>(e.weight_seed);
    case kSteps: return static_cast<double>(e.steps);
    case kEpochs: return static_cast<double>(e.epochs);
    case kTrainLoss: return e.train_loss;
    case kTestLoss: return e.test_loss;
    case kTrainAccuracy: return e.train_accuracy;
    case kTestAccuracy: return e.test_accuracy;
    default: return std::nullopt;
  }
}

}  // namespace

namespace {
const char* status_name(RunState s) {
  switch (s) {
    case RunState::Finished: return "finished";
    case RunState::Diverged: return "diverged";
    case RunState::Running: return "running";
    case RunState::Paused: return "paused";
  }
  return "?";
}
}  // namespace

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

RunLogEntry log_entry(const Engine& e, std::string time) {
  RunLogEntry r;
  r.time = std::move(time);
  const Settings& s = e.settings();
  r.data = s.data;
  r.train_points = e.data().count(false);
  r.widths = s.net.widths;
  r.activations = s.net.activations;
  r.parameters = e.layout().num_params;
  r.optimizer = s.optimizer;
  r.weight_seed = s.weight_seed;
  r.steps = e.step_count();
  r.epochs = e.epoch();
  const core::Metrics& m = e.metrics();
  r.train_loss = m.train_loss;
  r.test_loss = m.test_loss;
  r.train_accuracy = m.train_accuracy;
  r.test_accuracy = m.test_accuracy;
  r.status = status_name(e.state());
  return r;
}

RunLogEntry log_entry(const Snapshot& s, std::string time) {
  RunLogEntry r;
  r.time = std::move(time);
  r.data = s.settings.data;
  r.train_points = s.data ? s.data->count(false) : 0;
  r.widths = s.settings.net.widths;
  r.activations = s.settings.net.activations;
  r.parameters = s.layout.num_params;
  r.optimizer = s.settings.optimizer;
  r.weight_seed = s.settings.weight_seed;
  r.steps = s.step;
  r.epochs = s.epoch;
  r.train_loss = s.metrics.train_loss;
  r.test_loss = s.metrics.test_loss;
  r.train_accuracy = s.metrics.train_accuracy;
  r.test_accuracy = s.metrics.test_accuracy;
  r.status = status_name(s.state);
  return r;
}

std::optional<RunLogEntry> RunWatcher::observe(std::shared_ptr<const Snapshot> s, const void* source) {
  if (!s) return std::nullopt;
  std::optional<RunLogEntry> out;
  const auto logged = [&](const Snapshot& x, const void* src) {
    return logged_source_ == src && logged_generation_ == x.generation && logged_step_ == x.step;
  };
  const auto mark = [&](const Snapshot& x, const void* src) {
    logged_source_ = src;
    logged_generation_ = x.generation;
    logged_step_ = x.step;
  };
  if (last_ && (source != source_ || s->generation != last_->generation)) {
    // A new run replaced the last one: log that one unless it was logged or never stepped.
    if (last_->step > 0 && !logged(*last_, source_)) {
      out = log_entry(*last_, std::string());
      mark(*last_, source_);
    }
  } else if ((s->state == RunState::Finished || s->state == RunState::Diverged) && !logged(*s, source)) {
    out = log_entry(*s, std::string());
    mark(*s, source);
  }
  last_ = std::move(s);
  source_ = source;
  return out;
}

const std::vector<std::string>& run_log_columns() {
  static const std::vector<std::string> columns = {
      "time", "data", "points", "noise", "data_seed", "train_points", "widths", "depth", "activation",
      "parameters", "optimizer", "learning_rate", "batch", "weight_seed", "steps", "epochs",
      "train_loss", "test_loss", "train_accuracy", "test_accuracy", "status"};
  return columns;
}

std::string run_log_field(const RunLogEntry& e, std::size_t column) {
  switch (column) {
    case kTime: return e.time;
    case kData: return std::string(core::name(e.data.kind));
    case kWidths: return core::widths_text(e.widths);
    case kActivation: return core::activations_text(e.activations);
    case kOptimizer: return std::string(core::name(e.optimizer.kind));
    case kStatus: return e.status;
    case kPoints: case kTrainPoints: case kDepth: case kParameters: case kBatch: case kSteps: case kEpochs:
      return std::to_string(static_cast<long long>(*numeric(e, column)));
    case kDataSeed: return std::to_string(e.data.seed);
    case kWeightSeed: return std::to_string(e.weight_seed);
    default: {
      const auto v = numeric(e, column);
      return v ? number(*v) : std::string();
    }
  }
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string RunLog::to_csv() const {
  const auto& cols = run_log_columns();
  std::string out;
  for (std::size_t c = 0; c < cols.size(); ++c) {
    if (c) out += ',';
    out += csv_field(cols[c]);
  }
  out += "\r\n";
  for (const RunLogEntry& e : entries_) {
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (c) out += ',';
      out += csv_field(run_log_field(e, c));
    }
    out += "\r\n";
  }
  return out;
}

std::vector<std::size_t> RunLog::sorted(std::size_t column, bool descending) const {
  std::vector<std::size_t> idx(entries_.size());
  std::iota(idx.begin(), idx.end(), 0);
  const auto key_less = [&](std::size_t a, std::size_t b) {
    const auto na = numeric(entries_[a], column), nb = numeric(entries_[b], column);
    if (na && nb) {
      // NaN (no test points) above every number: a strict weak order; moved last below.
      if (std::isnan(*na)) return false;
      if (std::isnan(*nb)) return true;
      return *na < *nb;
    }
    return run_log_field(entries_[a], column) < run_log_field(entries_[b], column);
  };
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    return descending ? key_less(b, a) : key_less(a, b);
  });
  // NaN last: a stable pass that moves them to the end.
  std::stable_partition(idx.begin(), idx.end(), [&](std::size_t i) {
    const auto v = numeric(entries_[i], column);
    return !v || !std::isnan(*v);
  });
  return idx;
}

}  // namespace mlpviz::train
