// cli_inspect.cpp: `mlpviz inspect`: the math at one point (core/inspect.hpp) as JSON: the loss,
// and per layer z, a, delta = dL/dz, dW and db of that point's loss alone; with --step, every
// weight and bias before and after one plain SGD step on that point.
#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "app/cli_common.hpp"
#include "core/data.hpp"
#include "core/inspect.hpp"

namespace mlpviz::app::cli {

namespace {

struct InspectFlags {
  RunFlags run;
  std::string point, target;
  int sample = -1;
  long long steps = 0;
  bool step = false;
};

// The shortest decimal that reads back as the same double (0.05, not 0.050000000000000003).
std::string num(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[40];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

template <class V>
std::string vec(const V& v) {
  std::string s = "[";
  for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(v.size()); ++i) s += (i ? ", " : "") + num(v[i]);
  return s + "]";
}

std::string rows(const core::MatX<double>& m) {
  std::string s = "[";
  for (Eigen::Index i = 0; i < m.rows(); ++i) s += (i ? ", " : "") + vec(core::VecX<double>(m.row(i).transpose()));
  return s + "]";
}

// "X1,X2[,LABEL]" of --point.
void parse_point(const std::string& text, int classes, double& x1, double& x2, int& label, bool& has_label) {
  const auto bad = [&](const std::string& why) {
    return UsageError{"--point " + text + ": " + why + " (expected X1,X2 or X1,X2,LABEL with finite coordinates " +
                      "and a label from 0 to " + std::to_string(classes - 1) + ")"};
  };
  const std::vector<std::string> parts = split_commas(text);
  if (parts.size() != 2 && parts.size() != 3) throw bad("expected 2 or 3 values");
  try {
    std::size_t used = 0;
    x1 = std::stod(parts[0], &used);
    if (used != parts[0].size() || !std::isfinite(x1) || std::abs(x1) > 1e6) throw bad("X1 '" + parts[0] + "' is not a number within -1e6 to 1e6");
    x2 = std::stod(parts[1], &used);
    if (used != parts[1].size() || !std::isfinite(x2) || std::abs(x2) > 1e6) throw bad("X2 '" + parts[1] + "' is not a number within -1e6 to 1e6");
    has_label = parts.size() == 3;
    if (has_label) {
      label = std::stoi(parts[2], &used);
      if (used != parts[2].size() || label < 0 || label >= classes) throw bad("LABEL '" + parts[2] + "' is out of range");
    }
  } catch (const std::logic_error&) {
    throw bad("not a number");
  }
}

// "T1,T2,..." of --target: one value per output unit.
std::vector<double> parse_target(const std::string& text, int outputs) {
  std::vector<double> t;
  for (const std::string& p : split_commas(text)) {
    std::size_t used = 0;
    double v = NAN;
    try {
      v = std::stod(p, &used);
    } catch (const std::logic_error&) {
      used = 0;
    }
    if (used != p.size() || !std::isfinite(v) || std::abs(v) > 1e6)
      throw UsageError{"--target " + text + ": '" + p + "' is not a number within -1e6 to 1e6"};
    t.push_back(v);
  }
  if (static_cast<int>(t.size()) != outputs)
    throw UsageError{"--target " + text + ": " + std::to_string(t.size()) + " values, the network has " +
                     std::to_string(outputs) + " output units (one value each)"};
  return t;
}

int run_inspect(const InspectFlags& f) {
  const train::Session s = build_session(f.run);
  auto e = make_engine(s);
  const bool ok = pretrain(*e, f.steps);
  const core::Layout& lay = e->layout();
  const int outputs = lay.sizes.back();
  double x1 = 0, x2 = 0;
  int label = 0;
  bool has_label = false;
  std::vector<double> target;
  std::string source;
  if (f.sample >= 0) {
    const core::Dataset& d = e->data();
    if (f.sample >= static_cast<int>(d.points.size()))
      throw UsageError{"--sample " + std::to_string(f.sample) + " is out of range: allowed 0 to " +
                       std::to_string(static_cast<long long>(d.points.size()) - 1) + " (the session's points)"};
    const core::Point& p = d.points[static_cast<std::size_t>(f.sample)];
    x1 = p.x1;
    x2 = p.x2;
    label = p.label;
    has_label = true;
    target = core::target_of_point(d, f.sample, lay);
    source = core::uses_targets(d, lay) ? "the sample's target vector (data.targets)" : "the sample's label";
  } else {
    parse_point(f.point, e->data().classes, x1, x2, label, has_label);
    if (!f.target.empty()) {
      if (has_label) throw UsageError{"--point " + f.point + " has a LABEL and --target is given: give one of them"};
      target = parse_target(f.target, outputs);
      source = "--target";
    } else if (has_label) {
      target = core::target_of_label(label, lay);
      source = "the label";
    } else {
      throw UsageError{"--point " + f.point + ": no LABEL and no --target: the loss and gradients need a target "
                       "(X1,X2,LABEL, or --target T1,... with one value per output unit)"};
    }
  }
  const core::VecX<double> x = core::point_features(e->settings().net.features, x1, x2);
  const core::VecX<double> t = Eigen::Map<const core::VecX<double>>(target.data(), outputs);
  const core::Regularization reg{e->settings().optimizer.l1, e->settings().optimizer.l2};
  // The float parameters as written (core::as_written): a session's 0.15 is 0.15.
  const std::vector<double> params = core::as_written(e->params().data(), e->params().size());
  const double lr = core::scheduled_learning_rate(e->settings().optimizer, e->step_count());
  const core::PointStep st = core::step_on_point(lay, params, x, t, reg, lr);
  const core::PointInspection& r = st.inspection;

  std::ostringstream os;
  os << "{\"point\": {\"x1\": " << num(x1) << ", \"x2\": " << num(x2);
  if (has_label) os << ", \"label\": " << label;
  os << "},\n \"input\": " << vec(r.input) << ",\n \"target\": " << vec(r.target)
     << ",\n \"target_from\": \"" << source << "\""
     << ",\n \"loss\": " << num(r.loss) << ", \"data_loss\": " << num(r.data_loss)
     << ",\n \"convention\": \"the loss of this one point (mean over N = 1); + l2/2*sum(W^2) + l1*sum|W|; "
        "biases not regularized; delta = dL/dz of the data loss; W: one row per unit\""
     << ",\n \"layers\": [";
  for (std::size_t l = 0; l < r.layers.size(); ++l) {
    const core::LayerInspection& li = r.layers[l];
    const bool is_output = l + 1 == r.layers.size();
    const std::string act = is_output && lay.output == core::OutputKind::SoftmaxCe
                                ? "softmax" : std::string(core::name(lay.layers[l].act));
    os << (l ? ",\n  " : "\n  ") << "{\"layer\": " << l + 1 << ", \"activation\": \"" << act
       << "\", \"z\": " << vec(li.z) << ", \"a\": " << vec(li.a) << ", \"delta\": " << vec(li.delta)
       << ", \"dW\": " << rows(li.dW) << ", \"db\": " << vec(li.db) << "}";
  }
  os << "]";
  if (f.step)
    os << ",\n \"step\": {\"learning_rate\": " << num(lr) << ", \"rule\": \"W - learning_rate * dW, b - learning_rate * db\""
       << ",\n  \"before\": " << train::parameters_json(lay, st.before, -1)
       << ",\n  \"after\": " << train::parameters_json(lay, st.after, -1) << "}";
  os << "}\n";
  std::cout << os.str();
  return exit_after_output(*e, ok);
}

}  // namespace

Command add_inspect_command(CLI::App& app) {
  auto flags = std::make_shared<InspectFlags>();
  CLI::App* c = app.add_subcommand(
      "inspect",
      "Print the math at one point as JSON: the loss, and per layer z, a, delta = dL/dz, dW and db of that "
      "point's loss alone (the convention of grad with N = 1)");
  add_run_flags(c, flags->run);
  auto* point = c->add_option("--point", flags->point,
                              "X1,X2[,LABEL]: the point (its target from LABEL: one-hot, or t = LABEL for one output unit)");
  auto* sample = c->add_option("--sample", flags->sample,
                               "Inspect point number N of the session's data (0-based), with its label or its "
                               "target vector (data.targets)")->check(CLI::NonNegativeNumber);
  point->excludes(sample);
  c->add_option("--target", flags->target,
                "T1,T2,...: the target vector of --point (one value per output unit; MSE outputs), instead of a LABEL")
      ->needs(point);
  c->add_flag("--step", flags->step,
              "Also print every weight and bias before and after one plain SGD step on this point at the "
              "current learning rate");
  c->add_option("--steps", flags->steps, "Train this many steps first")->check(CLI::Range(0LL, 1000000000LL));
  return {c, [flags, point, sample] {
            if (point->count() == 0 && sample->count() == 0)
              throw UsageError{"inspect: give --point X1,X2[,LABEL] or --sample N"};
            return run_inspect(*flags);
          }};
}

}  // namespace mlpviz::app::cli
