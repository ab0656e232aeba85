// cli_hidden.cpp: `mlpviz hidden`: the plane as a hidden layer sees it (core/hidden_space.hpp),
// drawn as a PNG: the warped grid, the points, and for a 2-unit last hidden layer the output's
// boundary line.
#include <iostream>

#include "app/cli_common.hpp"
#include "app/render_hidden.hpp"
#include "app/render_png.hpp"
#include "core/hidden_space.hpp"

namespace mlpviz::app::cli {

namespace {

struct HiddenFlags {
  RunFlags run;
  int layer = 1;
  std::string units;
  bool pca = false;
  std::string out;
  int size = 512;
  long long steps = 0;
};

}  // namespace

Command add_hidden_command(CLI::App& app) {
  auto f = std::make_shared<HiddenFlags>();
  auto* cmd = app.add_subcommand(
      "hidden", "Draw the training points and a grid of the plane mapped into a hidden layer's space (two units or PCA) as a PNG");
  add_run_flags(cmd, f->run);
  cmd->add_option("--layer", f->layer, "Layer: 0 (the inputs) to the last hidden layer")->required();
  auto* units = cmd->add_option("--units", f->units, "I,J: the two units on the axes (default 0,1)");
  auto* pca = cmd->add_flag("--pca", f->pca, "Axes: the layer's first two principal components over the training points");
  units->excludes(pca);
  cmd->add_option("--out", f->out, "PNG file to write ('-': standard output)")->required();
  cmd->add_option("--size", f->size, "Image width and height in pixels")->check(CLI::Range(16, 4096));
  cmd->add_option("--steps", f->steps, "Train this many steps first")->check(CLI::Range(0LL, 1000000000LL));
  return {cmd, [f]() {
            core::HiddenAxes axes;
            axes.layer = f->layer;
            axes.pca = f->pca;
            if (!f->units.empty()) {
              const std::vector<std::string> parts = split_commas(f->units);
              const auto bad = UsageError{"--units = " + f->units + ": expected I,J, two different whole numbers (units of the layer, from 0)"};
              if (parts.size() != 2) throw bad;
              try {
                std::size_t u0 = 0, u1 = 0;
                axes.unit_i = std::stoi(parts[0], &u0);
                axes.unit_j = std::stoi(parts[1], &u1);
                if (u0 != parts[0].size() || u1 != parts[1].size()) throw bad;
              } catch (const std::logic_error&) {
                throw bad;
              }
            }
            const train::Session s = build_session(f->run);
            const Output out{"--out", f->out};
            check_outputs({out});
            auto e = make_engine(s);
            if (auto why = core::validate(axes, e->layout())) throw UsageError{"--layer/--units: " + *why};
            const bool ok = pretrain(*e, f->steps);
            const std::vector<double> params = params_of(*e);
            const core::GridSpec view = fit_view(e->data(), 1, 1);  // the plane as the boundary view frames it
            const core::Box plane{view.x_min, view.x_max, view.y_min, view.y_max};
            const core::HiddenSpaceMap m = core::map_hidden_space(e->layout(), e->settings().net.features, params.data(),
                                                                  e->data(), axes, plane);
            const auto rgb = render_hidden_space(m, e->layout(), params.data(), e->data(), f->size);
            if (auto err = write_png(output_target(out.path), f->size, f->size, rgb)) {
              std::cerr << "mlpviz: --out: " << *err << "\n";
              if (!ok) std::cerr << "mlpviz: " << e->message() << "\n";
              return kExitUsage;
            }
            if (axes.pca && !writes_to_stdout(out))
              std::cout << "pca variance " << m.proj.variance[0] << " " << m.proj.variance[1] << "\n";
            return exit_after_output(*e, ok);
          }};
}

}  // namespace mlpviz::app::cli
