// histogram_panel_test.cpp: the z histograms window and the graph's knock-out, without a window
// (as ui_smoke.cpp): a fake snapshot with known histograms must draw the right bars and shade the
// right flat zones; a right-click on a hidden unit of the graph must post the knock-out command.
#include <gtest/gtest.h>
#include <imgui.h>

#include <cmath>
#include <memory>
#include <variant>
#include <vector>

#include "ui_fixture.hpp"
#include "core/histogram.hpp"
#include "train/engine.hpp"
#include "ui/panels.hpp"

namespace mlpviz {
namespace {

class HistogramPanel : public test::UiFixture {
 protected:
  static ui::FrameInfo info(const train::Snapshot& s, float scale = 1.0f) {
    ui::FrameInfo fi = UiFixture::info(s);
    fi.scale = scale;
    return fi;
  }
};

core::ZHistogram fake(core::Activation act, double hi, std::vector<int> counts) {
  core::ZHistogram h;
  h.act = act;
  h.hi = hi;
  h.lo = -hi;
  h.counts = std::move(counts);
  for (int c : h.counts) h.total += c;
  return h;
}

TEST_F(HistogramPanel, DrawsTheSnapshotsBinsAndFlatZones) {
  train::Snapshot s;
  s.settings = train::default_settings();
  s.settings.net.activations = {core::Activation::Relu, core::Activation::Tanh};
  s.layout = core::Layout::from_spec(s.settings.net);
  std::vector<int> relu(10, 0), tanh(8, 0);
  relu[1] = 5;   // tallest
  relu[7] = 2;
  tanh[0] = 3;
  tanh[4] = 6;   // tallest
  tanh[5] = 1;
  s.metrics.z_histograms = {fake(core::Activation::Relu, 5.0, relu), fake(core::Activation::Tanh, 4.0, tanh)};
  for (float scale : {1.0f, 1.5f}) {
    SCOPED_TRACE(scale);
    ui::UiState st;
    st.show_histograms = true;
    const ui::FrameInfo fi = info(s, scale);
    ui::HistogramRecord rec;
    for (int f = 0; f < 3; ++f) {
      ImGui::NewFrame();
      ui::draw_histogram_panel(st, fi, &rec);
      ImGui::Render();
    }
    ASSERT_EQ(rec.plots.size(), 2u);
    const ui::HistogramPlot& r = rec.plots[0];
    EXPECT_EQ(r.layer, 1);
    EXPECT_EQ(r.total, 7);
    ASSERT_EQ(r.bar_heights.size(), 10u);
    const float full = r.bar_heights[1];
    EXPECT_GT(full, 0.8f * (r.plot_max.y - r.plot_min.y));  // the tallest bin fills the plot
    EXPECT_NEAR(r.bar_heights[7], full * 2.0f / 5.0f, 0.01f);
    for (int i : {0, 2, 3, 4, 5, 6, 8, 9}) EXPECT_EQ(r.bar_heights[static_cast<std::size_t>(i)], 0.0f);
    // ReLU: shaded from the left edge to z = 0, the middle of [-5, 5].
    ASSERT_EQ(r.flat_count, 1);
    EXPECT_NEAR(r.flat_x[0][0], r.plot_min.x, 0.01f);
    EXPECT_NEAR(r.flat_x[0][1], 0.5f * (r.plot_min.x + r.plot_max.x), 0.01f);
    EXPECT_GE(r.plot_max.x - r.plot_min.x, 200.0f * scale) << "a plot a class can read";
    // tanh on [-4, 4]: both tails beyond the saturation threshold, mirrored.
    const ui::HistogramPlot& t = rec.plots[1];
    EXPECT_EQ(t.layer, 2);
    EXPECT_NEAR(t.bar_heights[0], t.bar_heights[4] * 0.5f, 0.01f);
    EXPECT_NEAR(t.bar_heights[5], t.bar_heights[4] / 6.0f, 0.01f);
    ASSERT_EQ(t.flat_count, 2);
    const float w = t.plot_max.x - t.plot_min.x;
    const double zs = core::saturation_z(core::Activation::Tanh);
    EXPECT_NEAR(t.flat_x[0][1], t.plot_min.x + w * static_cast<float>((4.0 - zs) / 8.0), 0.01f);
    EXPECT_NEAR(t.flat_x[1][0], t.plot_min.x + w * static_cast<float>((4.0 + zs) / 8.0), 0.01f);
    EXPECT_NEAR(t.flat_x[1][1], t.plot_max.x, 0.01f);
  }
  // Closed: nothing drawn.
  ui::UiState closed;
  ui::HistogramRecord rec;
  rec.plots.resize(1);
  const ui::FrameInfo fi = info(s);
  ImGui::NewFrame();
  ui::draw_histogram_panel(closed, fi, &rec);
  ImGui::Render();
  EXPECT_EQ(rec.plots.size(), 1u) << "a closed panel leaves the record alone";
}

// The engine's own histograms through the whole UI (draw_ui), with the window open.
TEST_F(HistogramPanel, OpensFromTheStateWithARealSnapshot) {
  train::Engine e(train::default_settings());
  for (int i = 0; i < 30; ++i) e.step();
  e.update_metrics();
  const auto s = e.make_snapshot(1);
  ASSERT_EQ(s->metrics.z_histograms.size(), 2u);
  ui::UiState st;
  st.show_histograms = true;
  const ui::FrameInfo fi = info(*s);
  for (int f = 0; f < 3; ++f) {
    ui::FrameOutput out;
    ImGui::NewFrame();
    ui::draw_ui(st, fi, out);
    ImGui::Render();
  }
  ui::HistogramRecord rec;
  ImGui::NewFrame();
  ui::draw_histogram_panel(st, fi, &rec);
  ImGui::Render();
  ASSERT_EQ(rec.plots.size(), 2u);
  for (const ui::HistogramPlot& p : rec.plots) EXPECT_EQ(p.total, s->metrics.evaluated_train * 8);
}

// Right-click on a hidden unit of the graph: knock it out; on a knocked-out one: back on.
TEST_F(HistogramPanel, RightClickOnAUnitKnocksItOutAndBackOn) {
  train::Engine e(train::default_settings());
  for (int i = 0; i < 10; ++i) e.step();
  e.update_metrics();
  for (bool already_off : {false, true}) {
    if (already_off) {
      ASSERT_FALSE(e.apply(train::cmd::SetKnockOut{1, 2, true}).has_value());
    }
    const auto s = e.make_snapshot(already_off ? 3 : 2);
    ui::UiState st;
    const ui::FrameInfo fi = info(*s);
    ImGuiIO& io = ImGui::GetIO();
    const auto frame = [&] {
      ui::FrameOutput out;
      st.layout_record.graph_nodes.clear();
      ImGui::NewFrame();
      ui::draw_ui(st, fi, out);
      ImGui::Render();
      return out;
    };
    for (int f = 0; f < 3; ++f) frame();
    // Nodes in order: 2 inputs, then layer 1's 8 units: unit 3 (index 2) of layer 1 is node 4.
    ASSERT_GT(st.layout_record.graph_nodes.size(), 4u);
    const ImVec4 n = st.layout_record.graph_nodes[4];
    io.MousePos = ImVec2(0.5f * (n.x + n.z), 0.4f * n.y + 0.6f * n.w);  // clear of the bias handle
    frame();
    io.MouseDown[1] = true;
    const ui::FrameOutput out = frame();
    io.MouseDown[1] = false;
    frame();
    io.MousePos = ImVec2(-1, -1);
    bool posted = false;
    for (const train::Command& c : out.commands)
      if (const auto* k = std::get_if<train::cmd::SetKnockOut>(&c)) {
        posted = true;
        EXPECT_EQ(k->layer, 1);
        EXPECT_EQ(k->unit, 2);
        EXPECT_EQ(k->off, !already_off);
      }
    EXPECT_TRUE(posted) << (already_off ? "switch back on" : "knock out");
  }
}

}  // namespace
}  // namespace mlpviz
