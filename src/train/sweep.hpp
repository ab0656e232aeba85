// sweep.hpp: the plan of a width x depth sweep (optionally x activations, or depths at an equal
// parameter budget): which networks, in which grid cell. `mlpviz sweep` and the window's Sweep
// panel both plan with these, so a cell is the same network wherever it was asked for.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/spec.hpp"
#include "train/settings.hpp"

namespace mlpviz::train {

inline constexpr int kMaxSweepCells = 100;

struct SweepAxes {
  std::vector<int> depths{1, 2, 3};
  std::vector<int> widths{2, 4, 8, 16, 32};  // ignored with an equal parameter budget
  std::vector<core::Activation> activations;  // empty: the base network's activation
  long long equal_params = 0;                  // > 0: each depth gets the width nearest this budget
};

struct SweepCell {
  int depth = 1, width = 1;
  std::optional<core::Activation> activation;  // set when the sweep has an activation axis
  int row = 0, col = 0;
};

// One cell as a window shows it while the sweep trains: where it is in the plan, its name
// ("2 x 8 tanh"), its size and its numbers so far.
struct SweepCellStatus {
  SweepCell at;
  std::string name;
  int params = 0;
  std::int64_t step = 0, steps = 0;
  double train_accuracy = NAN, test_accuracy = NAN;
  bool done = false, diverged = false, cancelled = false;
};

struct SweepPlan {
  std::vector<SweepCell> cells;  // rows in order: activations, then depths; columns: widths (or depths)
  int rows = 0, cols = 0;
  bool equal = false;  // an equal parameter budget: columns are depths, rows activations
  std::string col_axis, row_axis;
  std::vector<std::string> col_heads, row_heads;
};

// "2,4,8" as whole numbers in [lo, hi], each once; else the message, naming `field`, the item and
// the allowed range.
std::optional<std::string> parse_int_list(const std::string& field, const std::string& text, int lo,
                                          int hi, std::vector<int>& out);
// "tanh,relu": known activations, each once; else the message naming `field`.
std::optional<std::string> parse_activation_list(const std::string& field, const std::string& text,
                                                 std::vector<core::Activation>& out);

// Parameters of `net` with `depth` hidden layers of `width` units (the first activation kept).
int sweep_parameters(core::NetSpec net, int depth, int width);
// The width (1 to kMaxWidth) whose network of `depth` layers comes nearest `budget` parameters
// (the smaller on a tie).
int width_for_budget(const core::NetSpec& net, int depth, long long budget);

// The cells and the grid's headings; the message when the sweep is empty or has more than
// kMaxSweepCells cells.
std::optional<std::string> plan_sweep(const core::NetSpec& base, const SweepAxes& axes, SweepPlan& plan);

// The base settings with the cell's network: `depth` layers of `width`, every layer the cell's
// activation (or the base's first).
Settings cell_settings(const Settings& base, const SweepCell& cell);

// "2x8 tanh" (for messages), and "2 \u00d7 8 tanh" (for pictures)
std::string cell_name(const SweepCell& c);
std::string cell_title(const SweepCell& c);

}  // namespace mlpviz::train
