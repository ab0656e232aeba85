// cli_render.cpp: `mlpviz render`: figures for slides on the CPU (app/figure.hpp): the decision
// boundary (or one unit's level curves, --unit) with points, axes and a legend, or the network
// graph (--graph), as a PNG at 1x, 2x or 4x; with --animate, training as an animated GIF or a
// numbered PNG sequence.
//
// Frames of --animate: one at the session's starting step (step 0 of a new run) and one after
// every K steps, plus one at the end when K does not divide N: floor(N/K) + 1 frames, + 1 more
// when N % K != 0. Training that diverges ends the animation at the last good frame (exit 3).
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/cli_common.hpp"
#include "app/figure.hpp"
#include "app/gif_writer.hpp"
#include "app/render_png.hpp"
#include "core/file_io.hpp"

namespace mlpviz::app::cli {
namespace {

constexpr long long kMaxFrames = 1000;

struct RenderFlags {
  RunFlags run;
  std::string out, unit;
  int size = 512, scale = 1, frame_ms = 100;
  long long steps = 0, every = 0;
  bool no_points = false, no_legend = false, no_axes = false, graph = false, animate = false;
  CLI::Option* every_opt = nullptr;
};

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// "L:I" -> (L, I), or a UsageError naming the flag and the form.
std::pair<int, int> parse_unit(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return UsageError{"--unit " + core::printable(text, 40) + ": " + why +
                      " (expected LAYER:UNIT, e.g. 1:0 for the first unit of the first hidden layer)"};
  };
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos) throw bad("no ':'");
  int v[2] = {0, 0};
  const std::string parts[2] = {text.substr(0, colon), text.substr(colon + 1)};
  for (int k = 0; k < 2; ++k) {
    const auto [end, ec] = std::from_chars(parts[k].data(), parts[k].data() + parts[k].size(), v[k]);
    if (parts[k].empty() || ec != std::errc() || end != parts[k].data() + parts[k].size())
      throw bad("'" + parts[k] + "' is not a whole number");
  }
  return {v[0], v[1]};
}

FigureOptions figure_options(const RenderFlags& f) {
  FigureOptions o;
  o.plot_w = o.plot_h = f.size;
  o.scale = f.scale;
  o.points = !f.no_points;
  o.legend = !f.no_legend;
  o.axes = !f.no_axes;
  return o;
}

int run_render(RenderFlags& f) {
  if (static_cast<long long>(f.size) * f.scale > kMaxPlotSide)
    throw UsageError{"--size " + std::to_string(f.size) + " with --scale " + std::to_string(f.scale) + " makes a plot of " +
                     std::to_string(f.size * f.scale) + " pixels a side: allowed at most " + std::to_string(kMaxPlotSide) +
                     " (size x scale)"};
  if (f.graph && !f.unit.empty()) throw UsageError{"--graph and --unit: the graph shows every unit; give one or the other"};
  if (!f.animate && f.every_opt->count() > 0) throw UsageError{"--every applies to --animate: give --animate too"};
  bool frames_folder = false;
  if (f.animate) {
    if (f.steps < 1) throw UsageError{"--animate needs --steps N (1 or more): the steps to record"};
    if (f.every == 0) f.every = std::max(1LL, (f.steps + 49) / 50);  // about 50 frames
    const long long frames = f.steps / f.every + 1 + (f.steps % f.every != 0);
    if (frames > kMaxFrames)
      throw UsageError{"--steps " + std::to_string(f.steps) + " with --every " + std::to_string(f.every) + " makes " +
                       std::to_string(frames) + " frames: allowed at most " + std::to_string(kMaxFrames) +
                       " (raise --every)"};
    std::error_code ec;
    frames_folder = ends_with(f.out, "/") || std::filesystem::is_directory(f.out, ec);
    if (!frames_folder && !ends_with(f.out, ".gif"))
      throw UsageError{"--out " + shown_path(f.out) +
                       " with --animate: name a .gif file, or a folder (ending in '/') for numbered PNGs"};
  }
  if (frames_folder) {
    std::error_code ec;
    std::filesystem::create_directory(f.out, ec);  // one level: the parent must exist
    if (!std::filesystem::is_directory(f.out, ec) || ::access(f.out.c_str(), W_OK) != 0)
      throw UsageError{"--out " + f.out + ": not a folder that can be written (its parent must exist)"};
  } else {
    check_outputs({{"--out", f.out}});
  }

  const train::Session s = build_session(f.run);
  auto e = make_engine(s);
  FigureOptions o = figure_options(f);
  if (!f.unit.empty()) {
    std::tie(o.unit_layer, o.unit_index) = parse_unit(f.unit);
    if (auto why = check_unit(e->layout(), o.unit_layer, o.unit_index)) throw UsageError{"--unit " + f.unit + ": " + *why};
  }
  const TextPainter text;
  if (!text.truetype())
    std::cerr << "mlpviz: note: DejaVu Sans not found (install fonts-dejavu-core): labels use a plain built-in font\n";
  const core::GridSpec view = fit_view(e->data(), f.size, f.size);
  const auto draw = [&] {
    return f.graph ? render_graph(text, e->layout(), e->settings().net.features, e->params(), view, o)
                   : render_figure(text, e->layout(), e->settings().net.features, e->params(), e->data(), view, o);
  };
  if (!f.animate) {
    const bool ok = pretrain(*e, f.steps);
    const Image img = draw();
    if (auto err = write_png(output_target(f.out), img.width, img.height, img.rgb)) {
      std::cerr << "mlpviz: --out: " << *err << "\n";
      if (!ok) std::cerr << "mlpviz: " << e->message() << "\n";
      return kExitUsage;
    }
    return exit_after_output(*e, ok);  // after divergence the image shows the last good weights
  }

  // --animate: frames at the start, every K steps, and at the end.
  std::unique_ptr<GifWriter> gif;
  int frame = 0;
  const auto emit = [&]() -> std::optional<std::string> {
    const Image img = draw();
    if (frames_folder) {
      char name[32];
      std::snprintf(name, sizeof name, "frame_%04d.png", frame);
      if (auto err = write_png((std::filesystem::path(f.out) / name).string(), img.width, img.height, img.rgb)) return err;
    } else {
      if (!gif) gif = std::make_unique<GifWriter>(img.width, img.height, std::max(1, f.frame_ms / 10));
      if (auto err = gif->add(img)) return err;
    }
    ++frame;
    return std::nullopt;
  };
  const long long start = e->step_count();
  bool ok = true;
  std::optional<std::string> err = emit();
  while (!err && ok && e->step_count() - start < f.steps) {
    const long long chunk = std::min(f.every, f.steps - (e->step_count() - start));
    ok = pretrain(*e, chunk);
    if (ok) err = emit();
  }
  if (!err && gif) {
    std::string bytes;
    err = gif->finish(bytes);
    if (!err) err = core::write_file_atomically(f.out, bytes);
  }
  if (err) {
    std::cerr << "mlpviz: --out: " << *err << "\n";
    if (!ok) std::cerr << "mlpviz: " << e->message() << "\n";
    return kExitUsage;
  }
  return exit_after_output(*e, ok);
}

}  // namespace

Command add_render_command(CLI::App& app) {
  auto f = std::make_shared<RenderFlags>();
  auto* cmd = app.add_subcommand("render",
                                 "Draw a figure as a PNG (CPU): the decision boundary with the data, axes and legend; "
                                 "one unit (--unit), the network graph (--graph), or training as a GIF (--animate)");
  add_run_flags(cmd, f->run);
  cmd->add_option("--out", f->out,
                  "PNG file to write ('-': standard output); with --animate a .gif file, or a folder (ending in '/') "
                  "for frame_0000.png, frame_0001.png, ...")
      ->required();
  cmd->add_option("--size", f->size, "Base width and height of the plot in pixels (axes and legend add margins)")
      ->check(CLI::Range(16, 4096));
  cmd->add_option("--scale", f->scale, "Draw at 1, 2 or 4 times the base size (lines, points and text alike)")
      ->check(CLI::IsMember({1, 2, 4}));
  cmd->add_option("--steps", f->steps, "Train this many steps first (with --animate: the steps recorded)")
      ->check(CLI::Range(0LL, 1000000000LL));
  cmd->add_flag("--no-points", f->no_points, "Leave out the data points");
  cmd->add_flag("--no-legend", f->no_legend, "Leave out the legend");
  cmd->add_flag("--no-axes", f->no_axes, "Leave out the frame, ticks and tick labels");
  cmd->add_option("--unit", f->unit,
                  "LAYER:UNIT: draw this unit's level curves instead of the boundary (0 = the input features, "
                  "1 = the first hidden layer, ..., the last = the outputs)");
  cmd->add_flag("--graph", f->graph, "Draw the network graph: every unit's picture, edges coloured by sign and as wide as |w|");
  cmd->add_flag("--animate", f->animate,
                "Record training: a frame at the start and after every --every steps (plus the last step), "
                "as a GIF or numbered PNGs");
  f->every_opt = cmd->add_option("--every", f->every, "With --animate: steps between frames (default: about 50 frames)")
                     ->check(CLI::Range(1LL, 1000000000LL));
  cmd->add_option("--frame-ms", f->frame_ms, "With --animate: milliseconds each GIF frame is shown (default 100)")
      ->check(CLI::Range(20, 10000));
  return {cmd, [f] { return run_render(*f); }};
}

}  // namespace mlpviz::app::cli
