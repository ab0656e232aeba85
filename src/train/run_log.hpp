// run_log.hpp: a table of finished training runs (one row per run: what was trained and how it
// ended) and its CSV export for a lab report. The sweep appends its cells; the window's runs come
// next. RFC 4180 CSV: comma separated, CRLF line ends, a field quoted when it holds a comma, a
// quote, CR or LF, with quotes doubled inside.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/spec.hpp"
#include "train/engine.hpp"

namespace mlpviz::train {

struct RunLogEntry {
  std::string time;        // when the run ended, UTC, ISO 8601 ("2026-12-02T16:43:48Z")
  core::DataSpec data;
  int train_points = 0;
  std::vector<int> widths;                    // hidden layers
  std::vector<core::Activation> activations;  // one per hidden layer
  int parameters = 0;
  core::OptimizerSpec optimizer;
  std::uint64_t weight_seed = 0;
  std::int64_t steps = 0;
  std::int64_t epochs = 0;
  double train_loss = 0, test_loss = 0, train_accuracy = 0, test_accuracy = 0;
  std::string status;      // "finished", "diverged", "cancelled", "paused"
};

// The row of an engine's run as it stands: settings, counters and metrics() (evaluate them
// first: Engine::update_metrics()).
RunLogEntry log_entry(const Engine& e, std::string time);
// The same from a published snapshot (the window's runs): its metrics are those of
// metrics_step, current when the trainer stopped the run.
RunLogEntry log_entry(const Snapshot& s, std::string time);
// The current time as RunLogEntry::time wants it.
std::string utc_now();

// The columns, in order (the CSV header).
const std::vector<std::string>& run_log_columns();
// One field of a row, as the CSV writes it (numbers: %.9g as `mlpviz train --metrics-csv`).
std::string run_log_field(const RunLogEntry& e, std::size_t column);

// RFC 4180 quoting of one field.
std::string csv_field(std::string_view s);

class RunLog {
 public:
  void append(RunLogEntry e) { entries_.push_back(std::move(e)); }
  const std::vector<RunLogEntry>& entries() const { return entries_; }
  void clear() { entries_.clear(); }
  // Header and one line per entry, in the order appended.
  std::string to_csv() const;
  // Entry indices ordered by a column, ascending or descending; numeric columns compare as
  // numbers, others as text; ties keep the order appended.
  std::vector<std::size_t> sorted(std::size_t column, bool descending) const;

 private:
  std::vector<RunLogEntry> entries_;
};

// Decides from the snapshots a trainer publishes when a run of the window's network ends: when it
// becomes finished or diverged, and when a new run replaces one that took steps without either
// (its last snapshot is logged, with the state it was in). A run is logged once per step it
// ended at (played on past its rule and finished again: a second row).
class RunWatcher {
 public:
  // `source` identifies the trainer (identity only): a new trainer's first snapshot starts new
  // runs too. Returns the entry to append (its time left empty for the caller: utc_now()), if
  // this snapshot ends a run. Allocates nothing unless it does.
  std::optional<RunLogEntry> observe(std::shared_ptr<const Snapshot> s, const void* source);

 private:
  std::shared_ptr<const Snapshot> last_;
  const void* source_ = nullptr;
  std::uint64_t logged_generation_ = 0;
  std::int64_t logged_step_ = -1;
  const void* logged_source_ = nullptr;
};

}  // namespace mlpviz::train
