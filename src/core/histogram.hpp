// histogram.hpp: the distribution of a hidden layer's pre-activations z over the training points,
// with the activation's flat zones: where g'(z) is (nearly) 0 and a unit learns nothing from a point.
//
//   ReLU          z <= 0                      (g' = 0: the "dead" side; a unit dead on every point
//                                              is metrics.hpp's dead unit)
//   tanh          |z| > atanh(sqrt(1 - s))    s = kSaturatedSlope: g'(z) < s g'(0)
//   sigmoid       |z| > 2 atanh(sqrt(1 - s))  (sigmoid(z) = (1 + tanh(z/2)) / 2)
//   the others    none
// The saturation metric (compute_metrics) counts with in_flat_zone() too, so the flat fraction of
// a histogram is the metric's figure for the same points.
#pragma once

#include <limits>
#include <vector>

#include "core/mlp.hpp"

namespace mlpviz::core {

// Saturated: the slope g'(z) below this fraction of its peak g'(0) (tanh, sigmoid).
inline constexpr double kSaturatedSlope = 0.1;
inline constexpr int kHistogramBins = 40;

// |z| beyond which tanh or sigmoid is saturated; +infinity for the other activations.
double saturation_z(Activation act);
// Whether z lies in the flat zone of act (table above). Non-finite z: false.
bool in_flat_zone(Activation act, double z);
// Whether act has a flat zone at all (ReLU, tanh, sigmoid).
bool has_flat_zone(Activation act);

struct ZHistogram {
  Activation act = Activation::Identity;
  double lo = -1.0, hi = 1.0;  // bins split [lo, hi] evenly; lo = -hi, hi a 1-2-5 step
  std::vector<int> counts;     // bins
  int total = 0;               // finite z counted: points x units not knocked out
  int flat = 0;                // of those, in_flat_zone()
  double flat_fraction() const { return total > 0 ? static_cast<double>(flat) / total : 0.0; }
  double bin_width() const { return counts.empty() ? 0.0 : (hi - lo) / static_cast<double>(counts.size()); }
};

// The histogram of Z (n_l x N, one row per unit of hidden layer `layer`, 1-based), leaving out
// the rows of knocked-out units and non-finite values. The range is symmetric about 0, wide
// enough for every value counted and for the flat zone's edge (1.5 times saturation_z), rounded up
// to 1, 2 or 5 times a power of 10 so that it changes seldom while training.
template <class T>
ZHistogram z_histogram(const MatX<T>& Z, Activation act, const Layout& layout, int layer,
                       int bins = kHistogramBins);

}  // namespace mlpviz::core
