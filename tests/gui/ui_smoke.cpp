// ui_smoke.cpp: the panels without a window, like imgui's example_null: snapshots of a real
// Engine go through ui::draw_ui for a few frames each, over networks of every shape the limits
// allow, with simulated mouse input. Checks that nothing breaks, that every hidden unit gets a
// thumbnail, and that clicks in the plane become the right commands.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>  // FindWindowByName, HoveredId: to find the speed slider

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ui_fixture.hpp"
#include "train/engine.hpp"
#include "ui/actions.hpp"
#include "ui/panels.hpp"
#include "ui/widgets.hpp"
#include "ui/plot.hpp"

namespace mlpviz {
namespace {

class UiSmoke : public test::UiFixture {
 protected:

  // A snapshot of `settings` after `steps` optimization steps.
  std::shared_ptr<const train::Snapshot> snapshot(const train::Settings& settings, int steps) {
    train::Engine e(settings);
    e.apply(train::cmd::Play{});
    for (int i = 0; i < steps; ++i) e.step();
    e.update_metrics();
    return e.make_snapshot(1);
  }

  static ui::FrameInfo info(const train::Snapshot& s) {
    ui::FrameInfo fi = UiFixture::info(s);
    fi.render_status = "GPU field";
    return fi;
  }
};

TEST_F(UiSmoke, DrawsNetworksOfEveryShape) {
  struct Case {
    const char* name;
    std::vector<int> widths;
    core::Activation act;
    core::DataKind data;
    int classes;
    core::OutputKind output;
  };
  const Case cases[] = {
      {"default", {8, 8}, core::Activation::Tanh, core::DataKind::Moons, 2, core::OutputKind::SigmoidBce},
      {"logistic regression", {}, core::Activation::Tanh, core::DataKind::Circles, 2, core::OutputKind::SigmoidBce},
      {"spiral softmax", {16, 16}, core::Activation::Relu, core::DataKind::Spiral, 3, core::OutputKind::SoftmaxCe},
      {"deepest", std::vector<int>(8, 4), core::Activation::Sigmoid, core::DataKind::Xor, 2, core::OutputKind::SigmoidMse},
      {"widest", {64}, core::Activation::Swish, core::DataKind::Blobs, 6, core::OutputKind::LinearMse},
      {"largest", std::vector<int>(8, 64), core::Activation::Relu, core::DataKind::Moons, 2, core::OutputKind::SigmoidBce},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    train::Settings st = train::default_settings();
    st.net.widths = c.widths;
    st.net.activations.assign(c.widths.size(), c.act);
    st.data.kind = c.data;
    st.data.classes = c.classes;
    st.net.classes = c.classes;
    st.net.output = c.output;
    ASSERT_FALSE(train::validate(st).has_value()) << *train::validate(st);
    const auto s = snapshot(st, 50);
    ui::UiState ui;
    ui::FrameInfo fi = info(*s);
    ui::FrameOutput out;
    for (int f = 0; f < 4; ++f) out = frame(ui, fi);
    EXPECT_GT(out.view_width_px, 100);
    EXPECT_GT(out.view_height_px, 100);
    EXPECT_LT(out.view_rect.x_min, out.view_rect.x_max);
    EXPECT_EQ(out.thumbnails_drawn, s->layout.num_hidden_units());
    // Every connection of a small graph; a dense one is capped at the 3,000 strongest.
    int connections = 0;
    for (const core::LayerLayout& ll : s->layout.layers) connections += ll.in * ll.out;
    if (connections <= 1024) EXPECT_EQ(out.connections_drawn, connections);
    else EXPECT_LE(out.connections_drawn, 3000);
    EXPECT_GT(out.connections_drawn, 0);
    // Every unit large in the main view, then a replayed step.
    for (int l = 0; l <= s->layout.depth(); ++l) {
      ui.focus_layer = l;
      ui.focus_unit = s->layout.sizes[static_cast<std::size_t>(l)] - 1;
      frame(ui, fi);
    }
    if (!s->timeline.empty()) {
      fi.params = &s->timeline.front()->params;
      fi.gradient = nullptr;
      fi.replaying = true;
      ui.replaying = true;
      frame(ui, fi);
    }
  }
}

TEST_F(UiSmoke, TinyDisplayDoesNotBreakTheLayout) {
  const auto s = snapshot(train::default_settings(), 10);
  ui::UiState ui;
  for (ImVec2 size : {ImVec2(1, 1), ImVec2(120, 80), ImVec2(640, 400)}) {
    ImGui::GetIO().DisplaySize = size;
    ui::FrameOutput out = frame(ui, info(*s));
    EXPECT_GE(out.view_width_px, 1);
    EXPECT_GE(out.view_height_px, 1);
  }
}

// Larger text reflows the window: side by side at 100% in 1600x1000; at 200% the view fills the
// column's height with the graph and curves under it, and the controls hide until asked for.
// The user's Ctrl+B choice then holds at every size.
TEST_F(UiSmoke, LargerTextStacksTheViewAndHidesTheControlsUntilAsked) {
  const auto s = snapshot(train::default_settings(), 10);
  ui::UiState ui;
  ImGui::GetIO().DisplaySize = ImVec2(1600, 1000);
  ui::FrameInfo fi = info(*s);
  frame(ui, fi);
  EXPECT_FALSE(ui.layout_record.stacked);
  EXPECT_TRUE(ui.layout_record.controls_shown);
  const ImVec4 v100 = ui.layout_record.view;

  fi.scale = 2.0f;  // the layout's decisions follow FrameInfo::scale (fonts are the App's)
  frame(ui, fi);
  EXPECT_TRUE(ui.layout_record.stacked);
  EXPECT_FALSE(ui.layout_record.controls_shown);
  const ImVec4 v200 = ui.layout_record.view;
  EXPECT_GT((v200.z - v200.x) * (v200.w - v200.y), (v100.z - v100.x) * (v100.w - v100.y));

  ui::toggle_controls_panel(ui);  // Ctrl+B
  frame(ui, fi);
  EXPECT_TRUE(ui.layout_record.controls_shown);
  fi.scale = 1.0f;
  frame(ui, fi);
  ui::toggle_controls_panel(ui);
  frame(ui, fi);
  EXPECT_FALSE(ui.layout_record.controls_shown);  // hidden by choice, even in a wide window
  EXPECT_FALSE(ui.layout_record.stacked);
}

TEST_F(UiSmoke, ClicksInThePlaneAddAndRemovePoints) {
  const auto s = snapshot(train::default_settings(), 10);
  ui::UiState ui;
  ui.paint_class = 1;
  const ui::FrameInfo fi = info(*s);
  ui::FrameOutput out = frame(ui, fi);
  out = frame(ui, fi);
  ImGuiIO& io = ImGui::GetIO();
  const ImVec2 centre(out.view_pos.x + 0.5f * out.view_width_px, out.view_pos.y + 0.5f * out.view_height_px);
  const double cx = 0.5 * (out.view_rect.x_min + out.view_rect.x_max);
  const double cy = 0.5 * (out.view_rect.y_min + out.view_rect.y_max);
  const double tol = 2.0 * (out.view_rect.x_max - out.view_rect.x_min) / out.view_width_px;

  // Left click (press, release without moving): one AddPoint of the paint class at the cursor.
  io.MousePos = centre;
  frame(ui, fi);
  io.MouseDown[0] = true;
  frame(ui, fi);
  io.MouseDown[0] = false;
  out = frame(ui, fi);
  ASSERT_EQ(out.commands.size(), 1u);
  const auto* add = std::get_if<train::cmd::AddPoint>(&out.commands[0]);
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->label, 1);
  EXPECT_NEAR(add->x1, cx, tol);
  EXPECT_NEAR(add->x2, cy, tol);

  // Right click: RemoveNearest at the cursor.
  io.MouseDown[1] = true;
  out = frame(ui, fi);
  io.MouseDown[1] = false;
  ASSERT_EQ(out.commands.size(), 1u);
  const auto* remove = std::get_if<train::cmd::RemoveNearest>(&out.commands[0]);
  ASSERT_NE(remove, nullptr);
  EXPECT_NEAR(remove->x1, cx, tol);
  frame(ui, fi);

  // A drag pans the view and adds nothing.
  const double before = ui.plane.cx;
  io.MouseDown[0] = true;
  frame(ui, fi);
  for (int i = 1; i <= 10; ++i) {
    io.MousePos = ImVec2(centre.x + 8.0f * i, centre.y);
    out = frame(ui, fi);
    EXPECT_TRUE(out.commands.empty());
  }
  io.MouseDown[0] = false;
  out = frame(ui, fi);
  EXPECT_TRUE(out.commands.empty());
  EXPECT_LT(ui.plane.cx, before);  // dragged right: the plane moves with the hand

  // The wheel zooms in about the cursor.
  const double upp = ui.plane.units_per_px;
  io.MouseWheel = 1.0f;
  frame(ui, fi);
  io.MouseWheel = 0.0f;
  EXPECT_LT(ui.plane.units_per_px, upp);
}

TEST_F(UiSmoke, SettingsFollowTheSnapshotUnlessBeingEdited) {
  train::Settings st = train::default_settings();
  const auto a = snapshot(st, 1);
  ui::UiState ui;
  frame(ui, info(*a));
  EXPECT_EQ(ui.edit, a->settings);
  st.optimizer.learning_rate = 0.05;
  const auto b = snapshot(st, 1);
  frame(ui, info(*b));
  EXPECT_DOUBLE_EQ(ui.edit.optimizer.learning_rate, 0.05);
}

// The graph's thumbnails never overlap, whatever the shape and the room: every pair of nodes of
// networks up to 8 x 64 units, in panels from a narrow column to a wide strip.
TEST(GraphGeometry, ThumbnailsNeverOverlapAndStayInTheirColumn) {
  const std::vector<std::vector<int>> shapes = {
      {2, 8, 8, 1}, {2, 32, 32, 1}, {7, 64, 64, 3}, {2, 64, 64, 64, 64, 64, 64, 64, 64, 1}, {2, 1}};
  const ImVec2 rooms[] = {{432, 600}, {300, 200}, {1500, 500}, {800, 300}};
  for (const auto& sizes : shapes)
    for (const ImVec2 room : rooms)
      for (float scale : {1.0f, 1.5f, 2.0f}) {
        const ui::GraphGeometry g = ui::graph_geometry(sizes, room.x, room.y, 96.0f * scale, 14.0f * scale);
        const float height = std::max(room.y, g.height_needed);
        std::vector<ImVec4> r;
        for (int l = 0; l < static_cast<int>(sizes.size()); ++l)
          for (int j = 0; j < sizes[static_cast<std::size_t>(l)]; ++j) {
            const ImVec2 p = ui::graph_node_pos(g, sizes, l, j, height);
            r.emplace_back(p.x, p.y, p.x + g.node, p.y + g.node);
            // Inside its layer's column (and so never over another layer's units).
            EXPECT_GE(p.x, l * g.col_w - 0.5f);
            EXPECT_LE(p.x + g.node, (l + 1) * g.col_w + 0.5f);
            EXPECT_GE(p.y, -0.5f);
            EXPECT_LE(p.y + g.node, height + 0.5f);
          }
        EXPECT_GE(g.node, 14.0f * scale);
        for (std::size_t i = 0; i < r.size(); ++i)
          for (std::size_t j = i + 1; j < r.size(); ++j)
            ASSERT_FALSE(r[i].x < r[j].z && r[j].x < r[i].z && r[i].y < r[j].w && r[j].y < r[i].w)
                << "nodes " << i << " and " << j << " overlap (" << sizes.size() << " layers, room " << room.x
                << "x" << room.y << ", scale " << scale << ")";
      }
}

// A legend keeps to the top-right corner: at most half the width and 45% of the height, in two
// columns when one is too tall, and left out when it cannot fit.
TEST(CornerLegend, StaysInACornerOrIsLeftOut) {
  const ImVec2 lo(100, 50), hi(500, 250);  // 400 x 200
  ui::LegendBox b = ui::corner_legend(lo, hi, ImVec2(120, 20), 3, 4);
  ASSERT_TRUE(b.shown);
  EXPECT_EQ(b.columns, 1);
  EXPECT_FLOAT_EQ(b.max.x, hi.x - 4);
  EXPECT_FLOAT_EQ(b.min.y, lo.y + 4);
  EXPECT_LE(b.max.x - b.min.x, 0.5f * 400);
  EXPECT_LE(b.max.y - b.min.y, 0.45f * 200);
  b = ui::corner_legend(lo, hi, ImVec2(90, 20), 6, 4);  // 6 rows: 128 tall; 2 columns: 68 tall
  ASSERT_TRUE(b.shown);
  EXPECT_EQ(b.columns, 2);
  EXPECT_EQ(b.rows, 3);
  b = ui::corner_legend(lo, hi, ImVec2(250, 20), 2, 4);  // wider than half the frame
  EXPECT_FALSE(b.shown);
  b = ui::corner_legend(lo, ImVec2(500, 80), ImVec2(60, 20), 2, 4);  // a frame 30 tall
  EXPECT_FALSE(b.shown);
}

// Every axis gets at least two labelled ticks, inside its range (the issue: a loss within one
// decade got no y numbers).
TEST(AxisTicks, EveryRangeGetsAtLeastTwoLabels) {
  struct Case {
    double lo, hi;  // values
    ui::AxisScale scale;
  };
  const Case cases[] = {
      {0.31, 0.48, ui::AxisScale::Log},     // a loss within one decade, no 1-2-5 value inside
      {0.6, 0.9, ui::AxisScale::Log},
      {1e-9, 0.7, ui::AxisScale::Log},      // ten decades
      {2.0001, 2.0002, ui::AxisScale::Log}, // nearly flat
      {0, 100, ui::AxisScale::Linear},
      {99.2, 99.9, ui::AxisScale::Linear},
      {0, 10000, ui::AxisScale::LogPlusOne},
      {0, 3, ui::AxisScale::LogPlusOne},
  };
  for (const Case& c : cases) {
    auto pos = [&](double v) {
      return c.scale == ui::AxisScale::Linear ? v : c.scale == ui::AxisScale::Log ? std::log10(v) : std::log10(v + 1);
    };
    const double lo = pos(c.lo), hi = pos(c.hi);
    const auto ticks = ui::axis_ticks(lo, hi, c.scale, 5);
    EXPECT_GE(ticks.size(), 2u) << c.lo << " to " << c.hi;
    for (const ui::AxisTick& t : ticks) {
      EXPECT_FALSE(t.label.empty());
      EXPECT_GE(t.pos, lo - 1e-9 * (hi - lo)) << t.label;
      EXPECT_LE(t.pos, hi + 1e-9 * (hi - lo)) << t.label;
    }
    for (std::size_t i = 1; i < ticks.size(); ++i) EXPECT_LT(ticks[i - 1].pos, ticks[i].pos);
  }
  // A log step axis labels step 0 and the decades.
  const auto steps = ui::axis_ticks(0, std::log10(10001.0), ui::AxisScale::LogPlusOne, 6);
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps.front().label, "0");
  bool has_100 = false;
  for (const ui::AxisTick& t : steps) has_100 |= t.label == "100";
  EXPECT_TRUE(has_100);
}

// The speed slider sits at the top of the controls and speaks steps/s: dragged to its right end
// it posts max (SetSpeed 0, full speed), to its left end 1 step/s.
TEST_F(UiSmoke, SpeedSliderRunsFromOneStepPerSecondToMax) {
  const auto s = snapshot(train::default_settings(), 10);
  ui::UiState ui;
  const ui::FrameInfo fi = info(*s);
  frame(ui, fi);
  frame(ui, fi);
  ImGuiWindow* controls = ImGui::FindWindowByName("Controls");
  ASSERT_NE(controls, nullptr);
  const ImGuiID id = controls->GetID("##speed");
  ImGuiIO& io = ImGui::GetIO();
  // Find it by hovering down the top of the panel (it must be in the top fifth of the window).
  ImVec2 at(-1, -1);
  const float x = controls->Pos.x + 0.6f * controls->Size.x;
  for (float y = controls->Pos.y; y < controls->Pos.y + 0.2f * io.DisplaySize.y && at.x < 0; y += 3) {
    io.MousePos = ImVec2(x, y);
    frame(ui, fi);
    if (ImGui::GetCurrentContext()->HoveredId == id) at = io.MousePos;
  }
  ASSERT_GE(at.x, 0) << "no speed slider near the top of the controls";
  auto drag_to = [&](float to_x) {
    io.MousePos = at;
    io.MouseDown[0] = true;
    std::vector<train::Command> posted;
    for (const auto& c : frame(ui, fi).commands) posted.push_back(c);
    for (int i = 1; i <= 5; ++i) {
      io.MousePos = ImVec2(at.x + (to_x - at.x) * i / 5.0f, at.y);
      for (const auto& c : frame(ui, fi).commands) posted.push_back(c);
    }
    io.MouseDown[0] = false;
    for (const auto& c : frame(ui, fi).commands) posted.push_back(c);
    double last = -1;
    for (const auto& c : posted)
      if (const auto* sp = std::get_if<train::cmd::SetSpeed>(&c)) last = sp->steps_per_second;
    return last;
  };
  EXPECT_EQ(drag_to(io.DisplaySize.x - 1), 0.0) << "the right end is max";
  EXPECT_EQ(ui.edit.steps_per_second, 0.0);
  EXPECT_EQ(drag_to(0), 1.0) << "the left end is 1 step/s";
  // The last stop before max is the machine's full-speed rate (the trainer's estimate), rounded
  // to two digits: 43,210 steps/s -> 43,000, the largest value the slider posts short of max.
  auto measured = std::make_shared<train::Snapshot>(*s);
  measured->full_speed_steps_per_second = 43210.0;
  const ui::FrameInfo fm = info(*measured);
  frame(ui, fm);
  frame(ui, fm);
  EXPECT_EQ(ui.speed_top, 43000.0);
  double largest = 0;
  const ImVec4 r = ui.layout_record.speed_slider;
  for (float f = 0.90f; f < 0.958f; f += 0.004f) {  // the top sits at 94% of the track, max beyond 97%
    io.MousePos = ImVec2(r.x + 2, 0.5f * (r.y + r.w));
    io.MouseDown[0] = true;
    frame(ui, fm);
    io.MousePos = ImVec2(r.x + f * (r.z - r.x), 0.5f * (r.y + r.w));
    std::vector<train::Command> posted = frame(ui, fm).commands;
    io.MouseDown[0] = false;
    frame(ui, fm);
    for (const auto& c : posted)
      if (const auto* sp = std::get_if<train::cmd::SetSpeed>(&c); sp && sp->steps_per_second > 0)
        largest = std::max(largest, sp->steps_per_second);
  }
  EXPECT_EQ(largest, 43000.0) << "the top stop before max";
}

// Hovering a curve opens the readout (step and every series' value); off the plots it does not.
TEST_F(UiSmoke, HoveringACurveShowsItsValues) {
  const auto s = snapshot(train::default_settings(), 500);
  ui::UiState ui;
  const ui::FrameInfo fi = info(*s);
  frame(ui, fi);
  ImGuiWindow* curves = ImGui::FindWindowByName("Curves");
  ASSERT_NE(curves, nullptr);
  ImGuiIO& io = ImGui::GetIO();
  auto tooltip_at = [&](ImVec2 p) {
    io.MousePos = p;
    frame(ui, fi);
    frame(ui, fi);
    ImGuiWindow* tip = ImGui::FindWindowByName("##Tooltip_00");
    return tip != nullptr && tip->Active;
  };
  // The loss plot fills about the first fifth of the strip, under its title row.
  EXPECT_TRUE(tooltip_at(ImVec2(curves->Pos.x + 0.12f * curves->Size.x, curves->Pos.y + 0.6f * curves->Size.y)));
  // The empty right end of the strip's heading row.
  EXPECT_FALSE(tooltip_at(ImVec2(curves->Pos.x + 0.8f * curves->Size.x, curves->Pos.y + 0.5f * ImGui::GetFontSize() + 4)));
}

// Vertices the plot adds to the window's draw list for these y values (x = 0, 1, 2...).
int plot_vertices(const std::vector<double>& y, bool log_y) {
  std::vector<double> x(y.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i);
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(400, 300));
  ImGui::Begin("plot test");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const int before = dl->VtxBuffer.Size;
  const ui::PlotSeries series[] = {{"loss", IM_COL32(0, 0, 0, 255), x.data(), y.data(), static_cast<int>(y.size())}};
  ui::PlotSpec spec;
  spec.title = "Loss";
  spec.size = ImVec2(380, 260);
  spec.log_y = log_y;
  ui::plot("##p", spec, series, 1);
  const int added = dl->VtxBuffer.Size - before;
  ImGui::End();
  ImGui::Render();
  return added;
}

// A loss of exactly 0 on a log axis is drawn (in the zero band, marked "0"), not dropped: the
// plot with zeros draws more than the same plot with those points missing.
TEST_F(UiSmoke, ZerosOnALogAxisAreDrawnAtTheBottom) {
  const std::vector<double> with_zeros{1.0, 0.3, 0.1, 0.0, 0.0, 0.0};
  const std::vector<double> missing{1.0, 0.3, 0.1, NAN, NAN, NAN};
  EXPECT_GT(plot_vertices(with_zeros, true), plot_vertices(missing, true));
  // Every value zero still gives a plot (no empty frame, no crash).
  EXPECT_GT(plot_vertices({0.0, 0.0, 0.0}, true), 0);
}

// The curves panel on a real run's history, at full speed with a stop rule: hundreds of points
// reach the plots (nothing to assert on pixels here; the engine tests count the points).
TEST_F(UiSmoke, CurvesOfALongRunAndALogStepAxis) {
  train::Settings st = train::default_settings();
  const auto s = snapshot(st, 5000);
  EXPECT_GE(s->history.size(), 200u);
  ui::UiState ui;
  ui.x_log = true;
  const ui::FrameInfo fi = info(*s);
  for (int i = 0; i < 3; ++i) frame(ui, fi);
  ui.x_epochs = true;
  frame(ui, fi);
}

// ---- Controls without traps, and a status bar that is current ---------------------------------
//
// The panels driven against a live Engine: each frame's commands are applied before the next
// snapshot, as the trainer would.
class UiControls : public UiSmoke {
 protected:
  void SetUp() override {
    UiSmoke::SetUp();
    ImGuiIO& io = ImGui::GetIO();
    io.KeyMap[ImGuiKey_Enter] = 1;
    io.KeyMap[ImGuiKey_Backspace] = 2;
    io.KeyMap[ImGuiKey_Escape] = 3;
    engine = std::make_unique<train::Engine>(train::default_settings());
  }

  // One frame against the engine; returns the commands the panels posted (already applied).
  std::vector<train::Command> tick() {
    snap = engine->make_snapshot(++version);
    fi = info(*snap);
    fi.time_s = time_s;
    time_s += 1.0 / 60.0;
    ui::FrameOutput out = frame(ui, fi);
    for (const train::Command& c : out.commands) (void)engine->apply(c);
    last_out = out;
    return out.commands;
  }

  // The centre of the widget `label` of window `window`, found by moving the mouse over the
  // window until ImGui reports it hovered (a stand-in for imgui_test_engine's item lookup).
  // The window is scrolled until the widget is in view.
  std::optional<ImVec2> locate(const char* window, const char* label, float x_fraction = 0.5f) {
    ImGuiWindow* w = ImGui::FindWindowByName(window);
    if (!w) return std::nullopt;
    const ImGuiID id = w->GetID(label);
    ImGuiIO& io = ImGui::GetIO();
    for (float scroll = 0.0f;; scroll += 0.5f * w->Size.y) {
      ImGui::SetScrollY(w, scroll);
      tick();
      const float x = w->Pos.x + w->Size.x * x_fraction;
      float first = -1, last = -1;
      for (float y = w->Pos.y + 1; y < w->Pos.y + w->Size.y; y += 3) {
        io.MousePos = ImVec2(x, y);
        tick();
        if (GImGui->HoveredId == id) {
          if (first < 0) first = y;
          last = y;
        } else if (first >= 0) {
          break;
        }
      }
      if (first >= 0) return ImVec2(x, 0.5f * (first + last));
      if (scroll >= w->ScrollMax.y) return std::nullopt;
    }
  }

  std::vector<train::Command> click(ImVec2 at, bool ctrl = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = at;
    io.KeyCtrl = ctrl;
    std::vector<train::Command> all = tick();
    io.MouseDown[0] = true;
    for (auto& c : tick()) all.push_back(c);
    io.MouseDown[0] = false;
    for (auto& c : tick()) all.push_back(c);
    io.KeyCtrl = false;
    time_s += 0.5;  // the next click is not a double-click
    ImGui::GetIO().DeltaTime = 0.5f;
    tick();
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    return all;
  }

  std::vector<train::Command> type(const std::string& text) {
    std::vector<train::Command> all;
    for (char ch : text) {
      ImGui::GetIO().AddInputCharacter(static_cast<unsigned>(ch));
      for (auto& c : tick()) all.push_back(c);
    }
    return all;
  }

  std::vector<train::Command> press(ImGuiKey key, int times = 1) {
    std::vector<train::Command> all;
    ImGuiIO& io = ImGui::GetIO();
    for (int i = 0; i < times; ++i) {
      io.KeysDown[io.KeyMap[key]] = true;
      for (auto& c : tick()) all.push_back(c);
      io.KeysDown[io.KeyMap[key]] = false;
      for (auto& c : tick()) all.push_back(c);
    }
    return all;
  }

  template <class C>
  static const C* find(const std::vector<train::Command>& cs) {
    for (const auto& c : cs)
      if (const C* x = std::get_if<C>(&c)) return x;
    return nullptr;
  }

  std::unique_ptr<train::Engine> engine;
  std::shared_ptr<const train::Snapshot> snap;
  ui::FrameInfo fi;
  ui::FrameOutput last_out;
  ui::UiState ui;
  std::uint64_t version = 0;
  double time_s = 0.0;
};

TEST_F(UiControls, AClickOnThePointsControlChangesNothingADragDoes) {
  tick();
  tick();
  const auto at = locate("Controls", "##points", 0.85f);  // far right: a slider would jump to ~4000
  ASSERT_TRUE(at.has_value());
  const auto posted = click(*at);
  EXPECT_TRUE(posted.empty()) << posted.size() << " commands after a click";
  EXPECT_EQ(engine->settings().data.points, 400);
  EXPECT_EQ(ui.edit.data.points, 400);
  // A drag to the right: more points, posted once, on release.
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = *at;
  tick();
  io.MouseDown[0] = true;
  std::vector<train::Command> during;
  for (int i = 1; i <= 10; ++i) {
    io.MousePos = ImVec2(at->x + 4.0f * i, at->y);
    for (auto& c : tick()) during.push_back(c);
  }
  EXPECT_TRUE(during.empty()) << "a data change is posted on release, not on each drag frame";
  io.MouseDown[0] = false;
  const auto released = tick();
  const auto* set = find<train::cmd::SetData>(released);
  ASSERT_NE(set, nullptr);
  EXPECT_GT(set->data.points, 400);
  EXPECT_EQ(engine->step_count(), 0);
}

TEST_F(UiControls, ATypedValueIsPostedOnEnterNotKeystrokeByKeystroke) {
  tick();
  tick();
  const auto at = locate("Controls", "##points");
  ASSERT_TRUE(at.has_value());
  auto posted = click(*at, /*ctrl=*/true);  // Ctrl+click: type a value
  EXPECT_TRUE(posted.empty());
  posted = type("250");
  EXPECT_TRUE(posted.empty()) << "nothing while typing";
  posted = press(ImGuiKey_Enter);
  const auto* set = find<train::cmd::SetData>(posted);
  ASSERT_NE(set, nullptr) << "Enter applies at once, without a click elsewhere";
  EXPECT_EQ(set->data.points, 250);
  EXPECT_EQ(engine->settings().data.points, 250);

  // The learning rate: "0.5" typed is one command with 0.5, never the half-typed 0.
  const auto lr = locate("Controls", "##lr");
  ASSERT_TRUE(lr.has_value());
  posted = click(*lr, true);
  posted = type("0.5");
  EXPECT_EQ(find<train::cmd::SetOptimizer>(posted), nullptr) << "a half-typed 0 was posted";
  posted = press(ImGuiKey_Enter);
  const auto* opt = find<train::cmd::SetOptimizer>(posted);
  ASSERT_NE(opt, nullptr);
  EXPECT_DOUBLE_EQ(opt->optimizer.learning_rate, 0.5);
  EXPECT_EQ(engine->message(), "");
}

TEST_F(UiControls, ATypedDepthOutOfRangeIsRefusedAndStartsNoRun) {
  tick();
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(engine->step());
  const auto at = locate("Controls", "##depth");
  ASSERT_TRUE(at.has_value());
  click(*at, true);
  press(ImGuiKey_Backspace, 3);
  type("9");
  const auto posted = press(ImGuiKey_Enter);
  EXPECT_EQ(find<train::cmd::SetNet>(posted), nullptr);
  EXPECT_EQ(engine->step_count(), 30) << "a refused value restarted the run";
  EXPECT_EQ(ui.notice, "network.depth = 9 is out of range: allowed 0 to 8");
}

TEST_F(UiControls, UndoBringsBackPointsAndClearDoesNotMoveTheButtons) {
  tick();
  tick();
  const core::Dataset original = engine->data();
  const auto clear_at = locate("Controls", "Clear points");
  const auto undo_at = locate("Controls", "Undo point edit (Ctrl+Z)");
  ASSERT_TRUE(clear_at && undo_at);
  EXPECT_TRUE(click(*undo_at).empty()) << "nothing to undo yet: the button is disabled";
  ASSERT_NE(find<train::cmd::ClearPoints>(click(*clear_at)), nullptr);
  EXPECT_TRUE(engine->data().points.empty());
  tick();
  const auto undo_after = locate("Controls", "Undo point edit (Ctrl+Z)");
  ASSERT_TRUE(undo_after.has_value());
  EXPECT_NEAR(undo_after->y, undo_at->y, 1.0f) << "the panel shifted under the mouse";
  ASSERT_NE(find<train::cmd::UndoPoints>(click(*undo_after)), nullptr);
  EXPECT_EQ(engine->data(), original);
  EXPECT_EQ(engine->settings().data.kind, core::DataKind::Moons);
  // A point clicked in the plane, then undone by the action Ctrl+Z runs.
  const ImVec2 centre(last_out.view_pos.x + 0.4f * last_out.view_width_px,
                      last_out.view_pos.y + 0.6f * last_out.view_height_px);
  ASSERT_NE(find<train::cmd::AddPoint>(click(centre)), nullptr);
  EXPECT_EQ(engine->data().points.size(), original.points.size() + 1);
  ui::FrameOutput keys;
  ui::undo_points(keys);
  for (const auto& c : keys.commands) ASSERT_FALSE(engine->apply(c).has_value());
  EXPECT_EQ(engine->data(), original);
}

TEST_F(UiControls, ClicksUnderTheLegendAddNoPoint) {
  tick();
  tick();
  // The legend sits in the top-right corner of the plane.
  const ImVec2 corner(last_out.view_pos.x + last_out.view_width_px - 30.0f,
                      last_out.view_pos.y + 30.0f);
  const auto posted = click(corner);
  EXPECT_EQ(find<train::cmd::AddPoint>(posted), nullptr);
  ImGuiIO& io = ImGui::GetIO();
  io.MouseDown[1] = true;
  const auto right = tick();
  io.MouseDown[1] = false;
  tick();
  EXPECT_EQ(find<train::cmd::RemoveNearest>(right), nullptr);
  // Without the legend the same click adds a point.
  ui.show_legend = false;
  tick();
  EXPECT_NE(find<train::cmd::AddPoint>(click(corner)), nullptr);
}

TEST_F(UiControls, AnOutOfRangeSeedIsRefusedWithItsRangeUntilAValidOneIsTyped) {
  tick();
  tick();
  const auto at = locate("Controls", "##wseed", 0.85f);  // right of the text: the cursor at its end
  ASSERT_TRUE(at.has_value());
  auto posted = click(*at);
  posted = press(ImGuiKey_Backspace, 3);
  posted = type("99999999999999999999999");
  posted = press(ImGuiKey_Enter);
  EXPECT_EQ(find<train::cmd::SetWeightSeed>(posted), nullptr) << "the seed must not be posted";
  EXPECT_EQ(engine->settings().weight_seed, 1u);
  EXPECT_EQ(
      ui.notice,
      "weight seed = 99999999999999999999999 is out of range: allowed 0 to 18446744073709551615");
  EXPECT_TRUE(ui.notice_is_error);
  EXPECT_TRUE(ui::notice_up(ui, fi, "weight seed"));
  // The largest seed is accepted, and the error goes at once.
  posted = click(*at);
  posted = press(ImGuiKey_Backspace, 30);
  posted = type("18446744073709551615");
  posted = press(ImGuiKey_Enter);
  const auto* seed = find<train::cmd::SetWeightSeed>(posted);
  ASSERT_NE(seed, nullptr);
  EXPECT_EQ(seed->seed, 18446744073709551615ull);
  EXPECT_EQ(engine->settings().weight_seed, 18446744073709551615ull);
  EXPECT_FALSE(ui::notice_up(ui, fi, "weight seed"));
  EXPECT_EQ(ui.notice, "");
}

TEST_F(UiControls, SwitchingTheDataKindRestoresThatKindsDefaults) {
  // 15 drawn points, then moons picked in the Problem combo: 400 points, as moons has by default.
  std::vector<core::Point> drawn;
  for (int i = 0; i < 15; ++i) drawn.push_back({0.1 * i, 0.05 * i, i % 2, false});
  ASSERT_FALSE(engine->apply(train::cmd::SetPoints{drawn, 2}).has_value());
  core::DataSpec noisy = engine->settings().data;
  tick();
  tick();
  ASSERT_EQ(ui.edit.data.kind, core::DataKind::Custom);
  const auto combo = locate("Controls", "##kind");
  ASSERT_TRUE(combo.has_value());
  click(*combo);
  ImGuiWindow* popup = nullptr;
  for (ImGuiWindow* w : GImGui->Windows)
    if (w->Active && std::string(w->Name).rfind("##Combo_", 0) == 0) popup = w;
  ASSERT_NE(popup, nullptr) << "the combo did not open";
  tick();
  tick();
  const auto moons = locate(popup->Name, "moons");
  ASSERT_TRUE(moons.has_value());
  const auto posted = click(*moons);
  const auto* set = find<train::cmd::SetData>(posted);
  ASSERT_NE(set, nullptr);
  core::DataSpec expected;  // the defaults
  expected.kind = core::DataKind::Moons;
  expected.seed = noisy.seed;
  EXPECT_EQ(set->data, expected);
  EXPECT_EQ(engine->data().points.size(), 400u);
}

TEST_F(UiControls, AStatusMessageGoesOnceTheValueIsValidAndLongOnesOpenOnHover) {
  tick();
  // A learning rate of 0 typed and entered: refused, and said in the status bar.
  const auto lr = locate("Controls", "##lr");
  ASSERT_TRUE(lr.has_value());
  click(*lr, true);
  type("0");
  press(ImGuiKey_Enter);
  EXPECT_NE(snap->message.find("learning_rate = 0 is out of range"), std::string::npos)
      << snap->message;
  click(*lr, true);
  type("0.1");
  press(ImGuiKey_Enter);
  tick();
  EXPECT_DOUBLE_EQ(engine->settings().optimizer.learning_rate, 0.1);
  EXPECT_EQ(snap->message, "") << "the error outlived the value it was about";

  // A message longer than the bar: cut, and shown in full in a tooltip on hover.
  const std::string long_message(400, 'x');
  ui::set_notice(ui, fi, "start " + long_message + " end", true);
  tick();
  ImGuiWindow* bar = ImGui::FindWindowByName("Status");
  ASSERT_NE(bar, nullptr);
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(bar->Pos.x + bar->Size.x - 40, bar->Pos.y + 0.5f * bar->Size.y);
  tick();
  tick();
  ImGuiWindow* tip = ImGui::FindWindowByName("##Tooltip_00");
  ASSERT_NE(tip, nullptr);
  EXPECT_TRUE(tip->Active) << "no tooltip with the full message";
  EXPECT_LE(tip->Size.x, io.DisplaySize.x) << "the full message wraps";
  EXPECT_GT(tip->Size.y, 3 * ImGui::GetTextLineHeight()) << "the full message wraps";
}

}  // namespace
}  // namespace mlpviz
