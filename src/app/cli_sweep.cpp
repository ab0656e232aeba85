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
#include "core/file_io.hpp"
#include "train/pool.hpp"
#include "train/run_log.hpp"

namespace mlpviz::app::cli {

namespace {

constexpr int kMaxCells = 100;

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

// "2,4,8" as whole numbers in [lo, hi], each once; else a UsageError naming the flag, the item
// and the allowed range.
std::vector<int> parse_list(const std::string& flag, const std::string& text, int lo, int hi) {
  const std::string allowed = "allowed " + std::to_string(lo) + " to " + std::to_string(hi) + ", separated by commas";
  if (text.empty()) throw UsageError{flag + " is empty: " + allowed};
  std::vector<int> out;
  for (const std::string& item : split_commas(text)) {
    if (item.empty()) throw UsageError{flag + " = '" + core::printable(text, 60) + "': an empty item: " + allowed};
    int v = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (ec == std::errc::result_out_of_range)
      throw UsageError{flag + ": " + core::printable(item, 30) + " is out of range: " + allowed};
    if (ec != std::errc() || end != item.data() + item.size())
      throw UsageError{flag + ": '" + core::printable(item, 30) + "' is not a whole number: " + allowed};
    if (v < lo || v > hi) throw UsageError{flag + ": " + item + " is out of range: " + allowed};
    if (std::find(out.begin(), out.end(), v) != out.end()) throw UsageError{flag + ": " + item + " is given twice"};
    out.push_back(v);
  }
  return out;
}

std::vector<core::Activation> parse_activations(const std::string& text) {
  const std::string allowed = "allowed " + core::all_names_activation() + ", separated by commas";
  if (text.empty()) throw UsageError{"--activations is empty: " + allowed};
  std::vector<core::Activation> out;
  for (const std::string& item : split_commas(text)) {
    auto a = core::parse_activation(item);
    if (!a) throw UsageError{"--activations: '" + core::printable(item, 30) + "' is not known: " + allowed};
    if (std::find(out.begin(), out.end(), *a) != out.end()) throw UsageError{"--activations: " + item + " is given twice"};
    out.push_back(*a);
  }
  return out;
}

std::string join(const std::vector<int>& v, const char* sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s += sep;
    s += std::to_string(v[i]);
  }
  return s;
}

struct Cell {
  int depth = 1, width = 1;
  std::optional<core::Activation> activation;  // set when the sweep has an activation axis
  int row = 0, col = 0;
  train::Session session;
  std::unique_ptr<train::Engine> engine;  // once trained
};

// Parameters of the network `net` with `depth` hidden layers of `width` units.
int parameters(core::NetSpec net, int depth, int width) {
  net.widths.assign(depth, width);
  net.activations.assign(depth, net.activations.empty() ? core::Activation::Tanh : net.activations.front());
  return core::Layout::from_spec(net).num_params;
}

// The width (1 to kMaxWidth) whose network of `depth` layers is nearest `budget` parameters (the
// smaller on a tie).
int width_for_budget(const core::NetSpec& net, int depth, long long budget) {
  int best = 1;
  for (int w = 2; w <= core::kMaxWidth; ++w)
    if (std::llabs(parameters(net, depth, w) - budget) < std::llabs(parameters(net, depth, best) - budget)) best = w;
  return best;
}

std::string percent(double v) {
  if (!std::isfinite(v)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * v);
  return buf;
}

std::string cell_name(const Cell& c) {
  return std::to_string(c.depth) + "x" + std::to_string(c.width) +
         (c.activation ? " " + std::string(core::name(*c.activation)) : std::string());
}

// One size of the shared figure font (app/figure_text.hpp), in the whole pixels the grid's layout
// counts with; grey levels for dark text on the light page.
struct SizedFont {
  const TextPainter& painter;
  float px;
  int line_height() const { return static_cast<int>(std::ceil(px)); }
  int width(std::string_view t) const { return static_cast<int>(std::ceil(painter.width(t, px))); }
  void draw(Image& img, int x, int y, std::string_view t, unsigned char grey = 20) const {
    const float v = grey / 255.0f;
    painter.draw(img, static_cast<float>(x), static_cast<float>(y), t, px, core::Rgb{v, v, v});
  }
  void draw_centered(Image& img, int centre_x, int y, std::string_view t, unsigned char grey = 20) const {
    draw(img, centre_x - width(t) / 2, y, t, grey);
  }
};

// The grid as one image: a title, the column axis and headers, the row headers, and under each
// cell's boundary its shape, its parameters and its test accuracy.
Image grid_image(const std::vector<Cell>& cells, int rows, int cols, int cs, const std::string& title,
                 const std::string& col_axis, const std::vector<std::string>& col_heads,
                 const std::string& row_axis, const std::vector<std::string>& row_heads) {
  const TextPainter painter;
  const SizedFont title_font{painter, std::clamp(cs / 9.0f, 15.0f, 24.0f)};
  const SizedFont head_font{painter, std::clamp(cs / 10.0f, 13.0f, 22.0f)};
  const SizedFont cell_font{painter, std::clamp(cs / 11.0f, 12.0f, 20.0f)};
  const int pad = 12, gap = 12;
  const int cell_line = cell_font.line_height() + 2;
  const int label_h = 2 * cell_line + 4;
  int row_head_w = head_font.width(row_axis);
  for (const std::string& h : row_heads) row_head_w = std::max(row_head_w, head_font.width(h));
  row_head_w += gap;
  const int title_h = title_font.line_height() + 6;
  const int head_h = head_font.line_height() + 6;
  const int top = pad + title_h + 2 * head_h;
  const int left = pad + row_head_w;
  const int width = std::max(left + cols * (cs + gap) - gap + pad, pad + title_font.width(title) + pad);
  const int height = top + rows * (cs + label_h + gap) - gap + pad;
  Image img(width, height, core::Rgb{250 / 255.0f, 250 / 255.0f, 250 / 255.0f});
  title_font.draw(img, pad, pad, title);
  const int grid_w = cols * (cs + gap) - gap;
  head_font.draw_centered(img, left + grid_w / 2, pad + title_h, col_axis, 60);
  for (int c = 0; c < cols; ++c)
    head_font.draw_centered(img, left + c * (cs + gap) + cs / 2, pad + title_h + head_h, col_heads[c]);
  head_font.draw(img, pad, pad + title_h + head_h, row_axis, 60);
  for (int r = 0; r < rows; ++r)
    head_font.draw(img, pad, top + r * (cs + label_h + gap) + cs / 2 - head_font.line_height() / 2, row_heads[r]);
  for (const Cell& cell : cells) {
    const train::Engine& e = *cell.engine;
    const int x = left + cell.col * (cs + gap), y = top + cell.row * (cs + label_h + gap);
    const core::GridSpec g = fit_view(e.data(), cs, cs);
    img.fill_rect(x - 1, y - 1, x + cs + 1, y + cs + 1, core::Rgb{120 / 255.0f, 120 / 255.0f, 120 / 255.0f});  // a thin frame
    FigureOptions fo;  // the boundary and the points alone: the grid labels each cell itself
    fo.plot_w = fo.plot_h = cs;
    fo.axes = fo.legend = false;
    img.paste(render_figure(painter, e.layout(), e.settings().net.features, e.params(), e.data(), g, fo), x, y);
    const std::string shape = std::to_string(cell.depth) + " \u00d7 " + std::to_string(cell.width) +
                              (cell.activation ? " " + std::string(core::name(*cell.activation)) : std::string()) +
                              " \u00b7 " + std::to_string(e.layout().num_params) + " params";
    const std::string result = e.state() == train::RunState::Diverged
                                   ? "diverged at step " + std::to_string(e.step_count())
                                   : "test accuracy " + percent(e.metrics().test_accuracy);
    cell_font.draw(img, x, y + cs + 3, shape);
    cell_font.draw(img, x, y + cs + 3 + cell_line, result, e.state() == train::RunState::Diverged ? 140 : 20);
  }
  return img;
}

int run_sweep(SweepFlags& f) {
  // ---- the axes, checked before anything runs ----
  const bool equal = f.equal_opt->count() > 0;
  if (equal && f.widths_opt->count() > 0)
    throw UsageError{"--widths and --equal-params: the budget picks each depth's width; give one or the other"};
  const std::vector<int> depths = parse_list("--depths", f.depths, 1, core::kMaxHiddenLayers);
  const std::vector<int> widths = equal ? std::vector<int>{} : parse_list("--widths", f.widths, 1, core::kMaxWidth);
  const std::vector<core::Activation> acts =
      f.activations_opt->count() > 0 ? parse_activations(f.activations) : std::vector<core::Activation>{};
  const int n_acts = std::max<int>(1, static_cast<int>(acts.size()));
  const long long n_cells = static_cast<long long>(depths.size()) * (equal ? 1 : widths.size()) * n_acts;
  if (n_cells > kMaxCells)
    throw UsageError{"the sweep has " + std::to_string(n_cells) + " cells (" + std::to_string(depths.size()) +
                     " depths x " + std::to_string(equal ? 1 : widths.size()) + " widths x " + std::to_string(n_acts) +
                     " activations): allowed at most " + std::to_string(kMaxCells)};
  const train::Session base = build_session(f.run);  // the common flags, checked once

  std::vector<Output> outs;
  if (f.out_opt->count() > 0) outs.push_back({"--out", f.out});
  if (f.csv_opt->count() > 0) outs.push_back({"--csv", f.csv});
  std::vector<Cell> cells;
  const int rows = equal ? n_acts : n_acts * static_cast<int>(depths.size());
  const int cols = equal ? static_cast<int>(depths.size()) : static_cast<int>(widths.size());
  for (int a = 0; a < n_acts; ++a)
    for (std::size_t d = 0; d < depths.size(); ++d)
      for (int w = 0; w < (equal ? 1 : static_cast<int>(widths.size())); ++w) {
        Cell c;
        c.depth = depths[d];
        c.width = equal ? width_for_budget(base.settings.net, c.depth, f.equal_params) : widths[w];
        if (!acts.empty()) c.activation = acts[a];
        c.row = equal ? a : a * static_cast<int>(depths.size()) + static_cast<int>(d);
        c.col = equal ? static_cast<int>(d) : w;
        cells.push_back(std::move(c));
      }
  if (f.save_cells_opt->count() > 0) {
    std::error_code ec;
    if (!std::filesystem::is_directory(f.save_cells, ec))
      throw UsageError{"--save-cells " + shown_path(f.save_cells) + ": not a directory"};
    for (const Cell& c : cells)
      outs.push_back({"--save-cells", (std::filesystem::path(f.save_cells) /
                                       ("cell_" + std::to_string(c.depth) + "x" + std::to_string(c.width) +
                                        (c.activation ? "_" + std::string(core::name(*c.activation)) : "") + ".json"))
                                          .string()});
  }
  check_outputs(outs);

  // ---- each cell: the session `train` builds from the same flags plus --layers, --activation ----
  for (Cell& c : cells) {
    RunFlags rf = f.run;
    rf.layers = join(std::vector<int>(c.depth, c.width), ",");
    rf.set_by_command.insert("layers");
    if (c.activation) {
      rf.activation = std::string(core::name(*c.activation));
      rf.set_by_command.insert("activation");
    }
    c.session = build_session(rf);
  }
  if (equal)
    for (std::size_t d = 0; d < depths.size(); ++d) {
      const int got = parameters(base.settings.net, depths[d], width_for_budget(base.settings.net, depths[d], f.equal_params));
      if (std::llabs(got - f.equal_params) * 10 > f.equal_params)
        std::cerr << "mlpviz: note: depth " << depths[d] << " comes nearest " << f.equal_params << " parameters with "
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
    figures << cell_name(c) << " (" << e.layout().num_params << " params): ";
    print_metrics(figures, e);
    if (e.state() == train::RunState::Diverged) diverged.push_back(cell_name(c) + ": " + e.message());
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
    const train::Settings& st = base.settings;
    char lr[32];
    std::snprintf(lr, sizeof lr, "%g", st.optimizer.learning_rate);
    const std::string steps_text = f.train.epochs > 0 && f.train.steps == 0
                                       ? std::to_string(f.train.epochs) + " epochs"
                                       : std::to_string(f.train.steps > 0 ? f.train.steps : 1000) + " steps";
    const std::string title = std::string(core::name(st.data.kind)) + " \u00b7 " + steps_text + " \u00b7 " +
                              std::string(core::name(st.optimizer.kind)) + " lr " + lr + " batch " +
                              std::to_string(st.optimizer.batch_size) + " \u00b7 weight seed " +
                              std::to_string(st.weight_seed);
    std::vector<std::string> col_heads, row_heads;
    std::string col_axis, row_axis;
    if (equal) {
      col_axis = "depth (hidden layers), each near " + std::to_string(f.equal_params) + " parameters";
      for (int d : depths) col_heads.push_back("depth " + std::to_string(d));
      row_axis = "activation";
      for (int a = 0; a < n_acts; ++a)
        row_heads.push_back(acts.empty() ? std::string(core::name(base.settings.net.activations.empty()
                                                                      ? core::Activation::Tanh
                                                                      : base.settings.net.activations.front()))
                                         : std::string(core::name(acts[a])));
    } else {
      col_axis = "hidden width (units per layer)";
      for (int w : widths) col_heads.push_back("width " + std::to_string(w));
      row_axis = "depth";
      for (int a = 0; a < n_acts; ++a)
        for (int d : depths)
          row_heads.push_back("depth " + std::to_string(d) + (acts.empty() ? "" : " " + std::string(core::name(acts[a]))));
    }
    const Image img = grid_image(cells, rows, cols, f.cell_size, title, col_axis, col_heads, row_axis, row_heads);
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
