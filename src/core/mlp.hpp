// mlp.hpp: the multilayer perceptron: layout of its parameters, forward pass, loss, backprop.
//
// Notation follows the lecture notes, batched by columns (one column per point):
//   A[0] = X                                   (n_0 x N)   inputs (features)
//   Z[l] = W[l] A[l-1] + b[l]                  (n_l x N)   l = 1..L
//   A[l] = g_l(Z[l])                           (n_l x N)   g_L is the output non-linearity
// All parameters live in one flat buffer: per layer W[l] (n_l x n_{l-1}, column-major) then b[l].
// One copy per snapshot, one GPU upload, one optimizer loop.
//
// Loss convention (documented in --help and the README):
//   L = (1/N) sum_n loss(z_n, t_n)  +  l2/2 * sum(W^2)  +  l1 * sum|W|     (biases not regularized)
//   BCE  loss = max(z,0) - z t + log(1 + exp(-|z|))          (from the logit, stable)
//   CE   loss = logsumexp(z) - sum_k t_k z_k                  (from the logits, stable)
//   MSE  loss = 1/2 sum_k (t_k - o_k)^2                       (o = sigmoid(z) or z)
// The engine is templated on the scalar: float for training speed, double for gradient checks.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "core/knock_out.hpp"
#include "core/spec.hpp"

namespace mlpviz::core {

template <class T>
using MatX = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using VecX = Eigen::Matrix<T, Eigen::Dynamic, 1>;

// Flat parameter buffers are allocated at Eigen's packet alignment. Vectorized loops over a
// buffer peel scalar iterations up to the first aligned address, and scalar and packet (FMA)
// arithmetic round differently, so an unaligned buffer would make results depend on where the
// heap placed it. Aligned buffers keep training bit-reproducible.
template <class T>
using ParamVector = std::vector<T, Eigen::aligned_allocator<T>>;
using Params = ParamVector<float>;

struct LayerLayout {
  int in = 0;        // n_{l-1}
  int out = 0;       // n_l
  int w_offset = 0;  // W[l] starts here in the flat buffer (column-major, out x in)
  int b_offset = 0;  // b[l] starts here (out)
  Activation act = Activation::Identity;  // g_l; the output layer's is derived from OutputKind
};

// Shape of a network: layer sizes, offsets into the flat parameter buffer, activations.
struct Layout {
  std::vector<int> sizes;            // [n_0, n_1, ..., n_L]
  std::vector<LayerLayout> layers;   // L entries: layers[l-1] describes W[l], b[l]
  int num_params = 0;
  OutputKind output = OutputKind::SigmoidBce;
  double leaky_alpha = 0.01;
  double elu_alpha = 1.0;
  // Hidden units held at 0 (core/knock_out.hpp); forward() and backward() honour it. Not part of
  // from_spec(): the engine sets it from Settings::knocked_out.
  UnitMask knocked_out;

  static Layout from_spec(const NetSpec& spec);
  // Any layer sizes (inputs need not be 2D features): for worked examples and external checks.
  static Layout from_sizes(const std::vector<int>& sizes, const std::vector<Activation>& hidden,
                           OutputKind output);
  int depth() const { return static_cast<int>(layers.size()); }  // L (hidden layers + 1)
  int num_hidden_units() const;
  int forward_macs() const;  // multiply-adds of one point's forward pass (weights and biases)
  // Unit `unit` (0-based) of hidden layer `layer` (1..L-1) is knocked out.
  bool knocked(int layer, int unit) const { return is_knocked_out(knocked_out, layer, unit); }
};

// Fills params (resized to layout.num_params) with the given seed: weights from spec.init times
// spec.init_gain; biases spec.bias_init, or U(-1/sqrt(fan_in), +1/sqrt(fan_in)) when
// spec.random_bias or init = PyTorch. Random biases come from a stream of their own, so turning
// them on leaves every weight as it was, and gain 1 without random biases gives the weights
// of the versions before these options.
void initialize(const NetSpec& spec, const Layout& layout, std::uint64_t seed,
                std::vector<double>& params);

struct Regularization {
  double l1 = 0.0;
  double l2 = 0.0;
};

// Scratch matrices for one batch size; reused across calls so the hot loop never allocates.
template <class T>
struct Workspace {
  std::vector<MatX<T>> Z;   // Z[l], l = 1..L stored at index l (index 0 unused)
  std::vector<MatX<T>> A;   // A[l], A[0] is a copy of the input batch
  std::vector<MatX<T>> D;   // dL/dZ[l]
  void ensure(const Layout& layout, int n);
};

// Elementwise g(z) and the product d * g'(z) for one activation (exposed for tests and metrics).
template <class T>
void apply_activation(Activation act, const Layout& layout, const MatX<T>& Z, MatX<T>& A);
template <class T>
void mul_activation_derivative(Activation act, const Layout& layout, const MatX<T>& Z,
                               const MatX<T>& A, MatX<T>& D);

// Forward pass over the columns of X (n_0 x N). Afterwards ws.A[L] holds the outputs
// (probabilities for sigmoid/softmax, raw values for linear) and ws.Z[L] the logits. Knocked-out
// units (layout.knocked_out) have A[l] row 0; their Z row is still computed.
template <class T>
void forward(const Layout& layout, const T* params, const Eigen::Ref<const MatX<T>>& X,
             Workspace<T>& ws);

// Forward pass on the batch already placed in ws.A[0] (after ws.ensure(layout, N)); saves a copy
// in the training loop, which gathers its mini-batch there directly.
template <class T>
void forward_prepared(const Layout& layout, const T* params, Workspace<T>& ws);

// Backpropagation after forward(): writes dL/dparams (mean loss + regularization) into grad.
// A knocked-out unit's delta D[l] row is 0: no gradient to its incoming weights and bias, none
// passed down through it (its outgoing weights get none either: their input A[l] row is 0).
template <class T>
void backward(const Layout& layout, const T* params, const Eigen::Ref<const MatX<T>>& targets,
              const Regularization& reg, T* grad, Workspace<T>& ws);

// Mean loss over the batch plus regularization. When grad is non-null it receives dL/dparams
// (same layout as params, overwritten). Targets: n_L x N (see targets_from_labels).
template <class T>
double loss_and_grad(const Layout& layout, const T* params, const Eigen::Ref<const MatX<T>>& X,
                     const Eigen::Ref<const MatX<T>>& targets, const Regularization& reg, T* grad,
                     Workspace<T>& ws);

// Data loss only (no regularization) of outputs already computed by forward().
template <class T>
double data_loss_from_forward(const Layout& layout, const Eigen::Ref<const MatX<T>>& targets,
                              const Workspace<T>& ws);

// The regularization term for the given parameters.
template <class T>
double regularization_term(const Layout& layout, const T* params, const Regularization& reg);

// Class predicted for each column of outputs: threshold 0.5 for one output unit, else argmax.
template <class T>
void predict_classes(const MatX<T>& outputs, std::vector<int>& classes);

// Target matrix for class labels: one output unit -> t = label (0/1); K units -> one-hot.
template <class T>
MatX<T> targets_from_labels(const std::vector<int>& labels, int output_dim);

}  // namespace mlpviz::core
