#include "core/mlp.hpp"

#include <cmath>

#include "core/dispatch.hpp"
#include "core/rng.hpp"

namespace mlpviz::core {

Layout Layout::from_spec(const NetSpec& spec) {
  Layout lay;
  lay.sizes = spec.layer_sizes();
  lay.output = spec.output;
  lay.leaky_alpha = spec.leaky_alpha;
  lay.elu_alpha = spec.elu_alpha;
  int offset = 0;
  for (std::size_t l = 1; l < lay.sizes.size(); ++l) {
    LayerLayout ll;
    ll.in = lay.sizes[l - 1];
    ll.out = lay.sizes[l];
    ll.w_offset = offset;
    offset += ll.in * ll.out;
    ll.b_offset = offset;
    offset += ll.out;
    const bool is_output = l + 1 == lay.sizes.size();
    if (!is_output) {
      ll.act = spec.activations[l - 1];
    } else {
      ll.act = (spec.output == OutputKind::SigmoidBce || spec.output == OutputKind::SigmoidMse)
                   ? Activation::Sigmoid
                   : Activation::Identity;  // softmax is applied separately
    }
    lay.layers.push_back(ll);
  }
  lay.num_params = offset;
  return lay;
}

Layout Layout::from_sizes(const std::vector<int>& sizes, const std::vector<Activation>& hidden,
                          OutputKind output) {
  NetSpec spec;
  spec.output = output;
  spec.widths.assign(sizes.begin() + 1, sizes.end() - 1);
  spec.activations = hidden;
  Layout lay = from_spec(spec);
  // from_spec derives the input and output sizes from features and classes; use the given ones.
  lay.sizes = sizes;
  int offset = 0;
  for (std::size_t l = 1; l < sizes.size(); ++l) {
    LayerLayout& ll = lay.layers[l - 1];
    ll.in = sizes[l - 1];
    ll.out = sizes[l];
    ll.w_offset = offset;
    offset += ll.in * ll.out;
    ll.b_offset = offset;
    offset += ll.out;
  }
  lay.num_params = offset;
  return lay;
}

int Layout::num_hidden_units() const {
  int n = 0;
  for (std::size_t l = 1; l + 1 < sizes.size(); ++l) n += sizes[l];
  return n;
}

int Layout::forward_macs() const {
  int m = 0;
  for (const LayerLayout& ll : layers) m += ll.in * ll.out + ll.out;
  return m;
}

void initialize(const NetSpec& spec, const Layout& layout, std::uint64_t seed,
                std::vector<double>& params) {
  params.assign(layout.num_params, 0.0);
  Rng rng(seed);
  Rng bias_rng(seed ^ 0x6a09e667f3bcc909ULL);
  const bool random_bias = spec.random_bias || spec.init == InitKind::PyTorch;
  for (const LayerLayout& ll : layout.layers) {
    const double fan_in = ll.in, fan_out = ll.out;
    for (int k = 0; k < ll.in * ll.out; ++k) {
      double w = 0.0;
      switch (spec.init) {
        case InitKind::Normal: w = rng.normal() * std::sqrt(1.0 / fan_in); break;
        case InitKind::Uniform: w = rng.uniform(-1.0, 1.0) / std::sqrt(fan_in); break;
        case InitKind::Small: w = rng.normal() * 0.01; break;
        case InitKind::Xavier: w = rng.uniform(-1.0, 1.0) * std::sqrt(6.0 / (fan_in + fan_out)); break;
        case InitKind::He: w = rng.normal() * std::sqrt(2.0 / fan_in); break;
        case InitKind::Zeros: w = 0.0; break;
        // kaiming_uniform(a = sqrt(5)): bound sqrt(6 / ((1 + 5) fan_in)) = 1 / sqrt(fan_in).
        case InitKind::PyTorch: w = rng.uniform(-1.0, 1.0) / std::sqrt(fan_in); break;
      }
      params[ll.w_offset + k] = w * spec.init_gain;
    }
    for (int i = 0; i < ll.out; ++i)
      params[ll.b_offset + i] = random_bias ? bias_rng.uniform(-1.0, 1.0) / std::sqrt(fan_in) : spec.bias_init;
  }
}

template <class T>
void Workspace<T>::ensure(const Layout& layout, int n) {
  const int L = layout.depth();
  Z.resize(L + 1);
  A.resize(L + 1);
  D.resize(L + 1);
  for (int l = 0; l <= L; ++l) {
    const int rows = layout.sizes[l];
    if (A[l].rows() != rows || A[l].cols() != n) A[l].resize(rows, n);
    if (l > 0) {
      if (Z[l].rows() != rows || Z[l].cols() != n) Z[l].resize(rows, n);
      if (D[l].rows() != rows || D[l].cols() != n) D[l].resize(rows, n);
    }
  }
}

template <class T>
void apply_activation(Activation act, const Layout& layout, const MatX<T>& Zm, MatX<T>& Am) {
  const auto z = Zm.array();
  auto a = Am.array();
  const T leaky = static_cast<T>(layout.leaky_alpha);
  const T elu = static_cast<T>(layout.elu_alpha);
  switch (act) {
    case Activation::Identity: a = z; break;
    case Activation::Sigmoid: a = z.logistic(); break;
    case Activation::Tanh: a = z.tanh(); break;
    case Activation::Relu: a = z.max(T(0)); break;
    case Activation::LeakyRelu: a = (z >= T(0)).select(z, leaky * z); break;
    case Activation::Elu: a = (z > T(0)).select(z, elu * (z.min(T(0)).exp() - T(1))); break;
    case Activation::Softplus: a = z.max(T(0)) + (-z.abs()).exp().log1p(); break;
    case Activation::Swish: a = z * z.logistic(); break;
    case Activation::Abs: a = z.abs(); break;
  }
}

template <class T>
void mul_activation_derivative(Activation act, const Layout& layout, const MatX<T>& Zm,
                               const MatX<T>& Am, MatX<T>& Dm) {
  const auto z = Zm.array();
  const auto a = Am.array();
  auto d = Dm.array();
  const T leaky = static_cast<T>(layout.leaky_alpha);
  const T elu = static_cast<T>(layout.elu_alpha);
  switch (act) {
    case Activation::Identity: break;
    case Activation::Sigmoid: d *= a * (T(1) - a); break;               // g' = a(1-a)
    case Activation::Tanh: d *= T(1) - a.square(); break;                // g' = 1 - a^2
    // g'(0) = 0 (leaky: alpha), as PyTorch, TensorFlow and JAX: a unit with z = 0 on every
    // point ("dead") then receives no gradient, exactly.
    case Activation::Relu: d = (z > T(0)).select(d, T(0)); break;        // g' = [z > 0]
    case Activation::LeakyRelu: d = (z > T(0)).select(d, leaky * d); break;
    case Activation::Elu: d = (z > T(0)).select(d, d * (a + elu)); break;  // alpha e^z = a + alpha
    case Activation::Softplus: d *= z.logistic(); break;                 // g' = sigma(z)
    case Activation::Swish: d *= z.logistic() + a * (T(1) - z.logistic()); break;  // s + a(1-s)
    case Activation::Abs: d *= z.sign(); break;
  }
}

namespace {

constexpr Eigen::Index kLazyProductMaxFlops = 4096;  // measured: bench/bench_train.cpp

// dst = a * b. Eigen's general product packs its operands into blocks first, which costs more
// than the arithmetic for the 8-64 row matrices of a mini-batch; the coefficient-based (lazy)
// product is faster there. Large operands (grid evaluation, metrics) take the blocked path.
template <class Dst, class A, class B>
void multiply(Dst&& dst, const A& a, const B& b) {
  if (a.rows() * a.cols() * b.cols() <= kLazyProductMaxFlops)
    dst.noalias() = a.lazyProduct(b);
  else
    dst.noalias() = a * b;
}

template <class T>
void softmax_columns(const MatX<T>& Z, MatX<T>& A) {
  for (Eigen::Index c = 0; c < Z.cols(); ++c) {
    const T m = Z.col(c).maxCoeff();
    A.col(c) = (Z.col(c).array() - m).exp();
    A.col(c) /= A.col(c).sum();
  }
}

}  // namespace

template <class T>
void forward_prepared(const Layout& layout, const T* params, Workspace<T>& ws) {
  MLPVIZ_DISPATCH(T, forward_prepared(layout, params, ws));
  const int L = layout.depth();
  for (int l = 1; l <= L; ++l) {
    const LayerLayout& ll = layout.layers[l - 1];
    Eigen::Map<const MatX<T>> W(params + ll.w_offset, ll.out, ll.in);
    Eigen::Map<const VecX<T>> b(params + ll.b_offset, ll.out);
    multiply(ws.Z[l], W, ws.A[l - 1]);  // (n_l x n_{l-1}) (n_{l-1} x N)
    ws.Z[l].colwise() += b;
    if (l == L && layout.output == OutputKind::SoftmaxCe)
      softmax_columns(ws.Z[l], ws.A[l]);
    else
      apply_activation(ll.act, layout, ws.Z[l], ws.A[l]);
    if (l < L && !layout.knocked_out.empty())
      for (int j = 0; j < ll.out; ++j)
        if (layout.knocked(l, j)) ws.A[l].row(j).setZero();  // held at 0 (knock_out.hpp)
  }
}

template <class T>
void forward(const Layout& layout, const T* params, const Eigen::Ref<const MatX<T>>& X,
             Workspace<T>& ws) {
  MLPVIZ_DISPATCH(T, forward(layout, params, X, ws));
  ws.ensure(layout, static_cast<int>(X.cols()));
  ws.A[0] = X;
  forward_prepared(layout, params, ws);
}

template <class T>
double data_loss_from_forward(const Layout& layout, const Eigen::Ref<const MatX<T>>& targets,
                              const Workspace<T>& ws) {
  MLPVIZ_DISPATCH(T, data_loss_from_forward(layout, targets, ws));
  const int L = layout.depth();
  const auto z = ws.Z[L].array();
  const auto o = ws.A[L].array();
  const auto t = targets.array();
  const double n = static_cast<double>(targets.cols());
  double total = 0.0;
  switch (layout.output) {
    case OutputKind::SigmoidBce:
      total = static_cast<double>((z.max(T(0)) - z * t + (-z.abs()).exp().log1p()).sum());
      break;
    case OutputKind::SoftmaxCe:
      for (Eigen::Index c = 0; c < z.cols(); ++c) {
        const T m = z.col(c).maxCoeff();
        const T lse = m + std::log((z.col(c) - m).exp().sum());
        total += static_cast<double>(lse * t.col(c).sum() - (t.col(c) * z.col(c)).sum());
      }
      break;
    case OutputKind::SigmoidMse:
    case OutputKind::LinearMse: total = 0.5 * static_cast<double>((t - o).square().sum()); break;
  }
  return n > 0 ? total / n : 0.0;
}

template <class T>
double regularization_term(const Layout& layout, const T* params, const Regularization& reg) {
  if (reg.l1 == 0.0 && reg.l2 == 0.0) return 0.0;
  double r = 0.0;
  for (const LayerLayout& ll : layout.layers) {
    Eigen::Map<const VecX<T>> w(params + ll.w_offset, ll.out * ll.in);
    r += 0.5 * reg.l2 * static_cast<double>(w.squaredNorm()) +
         reg.l1 * static_cast<double>(w.template lpNorm<1>());
  }
  return r;
}

template <class T>
void backward(const Layout& layout, const T* params, const Eigen::Ref<const MatX<T>>& targets,
              const Regularization& reg, T* grad, Workspace<T>& ws) {
  MLPVIZ_DISPATCH(T, backward(layout, params, targets, reg, grad, ws));
  const int L = layout.depth();
  const int n = static_cast<int>(targets.cols());
  const T inv_n = n > 0 ? T(1) / static_cast<T>(n) : T(0);
  // dL/dZ[L] for the mean loss.
  auto dL = ws.D[L].array();
  const auto o = ws.A[L].array();
  const auto t = targets.array();
  switch (layout.output) {
    case OutputKind::SigmoidBce:
    case OutputKind::LinearMse: dL = (o - t) * inv_n; break;
    case OutputKind::SoftmaxCe:
      dL = (o.rowwise() * t.colwise().sum() - t) * inv_n;  // softmax * sum_k t_k - t
      break;
    case OutputKind::SigmoidMse: dL = (o - t) * o * (T(1) - o) * inv_n; break;
  }
  for (int l = L; l >= 1; --l) {
    const LayerLayout& ll = layout.layers[l - 1];
    Eigen::Map<const MatX<T>> W(params + ll.w_offset, ll.out, ll.in);
    Eigen::Map<MatX<T>> dW(grad + ll.w_offset, ll.out, ll.in);
    Eigen::Map<VecX<T>> db(grad + ll.b_offset, ll.out);
    multiply(dW, ws.D[l], ws.A[l - 1].transpose());  // (n_l x N)(N x n_{l-1})
    db = ws.D[l].rowwise().sum();
    if (reg.l2 != 0.0) dW += static_cast<T>(reg.l2) * W;
    if (reg.l1 != 0.0) dW.array() += static_cast<T>(reg.l1) * W.array().sign();
    if (l > 1) {
      multiply(ws.D[l - 1], W.transpose(), ws.D[l]);  // dL/dA[l-1]
      mul_activation_derivative(layout.layers[l - 2].act, layout, ws.Z[l - 1], ws.A[l - 1],
                                ws.D[l - 1]);
      if (!layout.knocked_out.empty())
        for (int j = 0; j < layout.sizes[l - 1]; ++j)
          if (layout.knocked(l - 1, j)) ws.D[l - 1].row(j).setZero();  // a = 0: da/dz = 0
    }
  }
}

template <class T>
double loss_and_grad(const Layout& layout, const T* params, const Eigen::Ref<const MatX<T>>& X,
                     const Eigen::Ref<const MatX<T>>& targets, const Regularization& reg, T* grad,
                     Workspace<T>& ws) {
  MLPVIZ_DISPATCH(T, loss_and_grad(layout, params, X, targets, reg, grad, ws));
  forward(layout, params, X, ws);
  const double loss = data_loss_from_forward(layout, targets, ws) +
                      regularization_term(layout, params, reg);
  if (grad) backward(layout, params, targets, reg, grad, ws);
  return loss;
}

template <class T>
void predict_classes(const MatX<T>& outputs, std::vector<int>& classes) {
  classes.resize(outputs.cols());
  for (Eigen::Index c = 0; c < outputs.cols(); ++c) {
    if (outputs.rows() == 1) {
      classes[c] = outputs(0, c) > T(0.5) ? 1 : 0;
    } else {
      Eigen::Index k = 0;
      outputs.col(c).maxCoeff(&k);
      classes[c] = static_cast<int>(k);
    }
  }
}

template <class T>
MatX<T> targets_from_labels(const std::vector<int>& labels, int output_dim) {
  MatX<T> t = MatX<T>::Zero(output_dim, static_cast<Eigen::Index>(labels.size()));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (output_dim == 1)
      t(0, i) = static_cast<T>(labels[i]);
    else if (labels[i] >= 0 && labels[i] < output_dim)
      t(labels[i], i) = T(1);
  }
  return t;
}

#define MLPVIZ_INSTANTIATE(T)                                                                     \
  template struct Workspace<T>;                                                                   \
  template void apply_activation<T>(Activation, const Layout&, const MatX<T>&, MatX<T>&);         \
  template void mul_activation_derivative<T>(Activation, const Layout&, const MatX<T>&,           \
                                             const MatX<T>&, MatX<T>&);                           \
  template void forward<T>(const Layout&, const T*, const Eigen::Ref<const MatX<T>>&,             \
                           Workspace<T>&);                                                        \
  template void forward_prepared<T>(const Layout&, const T*, Workspace<T>&);                      \
  template void backward<T>(const Layout&, const T*, const Eigen::Ref<const MatX<T>>&,            \
                            const Regularization&, T*, Workspace<T>&);                            \
  template double loss_and_grad<T>(const Layout&, const T*, const Eigen::Ref<const MatX<T>>&,     \
                                   const Eigen::Ref<const MatX<T>>&, const Regularization&, T*,   \
                                   Workspace<T>&);                                                \
  template double data_loss_from_forward<T>(const Layout&, const Eigen::Ref<const MatX<T>>&,      \
                                            const Workspace<T>&);                                 \
  template double regularization_term<T>(const Layout&, const T*, const Regularization&);         \
  template void predict_classes<T>(const MatX<T>&, std::vector<int>&);                           \
  template MatX<T> targets_from_labels<T>(const std::vector<int>&, int);

MLPVIZ_INSTANTIATE(float)
MLPVIZ_INSTANTIATE(double)
#undef MLPVIZ_INSTANTIATE

}  // namespace mlpviz::core
