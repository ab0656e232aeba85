#include "app/cli.hpp"

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

#include "app/cli_common.hpp"
#include "app/gui.hpp"
#include "app/render_png.hpp"
#include "core/data.hpp"
#include "core/data_dir.hpp"
#include "core/file_io.hpp"
#include "train/engine.hpp"
#include "train/lesson.hpp"
#include "train/lockstep.hpp"
#include "train/session.hpp"

namespace mlpviz::app {

using namespace cli;

namespace {

constexpr const char* kLossConvention = R"(Loss convention (train, grad, inspect):
  L = (1/N) sum over the N training points of loss(z, t)
      + l2/2 * sum of squared weights + l1 * sum of |weights|   (biases are not regularized)
  sigmoid_bce: loss = max(z,0) - z*t + log(1 + exp(-|z|)) from the logit z
  softmax_ce:  loss = logsumexp(z) - z[label]
  sigmoid_mse, linear_mse: loss = 1/2 * sum over outputs of (t - o)^2
  W of layer l has one row per unit of layer l and one column per unit of layer l-1.
  Targets t: from the labels (one-hot; t = label for one output unit), or for MSE outputs a
  session's per-point vectors (data.targets, network.outputs: docs/inspector.md).
  ReLU's derivative at z = 0 is 0 (leaky ReLU: alpha), as in PyTorch, TensorFlow and JAX.
  inspect: the same convention with N = 1 (one point).)";

// "KEY=VALUE[,KEY=VALUE...]" of --compare, or a UsageError naming the part and what is allowed.
GuiOptions::CompareChange parse_compare(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return UsageError{"--compare " + text + ": " + why +
                      " (expected KEY=VALUE[,KEY=VALUE...] with keys activation, width (1 to " +
                      std::to_string(core::kMaxWidth) + "), depth (1 to " + std::to_string(core::kMaxHiddenLayers) +
                      "), optimizer, lr (1e-6 to 10))"};
  };
  GuiOptions::CompareChange c;
  if (text.empty()) throw bad("nothing to change");
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string part = text.substr(start, comma - start);
    start = comma + 1;
    const std::size_t eq = part.find('=');
    if (eq == std::string::npos) throw bad("'" + part + "' has no '='");
    const std::string key = part.substr(0, eq), value = part.substr(eq + 1);
    const auto whole = [&](int lo, int hi) {
      std::size_t used = 0;
      int v = 0;
      try {
        v = std::stoi(value, &used);
      } catch (const std::exception&) {
        throw bad(key + " '" + value + "' is not a whole number");
      }
      if (used != value.size() || v < lo || v > hi) throw bad(key + " '" + value + "' is out of range");
      return v;
    };
    if (key == "activation") {
      c.activation = core::parse_activation(value);
      if (!c.activation) throw bad("unknown activation '" + value + "'");
    } else if (key == "optimizer") {
      c.optimizer = core::parse_optimizer(value);
      if (!c.optimizer) throw bad("unknown optimizer '" + value + "'");
    } else if (key == "width") {
      c.width = whole(1, core::kMaxWidth);
    } else if (key == "depth") {
      c.depth = whole(1, core::kMaxHiddenLayers);
    } else if (key == "lr") {
      std::size_t used = 0;
      double v = 0;
      try {
        v = std::stod(value, &used);
      } catch (const std::exception&) {
        throw bad("lr '" + value + "' is not a number");
      }
      if (used != value.size() || !(v >= 1e-6) || v > 10) throw bad("lr '" + value + "' is out of range");
      c.learning_rate = v;
    } else {
      throw bad("unknown key '" + key + "'");
    }
  }
  return c;
}

// "FRAME:W1,W2,..." of --switch-net, or a UsageError naming the part and its allowed range.
GuiOptions::NetSwitch parse_net_switch(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return UsageError{"--switch-net " + text + ": " + why + " (expected FRAME:W1,W2,... with FRAME >= 1, 1 to " +
                      std::to_string(core::kMaxHiddenLayers) + " widths of 1 to " + std::to_string(core::kMaxWidth) + ")"};
  };
  GuiOptions::NetSwitch sw;
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos) throw bad("no ':'");
  try {
    std::size_t used = 0;
    sw.frame = std::stoll(text.substr(0, colon), &used);
    if (used != colon || sw.frame < 1) throw bad("FRAME must be a whole number >= 1");
    std::string rest = text.substr(colon + 1);
    for (std::size_t start = 0; start <= rest.size();) {
      const std::size_t comma = std::min(rest.find(',', start), rest.size());
      const std::string w = rest.substr(start, comma - start);
      const int v = std::stoi(w, &used);
      if (used != w.size() || v < 1 || v > core::kMaxWidth) throw bad("width '" + w + "' out of range");
      sw.widths.push_back(v);
      start = comma + 1;
    }
  } catch (const std::logic_error&) {
    throw bad("not a number");
  }
  if (sw.widths.empty() || static_cast<int>(sw.widths.size()) > core::kMaxHiddenLayers) throw bad("wrong number of widths");
  return sw;
}

// "FRAME:MS" of --stall-frame, or a UsageError saying what is expected.
GuiOptions::Stall parse_stall(const std::string& text) {
  const UsageError bad{"--stall-frame " + text + ": expected FRAME:MS with FRAME >= 1 and MS from 1 to 60000"};
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos) throw bad;
  GuiOptions::Stall st;
  try {
    std::size_t used = 0;
    st.frame = std::stoll(text.substr(0, colon), &used);
    if (used != colon || st.frame < 1) throw bad;
    const std::string ms = text.substr(colon + 1);
    st.ms = std::stoi(ms, &used);
    if (used != ms.size() || st.ms < 1 || st.ms > 60000) throw bad;
  } catch (const std::logic_error&) {
    throw bad;
  }
  return st;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"mlpviz: watch a multilayer perceptron learn.\n"
               "Without a subcommand, opens the window on SESSION (or the default: two moons, "
               "2 hidden layers of 8 tanh units, training running).",
               "mlpviz"};  // the name in "Usage:" lines (and the man page), whatever the path
  app.footer(kLossConvention);
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("mlpviz ") + MLPVIZ_VERSION, "Print \"mlpviz VERSION\" and exit");

  bool print_data_dir = false;
  app.add_flag("--data-dir", print_data_dir,
               "Print the data folder (lessons) this program uses and exit (1: none found)");
  std::string gui_session;
  GuiOptions gui;
  app.add_option("session", gui_session, "Session file to open");
  app.add_option("--screenshot-after", gui.screenshot_after_steps, "Capture the window once training passed this step");
  auto* screenshot_opt = app.add_option("--screenshot", gui.screenshot_path, "Where --screenshot-after (and Ctrl+P) write the PNG");
  app.add_flag("--exit", gui.exit_after_screenshot, "Quit after the --screenshot-after capture");
  app.add_option("--exit-after-frames", gui.exit_after_frames, "Quit after this many frames");
  auto* frame_stats_opt = app.add_option("--frame-stats", gui.frame_stats_path, "Write frame-time statistics (JSON) here on exit");
  auto* run_log_opt = app.add_option("--run-log-csv", gui.run_log_path,
                                     "Write the window's run log (View > Run log) as CSV here on exit");
  auto* cpu_grid_opt = app.add_option("--cpu-grid", gui.cpu_grid_path, "With a screenshot: also write the CPU evaluation of the view");
  app.add_flag("--paused", gui.start_paused, "Open with training paused");
  app.add_flag("--histograms", gui.show_histograms, "Open the z histograms window (View menu) at start");
  std::string recover_mode = "ask";
  app.add_option("--recover", recover_mode,
                 "Unsaved work of windows that did not close cleanly: ask (default: a dialog offers it), "
                 "open (the newest at once, the others kept), keep (all kept for the next start)")
      ->check(CLI::IsMember({"ask", "open", "keep"}));
  app.add_option("--ui-scale", gui.ui_scale,
                 "Presentation size at start, as Ctrl +/- sets it (0.85 to 2.5: the nearest step)")
      ->check(CLI::Range(0.85f, 2.5f));
  auto* layout_report_opt = app.add_option("--layout-report", gui.layout_report_path,
                 "With a screenshot: also write the layout check (view area, clipped text, "
                 "thumbnail overlaps)");
  std::vector<std::string> switch_nets;
  app.add_option("--switch-net", switch_nets,
                 "FRAME:W1,W2,...: at that frame, rebuild the network with these hidden widths (repeatable; tests, benchmarks)");
  std::string stall;
  app.add_option("--stall-frame", stall,
                 "FRAME:MS: after drawing that frame, sleep MS milliseconds (a long frame on purpose; input tests)");
  std::vector<std::string> compare_specs;
  app.add_option("--compare", compare_specs,
                 "KEY=VALUE[,...]: after the first frame, compare the network with a copy so changed (repeatable, up to "
                 "three; keys activation, width, depth, optimizer, lr; e.g. --compare activation=relu)")
      ->allow_extra_args(false);  // one spec per --compare: a session path after it stays the session
  app.add_option("--show", gui.show_views, "Open a view at start (repeatable): regions (the linear-regions overlay), hidden (the hidden-space window), hidden-layers (it, through the layers, at the last)")
      ->check(CLI::IsMember({"regions", "hidden", "hidden-layers"}));
  app.add_option("--sweep", gui.sweep_spec,
                 "WIDTHS:DEPTHS:STEPS: open the Sweep window and train that grid on the session's data, e.g. "
                 "2,4,8,16,32:1,2,3:3000");
  app.add_option("--sweep-csv", gui.sweep_csv_path,
                 "With --sweep: when every cell is done, write them as run-log CSV and close the window (tests)");
  app.add_option("--sweep-png", gui.sweep_png_path,
                 "With --sweep-csv: also export the grid as the Sweep window's Export PNG does (tests)");
  std::string gui_speed;
  app.add_option("--speed", gui_speed,
                 "Training pace of the window: steps per second (1 to 1000000) or 'max' (full speed); "
                 "overrides the session's (the default session runs at 50)");
  auto* gui_lesson_opt = app.add_option("--lesson", gui.lesson, "Open the window on this lesson (see `mlpviz lessons`)");
  auto* gui_lesson_step_opt =
      app.add_option("--lesson-step", gui.lesson_step, "With --lesson: open it at this step")->check(CLI::Range(1, 1000));
  app.add_flag("--classroom", gui.classroom,
               "Open in classroom mode: only the panels and controls the lesson or session chose (Ctrl+L toggles)");
  app.add_option("--drop", gui.drop_paths,
                 "Handle this file at start as if dropped onto the window: a session (.json) opens, points (.csv) are "
                 "imported (repeatable; tests)");
  auto* export_figure_opt = app.add_option("--export-figure", gui.export_figure_path,
                 "With --screenshot-after: also export the view as a figure (PNG at 2x, as File > Export figure...; "
                 "a .gif: the timeline's stored steps)");
  auto* save_session_opt = app.add_option("--save-session", gui.save_session_path,
                 "With --screenshot-after: also save the session there, as File > Save session does (compared "
                 "runs included, all at the capture's step; tests)");
  app.add_option("--inspect", gui.inspect_sample,
                 "Open the backprop inspector on data point N of the session (0-based; the math at that point)")
      ->check(CLI::Range(0LL, static_cast<long long>(core::kMaxPoints) - 1));
  app.add_flag("--inspect-step", gui.inspect_step,
               "With --inspect: press Step on this point once at start (tests, screenshots)");
  app.add_option("--width", gui.width, "Window width in pixels")->check(CLI::Range(1, 16384));
  app.add_option("--height", gui.height, "Window height in pixels")->check(CLI::Range(1, 16384));

  RunFlags train_flags, dump_flags, grad_flags;
  TrainFlags tf;
  auto* train_cmd = app.add_subcommand("train", "Train headless and print the final train/test loss and accuracy");
  add_run_flags(train_cmd, train_flags);
  train_cmd->add_option("--steps", tf.steps, "Train this many steps, counted from the session's saved step (default 1000 when no rule is given; 1000000 with --target-loss alone)")
      ->check(CLI::Range(1LL, 1000000000000LL));
  train_cmd->add_option("--epochs", tf.epochs, "Stop after this many epochs")->check(CLI::Range(1LL, 1000000000LL));
  train_cmd->add_option("--target-loss", tf.target_loss, "Stop when the train loss (checked every --log-every steps) reaches this value")
      ->check(CLI::Range(0.0, 100.0));
  auto* metrics_csv_opt = train_cmd->add_option(
      "--metrics-csv", tf.metrics_csv, "Write step,epoch,train_loss,test_loss,train_acc,test_acc here ('-': standard output)");
  train_cmd->add_option("--log-every", tf.log_every, "Steps between logged metrics (default 100)")->check(CLI::Range(1LL, 1000000000LL));
  auto* save_opt = train_cmd->add_option("--save", tf.save, "Save the session with the trained parameters here ('-': standard output)");

  long long dump_steps = 0;
  std::string dump_out;

  auto* dump_cmd = app.add_subcommand("dump", "Print the parameters as JSON: per layer W (one row per unit), b, activation");
  add_run_flags(dump_cmd, dump_flags);
  dump_cmd->add_option("--steps", dump_steps, "Train this many steps first")->check(CLI::Range(0LL, 1000000000LL));
  auto* dump_out_opt = dump_cmd->add_option("--out", dump_out, "Write to this file instead of standard output");

  auto* grad_cmd = app.add_subcommand("grad", "Print the loss and every gradient (dW, db) on the full training set");
  add_run_flags(grad_cmd, grad_flags);

  // Subcommands defined in their own files (cli_<name>.cpp, declared in cli_common.hpp), one
  // line each here.
  std::vector<Command> commands;
  commands.push_back(add_sweep_command(app));
  commands.push_back(add_lessons_command(app));
  commands.push_back(add_regions_command(app));
  commands.push_back(add_hidden_command(app));
  commands.push_back(add_render_command(app));
  commands.push_back(add_inspect_command(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "mlpviz: " << e.what() << " (see mlpviz --help)\n";
    return kExitUsage;
  }

  if (print_data_dir) {  // installs and packages: the folder core::find_data_dir() picked
    const auto dir = core::find_data_dir();
    if (!dir) {
      std::cerr << "mlpviz: no data folder: not in $MLPVIZ_DATA_DIR, <program folder>/../share/mlpviz "
                   "or the source tree\n";
      return 1;
    }
    std::cout << dir->string() << "\n";
    return 0;
  }

  try {
    for (const Command& c : commands)
      if (c.app->parsed()) return c.run();
    if (train_cmd->parsed()) {
      const train::Session s = build_session(train_flags);
      // A lesson trains as long as its stopping rule says (what its claims are tested at), unless
      // a stop flag is given.
      if (train_flags.given("lesson") && tf.steps == 0 && tf.epochs == 0 && tf.target_loss < 0 &&
          s.settings.stop.kind == train::StopRule::Kind::Steps)
        tf.steps = std::max<long long>(1, s.settings.stop.steps - (s.progress ? s.progress->step : 0));
      const bool want_csv = metrics_csv_opt->count() > 0, want_save = save_opt->count() > 0;
      const Output csv_out{"--metrics-csv", tf.metrics_csv}, save_out{"--save", tf.save};
      std::vector<Output> outs;
      if (want_csv) outs.push_back(csv_out);
      if (want_save) outs.push_back(save_out);
      check_outputs(outs);
      // With an output on standard output, the figures and notes go to standard error.
      std::ostream& figures =
          (want_csv && writes_to_stdout(csv_out)) || (want_save && writes_to_stdout(save_out)) ? std::cerr : std::cout;
      auto e = make_engine(s);
      if (e->effective_batch() < e->settings().optimizer.batch_size)
        std::cerr << "mlpviz: note: batch size " << e->settings().optimizer.batch_size << " is larger than the "
                  << e->data().count(false) << " training points: each step uses all of them\n";
      std::ostringstream csv;
      if (want_csv) csv << "step,epoch,train_loss,test_loss,train_accuracy,test_accuracy\n";
      const bool ok = train_loop(*e, tf, want_csv ? &csv : nullptr);
      bool written = true;
      if (want_csv) written = write_output(csv_out, csv.str()) && written;
      print_metrics(figures, *e);
      if (ok && tf.target_loss >= 0 && e->metrics().train_loss > tf.target_loss)
        std::cerr << "mlpviz: note: the target loss " << tf.target_loss << " was not reached in "
                  << e->step_count() << " steps\n";
      if (ok && !e->health_note().empty())
        std::cerr << "mlpviz: note: " << e->health_note() << "\n";
      if (want_save) {
        train::Session out{e->settings(), e->data(), params_of(*e), e->progress()};
        // The session's comparison goes on with it: each compared run trained to the main run's
        // step, as the window's lockstep would have (docs/session-format.md).
        if (!s.compared.empty()) {
          out.compared = train::compared_at_step(s, e->data(), e->step_count());
          std::cerr << "mlpviz: note: the session's " << out.compared.size() << " compared network"
                    << (out.compared.size() == 1 ? " was" : "s were") << " trained to step " << e->step_count()
                    << " as well and saved with it\n";
        }
        written = write_output(save_out, train::to_json_text(out)) && written;
      }
      if (!ok) std::cerr << "mlpviz: " << e->message() << "\n";
      if (!written) return kExitUsage;  // the other outputs and the figures are out; this one is not
      return ok ? 0 : kExitDiverged;
    }
    if (dump_cmd->parsed()) {
      const train::Session s = build_session(dump_flags);
      const Output out{"--out", dump_out_opt->count() > 0 ? dump_out : std::string("-")};
      check_outputs({out});
      auto e = make_engine(s);
      const bool ok = pretrain(*e, dump_steps);
      const std::string text = train::parameters_json(e->layout(), params_of(*e)) + "\n";
      if (!write_output(out, text)) {
        if (!ok) std::cerr << "mlpviz: " << e->message() << "\n";
        return kExitUsage;
      }
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
    // No subcommand: the window. Its automation outputs are checked before it opens.
    std::vector<Output> gui_outs;
    if (screenshot_opt->count() > 0) gui_outs.push_back({"--screenshot", gui.screenshot_path});
    if (frame_stats_opt->count() > 0) gui_outs.push_back({"--frame-stats", gui.frame_stats_path});
    if (run_log_opt->count() > 0) gui_outs.push_back({"--run-log-csv", gui.run_log_path});
    if (cpu_grid_opt->count() > 0) gui_outs.push_back({"--cpu-grid", gui.cpu_grid_path});
    if (layout_report_opt->count() > 0) gui_outs.push_back({"--layout-report", gui.layout_report_path});
    if (export_figure_opt->count() > 0) gui_outs.push_back({"--export-figure", gui.export_figure_path});
    if (save_session_opt->count() > 0) gui_outs.push_back({"--save-session", gui.save_session_path});
    check_outputs(gui_outs);
    for (const std::string& text : switch_nets) gui.switch_nets.push_back(parse_net_switch(text));
    if (!stall.empty()) gui.stall = parse_stall(stall);
    if (compare_specs.size() > 3) throw UsageError{"--compare: at most three compared networks (four in all)"};
    for (const std::string& text : compare_specs) gui.compare.push_back(parse_compare(text));
    train::Session s;
    s.settings = train::default_settings();
    if (!gui_session.empty()) {
      auto r = train::load_session(gui_session);
      if (auto* err = std::get_if<train::LoadError>(&r)) throw UsageError{err->message};
      s = std::get<train::Session>(std::move(r));
      gui.session_path = gui_session;
    }
    if (gui_lesson_step_opt->count() > 0 && gui_lesson_opt->count() == 0)
      throw UsageError{"--lesson-step needs --lesson"};
    if (gui_lesson_opt->count() > 0) {
      if (!gui_session.empty()) throw UsageError{"--lesson and SESSION both name a session: give one"};
      auto r = train::find_lesson(gui.lesson);
      if (auto* err = std::get_if<train::LoadError>(&r)) throw UsageError{err->message};
      const train::Lesson& l = std::get<train::Lesson>(r);
      if (gui.lesson_step > l.step_count())
        throw UsageError{"--lesson-step = " + std::to_string(gui.lesson_step) + " is out of range: lesson " + l.name +
                         " has steps 1 to " + std::to_string(l.step_count())};
      s = l.session_at(gui.lesson_step);
      if (l.paused) gui.start_paused = true;  // a worked example opens before its step
    }
    if (!gui_speed.empty()) {
      char* end = nullptr;
      const double v = gui_speed == "max" ? 0.0 : std::strtod(gui_speed.c_str(), &end);
      if (gui_speed != "max" && (end == gui_speed.c_str() || *end != '\0' || !(v >= 1 && v <= train::kMaxStepsPerSecond)))
        throw UsageError{"--speed = " + gui_speed + " is out of range: allowed 1 to 1000000 steps per second, or max"};
      s.settings.steps_per_second = v;
    }
    gui.session = std::move(s);
    gui.recover = recover_mode == "open" ? Recovery::Open : recover_mode == "keep" ? Recovery::Keep : Recovery::Ask;
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
