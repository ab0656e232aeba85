// sweep_state.hpp: the Sweep window's state (sweep_panel.cpp): the form the user fills, what the
// App shows of a running or finished sweep (SweepView, filled by app/gui_sweep.cpp), and what the
// window asks the App to do.
#pragma once

#include <imgui.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "train/sweep.hpp"

namespace mlpviz::ui {

// The form: lists as typed (checked when Run is pressed: train::parse_int_list).
struct SweepForm {
  std::string widths = "2,4,8,16,32";
  std::string depths = "1,2,3";
  std::string activations;  // empty: the main network's activation
  bool equal_params = false;
  int budget = 150;         // parameters per cell with equal_params
  int steps = 3000;         // steps per cell
};
inline constexpr int kSweepMaxSteps = 1'000'000;
inline constexpr int kSweepMaxBudget = 100'000;

struct SweepCellView : train::SweepCellStatus {
  ImTextureID image = nullptr;  // the cell's boundary (null until first drawn)
};

// A sweep as the App shows it (empty when none was started).
struct SweepView {
  bool running = false;
  std::string title;            // what every cell shares: data, budget, optimizer, seeds
  train::SweepPlan plan;        // the grid: cells, headings
  std::vector<SweepCellView> cells;  // in plan order
  int threads = 0;
  double seconds = 0;           // since it started (while running) or its whole time
  std::string message;          // e.g. where the grid was exported
};

struct SweepUi {
  bool open = false;
  SweepForm form;
  std::string error;            // the form's message, naming the field and the allowed range
  std::string png_path = "sweep.png";
  // Requests to the App, cleared by it: start `axes` (checked), cancel, open a finished cell as
  // the main network, export the grid.
  bool start = false;
  train::SweepAxes axes;
  bool cancel = false;
  int open_cell = -1;
  bool export_png = false;
};

// The form checked into axes; the message (naming the field and its range) when it is not valid.
std::optional<std::string> check_sweep_form(const SweepForm& f, train::SweepAxes& axes);

}  // namespace mlpviz::ui
