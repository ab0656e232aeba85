// inspect.hpp: the math at one point (the backprop inspector). For the current parameters and one
// input point with its target: every layer's z, a and delta = dL/dz, the point's loss, and the
// gradient dW, db of that point's loss alone; and one plain SGD step on that point.
//
// Loss convention: that of `mlpviz grad` (mlp.hpp) with N = 1:
//   L = loss(z_L, t) + l2/2 * sum(W^2) + l1 * sum|W|       (biases not regularized)
// so on a data set of this one point, dW and db equal `mlpviz grad`'s. delta is of the data loss
// (regularization acts on W directly, not through z). Double precision throughout; one forward and
// one backward pass of one column: microseconds for the largest network (64 x 8 layers), cheap
// enough for the UI thread.
#pragma once

#include <cstdint>
#include <vector>

#include "core/mlp.hpp"

namespace mlpviz::core {

struct LayerInspection {
  VecX<double> z;      // (n_l)      z = W a_prev + b
  VecX<double> a;      // (n_l)      a = g(z); softmax for a softmax output
  VecX<double> delta;  // (n_l)      dL/dz
  MatX<double> dW;     // (n_l x n_{l-1})  delta a_prev^T (+ regularization)
  VecX<double> db;     // (n_l)      delta
};

struct PointInspection {
  VecX<double> input;                   // a[0]: the point's features (n_0)
  VecX<double> target;                  // t (n_L)
  std::vector<LayerInspection> layers;  // L entries: layers[l-1] is layer l
  double data_loss = 0.0;               // loss(z_L, t)
  double loss = 0.0;                    // data_loss + regularization (what dW, db differentiate)
  std::vector<double> grad;             // dL/dparams in the flat layout (dW, db of every layer)
};

// The parameters as written: each float as the shortest decimal that rounds to it, in double.
// Training keeps float parameters, so a weight typed or saved as 0.15 is held as 0.1500000060;
// the inspector computes from 0.15 itself, and the worked example then shows the notes' digits to
// the last (from the float, E_total would read 0.298371110 instead of 0.298371109). The
// difference is below the float's own resolution.
std::vector<double> as_written(const float* params, std::size_t n);

// Features of (x1, x2) under `features` (NetSpec::features), as the network's input column.
VecX<double> point_features(std::uint32_t features, double x1, double x2);

// The inspection of one input column `x` (n_0) with target `t` (n_L; targets_from_labels or a
// data set's target vector). params: the flat buffer (layout.num_params values).
PointInspection inspect_point(const Layout& layout, const double* params, const VecX<double>& x,
                              const VecX<double>& t, const Regularization& reg);

// One plain SGD step on this point alone: after = before - learning_rate * grad (every weight and
// bias), whatever optimizer the run uses; its state is not touched.
struct PointStep {
  std::vector<double> before, after;
  PointInspection inspection;  // at `before`
};
PointStep step_on_point(const Layout& layout, const std::vector<double>& params,
                        const VecX<double>& x, const VecX<double>& t, const Regularization& reg,
                        double learning_rate);

}  // namespace mlpviz::core
