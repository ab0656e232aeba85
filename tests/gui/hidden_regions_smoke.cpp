// hidden_regions_smoke.cpp: the linear-regions overlay and the Hidden space window without a
// window (as ui_smoke.cpp): they draw for every shape, show what core computes for the parameters
// shown, refuse smooth networks in words, pick sensible default axes, and recompute at a bounded
// rate while training but at once for a new view or new axes.
#include <gtest/gtest.h>
#include <imgui.h>

#include <memory>

#include "ui_fixture.hpp"
#include "core/regions.hpp"
#include "train/engine.hpp"
#include "ui/hidden_regions.hpp"
#include "ui/panels.hpp"

namespace mlpviz {
namespace {

class HiddenRegionsSmoke : public test::UiFixture {
 protected:
  static std::shared_ptr<const train::Snapshot> snapshot(const train::Settings& settings, int steps, std::uint64_t version) {
    return snapshot_of(settings, steps, version);
  }
  static ui::FrameInfo info(const train::Snapshot& s, double t) {
    ui::FrameInfo fi = UiFixture::info(s);
    fi.time_s = t;
    return fi;
  }
  static train::Settings net(std::vector<int> widths, core::Activation act) {
    train::Settings s = train::default_settings();
    s.net.widths = std::move(widths);
    s.net.activations.assign(s.net.widths.size(), act);
    return s;
  }
};

TEST_F(HiddenRegionsSmoke, OverlayCountsWhatCoreCountsForTheViewShown) {
  const auto s = snapshot(net({8, 8, 8}, core::Activation::Relu), 300, 1);
  ui::UiState ui;
  ASSERT_TRUE(ui::show_view(ui, "regions"));
  ui::FrameOutput out;
  for (int f = 0; f < 3; ++f) out = frame(ui, info(*s, 0.02 * f));
  const core::RegionMap& m = ui.regions.map;
  ASSERT_GT(m.grid.width, 8);
  EXPECT_GT(m.regions, 8);
  EXPECT_DOUBLE_EQ(m.grid.x_min, out.view_rect.x_min);
  EXPECT_DOUBLE_EQ(m.grid.y_max, out.view_rect.y_max);
  const std::vector<double> p(s->params.begin(), s->params.end());
  const core::RegionMap again = core::map_regions(s->layout, s->settings.net.features, p.data(), m.grid);
  EXPECT_EQ(again.regions, m.regions);
  EXPECT_EQ(again.id, m.id);
}

TEST_F(HiddenRegionsSmoke, OverlayRefusesSmoothNetworksAndCountsOneForLinear) {
  ui::UiState ui;
  ui::show_view(ui, "regions");
  const auto tanh = snapshot(net({8}, core::Activation::Tanh), 10, 1);
  frame(ui, info(*tanh, 0));
  EXPECT_TRUE(ui.regions.map.id.empty());  // nothing computed: the view says why instead
  const auto linear = snapshot(net({}, core::Activation::Relu), 10, 2);
  frame(ui, info(*linear, 1));
  EXPECT_EQ(ui.regions.map.regions, 1);
}

TEST_F(HiddenRegionsSmoke, OverlayRecomputesAtABoundedRateWhileTraining) {
  const train::Settings set = net({6, 6}, core::Activation::Relu);
  const auto a = snapshot(set, 100, 1), b = snapshot(set, 200, 2), c = snapshot(set, 300, 3);
  ui::UiState ui;
  ui::show_view(ui, "regions");
  frame(ui, info(*a, 10.0));
  frame(ui, info(*a, 10.01));
  const double first = ui.regions.computed_at;
  EXPECT_EQ(first, 10.0);
  frame(ui, info(*b, 10.02));  // new parameters 20 ms later: not yet
  EXPECT_EQ(ui.regions.computed_at, first);
  EXPECT_EQ(ui.regions.key.step, a->step);
  frame(ui, info(*c, 10.5));   // later: caught up with the newest
  EXPECT_EQ(ui.regions.key.step, c->step);
}

TEST_F(HiddenRegionsSmoke, HiddenWindowPicksDefaultAxesAndMapsEveryPoint) {
  struct Case {
    std::vector<int> widths;
    core::Activation act;
    int layer;
    bool pca;
  };
  for (const Case& c : {Case{{8, 2}, core::Activation::Tanh, 2, false}, Case{{16, 16}, core::Activation::Relu, 2, true},
                        Case{{4, 1}, core::Activation::Tanh, 1, true}, Case{{}, core::Activation::Tanh, 0, false},
                        Case{std::vector<int>(8, 64), core::Activation::Relu, 8, true}}) {
    const auto s = snapshot(net(c.widths, c.act), 20, 1);
    ui::UiState ui;
    ASSERT_TRUE(ui::show_view(ui, "hidden"));
    frame(ui, info(*s, 0));
    frame(ui, info(*s, 0.02));
    EXPECT_EQ(ui.hidden_space.axes.layer, c.layer);
    EXPECT_EQ(ui.hidden_space.axes.pca, c.pca);
    EXPECT_EQ(ui.hidden_space.map.points.size(), s->data->points.size());
    EXPECT_EQ(ui.hidden_space.map.boundary.has_value(), c.widths.size() == 2 && c.widths.back() == 2);
    // New axes are drawn at once, whatever the pace.
    ui.hidden_space.axes.pca = !ui.hidden_space.axes.pca;
    ui.hidden_space.chosen = true;
    frame(ui, info(*s, 0.03));
    EXPECT_EQ(ui.hidden_space.key_axes, ui.hidden_space.axes);
  }
  EXPECT_FALSE(ui::show_view(*std::make_unique<ui::UiState>(), "regionz"));
}

// "Through the layers": every layer's picture computed for the parameters shown, Play moving the
// position and turning back at the last layer.
TEST_F(HiddenRegionsSmoke, HiddenWindowPlaysThroughTheLayers) {
  const auto s = snapshot(net({8, 8, 2}, core::Activation::Tanh), 20, 1);
  ui::UiState ui;
  ASSERT_TRUE(ui::show_view(ui, "hidden"));
  ui.hidden_space.through = true;
  frame(ui, info(*s, 0));
  ASSERT_EQ(ui.hidden_space.layers.layers, (std::vector<int>{0, 1, 2, 3}));
  for (const core::HiddenSpaceMap& m : ui.hidden_space.layers.maps) EXPECT_EQ(m.points.size(), s->data->points.size());
  ui.hidden_space.playing = true;
  double last = ui.hidden_space.position;
  bool turned = false;
  for (int i = 1; i < 500 && !turned; ++i) {  // 1/60 s a frame, half a layer a second: 6 s to the end
    frame(ui, info(*s, i / 60.0));
    if (ui.hidden_space.position < last) turned = true;
    last = ui.hidden_space.position;
  }
  EXPECT_TRUE(turned);
  EXPECT_LE(ui.hidden_space.position, 3.0);
}

}  // namespace
}  // namespace mlpviz

namespace mlpviz {
namespace {

// The count over training: one point per computation on live parameters (in the data's box, so
// zooming does not move it), none for a replayed step, a new curve for a new run.
TEST_F(HiddenRegionsSmoke, OverlayLogsTheCountInTheDataBoxOverTraining) {
  const train::Settings set = net({6, 6}, core::Activation::Relu);
  ui::UiState ui;
  ui::show_view(ui, "regions");
  std::vector<std::shared_ptr<const train::Snapshot>> snaps;
  for (int k = 0; k < 4; ++k) snaps.push_back(snapshot(set, 50 * k, k + 1));
  for (int k = 0; k < 4; ++k) frame(ui, info(*snaps[k], 1.0 * k));
  ASSERT_EQ(ui.regions.hist_step.size(), 4u);
  EXPECT_EQ(ui.regions.hist_step.back(), 150.0);
  EXPECT_GT(ui.regions.hist_count.back(), 1.0);
  // A replayed step adds nothing.
  ui::FrameInfo replay = info(*snaps[3], 10.0);
  replay.replaying = true;
  replay.shown_step = 20;
  replay.params = &snaps[1]->params;
  frame(ui, replay);
  EXPECT_EQ(ui.regions.hist_step.size(), 4u);
  // A new run (generation) starts a new curve.
  train::Settings other = set;
  other.weight_seed = 9;
  train::Engine e(other);
  e.update_metrics();
  auto fresh = std::make_shared<train::Snapshot>(*e.make_snapshot(9));
  fresh->generation = snaps[3]->generation + 1;
  frame(ui, info(*fresh, 20.0));
  EXPECT_EQ(ui.regions.hist_step.size(), 1u);
  EXPECT_EQ(ui.regions.hist_step.front(), 0.0);
}

}  // namespace
}  // namespace mlpviz
