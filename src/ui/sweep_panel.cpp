// sweep_panel.cpp: the Sweep window (View > Sweep): a width x depth grid of networks trained on
// the main network's data and seeds by the App's worker pool (app/gui_sweep.cpp). The boundaries
// fill in live with each cell's shape, parameters and accuracy; two plots set test accuracy
// against depth (a line per width) and against parameters (a line per depth: the notes' "depth
// beats parameters"). A finished cell opens as the main network with a click.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ui/panels.hpp"
#include "ui/plot.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {

std::optional<std::string> check_sweep_form(const SweepForm& f, train::SweepAxes& axes) {
  train::SweepAxes a;
  if (auto err = train::parse_int_list("Depths", f.depths, 1, core::kMaxHiddenLayers, a.depths)) return err;
  if (!f.equal_params)
    if (auto err = train::parse_int_list("Widths", f.widths, 1, core::kMaxWidth, a.widths)) return err;
  if (f.activations.find_first_not_of(' ') != std::string::npos)
    if (auto err = train::parse_activation_list("Activations", f.activations, a.activations)) return err;
  if (f.steps < 1 || f.steps > kSweepMaxSteps)
    return "Steps per cell = " + std::to_string(f.steps) + " is out of range: allowed 1 to " + std::to_string(kSweepMaxSteps);
  if (f.equal_params) {
    if (f.budget < 1 || f.budget > kSweepMaxBudget)
      return "Parameter budget = " + std::to_string(f.budget) + " is out of range: allowed 1 to " +
             std::to_string(kSweepMaxBudget);
    a.equal_params = f.budget;
  }
  axes = std::move(a);
  return std::nullopt;
}

namespace {

constexpr ImU32 kSeriesColors[] = {IM_COL32(31, 119, 180, 255), IM_COL32(255, 127, 14, 255), IM_COL32(44, 160, 44, 255),
                                   IM_COL32(214, 39, 40, 255),  IM_COL32(148, 103, 189, 255), IM_COL32(140, 86, 75, 255),
                                   IM_COL32(227, 119, 194, 255), IM_COL32(127, 127, 127, 255)};

std::string percent(double v) {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * v);
  return buf;
}

void draw_form(UiState& st, const FrameInfo& fi, const SweepView* v) {
  SweepUi& su = st.sweep;
  SweepForm& f = su.form;
  const bool running = v && v->running;
  ImGui::BeginDisabled(running);
  ImGui::TextUnformatted("Depths (hidden layers)");
  ImGui::SetNextItemWidth(-1);
  ImGui::InputText("##depths", &f.depths);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("The rows: hidden layer counts, 1 to 8, separated by commas");
  ImGui::Checkbox("Equal parameter budget", &f.equal_params);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Each depth gets the width whose network has about this many parameters: is depth\n"
                      "worth more than parameters?");
  if (f.equal_params) {
    ImGui::TextUnformatted("Parameters per network");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputInt("##budget", &f.budget, 10, 100);
  } else {
    ImGui::TextUnformatted("Widths (units per layer)");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##widths", &f.widths);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The columns: units in every hidden layer, 1 to 64, separated by commas");
  }
  ImGui::TextUnformatted("Activations (optional)");
  ImGui::SetNextItemWidth(-1);
  const std::string hint(fi.snap && !fi.snap->settings.net.activations.empty()
                             ? core::name(fi.snap->settings.net.activations.front())
                             : std::string_view("tanh"));
  ImGui::InputTextWithHint("##acts", hint.c_str(), &f.activations);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("A third axis, e.g. tanh,relu (empty: the main network's activation)");
  ImGui::TextUnformatted("Steps per cell");
  ImGui::SetNextItemWidth(-1);
  ImGui::InputInt("##steps", &f.steps, 500, 5000);
  ImGui::EndDisabled();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("Data, optimizer, batch and seeds: the main network's.");
  ImGui::PopStyleColor();

  if (!running) {
    if (ImGui::Button("Run sweep", ImVec2(-1, 0))) {
      train::SweepAxes axes;
      su.error.clear();
      if (auto err = check_sweep_form(f, axes)) {
        su.error = *err;
      } else {
        train::SweepPlan plan;
        if (auto perr = train::plan_sweep(fi.snap->settings.net, axes, plan)) {
          su.error = *perr;
        } else {
          su.axes = std::move(axes);
          su.start = true;
        }
      }
    }
  } else if (ImGui::Button("Cancel", ImVec2(-1, 0))) {
    su.cancel = true;
  }
  if (!su.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(200, 40, 40, 255));
    ImGui::TextWrapped("%s", su.error.c_str());
    ImGui::PopStyleColor();
  }
  if (v && !v->cells.empty()) {
    int done = 0;
    for (const SweepCellView& c : v->cells) done += c.done;
    ImGui::Text("%d of %zu cells done", done, v->cells.size());
    ImGui::Text("%d thread%s, %.1f s", v->threads, v->threads == 1 ? "" : "s", v->seconds);
    ImGui::Separator();
    ImGui::TextUnformatted("Export the grid (PNG)");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##sweeppng", &su.png_path);
    ImGui::BeginDisabled(v->running || su.png_path.empty());
    if (ImGui::Button("Export PNG", ImVec2(-1, 0))) su.export_png = true;
    ImGui::EndDisabled();
    if (!v->message.empty()) ImGui::TextWrapped("%s", v->message.c_str());
  }
}

// The grid: column headings, row headings, a cell's boundary with two lines under it.
void draw_grid(UiState& st, const SweepView& v, float width, float height) {
  const float em = ImGui::GetFontSize();
  const train::SweepPlan& p = v.plan;
  if (p.rows == 0 || p.cols == 0) return;
  float head_w = ImGui::CalcTextSize(p.row_axis.c_str()).x;
  for (const std::string& h : p.row_heads) head_w = std::max(head_w, ImGui::CalcTextSize(h.c_str()).x);
  head_w += em * 0.8f;
  const float gap = em * 0.6f;
  const float label_h = 2.0f * ImGui::GetTextLineHeightWithSpacing();
  const float head_h = 2.0f * ImGui::GetTextLineHeightWithSpacing();
  float cs = std::min((width - head_w - gap * p.cols) / p.cols, (height - head_h) / p.rows - label_h - gap);
  cs = std::clamp(cs, em * 3.0f, em * 14.0f);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float grid_w = p.cols * (cs + gap) - gap;
  const ImVec2 axis_size = ImGui::CalcTextSize(p.col_axis.c_str());
  dl->AddText(ImVec2(origin.x + head_w + (grid_w - axis_size.x) * 0.5f, origin.y), dim, p.col_axis.c_str());
  dl->AddText(ImVec2(origin.x, origin.y + ImGui::GetTextLineHeightWithSpacing()), dim, p.row_axis.c_str());
  for (int c = 0; c < p.cols && c < static_cast<int>(p.col_heads.size()); ++c) {
    const ImVec2 sz = ImGui::CalcTextSize(p.col_heads[static_cast<std::size_t>(c)].c_str());
    dl->AddText(ImVec2(origin.x + head_w + c * (cs + gap) + (cs - sz.x) * 0.5f, origin.y + ImGui::GetTextLineHeightWithSpacing()),
                text, p.col_heads[static_cast<std::size_t>(c)].c_str());
  }
  for (int r = 0; r < p.rows && r < static_cast<int>(p.row_heads.size()); ++r)
    dl->AddText(ImVec2(origin.x, origin.y + head_h + r * (cs + label_h + gap) + cs * 0.5f - em * 0.5f), text,
                p.row_heads[static_cast<std::size_t>(r)].c_str());
  for (std::size_t i = 0; i < v.cells.size(); ++i) {
    const SweepCellView& c = v.cells[i];
    const ImVec2 at(origin.x + head_w + c.at.col * (cs + gap), origin.y + head_h + c.at.row * (cs + label_h + gap));
    ImGui::SetCursorScreenPos(at);
    ImGui::PushID(static_cast<int>(i));
    ImGui::InvisibleButton("cell", ImVec2(cs, cs));
    const bool hovered = ImGui::IsItemHovered();
    if (ImGui::IsItemClicked() && c.done && !c.cancelled) st.sweep.open_cell = static_cast<int>(i);
    ImGui::PopID();
    if (c.image) dl->AddImage(c.image, at, ImVec2(at.x + cs, at.y + cs));
    else dl->AddRectFilled(at, ImVec2(at.x + cs, at.y + cs), ImGui::GetColorU32(ImGuiCol_FrameBg));
    dl->AddRect(at, ImVec2(at.x + cs, at.y + cs), hovered ? ImGui::GetColorU32(ImGuiCol_ButtonHovered) : dim, 0.0f, 0,
                hovered ? 2.0f : 1.0f);
    if (!c.done && c.steps > 0) {  // progress: a bar along the bottom edge
      const float fr = std::clamp(static_cast<float>(c.step) / static_cast<float>(c.steps), 0.0f, 1.0f);
      dl->AddRectFilled(ImVec2(at.x, at.y + cs - em * 0.25f), ImVec2(at.x + cs * fr, at.y + cs),
                        ImGui::GetColorU32(ImGuiCol_PlotHistogram));
    }
    // The shape is the row's and the column's heading: under the cell, its size and its result
    // (short enough for the cell's width; the bar shows a running cell's progress, the tooltip
    // its step).
    const std::string line1 = std::to_string(c.params) + " params";
    std::string line2 = c.diverged    ? "diverged at " + group_digits(c.step)
                        : c.cancelled ? "cancelled at " + group_digits(c.step)
                                      : "test " + percent(c.test_accuracy);
    ImGui::PushClipRect(ImVec2(at.x, at.y + cs), ImVec2(at.x + cs + gap, at.y + cs + label_h), true);
    dl->AddText(ImVec2(at.x, at.y + cs + 2), text, line1.c_str());
    dl->AddText(ImVec2(at.x, at.y + cs + 2 + ImGui::GetTextLineHeight()), c.diverged ? IM_COL32(200, 40, 40, 255) : text,
                line2.c_str());
    ImGui::PopClipRect();
    if (hovered)
      ImGui::SetTooltip("%s: %d parameters\nstep %s of %s\ntrain accuracy %s, test accuracy %s\n%s", c.name.c_str(),
                        c.params, group_digits(c.step).c_str(), group_digits(c.steps).c_str(),
                        percent(c.train_accuracy).c_str(), percent(c.test_accuracy).c_str(),
                        c.done && !c.cancelled ? "Click: open it as the main network" : "still training");
  }
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + head_h + p.rows * (cs + label_h + gap)));
  ImGui::Dummy(ImVec2(head_w + grid_w, 0));
}

// Test accuracy against depth (a line per width) and against parameters (a line per depth).
void draw_plots(const SweepView& v, float scale, float height) {
  const train::SweepPlan& p = v.plan;
  if (v.cells.size() < 2) return;
  struct Series {
    std::string label;
    std::vector<double> x, y;
  };
  const auto build = [&](bool x_is_depth) {
    std::vector<Series> out;
    for (const SweepCellView& c : v.cells) {
      // By depth: a line per width (per activation too), or per row at an equal budget; by
      // parameters: a line per row (a depth, or an activation at an equal budget).
      std::string key = p.row_heads[static_cast<std::size_t>(c.at.row)];
      if (x_is_depth && !p.equal) {
        key = std::to_string(c.at.width);  // the title says "a line per width": short labels fit
        if (c.at.activation) key.append(" ").append(core::name(*c.at.activation));
      }
      auto it = std::find_if(out.begin(), out.end(), [&](const Series& s) { return s.label == key; });
      if (it == out.end()) {
        out.push_back({key, {}, {}});
        it = out.end() - 1;
      }
      if (!std::isfinite(c.test_accuracy)) continue;
      it->x.push_back(x_is_depth ? c.at.depth : c.params);
      it->y.push_back(100.0 * c.test_accuracy);
    }
    for (Series& s : out) {  // x ascending
      std::vector<std::size_t> idx(s.x.size());
      for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
      std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return s.x[a] < s.x[b]; });
      Series t{s.label, {}, {}};
      for (std::size_t i : idx) {
        t.x.push_back(s.x[i]);
        t.y.push_back(s.y[i]);
      }
      s = std::move(t);
    }
    return out;
  };
  const float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  for (int which = 0; which < 2; ++which) {
    const bool x_is_depth = which == 0;
    const std::vector<Series> series = build(x_is_depth);
    std::vector<PlotSeries> ps;
    for (std::size_t i = 0; i < series.size(); ++i)
      ps.push_back({series[i].label.c_str(), kSeriesColors[i % std::size(kSeriesColors)], series[i].x.data(),
                    series[i].y.data(), static_cast<int>(series[i].x.size())});
    PlotSpec spec;
    spec.title = x_is_depth ? (p.equal ? "test accuracy by depth, equal parameters" : "test accuracy by depth (a line per width)")
                             : "test accuracy by parameters (a line per row)";
    spec.x_label = x_is_depth ? "depth (hidden layers)" : "parameters";
    spec.log_x = !x_is_depth;
    spec.y_unit = "%";
    spec.size = ImVec2(w, height);
    spec.scale = scale;
    if (which == 1) ImGui::SameLine();
    plot(x_is_depth ? "##sweep_depth" : "##sweep_params", spec, ps.data(), static_cast<int>(ps.size()));
  }
}

}  // namespace

void draw_sweep_panel(UiState& st, const FrameInfo& fi) {
  if (!st.sweep.open) return;
  const float em = ImGui::GetFontSize();
  ImGui::SetNextWindowSize(ImVec2(em * 62, em * 44), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Sweep: width x depth", &st.sweep.open)) {
    ImGui::End();
    return;
  }
  const SweepView* v = fi.sweep;
  ImGui::BeginChild("form", ImVec2(em * 14, 0), false);
  draw_form(st, fi, v);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("grid", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  if (!v || v->cells.empty()) {
    ImGui::TextWrapped("Trains a grid of networks on the main network's data, with its optimizer and seeds: one "
                       "row per depth, one column per width. Each cell's boundary fills in as it trains; the plots "
                       "under the grid compare test accuracy across depths and parameter counts.");
  } else {
    ImGui::TextUnformatted(v->title.c_str());
    const float avail_h = ImGui::GetContentRegionAvail().y;
    const float plot_h = std::max(em * 9.0f, avail_h * 0.3f);
    draw_grid(st, *v, ImGui::GetContentRegionAvail().x, avail_h - plot_h - ImGui::GetStyle().ItemSpacing.y);
    draw_plots(*v, fi.scale, plot_h);
  }
  ImGui::EndChild();
  ImGui::End();
}

}  // namespace mlpviz::ui
