#include "core/optimizer.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "core/dispatch.hpp"

namespace mlpviz::core {

template <class T>
void Optimizer<T>::reset(const Layout& layout) {
  m_.assign(layout.num_params, T(0));
  v_.assign(layout.num_params, T(0));
  is_weight_.assign(layout.num_params, T(0));
  for (const LayerLayout& ll : layout.layers)
    std::fill_n(is_weight_.begin() + ll.w_offset, ll.in * ll.out, T(1));
  pow_t_ = -2;
}

template <class T>
void Optimizer<T>::clear_state() {
  std::fill(m_.begin(), m_.end(), T(0));
  std::fill(v_.begin(), v_.end(), T(0));
  pow_t_ = -2;
}

template <class T>
void Optimizer<T>::step(const OptimizerSpec& spec, T* params, const T* grad, std::int64_t t) {
  MLPVIZ_DISPATCH(T, optimizer_step(*this, spec, params, grad, t));
  const Eigen::Index n = static_cast<Eigen::Index>(m_.size());
  Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>> p(params, n), m(m_.data(), n), v(v_.data(), n);
  Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>> g(grad, n), w(is_weight_.data(), n);
  const T lr = static_cast<T>(scheduled_learning_rate(spec, t));
  const T mu = static_cast<T>(spec.momentum);
  const T eps = static_cast<T>(spec.epsilon);
  switch (spec.kind) {
    case OptimizerKind::Sgd: p -= lr * g; break;
    case OptimizerKind::Momentum:
      m = mu * m - lr * g;  // v <- mu v - lr g ; p <- p + v
      p += m;
      break;
    case OptimizerKind::Nesterov:
      // v_new = mu v - lr g ; p <- p - mu v + (1 + mu) v_new   (look-ahead form)
      p -= mu * m;
      m = mu * m - lr * g;
      p += (T(1) + mu) * m;
      break;
    case OptimizerKind::AdaGrad:
      v += g.square();
      p -= lr * g / (v.sqrt() + eps);
      break;
    case OptimizerKind::RmsProp: {
      const T rho = static_cast<T>(spec.rho);
      v = rho * v + (T(1) - rho) * g.square();
      p -= lr * g / (v.sqrt() + eps);
      break;
    }
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW: {
      const T b1 = static_cast<T>(spec.beta1), b2 = static_cast<T>(spec.beta2);
      // beta^(t+1) for the bias corrections, by one multiplication per step when steps are
      // consecutive (std::pow twice a step cost about 5% of a small network's step).
      if (t == pow_t_ + 1 && spec.beta1 == pow_b1_base_ && spec.beta2 == pow_b2_base_) {
        pow_b1_ *= spec.beta1;
        pow_b2_ *= spec.beta2;
      } else {
        pow_b1_ = std::pow(spec.beta1, static_cast<double>(t + 1));
        pow_b2_ = std::pow(spec.beta2, static_cast<double>(t + 1));
        pow_b1_base_ = spec.beta1;
        pow_b2_base_ = spec.beta2;
      }
      pow_t_ = t;
      const T c1 = static_cast<T>(1.0 / (1.0 - pow_b1_));
      const T c2 = static_cast<T>(1.0 / (1.0 - pow_b2_));
      m = b1 * m + (T(1) - b1) * g;
      v = b2 * v + (T(1) - b2) * g.square();
      if (spec.kind == OptimizerKind::AdamW)
        p -= lr * static_cast<T>(spec.weight_decay) * w * p;  // decoupled decay, weights only
      p -= lr * (m * c1) / ((v * c2).sqrt() + eps);
      break;
    }
  }
}

template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace mlpviz::core
