#include "core/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace mlpviz::core {

double saturation_z(Activation act) {
  static const double tanh_z = std::atanh(std::sqrt(1.0 - kSaturatedSlope));  // 1 - tanh^2 = s
  if (act == Activation::Tanh) return tanh_z;
  if (act == Activation::Sigmoid) return 2.0 * tanh_z;  // sigmoid'(z) = (1 - tanh^2(z/2)) / 4
  return std::numeric_limits<double>::infinity();
}

bool has_flat_zone(Activation act) {
  return act == Activation::Relu || act == Activation::Tanh || act == Activation::Sigmoid;
}

bool in_flat_zone(Activation act, double z) {
  if (!std::isfinite(z)) return false;
  if (act == Activation::Relu) return z <= 0.0;
  if (act == Activation::Tanh || act == Activation::Sigmoid) return std::abs(z) > saturation_z(act);
  return false;
}

namespace {

// The smallest of 1, 2, 5 times a power of 10 at or above v (v > 0).
double nice_ceiling(double v) {
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= v * (1 - 1e-12)) return m * p;
  return 10.0 * p;
}

}  // namespace

template <class T>
ZHistogram z_histogram(const MatX<T>& Z, Activation act, const Layout& layout, int layer, int bins) {
  ZHistogram h;
  h.act = act;
  bins = std::max(bins, 1);
  h.counts.assign(static_cast<std::size_t>(bins), 0);
  const Eigen::Index rows = Z.rows(), cols = Z.cols();
  std::vector<char> counted(static_cast<std::size_t>(rows));
  for (Eigen::Index u = 0; u < rows; ++u) counted[static_cast<std::size_t>(u)] = !layout.knocked(layer, static_cast<int>(u));
  // Column by column: Z is column-major, one column holds every unit's z for one point.
  double max_abs = 0.0;
  for (Eigen::Index i = 0; i < cols; ++i)
    for (Eigen::Index u = 0; u < rows; ++u) {
      const double z = static_cast<double>(Z(u, i));
      if (counted[static_cast<std::size_t>(u)] && std::isfinite(z)) max_abs = std::max(max_abs, std::abs(z));
    }
  double need = std::max(max_abs, 1.0);
  const double zs = saturation_z(act);
  if (std::isfinite(zs)) need = std::max(need, 1.5 * zs);
  h.hi = nice_ceiling(need);
  h.lo = -h.hi;
  const double scale = bins / (h.hi - h.lo);
  // in_flat_zone() for finite z, unrolled: ReLU z <= 0; tanh, sigmoid |z| > zs; others never.
  const bool relu = act == Activation::Relu;
  const double flat_above = relu ? std::numeric_limits<double>::infinity() : zs;
  for (Eigen::Index i = 0; i < cols; ++i)
    for (Eigen::Index u = 0; u < rows; ++u) {
      const double z = static_cast<double>(Z(u, i));
      if (!counted[static_cast<std::size_t>(u)] || !std::isfinite(z)) continue;
      // |z| <= hi: the index is in [0, bins] (bins only for z = hi exactly).
      const int b = std::min(static_cast<int>((z - h.lo) * scale), bins - 1);
      ++h.counts[static_cast<std::size_t>(b)];
      ++h.total;
      h.flat += relu ? z <= 0.0 : std::abs(z) > flat_above;
    }
  return h;
}

template ZHistogram z_histogram<float>(const MatX<float>&, Activation, const Layout&, int, int);
template ZHistogram z_histogram<double>(const MatX<double>&, Activation, const Layout&, int, int);

}  // namespace mlpviz::core
