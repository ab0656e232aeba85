// cli_regions.cpp: `mlpviz regions`: how many linear regions the network carves out of a box of
// the plane (core/regions.hpp; what the count means: docs/regions.md).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>

#include "app/cli_common.hpp"
#include "core/regions.hpp"

namespace mlpviz::app::cli {

namespace {

struct RegionsFlags {
  RunFlags run;
  int resolution = 512;
  long long steps = 0;
  long long every = 0;
  std::string box;
};

// "XMIN,XMAX,YMIN,YMAX" or a UsageError naming the flag, the value and what is allowed.
core::Box parse_box(const std::string& text) {
  const std::vector<std::string> parts = split_commas(text);
  const auto bad = [&](const std::string& why) {
    return UsageError{"--box = " + text + ": " + why +
                      " (expected XMIN,XMAX,YMIN,YMAX: four finite numbers from -1e6 to 1e6, XMIN < XMAX, YMIN < YMAX)"};
  };
  if (parts.size() != 4) throw bad("not four numbers");
  double v[4];
  for (int i = 0; i < 4; ++i) {
    std::size_t used = 0;
    try {
      v[i] = std::stod(parts[i], &used);
    } catch (const std::logic_error&) {
      throw bad("'" + parts[i] + "' is not a number");
    }
    if (used != parts[i].size() || !std::isfinite(v[i]) || std::abs(v[i]) > 1e6) throw bad("'" + parts[i] + "' is not allowed");
  }
  if (!(v[0] < v[1]) || !(v[2] < v[3])) throw bad("empty box");
  return {v[0], v[1], v[2], v[3]};
}

}  // namespace

Command add_regions_command(CLI::App& app) {
  auto flags = std::make_shared<RegionsFlags>();
  auto* cmd = app.add_subcommand(
      "regions",
      "Count the linear regions (activation patterns) of a ReLU, leaky ReLU, abs or identity network "
      "in the data's bounding box, on a grid (see docs/regions.md)");
  add_run_flags(cmd, flags->run);
  cmd->add_option("--resolution", flags->resolution,
                  "Grid cells along the box's longer side (" + std::to_string(core::kMinRegionResolution) + " to " +
                      std::to_string(core::kMaxRegionResolution) + ", default 512): regions narrower than a cell can be missed")
      ->check(CLI::Range(core::kMinRegionResolution, core::kMaxRegionResolution));
  cmd->add_option("--steps", flags->steps, "Train this many steps first")->check(CLI::Range(0LL, 1000000000LL));
  cmd->add_option("--every", flags->every,
                  "With --steps: print the count over training instead, as CSV rows step,regions,pieces every this many steps "
                  "(from the session's step to the end)")
      ->check(CLI::Range(1LL, 1000000000LL));
  cmd->add_option("--box", flags->box, "Count in XMIN,XMAX,YMIN,YMAX instead of the data's bounding box");
  return {cmd, [flags]() {
            const core::Box given = flags->box.empty() ? core::Box{} : parse_box(flags->box);
            const train::Session s = build_session(flags->run);
            auto e = make_engine(s);
            if (auto why = core::regions_unsupported(e->layout(), e->settings().net.features))
              throw UsageError{"regions: " + *why};
            const core::Box box = flags->box.empty() ? core::points_box(e->data()) : given;
            const core::GridSpec grid = core::region_grid(box, flags->resolution);
            if (flags->every > 0) {  // the count over training: one row now, then every `every` steps
              const auto row = [&] {
                const std::vector<double> p = params_of(*e);
                const core::RegionMap m = core::map_regions(e->layout(), e->settings().net.features, p.data(), grid);
                std::cout << e->step_count() << "," << m.regions << "," << m.pieces << "\n";
              };
              std::cout << "step,regions,pieces\n";
              row();
              for (long long done = 0; done < flags->steps;) {
                const long long n = std::min(flags->every, flags->steps - done);
                if (!pretrain(*e, n)) return exit_after_output(*e, false);
                done += n;
                row();
              }
              return 0;
            }
            const bool ok = pretrain(*e, flags->steps);
            const std::vector<double> params = params_of(*e);
            const core::RegionMap m = core::map_regions(e->layout(), e->settings().net.features, params.data(), grid);
            std::ostringstream os;
            os.precision(6);
            os << "regions " << m.regions << "\n"
               << "pieces " << m.pieces << "\n"
               << "box " << box.x_min << " " << box.x_max << " " << box.y_min << " " << box.y_max << "\n"
               << "grid " << grid.width << " x " << grid.height << "\n";
            std::cout << os.str();
            if (m.pieces > m.regions)
              std::cerr << "mlpviz: note: " << m.pieces << " grid pieces for " << m.regions
                        << " regions: a region has a part thinner than a grid cell; a finer --resolution resolves it\n";
            return exit_after_output(*e, ok);
          }};
}

}  // namespace mlpviz::app::cli
