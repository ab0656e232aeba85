// The sweep's plan (train/sweep.hpp), shared by `mlpviz sweep` and the window's Sweep panel: the
// grid's cells and headings, the equal-parameter widths, the refusals naming the field and range,
// and each cell's settings.
#include <gtest/gtest.h>

#include "core/knock_out.hpp"
#include "core/mlp.hpp"
#include "train/sweep.hpp"

namespace mlpviz::train {
namespace {

TEST(Sweep, PlanIsRowsOfDepthsAndColumnsOfWidths) {
  SweepAxes axes;
  axes.depths = {1, 3};
  axes.widths = {2, 4, 8};
  SweepPlan plan;
  ASSERT_FALSE(plan_sweep(default_settings().net, axes, plan));
  ASSERT_EQ(plan.cells.size(), 6u);
  EXPECT_EQ(plan.rows, 2);
  EXPECT_EQ(plan.cols, 3);
  EXPECT_FALSE(plan.equal);
  for (std::size_t i = 0; i < plan.cells.size(); ++i) {
    const SweepCell& c = plan.cells[i];
    EXPECT_EQ(c.row, static_cast<int>(i / 3));
    EXPECT_EQ(c.col, static_cast<int>(i % 3));
    EXPECT_EQ(c.depth, axes.depths[i / 3]);
    EXPECT_EQ(c.width, axes.widths[i % 3]);
    EXPECT_FALSE(c.activation);
  }
  EXPECT_EQ(plan.col_heads, (std::vector<std::string>{"width 2", "width 4", "width 8"}));
  EXPECT_EQ(plan.row_heads, (std::vector<std::string>{"depth 1", "depth 3"}));
}

TEST(Sweep, ActivationsAreAThirdAxisOfRows) {
  SweepAxes axes;
  axes.depths = {1, 2};
  axes.widths = {4};
  axes.activations = {core::Activation::Tanh, core::Activation::Relu};
  SweepPlan plan;
  ASSERT_FALSE(plan_sweep(default_settings().net, axes, plan));
  ASSERT_EQ(plan.cells.size(), 4u);
  EXPECT_EQ(plan.rows, 4);
  EXPECT_EQ(plan.row_heads, (std::vector<std::string>{"depth 1 tanh", "depth 2 tanh", "depth 1 relu", "depth 2 relu"}));
  EXPECT_EQ(*plan.cells[3].activation, core::Activation::Relu);
  EXPECT_EQ(plan.cells[3].row, 3);
  EXPECT_EQ(cell_name(plan.cells[3]), "2x4 relu");
}

// Equal budget: each depth's width is the one whose parameter count is nearest, checked against
// every other width by counting the network's parameters independently (Layout::from_spec).
TEST(Sweep, EqualBudgetPicksTheNearestWidthPerDepth) {
  const core::NetSpec base = default_settings().net;
  SweepAxes axes;
  axes.depths = {1, 2, 4};
  axes.equal_params = 200;
  SweepPlan plan;
  ASSERT_FALSE(plan_sweep(base, axes, plan));
  ASSERT_EQ(plan.cells.size(), 3u);
  EXPECT_TRUE(plan.equal);
  EXPECT_EQ(plan.rows, 1);
  EXPECT_EQ(plan.cols, 3);
  for (const SweepCell& c : plan.cells) {
    Settings s = default_settings();
    s.net = base;
    const auto count = [&](int w) {
      SweepCell probe = c;
      probe.width = w;
      return core::Layout::from_spec(cell_settings(s, probe).net).num_params;
    };
    for (int w = 1; w <= core::kMaxWidth; ++w)
      EXPECT_LE(std::abs(count(c.width) - 200), std::abs(count(w) - 200)) << "depth " << c.depth << " width " << w;
    EXPECT_EQ(sweep_parameters(base, c.depth, c.width), count(c.width));
  }
  // More depth at the same budget means narrower layers.
  EXPECT_GT(plan.cells[0].width, plan.cells[2].width);
}

TEST(Sweep, RefusalsNameTheFieldAndTheRange) {
  std::vector<int> v;
  EXPECT_EQ(*parse_int_list("Widths", "2,x", 1, 64, v), "Widths: 'x' is not a whole number: allowed 1 to 64, separated by commas");
  EXPECT_EQ(*parse_int_list("Widths", "2,65", 1, 64, v), "Widths: 65 is out of range: allowed 1 to 64, separated by commas");
  EXPECT_EQ(*parse_int_list("Depths", "1,1", 1, 8, v), "Depths: 1 is given twice");
  EXPECT_EQ(*parse_int_list("Depths", " ", 1, 8, v), "Depths is empty: allowed 1 to 8, separated by commas");
  EXPECT_NE(parse_int_list("Depths", "1,,2", 1, 8, v)->find("an empty item"), std::string::npos);
  EXPECT_FALSE(parse_int_list("Widths", "2, 4 ,8", 1, 64, v));  // spaces as a person types them
  EXPECT_EQ(v, (std::vector<int>{2, 4, 8}));
  std::vector<core::Activation> acts;
  EXPECT_NE(parse_activation_list("Activations", "tanh,nope", acts)->find("'nope' is not known"), std::string::npos);
  SweepAxes axes;
  axes.depths = {1, 2, 3, 4, 5};
  axes.widths.assign(1, 2);
  for (int w = 3; w <= 23; ++w) axes.widths.push_back(w);  // 5 x 22 = 110 cells
  SweepPlan plan;
  EXPECT_EQ(*plan_sweep(default_settings().net, axes, plan),
            "the sweep has 110 cells (5 depths x 22 widths x 1 activations): allowed at most 100");
  EXPECT_TRUE(plan.cells.empty());
}

TEST(Sweep, CellSettingsChangeOnlyTheShapeAndClearKnockOuts) {
  Settings base = default_settings();
  base.net.activations.assign(base.net.widths.size(), core::Activation::Relu);
  core::set_knocked_out(base.knocked_out, 1, 0, true);
  SweepCell c;
  c.depth = 3;
  c.width = 5;
  const Settings s = cell_settings(base, c);
  EXPECT_EQ(s.net.widths, (std::vector<int>{5, 5, 5}));
  EXPECT_EQ(s.net.activations, std::vector<core::Activation>(3, core::Activation::Relu));
  EXPECT_TRUE(s.knocked_out.empty());
  Settings same = s;
  same.net = base.net;
  same.knocked_out = base.knocked_out;
  EXPECT_EQ(same, base);  // nothing else changed
  c.activation = core::Activation::Sigmoid;
  EXPECT_EQ(cell_settings(base, c).net.activations, std::vector<core::Activation>(3, core::Activation::Sigmoid));
}

}  // namespace
}  // namespace mlpviz::train
