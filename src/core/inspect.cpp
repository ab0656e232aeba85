#include "core/inspect.hpp"

#include <charconv>
#include <cstdlib>

#include "core/data.hpp"

namespace mlpviz::core {

std::vector<double> as_written(const float* params, std::size_t n) {
  std::vector<double> out(n);
  char buf[32];
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = std::to_chars(buf, buf + sizeof buf - 1, params[i]);  // shortest round trip
    *r.ptr = '\0';
    out[i] = r.ec == std::errc() ? std::strtod(buf, nullptr) : static_cast<double>(params[i]);
  }
  return out;
}

VecX<double> point_features(std::uint32_t features, double x1, double x2) {
  MatX<double> X;
  build_features<double>(features, &x1, &x2, 1, X);
  return X.col(0);
}

PointInspection inspect_point(const Layout& layout, const double* params, const VecX<double>& x,
                              const VecX<double>& t, const Regularization& reg) {
  PointInspection r;
  r.input = x;
  r.target = t;
  r.grad.assign(static_cast<std::size_t>(layout.num_params), 0.0);
  Workspace<double> ws;
  const MatX<double> X = x;
  const MatX<double> T = t;
  // One column: the mean over N = 1 points is the point's own loss, and ws.D[l] is dL/dZ[l].
  r.loss = loss_and_grad<double>(layout, params, X, T, reg, r.grad.data(), ws);
  r.data_loss = data_loss_from_forward<double>(layout, T, ws);
  for (int l = 1; l <= layout.depth(); ++l) {
    const LayerLayout& ll = layout.layers[static_cast<std::size_t>(l - 1)];
    LayerInspection li;
    li.z = ws.Z[l].col(0);
    li.a = ws.A[l].col(0);
    li.delta = ws.D[l].col(0);
    li.dW = Eigen::Map<const MatX<double>>(r.grad.data() + ll.w_offset, ll.out, ll.in);
    li.db = Eigen::Map<const VecX<double>>(r.grad.data() + ll.b_offset, ll.out);
    r.layers.push_back(std::move(li));
  }
  return r;
}

PointStep step_on_point(const Layout& layout, const std::vector<double>& params,
                        const VecX<double>& x, const VecX<double>& t, const Regularization& reg,
                        double learning_rate) {
  PointStep s;
  s.before = params;
  s.inspection = inspect_point(layout, params.data(), x, t, reg);
  s.after.resize(params.size());
  for (std::size_t i = 0; i < params.size(); ++i)
    s.after[i] = params[i] - learning_rate * s.inspection.grad[i];
  return s;
}

}  // namespace mlpviz::core
