// spec.hpp: the vocabulary of mlpviz: what a network, its training and its data are made of.
//
// Plain value types with names for every enum (used by the session file, the CLI and the UI) and
// one validate() per spec that names the field, its value and the allowed range. Nothing here
// computes; see mlp.hpp, optimizer.hpp and data.hpp for that.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlpviz::core {

// ---- limits (shared with the GPU shader, which is sized from these) ----
inline constexpr int kMaxHiddenLayers = 8;
inline constexpr int kMaxWidth = 64;
inline constexpr int kMinClasses = 2;
inline constexpr int kMaxClasses = 6;
inline constexpr int kMaxPoints = 100000;
inline constexpr int kNumFeatures = 7;

enum class Activation : std::uint8_t {
  Identity, Sigmoid, Tanh, Relu, LeakyRelu, Elu, Softplus, Swish, Abs
};
inline constexpr int kNumActivations = 9;

// Output layer and its loss. BCE/CE are computed from logits (log-sum-exp).
enum class OutputKind : std::uint8_t {
  SigmoidBce,  // 1 sigmoid unit, binary cross-entropy (2 classes only)
  SoftmaxCe,   // K softmax units, cross-entropy
  SigmoidMse,  // sigmoid units, E = 1/2 sum_k (t_k - o_k)^2 (the seeds' worked example)
  LinearMse,   // identity units, same MSE
};
inline constexpr int kNumOutputKinds = 4;

enum class InitKind : std::uint8_t {
  Normal,   // N(0, 1/fan_in): the seeds' default
  Uniform,  // U(-1/sqrt(fan_in), +1/sqrt(fan_in))
  Small,    // N(0, 1) * 0.01
  Xavier,   // U(-sqrt(6/(fan_in+fan_out)), +...)
  He,       // N(0, 2/fan_in)
  Zeros,    // all weights 0: shows the symmetry problem
  PyTorch,  // PyTorch's nn.Linear default: weights and biases U(-1/sqrt(fan_in), +1/sqrt(fan_in))
};
inline constexpr int kNumInitKinds = 7;
inline constexpr double kMinInitGain = 0.1;  // NetSpec::init_gain, for the saturation demo
inline constexpr double kMaxInitGain = 10.0;

enum class OptimizerKind : std::uint8_t { Sgd, Momentum, Nesterov, AdaGrad, RmsProp, Adam, AdamW };
inline constexpr int kNumOptimizerKinds = 7;

enum class ScheduleKind : std::uint8_t { Constant, Step, Exponential, InverseTime };
inline constexpr int kNumScheduleKinds = 4;

enum class DataKind : std::uint8_t { Xor, Moons, Circles, Spiral, Blobs, Checkerboard, Custom };
inline constexpr int kNumDataKinds = 7;

// Input features, as bits of NetSpec::features, in the order of the network's inputs.
enum Feature : std::uint32_t {
  kX1 = 1u << 0, kX2 = 1u << 1, kX1Sq = 1u << 2, kX2Sq = 1u << 3,
  kX1X2 = 1u << 4, kSinX1 = 1u << 5, kSinX2 = 1u << 6,
};

// ---- names: stable identifiers used in files and on the command line ----
std::string_view name(Activation a);
std::string_view name(OutputKind o);
std::string_view name(InitKind i);
std::string_view name(OptimizerKind o);
std::string_view name(ScheduleKind s);
std::string_view name(DataKind d);
std::string_view feature_name(int bit_index);  // "x1", "x2", "x1^2", ...
// Human-readable label for the UI ("x1\xc2\xb2" etc. are left to the UI).
std::optional<Activation> parse_activation(std::string_view s);
std::optional<OutputKind> parse_output(std::string_view s);
std::optional<InitKind> parse_init(std::string_view s);
std::optional<OptimizerKind> parse_optimizer(std::string_view s);
std::optional<ScheduleKind> parse_schedule(std::string_view s);
std::optional<DataKind> parse_data_kind(std::string_view s);
std::optional<int> parse_feature(std::string_view s);  // bit index
std::string all_names_activation();  // "identity, sigmoid, ..." for messages
// Hidden widths as "8,8"; activations as one name when every layer has it ("tanh"), else one per
// layer ("tanh,relu"); "" for none. (The run log's columns, the compared runs' differences.)
std::string widths_text(const std::vector<int>& widths);
std::string activations_text(const std::vector<Activation>& acts);
std::string all_names_output();
std::string all_names_init();
std::string all_names_optimizer();
std::string all_names_schedule();
std::string all_names_data_kind();
std::string all_names_feature();

// ---- network ----
struct NetSpec {
  std::uint32_t features = kX1 | kX2;
  std::vector<int> widths = {8, 8};                                    // hidden layers
  std::vector<Activation> activations = {Activation::Tanh, Activation::Tanh};  // one per hidden layer
  OutputKind output = OutputKind::SigmoidBce;
  int classes = 2;
  double leaky_alpha = 0.01;  // leaky ReLU slope for z < 0
  double elu_alpha = 1.0;     // ELU saturation value for z -> -inf
  InitKind init = InitKind::Normal;
  double bias_init = 0.0;     // 0 or 0.1 (every bias, unless random_bias or init = PyTorch)
  double init_gain = 1.0;     // multiplies every initial weight (not the biases): 0.1 to 10
  bool random_bias = false;   // biases U(-1/sqrt(fan_in), +1/sqrt(fan_in)) instead of bias_init
  // Output units of an MSE output (sigmoid_mse, linear_mse), for target vectors that are not
  // one-hot labels (data.targets; the worked example's 2 outputs with 2 classes). 0: from the
  // classes (1 for 2 classes, else one per class). Ignored by the other outputs.
  int outputs = 0;

  int input_dim() const;
  int output_dim() const;              // 1 for binary sigmoid/MSE, K otherwise; or `outputs`
  std::vector<int> layer_sizes() const;  // [inputs, hidden..., outputs]
  int depth() const { return static_cast<int>(widths.size()); }
  bool operator==(const NetSpec&) const = default;
};
// Returns nullopt when valid, else one line naming the field, its value and the allowed range.
std::optional<std::string> validate(const NetSpec& s);
int output_dim_for(OutputKind o, int classes);

// ---- optimizer ----
struct OptimizerSpec {
  OptimizerKind kind = OptimizerKind::Adam;
  double learning_rate = 0.01;
  double momentum = 0.9;        // Momentum, Nesterov
  double beta1 = 0.9;           // Adam, AdamW
  double beta2 = 0.999;         // Adam, AdamW
  double rho = 0.9;             // RMSprop decay
  double epsilon = 1e-8;        // AdaGrad, RMSprop, Adam, AdamW
  double weight_decay = 0.01;   // AdamW decoupled decay
  ScheduleKind schedule = ScheduleKind::Constant;
  int schedule_step = 1000;     // Step: every N steps; Exponential: time constant in steps
  double schedule_gamma = 0.5;  // Step/Exponential factor; InverseTime: decay per step
  double l1 = 0.0;              // L1 strength on weights (not biases)
  double l2 = 0.0;              // L2 strength on weights (not biases)
  int batch_size = 10;
  bool operator==(const OptimizerSpec&) const = default;
};
std::optional<std::string> validate(const OptimizerSpec& s);
// Learning rate in effect at optimizer step t (0-based).
double scheduled_learning_rate(const OptimizerSpec& s, std::int64_t t);

// ---- data ----
struct DataSpec {
  DataKind kind = DataKind::Moons;
  int classes = 2;          // spiral and blobs: 2..6; the others are binary
  int points = 400;         // generated points, train and test together
  double noise = 0.1;       // standard deviation of the Gaussian jitter, in input units
  double train_fraction = 0.7;
  std::uint64_t seed = 1;
  bool operator==(const DataSpec&) const = default;
};
std::optional<std::string> validate(const DataSpec& s);
bool data_kind_has_classes(DataKind k);  // spiral, blobs (and custom)

}  // namespace mlpviz::core
