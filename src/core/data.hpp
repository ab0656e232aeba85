// data.hpp: 2D classification data: generators (deterministic from a seed), features, CSV.
//
// Every generator puts its points within about [-1.6, 1.6]^2 (the notes' scale: sklearn-style
// moons and circles, cs231n-style spirals). Each point carries its label and whether it belongs to
// the test set; user-drawn points join the training set.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mlp.hpp"
#include "core/spec.hpp"

namespace mlpviz::core {

struct Point {
  double x1 = 0.0;
  double x2 = 0.0;
  int label = 0;
  bool test = false;
  bool operator==(const Point&) const = default;
};

struct Dataset {
  std::vector<Point> points;
  int classes = 2;
  // Optional target vectors for MSE outputs (sigmoid_mse, linear_mse): target_dim numbers per
  // point, in the order of points (targets.size() == points.size() * target_dim). 0 and empty:
  // the targets come from the labels (targets_from_labels). Only a session's "data.targets"
  // sets them (docs/targets.md); point edits are refused on such data, so they stay aligned.
  int target_dim = 0;
  std::vector<double> targets = {};  // (initialized: Dataset{points, classes} stays warning-free)
  bool has_targets() const { return target_dim > 0; }
  int count(bool test) const;
  bool operator==(const Dataset&) const = default;
};

// Generates spec.points points of spec.kind (Custom gives an empty set). Assumes validate(spec).
Dataset generate(const DataSpec& spec);

// Value of feature `bit` (see Feature) at (x1, x2).
double feature_value(int bit, double x1, double x2);

// Columns of features for the chosen split: X is (input_dim x N), labels has N entries.
template <class T>
void build_features(std::uint32_t feature_mask, const Dataset& data, bool test_split, MatX<T>& X,
                    std::vector<int>& labels);

// Whether the network trains on data.targets: the data has them, the output is sigmoid_mse or
// linear_mse, and it has target_dim units. Otherwise the labels give the targets.
bool uses_targets(const Dataset& data, const Layout& layout);

// Target matrix (output units x N) of the chosen split, in the order of build_features: the
// data's target vectors when uses_targets(), else targets_from_labels of the labels.
template <class T>
MatX<T> build_targets(const Dataset& data, bool test_split, const Layout& layout);

// Target vector of one point: point i of the data's own targets when uses_targets(), else the
// label's (t = label for one output unit, one-hot for more).
std::vector<double> target_of_point(const Dataset& data, int i, const Layout& layout);
std::vector<double> target_of_label(int label, const Layout& layout);

// Features of arbitrary points given as two coordinate arrays (used by grid evaluation).
template <class T>
void build_features(std::uint32_t feature_mask, const double* x1, const double* x2, int n,
                    MatX<T>& X);

// CSV: one point per line "x1,x2,label" (fields may be quoted: "0.9" is a number); '#' starts a
// comment. A first row that cannot be read as data and names three columns is a header: it is
// skipped and *note says so ("line 1: 'x1,x2,label' read as a header ... and skipped"; empty
// when there was none). Returns nullopt on success, else one line naming the line number and the
// problem, with the file's bytes escaped (core::printable). All points are marked with `as_test`.
// Rejects non-finite values, labels outside 0..5, more than kMaxPoints rows, more than
// kMaxCsvBytes (read_csv_file stops reading there, whatever the file does), and no point at all.
inline constexpr std::int64_t kMaxCsvBytes = 16 * 1024 * 1024;
std::optional<std::string> read_csv_text(std::string_view text, bool as_test, std::vector<Point>& out,
                                         std::string* note = nullptr);
std::optional<std::string> read_csv(std::istream& in, bool as_test, std::vector<Point>& out,
                                    std::string* note = nullptr);
std::optional<std::string> read_csv_file(const std::string& path, bool as_test,
                                         std::vector<Point>& out, std::string* note = nullptr);
void write_csv(std::ostream& out, const std::vector<Point>& points);

// Bounding box of the points, grown to contain at least [-at_least, at_least]^2 (so an empty or
// tiny dataset still gives a sensible view). Views fit it with their own margins.
struct Box {
  double x_min, x_max, y_min, y_max;
};
Box data_bounds(const Dataset* data, double at_least = 1.5);

// Nearest point to (x1, x2) by Euclidean distance, or -1 if there are none.
int nearest_point(const Dataset& data, double x1, double x2);

}  // namespace mlpviz::core
