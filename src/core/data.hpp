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

// Features of arbitrary points given as two coordinate arrays (used by grid evaluation).
template <class T>
void build_features(std::uint32_t feature_mask, const double* x1, const double* x2, int n,
                    MatX<T>& X);

// CSV: one point per line "x1,x2,label"; an optional header line; '#' starts a comment.
// Returns nullopt on success, else one line naming the line number and the problem. All points
// are marked with `as_test`. Rejects non-finite values, labels outside 0..5, more than
// kMaxPoints rows, files over kMaxCsvBytes, and files without any point.
inline constexpr std::int64_t kMaxCsvBytes = 16 * 1024 * 1024;
std::optional<std::string> read_csv(std::istream& in, bool as_test, std::vector<Point>& out);
std::optional<std::string> read_csv_file(const std::string& path, bool as_test,
                                         std::vector<Point>& out);
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
