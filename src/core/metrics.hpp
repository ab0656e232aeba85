// metrics.hpp: what the instruments show: losses, accuracies, and the health of every hidden unit.
//
// Definitions (the UI and docs quote them):
//   active     z > 0 on a point (for ReLU this is where gradient flows)
//   dead       a ReLU unit active on none of the evaluated training points
//   saturated  tanh/sigmoid units whose slope g'(z) is below kSaturatedSlope (10%) of its peak
//              g'(0) (histogram.hpp's in_flat_zone: tanh |z| > 1.818, |a| > 0.949; sigmoid
//              |z| > 3.637, a < 0.026 or a > 0.974)
//   knocked-out units (knock_out.hpp) are left out of dead_units and saturated_fraction, as they
//   are of the z histograms
//   grad norm  Frobenius norm of [dW, db] of each layer on the evaluated training points
#pragma once

#include <vector>

#include "core/histogram.hpp"
#include "core/mlp.hpp"

namespace mlpviz::core {

struct UnitStats {
  float active_fraction = 0.0f;
  float saturated_fraction = 0.0f;
  float mean_abs_activation = 0.0f;
  bool dead = false;
};

struct Metrics {
  double train_loss = 0.0;       // data loss + regularization, mean over points
  double test_loss = 0.0;        // NaN when there is no test point
  double train_accuracy = 0.0;   // fraction in [0, 1]
  double test_accuracy = 0.0;    // NaN when there is no test point
  std::vector<std::vector<UnitStats>> units;  // [hidden layer][unit]
  std::vector<double> grad_norm;               // [layer 1..L], size L
  std::vector<int> confusion;                  // test set, classes x classes, row = true class
  int classes = 2;
  int dead_units = 0;
  double saturated_fraction = 0.0;             // over all tanh/sigmoid hidden units and points
  std::vector<ZHistogram> z_histograms;        // [hidden layer]: z over the evaluated training points
  int evaluated_train = 0;                     // points the figures were computed on
  int evaluated_test = 0;
};

// True when g'(z) < 0.1 g'(0) for a saturating activation (tanh, sigmoid); false otherwise.
bool is_saturating(Activation act);

template <class T>
struct MetricsInput {
  const MatX<T>* x_train = nullptr;
  const MatX<T>* t_train = nullptr;
  const std::vector<int>* labels_train = nullptr;
  const MatX<T>* x_test = nullptr;
  const MatX<T>* t_test = nullptr;
  const std::vector<int>* labels_test = nullptr;
};

// ws holds the training split's passes; test_ws (when given) the test split's. A caller that
// evaluates both splits repeatedly passes two workspaces: one workspace sized for one split and
// then the other is reallocated twice per call.
template <class T>
Metrics compute_metrics(const Layout& layout, const T* params, const MetricsInput<T>& in,
                        const Regularization& reg, int classes, Workspace<T>& ws,
                        ParamVector<T>& grad_scratch, Workspace<T>* test_ws = nullptr);

}  // namespace mlpviz::core
