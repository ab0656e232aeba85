#include "train/sweep.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "core/file_io.hpp"
#include "core/mlp.hpp"

namespace mlpviz::train {

namespace {

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::string item;
  for (char c : s) {
    if (c == ',') {
      out.push_back(item);
      item.clear();
    } else if (c != ' ') {
      item += c;
    }
  }
  out.push_back(item);
  return out;
}

core::Activation first_activation(const core::NetSpec& net) {
  return net.activations.empty() ? core::Activation::Tanh : net.activations.front();
}

}  // namespace

std::optional<std::string> parse_int_list(const std::string& field, const std::string& text, int lo,
                                          int hi, std::vector<int>& out) {
  const std::string allowed = "allowed " + std::to_string(lo) + " to " + std::to_string(hi) + ", separated by commas";
  out.clear();
  if (text.find_first_not_of(' ') == std::string::npos) return field + " is empty: " + allowed;
  for (const std::string& item : split_commas(text)) {
    if (item.empty()) return field + " = '" + core::printable(text, 60) + "': an empty item: " + allowed;
    int v = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (ec == std::errc::result_out_of_range) return field + ": " + core::printable(item, 30) + " is out of range: " + allowed;
    if (ec != std::errc() || end != item.data() + item.size())
      return field + ": '" + core::printable(item, 30) + "' is not a whole number: " + allowed;
    if (v < lo || v > hi) return field + ": " + item + " is out of range: " + allowed;
    if (std::find(out.begin(), out.end(), v) != out.end()) return field + ": " + item + " is given twice";
    out.push_back(v);
  }
  return std::nullopt;
}

std::optional<std::string> parse_activation_list(const std::string& field, const std::string& text,
                                                 std::vector<core::Activation>& out) {
  const std::string allowed = "allowed " + core::all_names_activation() + ", separated by commas";
  out.clear();
  if (text.find_first_not_of(' ') == std::string::npos) return field + " is empty: " + allowed;
  for (const std::string& item : split_commas(text)) {
    auto a = core::parse_activation(item);
    if (!a) return field + ": '" + core::printable(item, 30) + "' is not known: " + allowed;
    if (std::find(out.begin(), out.end(), *a) != out.end()) return field + ": " + item + " is given twice";
    out.push_back(*a);
  }
  return std::nullopt;
}

int sweep_parameters(core::NetSpec net, int depth, int width) {
  const core::Activation act = first_activation(net);
  net.widths.assign(static_cast<std::size_t>(depth), width);
  net.activations.assign(static_cast<std::size_t>(depth), act);
  return core::Layout::from_spec(net).num_params;
}

int width_for_budget(const core::NetSpec& net, int depth, long long budget) {
  int best = 1;
  for (int w = 2; w <= core::kMaxWidth; ++w)
    if (std::llabs(sweep_parameters(net, depth, w) - budget) < std::llabs(sweep_parameters(net, depth, best) - budget))
      best = w;
  return best;
}

std::optional<std::string> plan_sweep(const core::NetSpec& base, const SweepAxes& axes, SweepPlan& plan) {
  plan = SweepPlan{};
  const bool equal = axes.equal_params > 0;
  const int n_depths = static_cast<int>(axes.depths.size());
  const int n_widths = equal ? 1 : static_cast<int>(axes.widths.size());
  const int n_acts = std::max(1, static_cast<int>(axes.activations.size()));
  if (n_depths == 0 || n_widths == 0) return std::string("the sweep has no cells: give at least one depth and one width");
  const long long n_cells = static_cast<long long>(n_depths) * n_widths * n_acts;
  if (n_cells > kMaxSweepCells)
    return "the sweep has " + std::to_string(n_cells) + " cells (" + std::to_string(n_depths) + " depths x " +
           std::to_string(n_widths) + " widths x " + std::to_string(n_acts) + " activations): allowed at most " +
           std::to_string(kMaxSweepCells);
  plan.equal = equal;
  plan.rows = equal ? n_acts : n_acts * n_depths;
  plan.cols = equal ? n_depths : n_widths;
  for (int a = 0; a < n_acts; ++a)
    for (int d = 0; d < n_depths; ++d)
      for (int w = 0; w < n_widths; ++w) {
        SweepCell c;
        c.depth = axes.depths[static_cast<std::size_t>(d)];
        c.width = equal ? width_for_budget(base, c.depth, axes.equal_params) : axes.widths[static_cast<std::size_t>(w)];
        if (!axes.activations.empty()) c.activation = axes.activations[static_cast<std::size_t>(a)];
        c.row = equal ? a : a * n_depths + d;
        c.col = equal ? d : w;
        plan.cells.push_back(c);
      }
  const auto act_name = [&](int a) {
    return std::string(core::name(axes.activations.empty() ? first_activation(base)
                                                           : axes.activations[static_cast<std::size_t>(a)]));
  };
  if (equal) {
    plan.col_axis = "depth (hidden layers), each near " + std::to_string(axes.equal_params) + " parameters";
    for (int d : axes.depths) plan.col_heads.push_back("depth " + std::to_string(d));
    plan.row_axis = "activation";
    for (int a = 0; a < n_acts; ++a) plan.row_heads.push_back(act_name(a));
  } else {
    plan.col_axis = "hidden width (units per layer)";
    for (int w : axes.widths) plan.col_heads.push_back("width " + std::to_string(w));
    plan.row_axis = "depth";
    for (int a = 0; a < n_acts; ++a)
      for (int d : axes.depths) {
        std::string head = "depth " + std::to_string(d);
        if (!axes.activations.empty()) head.append(" ").append(act_name(a));
        plan.row_heads.push_back(std::move(head));
      }
  }
  return std::nullopt;
}

Settings cell_settings(const Settings& base, const SweepCell& cell) {
  Settings s = base;
  const core::Activation act = cell.activation ? *cell.activation : first_activation(base.net);
  s.net.widths.assign(static_cast<std::size_t>(cell.depth), cell.width);
  s.net.activations.assign(static_cast<std::size_t>(cell.depth), act);
  s.knocked_out = {};  // the base's knocked-out units name another shape
  return s;
}

namespace {
std::string cell_text(const SweepCell& c, const char* times) {
  std::string s = std::to_string(c.depth);
  s.append(times).append(std::to_string(c.width));
  if (c.activation) s.append(" ").append(core::name(*c.activation));
  return s;
}
}  // namespace

std::string cell_name(const SweepCell& c) { return cell_text(c, "x"); }
std::string cell_title(const SweepCell& c) { return cell_text(c, " \u00d7 "); }

}  // namespace mlpviz::train
