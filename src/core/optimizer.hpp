// optimizer.hpp: parameter updates on the flat buffer (SGD and its adaptive variants).
//
// State (velocity, squared-gradient averages) has the layout of the parameters. Regularization
// gradients are already inside `grad` (see loss_and_grad); AdamW's decoupled decay is applied
// here, to weights only.
#pragma once

#include <cstdint>
#include <vector>

#include "core/mlp.hpp"
#include "core/spec.hpp"

namespace mlpviz::core {

template <class T>
class Optimizer {
 public:
  // Clears all state; call after the network is rebuilt or re-initialized.
  void reset(const Layout& layout);
  // One update with the gradient of step t (0-based: the first step is t = 0).
  void step(const OptimizerSpec& spec, T* params, const T* grad, std::int64_t t);
  // Drops accumulated state but keeps the shape (used when the optimizer kind changes).
  void clear_state();
  const ParamVector<T>& first_moment() const { return m_; }

 private:
  ParamVector<T> m_;          // velocity (momentum/Nesterov) or first moment (Adam)
  ParamVector<T> v_;          // squared-gradient accumulator (AdaGrad/RMSprop/Adam)
  ParamVector<T> is_weight_;  // 1 for W entries, 0 for biases
  // Adam's beta1^(t+1), beta2^(t+1) at step pow_t_ (-2: not computed yet).
  std::int64_t pow_t_ = -2;
  double pow_b1_ = 1.0, pow_b2_ = 1.0, pow_b1_base_ = 0.0, pow_b2_base_ = 0.0;
};

}  // namespace mlpviz::core
