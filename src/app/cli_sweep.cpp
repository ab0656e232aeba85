// cli_sweep.cpp: `mlpviz sweep`: a grid of networks (depths x widths, optionally x activations,
// or depths at an equal parameter budget) trained on the same data and seeds by the worker pool
// (train/pool.hpp); a PNG of their boundaries, labelled, and the run log (train/run_log.hpp) as CSV.
//
// Each cell is the session `mlpviz train` builds from the same flags plus --layers (and
// --activation), trained by the same stop rules (cli::stop_rules): its numbers and weights equal
// that command's, bit for bit (tests/cli_sweep_test.cmake).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "app/cli_common.hpp"
#include "app/figure.hpp"
#include "app/figure_text.hpp"
#include "app/render_png.hpp"
#include "app/sweep_grid.hpp"
#include "core/file_io.hpp"
#include "train/pool.hpp"
#include "train/run_log.hpp"
#include "train/sweep.hpp"

namespace mlpviz::app::cli {

namespace {

struct SweepFlags {
  RunFlags run;
  TrainFlags train;
  std::string widths = "2,4,8,16,32", depths = "1,2,3", activations;
  long long equal_params = 0;
  int threads = 0;
  int cell_size = 160;
  std::string out, csv, save_cells;
  CLI::Option *widths_opt = nullptr, *activations_opt = nullptr, *equal_opt = nullptr,
              *threads_opt = nullptr, *out_opt = nullptr, *csv_opt = nullptr, *save_cells_opt = nullptr;
};

// A list flag as train::parse_int_list reads it; else a UsageError naming the flag.
std::vector<int> parse_list(const std::string& flag, const std::string& text, int lo, int hi) {
  std::vector<int> out;
  if (auto err = train::parse_int_list(flag, text, lo, hi, out)) throw UsageError{*err};
  return out;
}

struct Cell {
  train::SweepCell at;
  train::Session session;
  std::unique_ptr<train::Engine> engine;  // once trained
};

int run_sweep(SweepFlags& f) {
  // ---- the axes, checked before anything runs ----
  const bool equal = f.equal_opt->count() > 0;
  if (equal && f.widths_opt->count() > 0)
    throw UsageError{"--widths and --equal-params: the budget picks each depth's width; give one or the other"};
  train::SweepAxes axes;
  axes.depths = parse_list("--depths", f.depths, 1, core::kMaxHiddenLayers);
  if (!equal) axes.widths = parse_list("--widths", f.widths, 1, core::kMaxWidth);
  if (f.activations_opt->count() > 0)
    if (auto err = train::parse_activation_list("--activations", f.activations, axes.activations)) throw UsageError{*err};
  if (equal) axes.equal_params = f.equal_params;
  const train::Session base = build_session(f.run);  // the common flags, checked once
  train::SweepPlan plan;
  if (auto err = train::plan_sweep(base.settings.net, axes, plan)) throw UsageError{*err};

  std::vector<Output> outs;
  if (f.out_opt->count() > 0) outs.push_back({"--out", f.out});
  if (f.csv_opt->count() > 0) outs.push_back({"--csv", f.csv});
  std::vector<Cell> cells;
  for (const train::SweepCell& at : plan.cells) cells.push_back(Cell{at, {}, nullptr});
  if (f.save_cells_opt->count() > 0) {
    std::error_code ec;
    if (!std::filesystem::is_directory(f.save_cells, ec))
      throw UsageError{"--save-cells " + shown_path(f.save_cells) + ": not a directory"};
    for (const Cell& c : cells)
      outs.push_back({"--save-cells", (std::filesystem::path(f.save_cells) /
                                       ("cell_" + std::to_string(c.at.depth) + "x" + std::to_string(c.at.width) +
                                        (c.at.activation ? "_" + std::string(core::name(*c.at.activation)) : "") + ".json"))
                                          .string()});
  }
  check_outputs(outs);

  // ---- each cell: the session `train` builds from the same flags plus --layers, --activation ----
  for (Cell& c : cells) {
    RunFlags rf = f.run;
    rf.layers = core::widths_text(std::vector<int>(static_cast<std::size_t>(c.at.depth), c.at.width));
    rf.set_by_command.insert("layers");
    if (c.at.activation) {
      rf.activation = std::string(core::name(*c.at.activation));
      rf.set_by_command.insert("activation");
    }
    c.session = build_session(rf);
  }
  if (equal)
    for (int d : axes.depths) {
      const int got = train::sweep_parameters(base.settings.net, d, train::width_for_budget(base.settings.net, d, f.equal_params));
      if (std::llabs(got - f.equal_params) * 10 > f.equal_params)
        std::cerr << "mlpviz: note: depth " << d << " comes nearest " << f.equal_params << " parameters with "
                  << got << " (widths 1 to " << core::kMaxWidth << ")\n";
    }

  // ---- training on the pool ----
  train::Pool::Options po;
  po.threads = f.threads_opt->count() > 0 ? f.threads : train::Pool::default_threads();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<train::Pool::RunId> ids;
  {
    train::Pool pool(po);
    std::vector<train::Pool::Job> jobs;
    for (const Cell& c : cells) {
      auto e = make_engine(c.session);
      const train::StopRules rules = stop_rules(f.train, e->step_count());
      jobs.push_back({std::move(e), rules});
    }
    ids = pool.add(std::move(jobs));
    pool.wait();
    for (std::size_t i = 0; i < cells.size(); ++i) cells[i].engine = pool.take(ids[i]);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // ---- results ----
  train::RunLog log;
  const std::string when = train::utc_now();
  const bool csv_to_stdout = f.csv_opt->count() > 0 && writes_to_stdout({"--csv", f.csv});
  std::ostream& figures = csv_to_stdout || (f.out_opt->count() > 0 && writes_to_stdout({"--out", f.out})) ? std::cerr : std::cout;
  std::vector<std::string> diverged;
  long long steps = 0;
  for (const Cell& c : cells) {
    const train::Engine& e = *c.engine;
    log.append(train::log_entry(e, when));
    steps += e.step_count();
    figures << train::cell_name(c.at) << " (" << e.layout().num_params << " params): ";
    print_metrics(figures, e);
    if (e.state() == train::RunState::Diverged) diverged.push_back(train::cell_name(c.at) + ": " + e.message());
  }
  char timing[160];
  const int used = std::min<int>(po.threads, static_cast<int>(cells.size()));
  std::snprintf(timing, sizeof timing, "mlpviz: %zu cell%s, %lld steps in %.2f s on %d thread%s\n", cells.size(), cells.size() == 1 ? "" : "s", steps,
                seconds, used, used == 1 ? "" : "s");
  std::cerr << timing;

  bool written = true;
  if (f.csv_opt->count() > 0) written = write_output({"--csv", f.csv}, log.to_csv()) && written;
  if (f.save_cells_opt->count() > 0)
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const train::Engine& e = *cells[i].engine;
      const train::Session s{e.settings(), e.data(), params_of(e), e.progress()};
      written = write_output(outs[outs.size() - cells.size() + i], train::to_json_text(s)) && written;
    }
  if (f.out_opt->count() > 0) {
    const std::string steps_text = f.train.epochs > 0 && f.train.steps == 0
                                       ? std::to_string(f.train.epochs) + " epochs"
                                       : std::to_string(f.train.steps > 0 ? f.train.steps : 1000) + " steps";
    const std::string title = sweep_title(base.settings, steps_text);
    std::vector<SweepGridCell> grid;
    for (const Cell& c : cells) grid.push_back({c.at, c.engine.get()});
    const Image img = sweep_grid_image(grid, plan, f.cell_size, title);
    if (auto err = write_png(output_target(f.out), img.width, img.height, img.rgb)) {
      std::cerr << "mlpviz: --out: " << *err << "\n";
      written = false;
    }
  }
  for (const std::string& d : diverged) std::cerr << "mlpviz: " << d << "\n";
  if (!written) return kExitUsage;
  return diverged.empty() ? 0 : kExitDiverged;
}

}  // namespace

Command add_sweep_command(CLI::App& app) {
  auto f = std::make_shared<SweepFlags>();
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Train a grid of networks (depths x widths, optionally x activations) on the same data and seeds on "
      "several threads; draw their boundaries as one labelled PNG and write the runs as CSV. Each cell equals "
      "`train` with the same flags and --layers");
  add_run_flags(cmd, f->run);
  // The grid sets the network's shape and activation: those two flags are the axes here.
  for (const char* axis : {"layers", "activation"}) {
    cmd->remove_option(f->run.opts.at(axis));
    f->run.opts.erase(axis);
  }
  f->widths_opt = cmd->add_option("--widths", f->widths, "Hidden widths, the columns (1-64, comma-separated; default 2,4,8,16,32)");
  cmd->add_option("--depths", f->depths, "Hidden layer counts, the rows (1-8, comma-separated; default 1,2,3)");
  f->activations_opt = cmd->add_option("--activations", f->activations,
                                       "Hidden activations, a third axis (comma-separated: " + core::all_names_activation() +
                                           "; default the session's)");
  f->equal_opt = cmd->add_option("--equal-params", f->equal_params,
                                 "Equal parameter budget: each depth gets the width (1-64) whose network has the number of "
                                 "parameters nearest this (instead of --widths)")
                     ->check(CLI::Range(1LL, 1000000LL));
  cmd->add_option("--steps", f->train.steps, "Train each cell this many steps (default 1000 when no rule is given)")
      ->check(CLI::Range(1LL, 1000000000000LL));
  cmd->add_option("--epochs", f->train.epochs, "Stop each cell after this many epochs")->check(CLI::Range(1LL, 1000000000LL));
  f->threads_opt = cmd->add_option("--threads", f->threads,
                                   "Worker threads (1-256; default the hardware threads less one, at least 1)")
                       ->check(CLI::Range(1, 256));
  f->out_opt = cmd->add_option("--out", f->out, "PNG of the grid of boundaries ('-': standard output)");
  cmd->add_option("--cell-size", f->cell_size, "Width and height of each cell's image in pixels")->check(CLI::Range(48, 1024));
  f->csv_opt = cmd->add_option("--csv", f->csv,
                               "The run log as CSV, a row per cell: time, data, widths, depth, activation, parameters, "
                               "optimizer, learning rate, batch, steps, train and test loss and accuracy ('-': standard output)");
  f->save_cells_opt = cmd->add_option("--save-cells", f->save_cells,
                                      "Save each cell's trained session into this folder (cell_<depth>x<width>[_<activation>].json)");
  return {cmd, [f] { return run_sweep(*f); }};
}

}  // namespace mlpviz::app::cli
