#include "core/spec.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mlpviz::core {
namespace {

constexpr std::array<std::string_view, kNumActivations> kActivationNames = {
    "identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish", "abs"};
constexpr std::array<std::string_view, kNumOutputKinds> kOutputNames = {
    "sigmoid_bce", "softmax_ce", "sigmoid_mse", "linear_mse"};
constexpr std::array<std::string_view, kNumInitKinds> kInitNames = {
    "normal", "uniform", "small", "xavier", "he", "zeros", "pytorch"};
constexpr std::array<std::string_view, kNumOptimizerKinds> kOptimizerNames = {
    "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"};
constexpr std::array<std::string_view, kNumScheduleKinds> kScheduleNames = {
    "constant", "step", "exponential", "inverse_time"};
constexpr std::array<std::string_view, kNumDataKinds> kDataNames = {
    "xor", "moons", "circles", "spiral", "blobs", "checkerboard", "custom"};
constexpr std::array<std::string_view, kNumFeatures> kFeatureNames = {
    "x1", "x2", "x1^2", "x2^2", "x1*x2", "sin_x1", "sin_x2"};

template <class E, std::size_t N>
std::optional<E> parse_in(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

template <std::size_t N>
std::string join(const std::array<std::string_view, N>& names) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    if (i) out += ", ";
    out += names[i];
  }
  return out;
}

std::string fmt(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// "field = value is out of range: allowed lo to hi"
std::string range_msg(std::string_view field, double v, double lo, double hi) {
  return std::string(field) + " = " + fmt(v) + " is out of range: allowed " + fmt(lo) + " to " +
         fmt(hi);
}

bool in_range(double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; }

}  // namespace

std::string_view name(Activation a) { return kActivationNames.at(static_cast<int>(a)); }
std::string_view name(OutputKind o) { return kOutputNames.at(static_cast<int>(o)); }
std::string_view name(InitKind i) { return kInitNames.at(static_cast<int>(i)); }
std::string_view name(OptimizerKind o) { return kOptimizerNames.at(static_cast<int>(o)); }
std::string_view name(ScheduleKind s) { return kScheduleNames.at(static_cast<int>(s)); }
std::string_view name(DataKind d) { return kDataNames.at(static_cast<int>(d)); }
std::string_view feature_name(int bit) { return kFeatureNames.at(bit); }

std::optional<Activation> parse_activation(std::string_view s) {
  return parse_in<Activation>(kActivationNames, s);
}
std::optional<OutputKind> parse_output(std::string_view s) {
  return parse_in<OutputKind>(kOutputNames, s);
}
std::optional<InitKind> parse_init(std::string_view s) { return parse_in<InitKind>(kInitNames, s); }
std::optional<OptimizerKind> parse_optimizer(std::string_view s) {
  return parse_in<OptimizerKind>(kOptimizerNames, s);
}
std::optional<ScheduleKind> parse_schedule(std::string_view s) {
  return parse_in<ScheduleKind>(kScheduleNames, s);
}
std::optional<DataKind> parse_data_kind(std::string_view s) {
  return parse_in<DataKind>(kDataNames, s);
}
std::optional<int> parse_feature(std::string_view s) {
  for (int i = 0; i < kNumFeatures; ++i)
    if (kFeatureNames[i] == s) return i;
  return std::nullopt;
}
std::string all_names_activation() { return join(kActivationNames); }

std::string widths_text(const std::vector<int>& widths) {
  std::string s;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(widths[i]);
  }
  return s;
}

std::string activations_text(const std::vector<Activation>& acts) {
  if (acts.empty()) return "";
  if (std::all_of(acts.begin(), acts.end(), [&](Activation x) { return x == acts.front(); }))
    return std::string(name(acts.front()));
  std::string s;
  for (std::size_t i = 0; i < acts.size(); ++i) {
    if (i) s += ',';
    s += name(acts[i]);
  }
  return s;
}
std::string all_names_output() { return join(kOutputNames); }
std::string all_names_init() { return join(kInitNames); }
std::string all_names_optimizer() { return join(kOptimizerNames); }
std::string all_names_schedule() { return join(kScheduleNames); }
std::string all_names_data_kind() { return join(kDataNames); }
std::string all_names_feature() { return join(kFeatureNames); }

int output_dim_for(OutputKind o, int classes) {
  if (o == OutputKind::SoftmaxCe) return classes;
  return classes == 2 ? 1 : classes;
}

int NetSpec::input_dim() const {
  int n = 0;
  for (int b = 0; b < kNumFeatures; ++b) n += (features >> b) & 1u;
  return n;
}
int NetSpec::output_dim() const {
  const bool mse = output == OutputKind::SigmoidMse || output == OutputKind::LinearMse;
  return mse && outputs > 0 ? outputs : output_dim_for(output, classes);
}
std::vector<int> NetSpec::layer_sizes() const {
  std::vector<int> s;
  s.push_back(input_dim());
  for (int w : widths) s.push_back(w);
  s.push_back(output_dim());
  return s;
}

std::optional<std::string> validate(const NetSpec& s) {
  if (s.features == 0 || (s.features >> kNumFeatures) != 0)
    return "network.features: choose at least one of " + all_names_feature();
  if (s.widths.size() > static_cast<std::size_t>(kMaxHiddenLayers))
    return range_msg("network.depth", static_cast<double>(s.widths.size()), 0, kMaxHiddenLayers);
  if (s.activations.size() != s.widths.size())
    return "network.activations: " + std::to_string(s.activations.size()) +
           " given for " + std::to_string(s.widths.size()) + " hidden layers: one per layer";
  for (std::size_t l = 0; l < s.widths.size(); ++l)
    if (s.widths[l] < 1 || s.widths[l] > kMaxWidth)
      return range_msg("network.widths[" + std::to_string(l) + "]", s.widths[l], 1, kMaxWidth);
  for (std::size_t l = 0; l < s.activations.size(); ++l)
    if (static_cast<int>(s.activations[l]) >= kNumActivations)
      return "network.activations[" + std::to_string(l) + "]: unknown activation";
  if (s.classes < kMinClasses || s.classes > kMaxClasses)
    return range_msg("network.classes", s.classes, kMinClasses, kMaxClasses);
  if (s.output == OutputKind::SigmoidBce && s.classes != 2)
    return "network.output = sigmoid_bce needs 2 classes (got " + std::to_string(s.classes) +
           "): use softmax_ce for more";
  if (s.outputs < 0 || s.outputs > kMaxClasses) return range_msg("network.outputs", s.outputs, 0, kMaxClasses);
  if (s.outputs > 0 && s.classes > 2 && s.outputs < s.classes)
    return "network.outputs = " + std::to_string(s.outputs) + " is fewer than the " +
           std::to_string(s.classes) + " classes: allowed " + std::to_string(s.classes) + " to " +
           std::to_string(kMaxClasses) + " (one unit per class), or 0 (from the classes)";
  if (!in_range(s.leaky_alpha, 0.0, 1.0)) return range_msg("network.leaky_alpha", s.leaky_alpha, 0, 1);
  if (!in_range(s.elu_alpha, 0.0, 10.0)) return range_msg("network.elu_alpha", s.elu_alpha, 0, 10);
  if (!in_range(s.bias_init, -1.0, 1.0)) return range_msg("network.bias_init", s.bias_init, -1, 1);
  if (static_cast<int>(s.init) >= kNumInitKinds) return "network.init: unknown initialization";
  if (!in_range(s.init_gain, kMinInitGain, kMaxInitGain))
    return range_msg("network.init_gain", s.init_gain, kMinInitGain, kMaxInitGain);
  return std::nullopt;
}

std::optional<std::string> validate(const OptimizerSpec& s) {
  if (!in_range(s.learning_rate, 1e-6, 10.0))
    return range_msg("optimizer.learning_rate", s.learning_rate, 1e-6, 10);
  if (!in_range(s.momentum, 0.0, 0.999)) return range_msg("optimizer.momentum", s.momentum, 0, 0.999);
  if (!in_range(s.beta1, 0.0, 0.9999)) return range_msg("optimizer.beta1", s.beta1, 0, 0.9999);
  if (!in_range(s.beta2, 0.0, 0.99999)) return range_msg("optimizer.beta2", s.beta2, 0, 0.99999);
  if (!in_range(s.rho, 0.0, 0.9999)) return range_msg("optimizer.rho", s.rho, 0, 0.9999);
  if (!in_range(s.epsilon, 1e-12, 1.0)) return range_msg("optimizer.epsilon", s.epsilon, 1e-12, 1);
  if (!in_range(s.weight_decay, 0.0, 1.0))
    return range_msg("optimizer.weight_decay", s.weight_decay, 0, 1);
  if (s.schedule_step < 1 || s.schedule_step > 100000000)
    return range_msg("optimizer.schedule_step", s.schedule_step, 1, 1e8);
  if (!in_range(s.schedule_gamma, 0.0, 1.0))
    return range_msg("optimizer.schedule_gamma", s.schedule_gamma, 0, 1);
  if (!in_range(s.l1, 0.0, 1.0)) return range_msg("optimizer.l1", s.l1, 0, 1);
  if (!in_range(s.l2, 0.0, 1.0)) return range_msg("optimizer.l2", s.l2, 0, 1);
  if (s.batch_size < 1 || s.batch_size > kMaxPoints)
    return range_msg("optimizer.batch_size", s.batch_size, 1, kMaxPoints);
  return std::nullopt;
}

double scheduled_learning_rate(const OptimizerSpec& s, std::int64_t t) {
  const double lr = s.learning_rate;
  switch (s.schedule) {
    case ScheduleKind::Constant: return lr;
    case ScheduleKind::Step: return lr * std::pow(s.schedule_gamma, static_cast<double>(t / s.schedule_step));
    case ScheduleKind::Exponential:
      return lr * std::pow(s.schedule_gamma, static_cast<double>(t) / s.schedule_step);
    case ScheduleKind::InverseTime: return lr / (1.0 + s.schedule_gamma * static_cast<double>(t));
  }
  return lr;
}

bool data_kind_has_classes(DataKind k) {
  return k == DataKind::Spiral || k == DataKind::Blobs || k == DataKind::Custom;
}

std::optional<std::string> validate(const DataSpec& s) {
  if (static_cast<int>(s.kind) >= kNumDataKinds) return "data.kind: unknown kind";
  if (s.classes < kMinClasses || s.classes > kMaxClasses)
    return range_msg("data.classes", s.classes, kMinClasses, kMaxClasses);
  if (!data_kind_has_classes(s.kind) && s.classes != 2)
    return "data.classes = " + std::to_string(s.classes) + " but " + std::string(name(s.kind)) +
           " has 2 classes: only spiral, blobs and custom data take 2 to 6";
  const int min_points = s.kind == DataKind::Custom ? 0 : 4;
  if (s.points < min_points || s.points > kMaxPoints)
    return range_msg("data.points", s.points, min_points, kMaxPoints);
  if (!in_range(s.noise, 0.0, 2.0)) return range_msg("data.noise", s.noise, 0, 2);
  if (!in_range(s.train_fraction, 0.05, 1.0))
    return range_msg("data.train_fraction", s.train_fraction, 0.05, 1);
  return std::nullopt;
}

}  // namespace mlpviz::core
