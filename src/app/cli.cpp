#include "app/cli.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <set>
#include <sstream>

#include "app/gui.hpp"
#include "app/render_png.hpp"
#include "core/data.hpp"
#include "train/engine.hpp"
#include "train/session.hpp"

namespace mlpviz::app {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitDiverged = 3;

constexpr const char* kLossConvention = R"(Loss convention (train, grad):
  L = (1/N) sum over the N training points of loss(z, t)
      + l2/2 * sum of squared weights + l1 * sum of |weights|   (biases are not regularized)
  sigmoid_bce: loss = max(z,0) - z*t + log(1 + exp(-|z|)) from the logit z
  softmax_ce:  loss = logsumexp(z) - z[label]
  sigmoid_mse, linear_mse: loss = 1/2 * sum over outputs of (t - o)^2
  W of layer l has one row per unit of layer l and one column per unit of layer l-1.)";

struct RunFlags {
  std::string session, train_csv, test_csv;
  std::string data, layers, activation, features, output, init, optimizer, schedule;
  int classes = 0, points = 0, batch = 0;
  double noise = 0, train_fraction = 0, lr = 0, l1 = 0, l2 = 0, bias_init = 0;
  std::uint64_t data_seed = 0, weight_seed = 0;
  std::map<std::string, CLI::Option*> opts;
  bool given(const std::string& name) const {
    auto it = opts.find(name);
    return it != opts.end() && it->second->count() > 0;
  }
};

// A seed is a whole number from 0 to 2^64 - 1; more is refused, not saturated (CLI11 would
// silently read 99999999999999999999999 as 2^64 - 1).
const CLI::Validator kNotNegative(
    [](const std::string& v) {
      std::uint64_t seed = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seed);
      if (!v.empty() && ec == std::errc() && end == v.data() + v.size()) return std::string();
      return v + " is out of range: allowed 0 to " +
             std::to_string(std::numeric_limits<std::uint64_t>::max());
    },
    "SEED>=0");

void add_run_flags(CLI::App* app, RunFlags& f) {
  auto& o = f.opts;
  o["session"] = app->add_option("--session", f.session, "Session file to start from (else the default)");
  o["train-csv"] = app->add_option("--train-csv", f.train_csv, "Training points from a CSV file (rows x1,x2,label)");
  o["test-csv"] = app->add_option("--test-csv", f.test_csv, "Test points from a CSV file (rows x1,x2,label)");
  o["data"] = app->add_option("--data", f.data, "Data kind: " + core::all_names_data_kind());
  o["classes"] = app->add_option("--classes", f.classes, "Classes for spiral/blobs/custom data (2-6)");
  o["points"] = app->add_option("--points", f.points, "Number of generated points (4-100000)");
  o["noise"] = app->add_option("--noise", f.noise, "Noise standard deviation (0-2)");
  o["train-fraction"] = app->add_option("--train-fraction", f.train_fraction, "Share of points used for training (0.05-1)");
  o["data-seed"] = app->add_option("--data-seed", f.data_seed, "Seed of the generated data")->check(kNotNegative);
  o["layers"] = app->add_option("--layers", f.layers, "Hidden widths, e.g. 8,8 (empty or 'none' for depth 0)");
  o["activation"] = app->add_option("--activation", f.activation, "Hidden activation: " + core::all_names_activation());
  o["features"] = app->add_option("--features", f.features, "Input features, comma-separated: " + core::all_names_feature());
  o["output"] = app->add_option("--output", f.output, "Output and loss: " + core::all_names_output());
  o["init"] = app->add_option("--init", f.init, "Weight initialization: " + core::all_names_init());
  o["bias-init"] = app->add_option("--bias-init", f.bias_init, "Initial bias (-1 to 1)");
  o["weight-seed"] = app->add_option("--weight-seed", f.weight_seed, "Seed of the initial weights and batch order")->check(kNotNegative);
  o["optimizer"] = app->add_option("--optimizer", f.optimizer, "Optimizer: " + core::all_names_optimizer());
  o["lr"] = app->add_option("--lr", f.lr, "Learning rate (1e-6 to 10)");
  o["schedule"] = app->add_option("--schedule", f.schedule, "Learning-rate schedule: " + core::all_names_schedule());
  o["batch"] = app->add_option("--batch", f.batch, "Mini-batch size (1 to the training set)");
  o["l1"] = app->add_option("--l1", f.l1, "L1 strength on weights (0-1)");
  o["l2"] = app->add_option("--l2", f.l2, "L2 strength on weights (0-1)");
}

struct UsageError {
  std::string message;
};

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(item);
  return out;
}

template <class E>
E parse_or_throw(const std::string& flag, const std::string& v, std::optional<E> (*parse)(std::string_view),
                 const std::string& allowed) {
  auto e = parse(v);
  if (!e) throw UsageError{"--" + flag + " = '" + v + "' is not known: allowed " + allowed};
  return *e;
}

// Session from --session and the override flags; throws UsageError with one line.
train::Session build_session(const RunFlags& f) {
  train::Session s;
  s.settings = train::default_settings();
  if (f.given("session")) {
    auto r = train::load_session(f.session);
    if (auto* e = std::get_if<train::LoadError>(&r)) throw UsageError{e->message};
    s = std::get<train::Session>(std::move(r));
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
    core::Dataset ds;
    std::vector<core::Point> pts;
    if (auto e = core::read_csv_file(f.train_csv, false, pts)) throw UsageError{*e};
    ds.points = pts;
    if (f.given("test-csv")) {
      if (auto e = core::read_csv_file(f.test_csv, true, pts)) throw UsageError{*e};
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
  } else if (d != before.data) {
    s.data.reset();  // regenerate from the changed spec
  }
  // Keep the network's output consistent with the data's classes.
  const int data_classes = core::data_kind_has_classes(d.kind) ? d.classes : 2;
  if (n.classes != data_classes) {
    n.classes = data_classes;
    if (data_classes > 2 && n.output == core::OutputKind::SigmoidBce) n.output = core::OutputKind::SoftmaxCe;
    if (data_classes == 2 && !f.given("output") && before.net.output == core::OutputKind::SigmoidBce)
      n.output = core::OutputKind::SigmoidBce;
  }
  if (auto e = train::validate(st)) throw UsageError{*e};
  if (s.params && st.net != before.net) s.params.reset();  // the saved weights no longer fit
  return s;
}

void print_metrics(std::ostream& os, const train::Engine& e) {
  const core::Metrics& m = e.metrics();
  char buf[256];
  std::snprintf(buf, sizeof buf, "step %lld  epoch %lld  train loss %.6f  acc %.2f%%  |  ",
                static_cast<long long>(e.step_count()), static_cast<long long>(e.epoch()), m.train_loss,
                100.0 * m.train_accuracy);
  os << buf;
  if (m.evaluated_test == 0) {
    os << "no test points\n";
  } else {
    std::snprintf(buf, sizeof buf, "test loss %.6f  acc %.2f%%\n", m.test_loss, 100.0 * m.test_accuracy);
    os << buf;
  }
}

struct TrainFlags {
  long long steps = 0, epochs = 0;
  double target_loss = -1;
  std::string metrics_csv, save;
  long long log_every = 100;
  bool quiet = false;
};

// Trains the engine by the stopping flags; returns false on divergence.
bool train_loop(train::Engine& e, const TrainFlags& t, std::ostream* csv) {
  const bool any_rule = t.steps > 0 || t.epochs > 0 || t.target_loss >= 0;
  long long steps = any_rule ? t.steps : 1000;
  if (t.target_loss >= 0 && t.steps == 0 && t.epochs == 0) steps = 1000000;  // never run forever
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
    if (steps > 0 && e.step_count() >= steps) break;
    if (t.epochs > 0 && e.epoch() >= t.epochs) break;
    if (!e.step()) {
      if (e.state() == train::RunState::Diverged) {
        log();
        return false;
      }
      throw UsageError{e.message()};
    }
    if (t.log_every > 0 && e.step_count() % t.log_every == 0) {
      log();
      if (t.target_loss >= 0 && e.metrics().train_loss <= t.target_loss) break;
    }
  }
  log();
  return true;
}

std::unique_ptr<train::Engine> make_engine(const train::Session& s) {
  return std::make_unique<train::Engine>(s.settings, s.data, s.params);
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

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"mlpviz: watch a multilayer perceptron learn.\n"
               "Without a subcommand, opens the window on SESSION (or the default: two moons, "
               "2 hidden layers of 8 tanh units, training running)."};
  app.footer(kLossConvention);
  app.require_subcommand(0, 1);

  std::string gui_session;
  GuiOptions gui;
  app.add_option("session", gui_session, "Session file to open");
  app.add_option("--screenshot-after", gui.screenshot_after_steps, "Capture the window once training passed this step");
  app.add_option("--screenshot", gui.screenshot_path, "Where --screenshot-after (and Ctrl+P) write the PNG");
  app.add_flag("--exit", gui.exit_after_screenshot, "Quit after the --screenshot-after capture");
  app.add_option("--exit-after-frames", gui.exit_after_frames, "Quit after this many frames");
  app.add_option("--frame-stats", gui.frame_stats_path, "Write frame-time statistics (JSON) here on exit");
  app.add_option("--cpu-grid", gui.cpu_grid_path, "With a screenshot: also write the CPU evaluation of the view");
  app.add_flag("--paused", gui.start_paused, "Open with training paused");
  app.add_option("--width", gui.width, "Window width in pixels")->check(CLI::Range(1, 16384));
  app.add_option("--height", gui.height, "Window height in pixels")->check(CLI::Range(1, 16384));

  RunFlags train_flags, render_flags, dump_flags, grad_flags;
  TrainFlags tf;
  auto* train_cmd = app.add_subcommand("train", "Train headless and print the final train/test loss and accuracy");
  add_run_flags(train_cmd, train_flags);
  train_cmd->add_option("--steps", tf.steps, "Stop after this many steps (default 1000 when no rule is given; 1000000 with --target-loss alone)")
      ->check(CLI::Range(1LL, 1000000000000LL));
  train_cmd->add_option("--epochs", tf.epochs, "Stop after this many epochs")->check(CLI::Range(1LL, 1000000000LL));
  train_cmd->add_option("--target-loss", tf.target_loss, "Stop when the train loss (checked every --log-every steps) reaches this value")
      ->check(CLI::Range(0.0, 100.0));
  train_cmd->add_option("--metrics-csv", tf.metrics_csv, "Write step,epoch,train_loss,test_loss,train_acc,test_acc here");
  train_cmd->add_option("--log-every", tf.log_every, "Steps between logged metrics (default 100)")->check(CLI::Range(1LL, 1000000000LL));
  train_cmd->add_option("--save", tf.save, "Save the session with the trained parameters here");

  long long render_steps = 0, dump_steps = 0;
  std::string render_out, dump_out;
  int render_size = 512;
  auto* render_cmd = app.add_subcommand("render", "Draw the decision boundary and the data as a PNG (CPU)");
  add_run_flags(render_cmd, render_flags);
  render_cmd->add_option("--out", render_out, "PNG file to write")->required();
  render_cmd->add_option("--size", render_size, "Image width and height in pixels")->check(CLI::Range(16, 4096));
  render_cmd->add_option("--steps", render_steps, "Train this many steps first")->check(CLI::Range(0LL, 1000000000LL));

  auto* dump_cmd = app.add_subcommand("dump", "Print the parameters as JSON: per layer W (one row per unit), b, activation");
  add_run_flags(dump_cmd, dump_flags);
  dump_cmd->add_option("--steps", dump_steps, "Train this many steps first")->check(CLI::Range(0LL, 1000000000LL));
  dump_cmd->add_option("--out", dump_out, "Write to this file instead of standard output");

  auto* grad_cmd = app.add_subcommand("grad", "Print the loss and every gradient (dW, db) on the full training set");
  add_run_flags(grad_cmd, grad_flags);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "mlpviz: " << e.what() << " (see mlpviz --help)\n";
    return kExitUsage;
  }

  try {
    if (train_cmd->parsed()) {
      const train::Session s = build_session(train_flags);
      auto e = make_engine(s);
      if (e->effective_batch() < e->settings().optimizer.batch_size)
        std::cerr << "mlpviz: note: batch size " << e->settings().optimizer.batch_size << " is larger than the "
                  << e->data().count(false) << " training points: each step uses all of them\n";
      std::ofstream csv_file;
      std::ostringstream csv;
      if (!tf.metrics_csv.empty()) csv << "step,epoch,train_loss,test_loss,train_accuracy,test_accuracy\n";
      const bool ok = train_loop(*e, tf, tf.metrics_csv.empty() ? nullptr : &csv);
      if (!tf.metrics_csv.empty())
        if (auto err = train::write_file_atomically(tf.metrics_csv, csv.str())) throw UsageError{*err};
      print_metrics(std::cout, *e);
      if (ok && tf.target_loss >= 0 && e->metrics().train_loss > tf.target_loss)
        std::cerr << "mlpviz: note: the target loss " << tf.target_loss << " was not reached in "
                  << e->step_count() << " steps\n";
      if (ok && !e->health_note().empty())
        std::cerr << "mlpviz: note: " << e->health_note() << "\n";
      if (!tf.save.empty()) {
        train::Session out{e->settings(), e->data(), params_of(*e)};
        if (auto err = train::save_session(tf.save, out)) throw UsageError{*err};
      }
      if (!ok) {
        std::cerr << "mlpviz: " << e->message() << "\n";
        return kExitDiverged;
      }
      return 0;
    }
    if (render_cmd->parsed()) {
      auto e = make_engine(build_session(render_flags));
      const bool ok = pretrain(*e, render_steps);
      const core::GridSpec g = fit_view(e->data(), render_size, render_size);
      const auto rgb = render_boundary(e->layout(), e->settings().net.features, e->params(), e->data(), g);
      if (auto err = write_png(render_out, render_size, render_size, rgb)) throw UsageError{*err};
      return exit_after_output(*e, ok);  // after divergence the image shows the last good weights
    }
    if (dump_cmd->parsed()) {
      auto e = make_engine(build_session(dump_flags));
      const bool ok = pretrain(*e, dump_steps);
      const std::string text = train::parameters_json(e->layout(), params_of(*e)) + "\n";
      if (dump_out.empty()) std::cout << text;
      else if (auto err = train::write_file_atomically(dump_out, text)) throw UsageError{*err};
      return exit_after_output(*e, ok);
    }
    if (grad_cmd->parsed()) {
      const train::Session s = build_session(grad_flags);
      auto e = make_engine(s);
      std::vector<double> g;
      const double loss = e->full_gradient(g);
      // Same shapes as dump: per layer dW (one row per unit) and db.
      std::string layers = train::parameters_json(e->layout(), g, -1);
      std::ostringstream os;
      os.precision(17);
      os << "{\"loss\": " << loss << ", \"points\": " << e->data().count(false)
         << ", \"convention\": \"mean over training points; + l2/2*sum(W^2) + l1*sum|W|; biases not regularized\""
         << ", \"gradients\": " << layers << "}\n";
      std::string text = os.str();
      // Rename the keys of the shared layer format to the gradient's names.
      for (auto [from, to] : {std::pair{"\"W\":", "\"dW\":"}, std::pair{"\"b\":", "\"db\":"}})
        for (std::size_t p = text.find(from); p != std::string::npos; p = text.find(from, p + 4))
          text.replace(p, std::string(from).size(), to);
      std::cout << text;
      return 0;
    }
    // No subcommand: the window.
    train::Session s;
    s.settings = train::default_settings();
    if (!gui_session.empty()) {
      auto r = train::load_session(gui_session);
      if (auto* err = std::get_if<train::LoadError>(&r)) throw UsageError{err->message};
      s = std::get<train::Session>(std::move(r));
      gui.session_path = gui_session;
    }
    gui.session = std::move(s);
    return run_gui(gui);
  } catch (const UsageError& e) {
    std::cerr << "mlpviz: " << e.message << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "mlpviz: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace mlpviz::app
