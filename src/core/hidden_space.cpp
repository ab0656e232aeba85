#include "core/hidden_space.hpp"

#include <algorithm>
#include <cmath>

#include "core/evaluate.hpp"

namespace mlpviz::core {

namespace {

MatX<double> activations(const Layout& layout, std::uint32_t features, const double* params,
                         const std::vector<double>& x1, const std::vector<double>& x2, int layer) {
  MatX<double> A;
  Workspace<double> ws;
  layer_activations<double>(layout, features, params, x1.data(), x2.data(), static_cast<int>(x1.size()), layer, A, ws);
  return A;
}

// Weights (n_L x n_{L-1}) and biases of the output layer.
Eigen::Map<const Eigen::MatrixXd> output_weights(const Layout& layout, const double* params) {
  const LayerLayout& ll = layout.layers.back();
  return {params + ll.w_offset, ll.out, ll.in};
}
Eigen::Map<const Eigen::VectorXd> output_biases(const Layout& layout, const double* params) {
  const LayerLayout& ll = layout.layers.back();
  return {params + ll.b_offset, ll.out};
}

}  // namespace

std::optional<std::string> validate(const HiddenAxes& axes, const Layout& layout) {
  const int hidden = layout.depth() - 1;
  if (axes.layer < 0 || axes.layer > hidden)
    return "layer = " + std::to_string(axes.layer) + " is out of range: allowed 0 (the inputs) to " +
           std::to_string(hidden) + " (the last hidden layer)";
  const int n = layout.sizes[axes.layer];
  if (n < 2)
    return "layer " + std::to_string(axes.layer) + " has " + std::to_string(n) +
           " unit: a 2D view needs a layer of at least 2 units";
  if (axes.pca) return std::nullopt;
  for (int u : {axes.unit_i, axes.unit_j})
    if (u < 0 || u >= n)
      return "unit = " + std::to_string(u) + " is out of range: allowed 0 to " + std::to_string(n - 1) +
             " (layer " + std::to_string(axes.layer) + " has " + std::to_string(n) + " units)";
  if (axes.unit_i == axes.unit_j)
    return "units = " + std::to_string(axes.unit_i) + "," + std::to_string(axes.unit_j) +
           ": the two axes must be different units";
  return std::nullopt;
}

HiddenProjection make_projection(const Layout& layout, std::uint32_t features, const double* params,
                                 const Dataset& data, const HiddenAxes& axes) {
  HiddenProjection p;
  p.layer = axes.layer;
  const int n = layout.sizes[axes.layer];
  p.mean = Eigen::VectorXd::Zero(n);
  p.P = Eigen::Matrix<double, 2, Eigen::Dynamic>::Zero(2, n);
  // The points the axes are fitted to: the training points, or all when there are none.
  std::vector<double> x1, x2;
  const bool any_train = data.count(false) > 0;
  for (const Point& q : data.points)
    if (!q.test || !any_train) {
      x1.push_back(q.x1);
      x2.push_back(q.x2);
    }
  const MatX<double> A = x1.empty() ? MatX<double>(n, 0) : activations(layout, features, params, x1, x2, axes.layer);
  const double N = static_cast<double>(A.cols());
  if (!axes.pca) {
    p.P(0, axes.unit_i) = 1.0;
    p.P(1, axes.unit_j) = 1.0;
  } else {
    if (N > 0) p.mean = A.rowwise().mean();
    Eigen::MatrixXd C = Eigen::MatrixXd::Zero(n, n);
    if (N > 0) {
      const Eigen::MatrixXd centred = A.colwise() - p.mean;
      C = centred * centred.transpose() / N;
    }
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(C);  // eigenvalues ascending
    for (int r = 0; r < 2; ++r) {
      Eigen::VectorXd v = eig.eigenvectors().col(n - 1 - r);
      Eigen::Index k = 0;
      v.cwiseAbs().maxCoeff(&k);  // first index of the largest magnitude
      if (v(k) < 0) v = -v;
      p.P.row(r) = v.transpose();
    }
  }
  if (N > 0)
    for (int r = 0; r < 2; ++r) {
      const Eigen::VectorXd y = (p.P.row(r) * (A.colwise() - p.mean)).transpose();
      p.variance[r] = y.squaredNorm() / N - std::pow(y.sum() / N, 2);
    }
  return p;
}

Box hidden_view_box(const HiddenSpaceMap& m) {
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  const auto grow = [&](const Eigen::Vector2d& p) {
    if (!std::isfinite(p(0)) || !std::isfinite(p(1))) return;
    x0 = std::min(x0, p(0));
    x1 = std::max(x1, p(0));
    y0 = std::min(y0, p(1));
    y1 = std::max(y1, p(1));
  };
  for (const auto& p : m.points) grow(p);
  if (x0 > x1)
    for (const auto& l : m.lines)
      for (const auto& p : l) grow(p);
  if (x0 > x1) x0 = x1 = y0 = y1 = 0;
  const double cx = 0.5 * (x0 + x1), cy = 0.5 * (y0 + y1);
  const double half = std::max(0.6 * std::max(x1 - x0, y1 - y0), 1e-3);
  return {cx - half, cx + half, cy - half, cy + half};
}

bool covers_last_hidden_layer(const Layout& layout, const HiddenProjection& proj) {
  return proj.layer == layout.depth() - 1 && proj.layer >= 1 && layout.sizes[proj.layer] == 2;
}

int output_class_at(const Layout& layout, const double* params, const HiddenProjection& proj,
                    const Eigen::Vector2d& y) {
  // P is 2 x 2 orthonormal: a = m + P^T y.
  const Eigen::VectorXd a = proj.mean + proj.P.transpose() * y;
  const Eigen::VectorXd z = output_weights(layout, params) * a + output_biases(layout, params);
  MatX<double> out(z.size(), 1);
  for (Eigen::Index k = 0; k < z.size(); ++k)
    out(k, 0) = layout.layers.back().act == Activation::Sigmoid ? 1.0 / (1.0 + std::exp(-z(k))) : z(k);
  std::vector<int> cls;
  predict_classes<double>(out, cls);  // softmax keeps the argmax of z
  return cls[0];
}

HiddenSpaceMap map_hidden_space(const Layout& layout, std::uint32_t features, const double* params,
                                const Dataset& data, const HiddenAxes& axes, const Box& plane,
                                int grid_lines, int samples) {
  HiddenSpaceMap m;
  m.proj = make_projection(layout, features, params, data, axes);
  grid_lines = std::max(2, grid_lines);
  samples = std::max(2, samples);
  // Everything in one batch: the data points, then the grid lines' samples.
  std::vector<double> x1, x2;
  for (const Point& q : data.points) {
    x1.push_back(q.x1);
    x2.push_back(q.x2);
  }
  const auto lerp = [](double a, double b, double t) { return a + (b - a) * t; };
  for (int dir = 0; dir < 2; ++dir)  // 0: x1 = const (vertical), 1: x2 = const
    for (int g = 0; g < grid_lines; ++g) {
      const double c = static_cast<double>(g) / (grid_lines - 1);
      for (int s = 0; s < samples; ++s) {
        const double t = static_cast<double>(s) / (samples - 1);
        x1.push_back(dir == 0 ? lerp(plane.x_min, plane.x_max, c) : lerp(plane.x_min, plane.x_max, t));
        x2.push_back(dir == 0 ? lerp(plane.y_min, plane.y_max, t) : lerp(plane.y_min, plane.y_max, c));
      }
    }
  const MatX<double> A = activations(layout, features, params, x1, x2, axes.layer);
  const Eigen::MatrixXd Y = m.proj.P * (A.colwise() - m.proj.mean);  // 2 x (points + grid)
  std::size_t col = 0;
  for (; col < data.points.size(); ++col) m.points.emplace_back(Y(0, col), Y(1, col));
  m.vertical_lines = grid_lines;
  for (int line = 0; line < 2 * grid_lines; ++line) {
    std::vector<Eigen::Vector2d> pts;
    for (int s = 0; s < samples; ++s, ++col) pts.emplace_back(Y(0, col), Y(1, col));
    m.lines.push_back(std::move(pts));
  }
  // The output's boundary: a line when the space is the whole last hidden layer of 2 units.
  const int K = layout.sizes.back();
  if (covers_last_hidden_layer(layout, m.proj) && (K == 1 || K == 2)) {
    const auto W = output_weights(layout, params);
    const auto b = output_biases(layout, params);
    // Class 1 where d . a + e > 0, with a = m + P^T y.
    Eigen::VectorXd d;
    double e = 0;
    if (K == 1) {
      // One unit: class 1 when A_L > 0.5, i.e. z > 0 (sigmoid) or z > 0.5 (identity).
      d = W.row(0).transpose();
      e = b(0) - (layout.layers.back().act == Activation::Sigmoid ? 0.0 : 0.5);
    } else {
      d = (W.row(1) - W.row(0)).transpose();  // argmax: z1 > z0
      e = b(1) - b(0);
    }
    const Eigen::Vector2d c = m.proj.P * d;
    m.boundary = Eigen::Vector3d(c(0), c(1), d.dot(m.proj.mean) + e);
  }
  return m;
}

HiddenAxes default_axes_of(const Layout& layout, int layer) {
  HiddenAxes a;
  a.layer = layer;
  a.pca = layout.sizes[static_cast<std::size_t>(layer)] > 2;
  return a;
}

namespace {

// The map moved and scaled so that its view box becomes [-1, 1]^2 (its longer side).
void scale_into_square(HiddenSpaceMap& m, const Box& v) {
  const double cx = 0.5 * (v.x_min + v.x_max), cy = 0.5 * (v.y_min + v.y_max);
  const double half = 0.5 * std::max(v.x_max - v.x_min, v.y_max - v.y_min);
  const double k = half > 0 ? 1.0 / half : 1.0;
  const auto f = [&](Eigen::Vector2d& p) { p = Eigen::Vector2d((p(0) - cx) * k, (p(1) - cy) * k); };
  for (Eigen::Vector2d& p : m.points) f(p);
  for (auto& line : m.lines)
    for (Eigen::Vector2d& p : line) f(p);
  if (m.boundary) {  // c0 y0 + c1 y1 + c2 = 0 with y = z / k + centre
    const Eigen::Vector3d c = *m.boundary;
    m.boundary = Eigen::Vector3d(c(0) / k, c(1) / k, c(0) * cx + c(1) * cy + c(2));
  }
}

}  // namespace

LayerMaps map_through_layers(const Layout& layout, std::uint32_t features, const double* params,
                             const Dataset& data, const Box& plane, int grid_lines, int samples) {
  LayerMaps out;
  for (int l = 0; l < layout.depth(); ++l) {
    if (layout.sizes[static_cast<std::size_t>(l)] < 2) continue;
    const HiddenAxes a = default_axes_of(layout, l);
    if (validate(a, layout)) continue;
    HiddenSpaceMap m = map_hidden_space(layout, features, params, data, a, plane, grid_lines, samples);
    const Box v = hidden_view_box(m);
    scale_into_square(m, v);
    out.layers.push_back(l);
    out.maps.push_back(std::move(m));
    out.boxes.push_back(v);
  }
  return out;
}

HiddenSpaceMap blend_layers(const LayerMaps& m, double f) {
  const int last = static_cast<int>(m.maps.size()) - 1;
  f = std::clamp(std::isfinite(f) ? f : 0.0, 0.0, static_cast<double>(std::max(last, 0)));
  const int k = std::min(static_cast<int>(std::floor(f)), std::max(last - 1, 0));
  const double t = last == 0 ? 0.0 : f - k;
  if (t <= 0.0) return m.maps[static_cast<std::size_t>(k)];
  if (t >= 1.0) return m.maps[static_cast<std::size_t>(k + 1)];
  const HiddenSpaceMap& a = m.maps[static_cast<std::size_t>(k)];
  const HiddenSpaceMap& b = m.maps[static_cast<std::size_t>(k + 1)];
  HiddenSpaceMap r = a;
  r.boundary.reset();
  for (std::size_t i = 0; i < r.points.size() && i < b.points.size(); ++i)
    r.points[i] = (1.0 - t) * a.points[i] + t * b.points[i];
  for (std::size_t l = 0; l < r.lines.size() && l < b.lines.size(); ++l)
    for (std::size_t i = 0; i < r.lines[l].size() && i < b.lines[l].size(); ++i)
      r.lines[l][i] = (1.0 - t) * a.lines[l][i] + t * b.lines[l][i];
  return r;
}

}  // namespace mlpviz::core
