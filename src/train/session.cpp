#include "train/session.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/file_io.hpp"
#include "core/mlp.hpp"
#include "train/engine.hpp"

namespace mlpviz::train {

using nlohmann::json;

namespace {

struct Invalid {
  std::string message;
};

std::string type_name(const json& j) {
  if (j.is_number_integer()) return "integer";
  if (j.is_number()) return "number";
  return j.type_name();
}

// Text from the file, fit for a one-line message: control bytes escaped, at most 40 characters.
std::string printable(std::string_view in) { return core::printable(in, 40); }

// A short description of a JSON value. Containers are described, not dumped: dumping recurses
// once per nesting level and a deeply nested file would overflow the stack.
std::string brief(const json& j) {
  if (j.is_array()) return "an array of " + std::to_string(j.size());
  if (j.is_object()) return "an object";
  if (j.is_string()) return "\"" + printable(j.get_ref<const std::string&>()) + "\"";
  return printable(j.dump());
}

// "got ..." for type errors: the type, and the value when it is a scalar.
std::string got(const json& j) {
  if (j.is_array() || j.is_object()) return brief(j);
  return type_name(j) + " " + brief(j);
}

// A JSON object being read, with the dotted path for messages and a check for unknown keys.
class Obj {
 public:
  Obj(const json& j, std::string path) : j_(j), path_(std::move(path)) {
    if (!j_.is_object()) throw Invalid{where() + ": expected an object, got " + type_name(j_)};
  }
  ~Obj() = default;
  std::string where() const { return path_.empty() ? "the file" : path_; }
  std::string field(const std::string& k) const { return path_.empty() ? k : path_ + "." + k; }
  bool has(const std::string& k) const { return j_.contains(k); }
  const json& at(const std::string& k) {
    seen_.insert(k);
    if (!j_.contains(k)) throw Invalid{field(k) + ": missing"};
    return j_.at(k);
  }
  double number(const std::string& k, double lo, double hi) {
    const json& v = at(k);
    if (!v.is_number()) throw Invalid{field(k) + ": expected a number, got " + got(v)};
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < lo || d > hi) throw Invalid{range(k, brief(v), lo, hi)};
    return d;
  }
  double number_or(const std::string& k, double lo, double hi, double dflt) {
    return has(k) ? number(k, lo, hi) : (seen_.insert(k), dflt);
  }
  std::int64_t integer(const std::string& k, double lo, double hi) {
    const json& v = at(k);
    if (!v.is_number_integer() && !(v.is_number_float() && v.get<double>() == std::floor(v.get<double>())))
      throw Invalid{field(k) + ": expected an integer, got " + got(v)};
    const double d = v.get<double>();
    if (d < lo || d > hi) throw Invalid{range(k, brief(v), lo, hi)};
    return v.is_number_unsigned() ? static_cast<std::int64_t>(v.get<std::uint64_t>()) : v.get<std::int64_t>();
  }
  std::uint64_t seed(const std::string& k) {
    const json& v = at(k);
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
      throw Invalid{field(k) + ": expected a non-negative integer, got " + got(v)};
    return v.get<std::uint64_t>();
  }
  std::string string(const std::string& k) {
    const json& v = at(k);
    if (!v.is_string()) throw Invalid{field(k) + ": expected a string, got " + got(v)};
    return v.get<std::string>();
  }
  bool boolean(const std::string& k) {
    const json& v = at(k);
    if (!v.is_boolean()) throw Invalid{field(k) + ": expected true or false, got " + brief(v)};
    return v.get<bool>();
  }
  template <class E>
  E enumeration(const std::string& k, std::optional<E> (*parse)(std::string_view), const std::string& allowed) {
    const std::string s = string(k);
    auto e = parse(s);
    if (!e) throw Invalid{field(k) + " = \"" + printable(s) + "\" is not known: allowed " + allowed};
    return *e;
  }
  void check_no_unknown() const {
    for (auto it = j_.begin(); it != j_.end(); ++it)
      if (!seen_.count(it.key()))
        throw Invalid{field(printable(it.key())) + ": unknown field (this build reads format version " +
                      std::to_string(kSessionFormatVersion) + ")"};
  }

 private:
  std::string range(const std::string& k, const std::string& v, double lo, double hi) const {
    std::ostringstream os;
    os << field(k) << " = " << v << " is out of range: allowed " << lo << " to " << hi;
    return os.str();
  }
  const json& j_;
  std::string path_;
  std::set<std::string> seen_;
};

const json& array_at(Obj& o, const std::string& k) {
  const json& v = o.at(k);
  if (!v.is_array()) throw Invalid{o.field(k) + ": expected an array, got " + type_name(v)};
  return v;
}

double element_number(const json& v, const std::string& where) {
  if (!v.is_number()) throw Invalid{where + ": expected a number, got " + got(v)};
  const double d = v.get<double>();
  if (!std::isfinite(d) || std::abs(d) > 1e6)
    throw Invalid{where + " = " + brief(v) + " is out of range: allowed -1e6 to 1e6"};
  return d;
}

// network.knocked_out (optional; absent: none): [[layer, unit], ...], hidden layer 1 to depth and
// unit 1 to its width, as the network graph numbers them (core/knock_out.hpp).
core::UnitMask read_knock_out(const json& arr, const core::NetSpec& net) {
  core::UnitMask m;
  const int depth = static_cast<int>(net.widths.size());
  if (arr.size() > static_cast<std::size_t>(core::kMaxHiddenLayers * core::kMaxWidth))
    throw Invalid{"network.knocked_out: " + std::to_string(arr.size()) + " units is more than the network can have"};
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string w = "network.knocked_out[" + std::to_string(i) + "]";
    const json& p = arr[i];
    if (!p.is_array() || p.size() != 2 || !p[0].is_number_integer() || !p[1].is_number_integer())
      throw Invalid{w + ": expected [layer, unit] (two integers), got " + brief(p)};
    const std::int64_t layer = p[0].get<std::int64_t>(), unit = p[1].get<std::int64_t>();
    if (depth == 0) throw Invalid{w + ": the network has no hidden layer to knock a unit out of"};
    if (layer < 1 || layer > depth)
      throw Invalid{w + "[0] = " + brief(p[0]) + " is out of range: allowed hidden layers 1 to " + std::to_string(depth)};
    const int width = net.widths[static_cast<std::size_t>(layer - 1)];
    if (unit < 1 || unit > width)
      throw Invalid{w + "[1] = " + brief(p[1]) + " is out of range: allowed units 1 to " + std::to_string(width) +
                    " (layer " + std::to_string(layer) + ")"};
    core::set_knocked_out(m, static_cast<int>(layer), static_cast<int>(unit - 1), true);
  }
  return m;
}

// The data section: the data settings, and the points when the file holds them.
void read_data(Obj& root, Settings& s, std::optional<core::Dataset>& data) {
  {
    Obj d(root.at("data"), "data");
    s.data.kind = d.enumeration<core::DataKind>("kind", core::parse_data_kind, core::all_names_data_kind());
    s.data.classes = static_cast<int>(d.integer("classes", core::kMinClasses, core::kMaxClasses));
    s.data.points = static_cast<int>(d.integer("points", 0, core::kMaxPoints));
    s.data.noise = d.number("noise", 0, 2);
    s.data.train_fraction = d.number("train_fraction", 0.05, 1);
    s.data.seed = d.seed("seed");
    if (d.has("samples")) {
      const json& arr = array_at(d, "samples");
      if (arr.size() > static_cast<std::size_t>(core::kMaxPoints))
        throw Invalid{"data.samples: " + std::to_string(arr.size()) + " points is more than the allowed " +
                      std::to_string(core::kMaxPoints)};
      core::Dataset ds;
      ds.classes = core::data_kind_has_classes(s.data.kind) ? s.data.classes : 2;
      for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string w = "data.samples[" + std::to_string(i) + "]";
        const json& p = arr[i];
        if (!p.is_array() || p.size() != 4)
          throw Invalid{w + ": expected [x1, x2, label, is_test], got " + brief(p)};
        core::Point pt;
        pt.x1 = element_number(p[0], w + "[0]");
        pt.x2 = element_number(p[1], w + "[1]");
        if (!p[2].is_number_integer() || p[2].get<std::int64_t>() < 0 || p[2].get<std::int64_t>() >= ds.classes)
          throw Invalid{w + "[2] = " + brief(p[2]) + " is out of range: a label from 0 to " +
                        std::to_string(ds.classes - 1)};
        pt.label = p[2].get<int>();
        if (!p[3].is_boolean()) throw Invalid{w + "[3]: expected true (test) or false (train), got " + brief(p[3])};
        pt.test = p[3].get<bool>();
        ds.points.push_back(pt);
      }
      data = std::move(ds);
    }
    if (d.has("targets")) {
      // Target vectors for MSE outputs (docs/targets.md): one row per sample, checked against
      // the network below, once it is read.
      const json& arr = array_at(d, "targets");
      if (!data) throw Invalid{"data.targets: given without data.samples (one target row per sample)"};
      if (arr.size() != data->points.size())
        throw Invalid{"data.targets: " + std::to_string(arr.size()) + " rows for " +
                      std::to_string(data->points.size()) + " samples: one row per sample"};
      for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string w = "data.targets[" + std::to_string(i) + "]";
        const json& row = arr[i];
        if (!row.is_array() || row.empty() || row.size() > static_cast<std::size_t>(core::kMaxClasses))
          throw Invalid{w + ": expected an array of 1 to " + std::to_string(core::kMaxClasses) +
                        " numbers (one per output unit), got " + brief(row)};
        if (i == 0) data->target_dim = static_cast<int>(row.size());
        if (row.size() != static_cast<std::size_t>(data->target_dim))
          throw Invalid{w + ": " + std::to_string(row.size()) + " numbers, but data.targets[0] has " +
                        std::to_string(data->target_dim) + ": every row has one per output unit"};
        for (std::size_t k = 0; k < row.size(); ++k)
          data->targets.push_back(element_number(row[k], w + "[" + std::to_string(k) + "]"));
      }
      if (arr.empty()) throw Invalid{"data.targets: empty (leave it out to train on the labels)"};
    }
    d.check_no_unknown();
    if (auto e = core::validate(s.data)) throw Invalid{*e};
  }
}

// A run's own settings: network, optimizer and training, checked against the data it trains on
// (s.data and the points, when the file holds them). The main run's are at the top level of the
// file, a compared run's in its entry of "compared"; messages name the fields from there.
void read_run_settings(Obj& root, Settings& s, const std::optional<core::Dataset>& data) {
  {
    Obj n(root.at("network"), "network");
    const json& feats = array_at(n, "features");
    s.net.features = 0;
    for (std::size_t i = 0; i < feats.size(); ++i) {
      const std::string w = "network.features[" + std::to_string(i) + "]";
      if (!feats[i].is_string()) throw Invalid{w + ": expected a string, got " + got(feats[i])};
      auto f = core::parse_feature(feats[i].get<std::string>());
      if (!f) throw Invalid{w + " = " + brief(feats[i]) + " is not known: allowed " + core::all_names_feature()};
      s.net.features |= 1u << *f;
    }
    const json& layers = array_at(n, "layers");
    if (layers.size() > static_cast<std::size_t>(core::kMaxHiddenLayers))
      throw Invalid{"network.layers: " + std::to_string(layers.size()) +
                    " hidden layers is out of range: allowed 0 to " + std::to_string(core::kMaxHiddenLayers)};
    s.net.widths.clear();
    s.net.activations.clear();
    for (std::size_t i = 0; i < layers.size(); ++i) {
      Obj l(layers[i], "network.layers[" + std::to_string(i) + "]");
      s.net.widths.push_back(static_cast<int>(l.integer("width", 1, core::kMaxWidth)));
      s.net.activations.push_back(
          l.enumeration<core::Activation>("activation", core::parse_activation, core::all_names_activation()));
      l.check_no_unknown();
    }
    s.net.output = n.enumeration<core::OutputKind>("output", core::parse_output, core::all_names_output());
    s.net.classes = static_cast<int>(n.integer("classes", core::kMinClasses, core::kMaxClasses));
    s.net.init = n.enumeration<core::InitKind>("init", core::parse_init, core::all_names_init());
    s.net.bias_init = n.number("bias_init", -1, 1);
    // Added after format version 1 shipped: absent means the behaviour of before (gain 1, constant biases).
    s.net.init_gain = n.number_or("init_gain", core::kMinInitGain, core::kMaxInitGain, 1.0);
    s.net.random_bias = n.has("random_bias") && n.boolean("random_bias");
    s.net.leaky_alpha = n.number("leaky_alpha", 0, 1);
    s.net.elu_alpha = n.number("elu_alpha", 0, 10);
    if (n.has("knocked_out")) s.knocked_out = read_knock_out(array_at(n, "knocked_out"), s.net);
    // Added with data.targets: absent means from the classes, as before.
    if (n.has("outputs")) {
      s.net.outputs = static_cast<int>(n.integer("outputs", 1, core::kMaxClasses));
      if (s.net.output != core::OutputKind::SigmoidMse && s.net.output != core::OutputKind::LinearMse)
        throw Invalid{"network.outputs: given with output " + std::string(core::name(s.net.output)) +
                      ": only sigmoid_mse and linear_mse take a number of output units"};
    }
    n.check_no_unknown();
    if (auto e = core::validate(s.net)) throw Invalid{*e};
  }
  {
    Obj o(root.at("optimizer"), "optimizer");
    auto& p = s.optimizer;
    p.kind = o.enumeration<core::OptimizerKind>("kind", core::parse_optimizer, core::all_names_optimizer());
    p.learning_rate = o.number("learning_rate", 1e-6, 10);
    p.momentum = o.number("momentum", 0, 0.999);
    p.beta1 = o.number("beta1", 0, 0.9999);
    p.beta2 = o.number("beta2", 0, 0.99999);
    p.rho = o.number("rho", 0, 0.9999);
    p.epsilon = o.number("epsilon", 1e-12, 1);
    p.weight_decay = o.number("weight_decay", 0, 1);
    p.schedule = o.enumeration<core::ScheduleKind>("schedule", core::parse_schedule, core::all_names_schedule());
    p.schedule_step = static_cast<int>(o.integer("schedule_step", 1, 1e8));
    p.schedule_gamma = o.number("schedule_gamma", 0, 1);
    p.l1 = o.number("l1", 0, 1);
    p.l2 = o.number("l2", 0, 1);
    p.batch_size = static_cast<int>(o.integer("batch_size", 1, core::kMaxPoints));
    o.check_no_unknown();
  }
  {
    Obj t(root.at("training"), "training");
    s.weight_seed = t.seed("weight_seed");
    s.steps_per_second = t.number("steps_per_second", 0, kMaxStepsPerSecond);
    Obj st(t.at("stop"), "training.stop");
    const std::string kind = st.string("kind");
    if (kind == "never") s.stop.kind = StopRule::Kind::Never;
    else if (kind == "steps") s.stop.kind = StopRule::Kind::Steps;
    else if (kind == "epochs") s.stop.kind = StopRule::Kind::Epochs;
    else if (kind == "target_loss") s.stop.kind = StopRule::Kind::TargetLoss;
    else throw Invalid{"training.stop.kind = \"" + printable(kind) + "\" is not known: allowed never, steps, epochs, target_loss"};
    s.stop.steps = st.integer("steps", 1, 1e12);
    s.stop.epochs = st.integer("epochs", 1, 1e9);
    s.stop.target_loss = st.number("target_loss", 0, 100);
    st.check_no_unknown();
    t.check_no_unknown();
  }
  if (data && data->classes != s.net.classes)
    throw Invalid{"network.classes = " + std::to_string(s.net.classes) + " but data has " +
                  std::to_string(data->classes) + " classes: they must match"};
  if (auto e = validate(s)) throw Invalid{*e};
  if (data && data->has_targets()) {
    const bool mse = s.net.output == core::OutputKind::SigmoidMse || s.net.output == core::OutputKind::LinearMse;
    if (!mse)
      throw Invalid{"data.targets: given with output " + std::string(core::name(s.net.output)) +
                    ": target vectors need sigmoid_mse or linear_mse (the others train on the labels)"};
    if (data->target_dim != s.net.output_dim())
      throw Invalid{"data.targets: rows of " + std::to_string(data->target_dim) + " numbers, but the network has " +
                    std::to_string(s.net.output_dim()) + " output units (set network.outputs = " +
                    std::to_string(data->target_dim) + ")"};
    if (s.net.output == core::OutputKind::SigmoidMse)
      for (std::size_t i = 0; i < data->targets.size(); ++i)
        if (data->targets[i] < 0.0 || data->targets[i] > 1.0) {
          std::ostringstream os;
          os << "data.targets[" << i / data->target_dim << "][" << i % data->target_dim << "] = "
             << data->targets[i] << " is out of range: allowed 0 to 1 (a sigmoid output's range)";
          throw Invalid{os.str()};
        }
  }
}

std::vector<double> read_params(const json& arr, const core::Layout& layout) {
  if (!arr.is_array()) throw Invalid{"parameters: expected an array of layers, got " + type_name(arr)};
  if (arr.size() != layout.layers.size())
    throw Invalid{"parameters: " + std::to_string(arr.size()) + " layers given, the network has " +
                  std::to_string(layout.layers.size())};
  std::vector<double> p(layout.num_params, 0.0);
  for (std::size_t l = 0; l < arr.size(); ++l) {
    const core::LayerLayout& ll = layout.layers[l];
    const std::string w = "parameters[" + std::to_string(l) + "]";
    Obj o(arr[l], w);
    o.integer("layer", static_cast<double>(l + 1), static_cast<double>(l + 1));
    o.string("activation");
    const json& W = array_at(o, "W");
    if (W.size() != static_cast<std::size_t>(ll.out))
      throw Invalid{w + ".W: " + std::to_string(W.size()) + " rows, expected " + std::to_string(ll.out)};
    for (int i = 0; i < ll.out; ++i) {
      const json& row = W[i];
      if (!row.is_array() || row.size() != static_cast<std::size_t>(ll.in))
        throw Invalid{w + ".W[" + std::to_string(i) + "]: expected " + std::to_string(ll.in) + " numbers"};
      for (int j = 0; j < ll.in; ++j)
        p[ll.w_offset + j * ll.out + i] =
            element_number(row[j], w + ".W[" + std::to_string(i) + "][" + std::to_string(j) + "]");
    }
    const json& b = array_at(o, "b");
    if (b.size() != static_cast<std::size_t>(ll.out))
      throw Invalid{w + ".b: " + std::to_string(b.size()) + " values, expected " + std::to_string(ll.out)};
    for (int i = 0; i < ll.out; ++i)
      p[ll.b_offset + i] = element_number(b[i], w + ".b[" + std::to_string(i) + "]");
    o.check_no_unknown();
  }
  return p;
}

// The run's step, epoch and curves ("progress"; optional, only with "parameters"). The curves
// are stored as columns; any value but the step, epoch and dead units may be null: not finite when
// logged (a loss that overflowed; an accuracy or saturation over no points, e.g. no test split).
RunProgress read_progress(const json& j, const Settings& st) {
  Obj o(j, "progress");
  RunProgress p;
  p.step = o.integer("step", 0, 1e12);
  p.epoch = o.integer("epoch", 0, 1e12);
  Obj h(o.at("history"), "progress.history");
  const json& steps = array_at(h, "step");
  const std::size_t n = steps.size();
  if (n > static_cast<std::size_t>(kHistoryCapacity))
    throw Invalid{"progress.history.step: " + std::to_string(n) +
                  " points is more than the allowed " + std::to_string(kHistoryCapacity)};
  p.history.resize(n);
  const int layers = static_cast<int>(st.net.widths.size()) + 1;
  auto column = [&](const char* k) -> const json& {
    const json& c = array_at(h, k);
    if (c.size() != n)
      throw Invalid{h.field(k) + ": " + std::to_string(c.size()) + " values, expected " +
                    std::to_string(n) + " (one per step)"};
    return c;
  };
  // A value within [lo, hi]; null (NaN) where allowed.
  auto value = [&](const json& v, const std::string& w, double lo, double hi,
                   bool null_ok) -> double {
    if (v.is_null() && null_ok) return NAN;
    // (type_name, not brief(): GCC 12 reports a false -Wrestrict where brief() is inlined here)
    if (!v.is_number())
      throw Invalid{w + ": expected a number" + (null_ok ? " or null" : "") + ", got " +
                    type_name(v)};
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < lo || d > hi) {
      std::ostringstream os;
      os << w << " = " << d << " is out of range: allowed " << lo << " to " << hi;
      throw Invalid{os.str()};
    }
    return d;
  };
  auto at = [](const char* k, std::size_t i) {
    return std::string("progress.history.") + k + "[" + std::to_string(i) + "]";
  };
  for (std::size_t i = 0; i < n; ++i) {
    const json& v = steps[i];
    if (!v.is_number_integer())
      throw Invalid{at("step", i) + ": expected an integer, got " + type_name(v)};
    const std::int64_t lo = i == 0 ? 0 : p.history[i - 1].step + 1;
    const std::int64_t s = v.get<std::int64_t>();
    if (s < lo || s > p.step)
      throw Invalid{at("step", i) + " = " + std::to_string(s) + " is out of range: allowed " +
                    std::to_string(lo) + " to " + std::to_string(p.step) +
                    " (steps increase and end at progress.step)"};
    p.history[i].step = s;
  }
  const json& epoch = column("epoch");
  const json& train_loss = column("train_loss");
  const json& test_loss = column("test_loss");
  const json& train_acc = column("train_accuracy");
  const json& test_acc = column("test_accuracy");
  const json& dead = column("dead_units");
  const json& saturated = column("saturated_fraction");
  const json& grad = column("grad_norm");
  const double units = static_cast<double>(core::kMaxHiddenLayers) * core::kMaxWidth;
  for (std::size_t i = 0; i < n; ++i) {
    HistoryPoint& q = p.history[i];
    q.epoch = value(epoch[i], at("epoch", i), 0, 1e12, false);
    q.train_loss = static_cast<float>(value(train_loss[i], at("train_loss", i), 0, 1e30, true));
    q.test_loss = static_cast<float>(value(test_loss[i], at("test_loss", i), 0, 1e30, true));
    q.train_accuracy =
        static_cast<float>(value(train_acc[i], at("train_accuracy", i), 0, 1, true));
    q.test_accuracy = static_cast<float>(value(test_acc[i], at("test_accuracy", i), 0, 1, true));
    const double d = value(dead[i], at("dead_units", i), 0, units, false);
    if (d != std::floor(d))
      throw Invalid{at("dead_units", i) + ": expected an integer, got " + std::to_string(d)};
    q.dead_units = static_cast<int>(d);
    q.saturated_fraction =
        static_cast<float>(value(saturated[i], at("saturated_fraction", i), 0, 1, true));
    const json& g = grad[i];
    if (!g.is_array() || g.size() != static_cast<std::size_t>(layers))
      throw Invalid{at("grad_norm", i) + ": expected " + std::to_string(layers) +
                    " numbers (one per layer), got " +
                    (g.is_array() ? std::to_string(g.size()) : type_name(g))};
    for (int l = 0; l < layers; ++l)
      q.grad_norm[static_cast<std::size_t>(l)] = static_cast<float>(
          value(g[static_cast<std::size_t>(l)], at("grad_norm", i) + "[" + std::to_string(l) + "]",
                0, 1e30, true));
  }
  h.check_no_unknown();
  o.check_no_unknown();
  return p;
}

// A run's own part of a file (the main run's at the top level, a compared run's in its entry):
// its settings but the data, and its optional parameters and progress.
void read_run(Obj& o, Settings& st, std::optional<std::vector<double>>& params,
              std::optional<RunProgress>& progress, const std::optional<core::Dataset>& data) {
  read_run_settings(o, st, data);
  if (o.has("parameters")) params = read_params(o.at("parameters"), core::Layout::from_spec(st.net));
  if (o.has("progress")) {
    if (!params) throw Invalid{"progress: given without parameters (the curves belong to trained weights)"};
    progress = read_progress(o.at("progress"), st);
  }
}

// "compared" (optional; added after format version 1 shipped): the compared runs, each read by
// read_run() against the main run's data. A bad entry refuses the whole file; its message names
// the entry first ("compared[1].optimizer.learning_rate = ...").
std::vector<ComparedRunSave> read_compared(Obj& root, const Session& main) {
  const json& arr = array_at(root, "compared");
  if (arr.size() > static_cast<std::size_t>(kMaxComparedRuns))
    throw Invalid{"compared: " + std::to_string(arr.size()) + " runs is more than the allowed " +
                  std::to_string(kMaxComparedRuns) + " (four networks in all)"};
  std::vector<ComparedRunSave> out;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    std::string w = "compared[";
    w.append(std::to_string(i)).append("]");
    if (!arr[i].is_object()) throw Invalid{w + ": expected an object, got " + type_name(arr[i])};
    ComparedRunSave c;
    c.settings.data = main.settings.data;  // the main run's data: not written twice
    try {
      Obj e(arr[i], "");  // fields named from the entry; the entry is named below
      if (e.has("data"))
        throw Invalid{"data: a compared run trains on the main run's data (leave it out)"};
      read_run(e, c.settings, c.params, c.progress, main.data);
      e.check_no_unknown();
    } catch (const Invalid& x) {
      std::string m = w;
      throw Invalid{m.append(".").append(x.message)};
    }
    out.push_back(std::move(c));
  }
  return out;
}

// A float as JSON with 7 significant digits (what it holds), null when not finite.
json compact_float(float v) {
  if (!std::isfinite(v)) return nullptr;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7g", static_cast<double>(v));
  return std::strtod(buf, nullptr);
}

json progress_to_json(const RunProgress& p, int layers) {
  json steps = json::array(), epoch = json::array(), train_loss = json::array(),
       test_loss = json::array(), train_acc = json::array(), test_acc = json::array(),
       dead = json::array(), saturated = json::array(), grad = json::array();
  for (const HistoryPoint& q : p.history) {
    steps.push_back(q.step);
    epoch.push_back(compact_float(static_cast<float>(q.epoch)));
    train_loss.push_back(compact_float(q.train_loss));
    test_loss.push_back(compact_float(q.test_loss));
    train_acc.push_back(compact_float(q.train_accuracy));
    test_acc.push_back(compact_float(q.test_accuracy));
    dead.push_back(q.dead_units);
    saturated.push_back(compact_float(q.saturated_fraction));
    json g = json::array();
    for (int l = 0; l < layers; ++l)
      g.push_back(compact_float(q.grad_norm[static_cast<std::size_t>(l)]));
    grad.push_back(g);
  }
  return {{"step", p.step},
          {"epoch", p.epoch},
          {"history",
           {{"step", steps},
            {"epoch", epoch},
            {"train_loss", train_loss},
            {"test_loss", test_loss},
            {"train_accuracy", train_acc},
            {"test_accuracy", test_acc},
            {"dead_units", dead},
            {"saturated_fraction", saturated},
            {"grad_norm", grad}}}};
}

const char* stop_name(StopRule::Kind k) {
  switch (k) {
    case StopRule::Kind::Never: return "never";
    case StopRule::Kind::Steps: return "steps";
    case StopRule::Kind::Epochs: return "epochs";
    case StopRule::Kind::TargetLoss: return "target_loss";
  }
  return "never";
}

json params_to_json(const core::Layout& layout, const std::vector<double>& p) {
  json arr = json::array();
  for (std::size_t l = 0; l < layout.layers.size(); ++l) {
    const core::LayerLayout& ll = layout.layers[l];
    json W = json::array();
    for (int i = 0; i < ll.out; ++i) {
      json row = json::array();
      for (int j = 0; j < ll.in; ++j) row.push_back(p[ll.w_offset + j * ll.out + i]);
      W.push_back(row);
    }
    json b = json::array();
    for (int i = 0; i < ll.out; ++i) b.push_back(p[ll.b_offset + i]);
    const bool is_output = l + 1 == layout.layers.size();
    std::string act = is_output && layout.output == core::OutputKind::SoftmaxCe ? "softmax"
                                                                                 : std::string(core::name(ll.act));
    arr.push_back({{"layer", l + 1}, {"activation", act}, {"W", W}, {"b", b}});
  }
  return arr;
}

// A run's own part of a file (read back by read_run()): network, optimizer, training, and the
// parameters and progress when given.
void write_run(json& j, const Settings& st, const std::optional<std::vector<double>>& params,
               const std::optional<RunProgress>& progress) {
  json feats = json::array();
  for (int b = 0; b < core::kNumFeatures; ++b)
    if ((st.net.features >> b) & 1u) feats.push_back(core::feature_name(b));
  json layers = json::array();
  for (std::size_t l = 0; l < st.net.widths.size(); ++l)
    layers.push_back({{"width", st.net.widths[l]}, {"activation", core::name(st.net.activations[l])}});
  j["network"] = {{"features", feats}, {"layers", layers}, {"output", core::name(st.net.output)},
                  {"classes", st.net.classes}, {"init", core::name(st.net.init)},
                  {"bias_init", st.net.bias_init}, {"init_gain", st.net.init_gain},
                  {"random_bias", st.net.random_bias}, {"leaky_alpha", st.net.leaky_alpha},
                  {"elu_alpha", st.net.elu_alpha}};
  if (!st.knocked_out.empty()) {
    json ko = json::array();
    for (int l = 1; l <= st.net.depth(); ++l)
      for (int u = 0; u < st.net.widths[static_cast<std::size_t>(l - 1)]; ++u)
        if (core::is_knocked_out(st.knocked_out, l, u)) ko.push_back({l, u + 1});
    j["network"]["knocked_out"] = ko;
  }
  // Written only where it is in effect (an MSE output), so that files without it stay as before.
  if (st.net.outputs > 0 && (st.net.output == core::OutputKind::SigmoidMse || st.net.output == core::OutputKind::LinearMse))
    j["network"]["outputs"] = st.net.outputs;
  const core::OptimizerSpec& o = st.optimizer;
  j["optimizer"] = {{"kind", core::name(o.kind)}, {"learning_rate", o.learning_rate}, {"momentum", o.momentum},
                    {"beta1", o.beta1}, {"beta2", o.beta2}, {"rho", o.rho}, {"epsilon", o.epsilon},
                    {"weight_decay", o.weight_decay}, {"schedule", core::name(o.schedule)},
                    {"schedule_step", o.schedule_step}, {"schedule_gamma", o.schedule_gamma},
                    {"l1", o.l1}, {"l2", o.l2}, {"batch_size", o.batch_size}};
  j["training"] = {{"weight_seed", st.weight_seed}, {"steps_per_second", st.steps_per_second},
                   {"stop", {{"kind", stop_name(st.stop.kind)}, {"steps", st.stop.steps},
                             {"epochs", st.stop.epochs}, {"target_loss", st.stop.target_loss}}}};
  if (params) j["parameters"] = params_to_json(core::Layout::from_spec(st.net), *params);
  if (params && progress) j["progress"] = progress_to_json(*progress, static_cast<int>(st.net.widths.size()) + 1);
}

}  // namespace

ComparedRunSave compared_of(const Snapshot& s) {
  return {s.settings, std::vector<double>(s.params.begin(), s.params.end()), RunProgress{s.step, s.epoch, s.history}};
}

Session session_of(const Snapshot& s) {
  ComparedRunSave run = compared_of(s);  // the run's own part, as for a compared run
  Session out;
  out.settings = std::move(run.settings);
  if (s.data) out.data = *s.data;
  out.params = std::move(run.params);
  out.progress = std::move(run.progress);
  return out;
}

std::string parameters_json(const core::Layout& layout, const std::vector<double>& params, int indent) {
  return params_to_json(layout, params).dump(indent);
}

std::string to_json_text(const Session& s) {
  const Settings& st = s.settings;
  json j;
  j["format"] = "mlpviz-session";
  j["version"] = kSessionFormatVersion;
  json data = {{"kind", core::name(st.data.kind)}, {"classes", st.data.classes}, {"points", st.data.points},
               {"noise", st.data.noise}, {"train_fraction", st.data.train_fraction}, {"seed", st.data.seed}};
  if (s.data) {
    json pts = json::array();
    for (const core::Point& p : s.data->points) pts.push_back({p.x1, p.x2, p.label, p.test});
    data["samples"] = pts;
    // Targets the network does not train on (its output was changed away from them) are not
    // written: the loader accepts only targets that fit (docs/targets.md).
    const bool mse = st.net.output == core::OutputKind::SigmoidMse || st.net.output == core::OutputKind::LinearMse;
    if (s.data->has_targets() && mse && s.data->target_dim == st.net.output_dim()) {
      json rows = json::array();
      const std::size_t k = static_cast<std::size_t>(s.data->target_dim);
      for (std::size_t i = 0; i < s.data->points.size(); ++i)
        rows.push_back(std::vector<double>(s.data->targets.begin() + static_cast<std::ptrdiff_t>(i * k),
                                           s.data->targets.begin() + static_cast<std::ptrdiff_t>((i + 1) * k)));
      data["targets"] = rows;
    }
  }
  j["data"] = data;
  write_run(j, st, s.params, s.progress);
  if (!s.compared.empty()) {
    json compared = json::array();
    for (const ComparedRunSave& c : s.compared) {
      json e = json::object();
      write_run(e, c.settings, c.params, c.progress);
      compared.push_back(std::move(e));
    }
    j["compared"] = std::move(compared);
  }
  if (s.classroom) j["classroom"] = json::parse(classroom_to_json_text(*s.classroom));
  return j.dump(1) + "\n";
}

std::variant<Session, LoadError> from_json_text(const std::string& text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    return LoadError{"not valid JSON: " + core::printable(e.what(), 300)};
  } catch (const json::exception& e) {  // e.g. out_of_range.406: a number like 1e400
    return LoadError{"not a usable JSON file: " + core::printable(e.what(), 300)};
  }
  try {
    Obj root(j, "");
    const std::string format = root.string("format");
    if (format != "mlpviz-session") throw Invalid{"format = \"" + printable(format) + "\": not an mlpviz session"};
    const std::int64_t version = root.integer("version", 0, 1e9);
    if (version > kSessionFormatVersion)
      throw Invalid{"version = " + std::to_string(version) + ": written by a newer mlpviz; this build reads version " +
                    std::to_string(kSessionFormatVersion) + " and will not guess at the rest"};
    if (version < 1) throw Invalid{"version = " + std::to_string(version) + " is out of range: allowed 1"};
    Session s;
    read_data(root, s.settings, s.data);
    read_run(root, s.settings, s.params, s.progress, s.data);
    // Added after format version 1 shipped (classroom mode, docs/lessons.md): optional.
    if (root.has("classroom")) {
      Classroom c;
      if (auto e = classroom_from_json_text(root.at("classroom").dump(), "classroom", &c)) throw Invalid{*e};
      s.classroom = c;
    }
    if (root.has("compared")) s.compared = read_compared(root, s);
    root.check_no_unknown();
    return s;
  } catch (const Invalid& e) {
    return LoadError{e.message};
  } catch (const json::exception& e) {
    return LoadError{"malformed session: " + core::printable(e.what(), 300)};
  }
}

std::variant<Session, LoadError> load_session(const std::string& path) {
  auto text = core::read_file_bounded(path, kMaxSessionBytes);
  if (auto* e = std::get_if<core::ReadError>(&text)) return LoadError{e->message};
  auto r = from_json_text(std::get<std::string>(text));
  if (auto* e = std::get_if<LoadError>(&r)) e->message = path + ": " + e->message;
  return r;
}

std::optional<std::string> save_session(const std::string& path, const Session& s) {
  return write_file_atomically(path, to_json_text(s));
}

}  // namespace mlpviz::train
