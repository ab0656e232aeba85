#include "core/metrics.hpp"

#include <cmath>
#include <limits>

namespace mlpviz::core {

bool is_saturating(Activation act) {
  return act == Activation::Tanh || act == Activation::Sigmoid;
}

template <class T>
Metrics compute_metrics(const Layout& layout, const T* params, const MetricsInput<T>& in,
                        const Regularization& reg, int classes, Workspace<T>& ws,
                        ParamVector<T>& grad, Workspace<T>* test_ws) {
  Metrics m;
  m.classes = classes;
  const int L = layout.depth();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<int> predicted;

  // Training split: loss, accuracy, gradient norms, unit statistics (one forward + backward).
  const int n_train = static_cast<int>(in.x_train->cols());
  m.evaluated_train = n_train;
  grad.resize(layout.num_params);
  if (n_train > 0) {
    m.train_loss = loss_and_grad<T>(layout, params, *in.x_train, *in.t_train, reg, grad.data(), ws);
    predict_classes(ws.A[L], predicted);
    int correct = 0;
    for (int i = 0; i < n_train; ++i) correct += predicted[i] == (*in.labels_train)[i];
    m.train_accuracy = static_cast<double>(correct) / n_train;
    for (const LayerLayout& ll : layout.layers) {
      Eigen::Map<const VecX<T>> g(grad.data() + ll.w_offset, ll.in * ll.out + ll.out);
      m.grad_norm.push_back(static_cast<double>(g.norm()));
    }
    double sat_sum = 0.0;
    int sat_units = 0;
    for (int l = 1; l < L; ++l) {
      const Activation act = layout.layers[l - 1].act;
      const auto z = ws.Z[l].array();
      const auto a = ws.A[l].array();
      std::vector<UnitStats> stats(layout.sizes[l]);
      for (int u = 0; u < layout.sizes[l]; ++u) {
        UnitStats& s = stats[u];
        s.active_fraction = static_cast<float>((z.row(u) > T(0)).count()) / n_train;
        s.mean_abs_activation = static_cast<float>(a.row(u).abs().mean());
        if (is_saturating(act)) {
          int saturated = 0;  // the histograms' flat zone, with the same threshold
          for (int i = 0; i < n_train; ++i) saturated += in_flat_zone(act, static_cast<double>(z(u, i)));
          s.saturated_fraction = static_cast<float>(saturated) / n_train;
        }
        s.dead = act == Activation::Relu && s.active_fraction == 0.0f;
        if (layout.knocked(l, u)) continue;  // switched off by the user: not a health figure
        m.dead_units += s.dead;
        if (is_saturating(act)) {
          sat_sum += s.saturated_fraction;
          ++sat_units;
        }
      }
      m.units.push_back(std::move(stats));
      m.z_histograms.push_back(z_histogram<T>(ws.Z[l], act, layout, l));
    }
    m.saturated_fraction = sat_units ? sat_sum / sat_units : 0.0;
  } else {
    m.train_loss = m.train_accuracy = nan;
    m.grad_norm.assign(L, 0.0);
    for (int l = 1; l < L; ++l) {
      m.units.emplace_back(layout.sizes[l]);
      m.z_histograms.push_back(z_histogram<T>(MatX<T>(layout.sizes[l], 0), layout.layers[l - 1].act, layout, l));
    }
  }

  // Test split: loss, accuracy, confusion matrix.
  const int n_test = in.x_test ? static_cast<int>(in.x_test->cols()) : 0;
  m.evaluated_test = n_test;
  m.confusion.assign(classes * classes, 0);
  if (n_test > 0) {
    Workspace<T>& tws = test_ws ? *test_ws : ws;
    m.test_loss = loss_and_grad<T>(layout, params, *in.x_test, *in.t_test, reg, nullptr, tws);
    predict_classes(tws.A[L], predicted);
    int correct = 0;
    for (int i = 0; i < n_test; ++i) {
      const int truth = (*in.labels_test)[i];
      correct += predicted[i] == truth;
      if (truth >= 0 && truth < classes && predicted[i] >= 0 && predicted[i] < classes)
        ++m.confusion[truth * classes + predicted[i]];
    }
    m.test_accuracy = static_cast<double>(correct) / n_test;
  } else {
    m.test_loss = m.test_accuracy = nan;
  }
  return m;
}

template Metrics compute_metrics<float>(const Layout&, const float*, const MetricsInput<float>&,
                                        const Regularization&, int, Workspace<float>&,
                                        ParamVector<float>&, Workspace<float>*);
template Metrics compute_metrics<double>(const Layout&, const double*, const MetricsInput<double>&,
                                         const Regularization&, int, Workspace<double>&,
                                         ParamVector<double>&, Workspace<double>*);

}  // namespace mlpviz::core
