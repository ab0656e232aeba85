#include "app/cli_common.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <set>
#include <sstream>
#include <sys/stat.h>

#include "core/data.hpp"
#include "core/file_io.hpp"
#include "train/lesson.hpp"

namespace mlpviz::app::cli {
// A seed is a whole number from 0 to 2^64 - 1; more is refused, not saturated (CLI11 would
// silently read 99999999999999999999999 as 2^64 - 1).
const CLI::Validator kSeed(
    [](const std::string& v) {
      std::uint64_t seed = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seed);
      if (!v.empty() && ec == std::errc() && end == v.data() + v.size()) return std::string();
      return v + " is out of range: allowed 0 to " +
             std::to_string(std::numeric_limits<std::uint64_t>::max());
    },
    "SEED");

void add_run_flags(CLI::App* app, RunFlags& f) {
  auto& o = f.opts;
  o["session"] = app->add_option("--session", f.session, "Session file to start from (else the default)");
  o["lesson"] = app->add_option("--lesson", f.lesson, "Start from this lesson's session (see `mlpviz lessons`)");
  o["lesson-step"] = app->add_option("--lesson-step", f.lesson_step,
                                     "With --lesson: the lesson at this step (1: as it opens; K: its steps 2..K applied)")
                         ->check(CLI::Range(1, 1000));
  o["train-csv"] = app->add_option("--train-csv", f.train_csv, "Training points from a CSV file (rows x1,x2,label)");
  o["test-csv"] = app->add_option("--test-csv", f.test_csv, "Test points from a CSV file (rows x1,x2,label)");
  o["data"] = app->add_option("--data", f.data, "Data kind: " + core::all_names_data_kind());
  o["classes"] = app->add_option("--classes", f.classes, "Classes for spiral/blobs/custom data (2-6)");
  o["points"] = app->add_option("--points", f.points, "Number of generated points (4-100000)");
  o["noise"] = app->add_option("--noise", f.noise, "Noise standard deviation (0-2)");
  o["train-fraction"] = app->add_option("--train-fraction", f.train_fraction, "Share of points used for training (0.05-1)");
  o["data-seed"] = app->add_option("--data-seed", f.data_seed, "Seed of the generated data")->check(kSeed);
  o["layers"] = app->add_option("--layers", f.layers, "Hidden widths, e.g. 8,8 (empty or 'none' for depth 0)");
  o["activation"] = app->add_option("--activation", f.activation, "Hidden activation: " + core::all_names_activation());
  o["features"] = app->add_option("--features", f.features, "Input features, comma-separated: " + core::all_names_feature());
  o["output"] = app->add_option("--output", f.output, "Output and loss: " + core::all_names_output());
  o["init"] = app->add_option("--init", f.init, "Weight initialization: " + core::all_names_init() +
                                                     " (pytorch: weights and biases U(+-1/sqrt(fan_in)))");
  o["init-gain"] = app->add_option("--init-gain", f.init_gain, "Multiply every initial weight by this (0.1-10; e.g. 10 saturates tanh units)");
  o["bias-init"] = app->add_option("--bias-init", f.bias_init, "Initial bias (-1 to 1)");
  o["random-bias"] = app->add_flag("--random-bias", f.random_bias, "Initial biases U(+-1/sqrt(fan_in)) instead of --bias-init");
  o["weight-seed"] = app->add_option("--weight-seed", f.weight_seed, "Seed of the initial weights and batch order")->check(kSeed);
  o["optimizer"] = app->add_option("--optimizer", f.optimizer, "Optimizer: " + core::all_names_optimizer());
  o["lr"] = app->add_option("--lr", f.lr, "Learning rate (1e-6 to 10)");
  o["schedule"] = app->add_option("--schedule", f.schedule, "Learning-rate schedule: " + core::all_names_schedule());
  o["batch"] = app->add_option("--batch", f.batch, "Mini-batch size (1 to the training set)");
  o["l1"] = app->add_option("--l1", f.l1, "L1 strength on weights (0-1)");
  o["l2"] = app->add_option("--l2", f.l2, "L2 strength on weights (0-1)");
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(item);
  if (!s.empty() && s.back() == ',') out.emplace_back();  // "8," names an empty item too
  return out;
}

namespace {

template <class E>
E parse_or_throw(const std::string& flag, const std::string& v, std::optional<E> (*parse)(std::string_view),
                 const std::string& allowed) {
  auto e = parse(v);
  if (!e) throw UsageError{"--" + flag + " = '" + core::printable(v, 60) + "' is not known: allowed " + allowed};
  return *e;
}

}  // namespace

// Session from --session and the override flags; throws UsageError with one line.
train::Session build_session(const RunFlags& f) {
  train::Session s;
  s.settings = train::default_settings();
  if (f.given("lesson") && f.given("session"))
    throw UsageError{"--lesson and --session both name a session: give one"};
  if (f.given("session")) {
    auto r = train::load_session(f.session);
    if (auto* e = std::get_if<train::LoadError>(&r)) throw UsageError{e->message};
    s = std::get<train::Session>(std::move(r));
  }
  if (f.given("lesson-step") && !f.given("lesson")) throw UsageError{"--lesson-step needs --lesson"};
  if (f.given("lesson")) {
    auto r = train::find_lesson(f.lesson);
    if (auto* e = std::get_if<train::LoadError>(&r)) throw UsageError{e->message};
    const train::Lesson& l = std::get<train::Lesson>(r);
    if (f.lesson_step > l.step_count())
      throw UsageError{"--lesson-step = " + std::to_string(f.lesson_step) + " is out of range: lesson " + l.name +
                       " has steps 1 to " + std::to_string(l.step_count())};
    s = l.session_at(f.lesson_step);
  }
  train::Settings& st = s.settings;
  const train::Settings before = st;
  auto& d = st.data;
  if (f.given("data")) d.kind = parse_or_throw<core::DataKind>("data", f.data, core::parse_data_kind, core::all_names_data_kind());
  if (f.given("classes")) d.classes = f.classes;
  if (f.given("points")) d.points = f.points;
  if (f.given("noise")) d.noise = f.noise;
  if (f.given("train-fraction")) d.train_fraction = f.train_fraction;
  if (f.given("data-seed")) d.seed = f.data_seed;
  auto& n = st.net;
  if (f.given("layers")) {
    n.widths.clear();
    if (f.layers != "none" && !f.layers.empty())
      for (const std::string& w : split_commas(f.layers)) {
        try {
          std::size_t used = 0;
          const int v = std::stoi(w, &used);
          if (used != w.size()) throw std::invalid_argument(w);
          n.widths.push_back(v);
        } catch (const std::exception&) {
          throw UsageError{"--layers: '" + w + "' is not a width: use numbers 1-64 separated by commas"};
        }
      }
    const core::Activation a = n.activations.empty() ? core::Activation::Tanh : n.activations.front();
    n.activations.assign(n.widths.size(), a);
  }
  if (f.given("activation"))
    n.activations.assign(n.widths.size(), parse_or_throw<core::Activation>("activation", f.activation, core::parse_activation,
                                                                          core::all_names_activation()));
  if (f.given("features")) {
    n.features = 0;
    for (const std::string& name : split_commas(f.features)) {
      if (name.empty()) throw UsageError{"--features: an empty name between commas"};
      auto b = core::parse_feature(name);
      if (!b) throw UsageError{"--features: '" + name + "' is not known: allowed " + core::all_names_feature()};
      n.features |= 1u << *b;
    }
  }
  if (f.given("output")) n.output = parse_or_throw<core::OutputKind>("output", f.output, core::parse_output, core::all_names_output());
  if (f.given("init")) n.init = parse_or_throw<core::InitKind>("init", f.init, core::parse_init, core::all_names_init());
  if (f.given("bias-init")) n.bias_init = f.bias_init;
  if (f.given("init-gain")) n.init_gain = f.init_gain;
  if (f.given("random-bias")) n.random_bias = true;
  if (f.given("bias-init") && (n.random_bias || n.init == core::InitKind::PyTorch))
    throw UsageError{std::string("--bias-init cannot be combined with ") +
                     (n.random_bias ? "--random-bias" : "--init pytorch") + ": those draw random biases"};
  if (f.given("weight-seed")) st.weight_seed = f.weight_seed;
  auto& o = st.optimizer;
  if (f.given("optimizer")) o.kind = parse_or_throw<core::OptimizerKind>("optimizer", f.optimizer, core::parse_optimizer, core::all_names_optimizer());
  if (f.given("lr")) o.learning_rate = f.lr;
  if (f.given("schedule")) o.schedule = parse_or_throw<core::ScheduleKind>("schedule", f.schedule, core::parse_schedule, core::all_names_schedule());
  if (f.given("batch")) o.batch_size = f.batch;
  if (f.given("l1")) o.l1 = f.l1;
  if (f.given("l2")) o.l2 = f.l2;

  // Data from CSV files replace the generated data.
  if (f.given("train-csv") || f.given("test-csv")) {
    if (!f.given("train-csv")) throw UsageError{"--test-csv needs --train-csv as well"};
    for (const char* gen : {"data", "points", "noise", "data-seed", "train-fraction"})
      if (f.given(gen) && !(gen == std::string_view("data") && f.data == "custom"))
        throw UsageError{std::string("--") + gen + " and --train-csv: the points come from the CSV file, --" + gen +
                         " applies to generated data; give one or the other"};
    core::Dataset ds;
    std::vector<core::Point> pts;
    std::string note;
    if (auto e = core::read_csv_file(f.train_csv, false, pts, &note)) throw UsageError{*e};
    if (!note.empty()) std::cerr << "mlpviz: note: " << note << "\n";
    ds.points = pts;
    if (f.given("test-csv")) {
      if (auto e = core::read_csv_file(f.test_csv, true, pts, &note)) throw UsageError{*e};
      if (!note.empty()) std::cerr << "mlpviz: note: " << note << "\n";
      if (ds.points.size() + pts.size() > static_cast<std::size_t>(core::kMaxPoints))
        throw UsageError{"--train-csv and --test-csv together have " + std::to_string(ds.points.size() + pts.size()) +
                         " points: allowed at most " + std::to_string(core::kMaxPoints)};
      ds.points.insert(ds.points.end(), pts.begin(), pts.end());
    }
    int max_label = 1;
    std::set<int> labels;
    for (const core::Point& p : ds.points) {
      max_label = std::max(max_label, p.label);
      labels.insert(p.label);
    }
    if (labels.size() == 1)
      std::cerr << "mlpviz: note: every point has label " << *labels.begin()
                << ": with a single class there is no boundary to learn\n";
    ds.classes = f.given("classes") ? f.classes : max_label + 1;
    if (ds.classes <= max_label)
      throw UsageError{"--classes = " + std::to_string(ds.classes) + " but the CSV has label " + std::to_string(max_label)};
    d.kind = core::DataKind::Custom;
    d.classes = ds.classes;
    d.points = static_cast<int>(ds.points.size());
    s.data = std::move(ds);
  } else if (d != before.data && s.data && before.data.kind == core::DataKind::Custom &&
             d.kind == core::DataKind::Custom) {
    // The session's own points: nothing to regenerate them from. Only --classes applies.
    for (const char* gen : {"points", "noise", "data-seed", "train-fraction"})
      if (f.given(gen))
        throw UsageError{std::string("--") + gen + (f.given("lesson") ? " and --lesson " + f.lesson : " and --session " + f.session) +
                         ": the session holds its own (custom) points, --" + gen +
                         " applies to generated data; give --data too to generate new points"};
    int max_label = 0;
    for (const core::Point& p : s.data->points) max_label = std::max(max_label, p.label);
    if (d.classes <= max_label)
      throw UsageError{"--classes = " + std::to_string(d.classes) + " but the session's points have label " +
                       std::to_string(max_label)};
    s.data->classes = d.classes;
  } else if (d != before.data) {
    s.data.reset();  // regenerate from the changed spec
  }
  if (f.given("activation") && n.widths.empty())
    throw UsageError{"--activation " + core::printable(f.activation, 60) +
                     ": the network has no hidden layer (--layers none, or the session's network); give --layers too"};
  // Keep the network's output consistent with the data's classes. An --output the user gave is
  // never replaced: one that cannot fit the data is an error naming both.
  const int data_classes = core::data_kind_has_classes(d.kind) ? d.classes : 2;
  if (f.given("output") && n.output == core::OutputKind::SigmoidBce && data_classes != 2)
    throw UsageError{"--output sigmoid_bce needs 2 classes, the data has " + std::to_string(data_classes) +
                     ": use --output softmax_ce, sigmoid_mse or linear_mse"};
  if (n.classes != data_classes) {
    n.classes = data_classes;
    if (data_classes > 2 && n.output == core::OutputKind::SigmoidBce) n.output = core::OutputKind::SoftmaxCe;
    if (data_classes == 2 && !f.given("output") && before.net.output == core::OutputKind::SigmoidBce)
      n.output = core::OutputKind::SigmoidBce;
  }
  st.knocked_out = core::fit_knock_out(st.knocked_out, n);  // a new shape keeps the units it still has
  if (auto e = train::validate(st)) throw UsageError{*e};
  if (s.params && st.net != before.net) {  // the saved weights no longer fit
    s.params.reset();
    std::cerr << "mlpviz: note: the network differs from the one in "
              << (f.given("lesson") ? "lesson " + f.lesson : f.session)
              << ": its trained weights are not used; training starts from new weights\n";
  }
  return s;
}

// A loss as a number, or "not finite" (weights whose forward pass overflows): never "-nan".
std::string loss_field(double v) {
  if (!std::isfinite(v)) return "not finite";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

void print_metrics(std::ostream& os, const train::Engine& e) {
  const core::Metrics& m = e.metrics();
  char buf[256];
  std::snprintf(buf, sizeof buf, "step %lld  epoch %lld  train loss %s  acc %.2f%%  |  ",
                static_cast<long long>(e.step_count()), static_cast<long long>(e.epoch()),
                loss_field(m.train_loss).c_str(), 100.0 * m.train_accuracy);
  os << buf;
  if (m.evaluated_test == 0) {
    os << "no test points\n";
  } else {
    std::snprintf(buf, sizeof buf, "test loss %s  acc %.2f%%\n", loss_field(m.test_loss).c_str(),
                  100.0 * m.test_accuracy);
    os << buf;
  }
}

train::StopRules stop_rules(const TrainFlags& t, long long start) {
  const bool any_rule = t.steps > 0 || t.epochs > 0 || t.target_loss >= 0;
  long long steps = any_rule ? t.steps : 1000;
  if (t.target_loss >= 0 && t.steps == 0 && t.epochs == 0) steps = 1000000;  // never run forever
  train::StopRules r;
  r.steps = steps > 0 ? start + steps : 0;  // a saved session resumes at its step
  r.epochs = t.epochs;
  r.target_loss = t.target_loss;
  return r;
}

// Trains the engine by the stopping flags; returns false on divergence. Whether the run is done
// is the engine's judgement (Engine::done); the target loss is judged only on the metrics
// evaluated at the logged steps (every --log-every), as --help says.
bool train_loop(train::Engine& e, const TrainFlags& t, std::ostream* csv) {
  const train::StopRules rules = stop_rules(t, e.step_count());
  train::StopRules counts = rules;  // between logged steps
  counts.target_loss = -1.0;
  // Rows keep increasing steps: after a loss explosion the engine goes back one step to the last
  // good weights, and the row of the step that blew up stays the last one.
  long long last_row = -1;
  auto log = [&] {
    e.update_metrics();
    if (csv && e.step_count() > last_row) {
      last_row = e.step_count();
      const core::Metrics& m = e.metrics();
      char buf[256];
      std::snprintf(buf, sizeof buf, "%lld,%lld,%.9g,%.9g,%.9g,%.9g\n", static_cast<long long>(e.step_count()),
                    static_cast<long long>(e.epoch()), m.train_loss, m.test_loss, m.train_accuracy, m.test_accuracy);
      *csv << buf;
    }
  };
  log();
  while (true) {
    const train::StopReason before = e.done(counts);
    if (before == train::StopReason::Steps || before == train::StopReason::Epochs) break;
    if (!e.step()) {
      if (e.state() == train::RunState::Diverged) {
        log();
        return false;
      }
      throw UsageError{e.message()};
    }
    if (t.log_every > 0 && e.step_count() % t.log_every == 0) {
      log();
      if (e.done(rules) == train::StopReason::TargetLoss) break;
    }
  }
  log();
  return true;
}

std::unique_ptr<train::Engine> make_engine(const train::Session& s) {
  return std::make_unique<train::Engine>(s.settings, s.data, s.params, s.progress);
}

// `render --steps` / `dump --steps`: trains first; false if training diverged.
bool pretrain(train::Engine& e, long long steps) {
  if (steps == 0) return true;
  TrainFlags t;
  t.steps = steps;
  return train_loop(e, t, nullptr);
}

// Exit code once the output is written: 3 with the message when training diverged.
int exit_after_output(const train::Engine& e, bool trained_ok) {
  if (trained_ok) return 0;
  std::cerr << "mlpviz: " << e.message() << "\n";
  return kExitDiverged;
}

std::vector<double> params_of(const train::Engine& e) { return {e.params().begin(), e.params().end()}; }

// ---- Output files -------------------------------------------------------------------------
// Every output a command writes is named by a flag. All are checked before any work starts (a
// usage error naming the flag and the path); at the end each is written on its own, so one that
// fails does not keep the others (or the final figures) from the user.

std::string output_target(const std::string& path) { return path == "-" ? std::string("/dev/stdout") : path; }

std::string shown_path(const std::string& path) { return path.empty() ? std::string("''") : path; }

bool writes_to_stdout(const Output& o) { return core::descriptor_path(output_target(o.path)) == 1; }

// Two outputs naming one file: the second write would replace the first.
bool same_file(const std::string& a, const std::string& b) {
  if (core::descriptor_path(a) >= 0 || core::descriptor_path(b) >= 0)
    return core::descriptor_path(a) == core::descriptor_path(b);
  struct stat sa, sb;
  const bool ea = ::stat(a.c_str(), &sa) == 0, eb = ::stat(b.c_str(), &sb) == 0;
  if (ea && eb) return S_ISREG(sa.st_mode) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  std::error_code ec1, ec2;
  return !ea && !eb && std::filesystem::weakly_canonical(a, ec1) == std::filesystem::weakly_canonical(b, ec2);
}

void check_outputs(const std::vector<Output>& outs) {
  for (const Output& o : outs)
    if (auto why = core::check_output_path(output_target(o.path)))
      throw UsageError{o.flag + " " + shown_path(o.path) + ": " + *why};
  for (std::size_t i = 0; i < outs.size(); ++i)
    for (std::size_t j = i + 1; j < outs.size(); ++j)
      if (same_file(output_target(outs[i].path), output_target(outs[j].path)))
        throw UsageError{outs[i].flag + " and " + outs[j].flag + " both name " + shown_path(outs[j].path) +
                         ": give each its own file"};
}

// Writes one output; on failure says so (flag and path) and returns false.
bool write_output(const Output& o, std::string_view bytes) {
  if (auto err = core::write_file_atomically(output_target(o.path), bytes)) {
    std::cerr << "mlpviz: " << o.flag << ": " << *err << "\n";
    return false;
  }
  return true;
}

}  // namespace mlpviz::app::cli
