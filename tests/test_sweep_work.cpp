// The window's sweep without GL (app/sweep_work.hpp): a small grid trained on the pool with the
// painter thread on. Every cell gets images of the right size, a finished cell's image is the
// figure of its final weights, the results equal each cell's engine stepped alone (as the pool's
// and `mlpviz sweep`'s do), and cancel, close and restart mid-run join cleanly. Also run under
// ThreadSanitizer (scripts/test.sh: the SweepWork. tests), which is the point: the painter and
// its hand-off to the owner's thread exist nowhere else outside the window.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/figure.hpp"
#include "app/figure_text.hpp"
#include "app/render_png.hpp"
#include "app/sweep_work.hpp"
#include "train/engine.hpp"
#include "train/run_log.hpp"
#include "train/sweep.hpp"

namespace mlpviz::app {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kImageBytes = std::size_t{SweepWork::kCellPx} * SweepWork::kCellPx * 3;

// Depths 1 and 2 by widths 2 and 4: four tiny networks.
train::SweepPlan small_plan() {
  train::SweepAxes axes;
  axes.depths = {1, 2};
  axes.widths = {2, 4};
  train::SweepPlan plan;
  EXPECT_FALSE(train::plan_sweep(train::default_settings().net, axes, plan));
  return plan;
}

// Polls as the window does, once a "frame", until `done` holds; false if it never does (a hang
// guard far beyond the seconds these runs take, not a timing).
bool poll_until(SweepWork& w, train::RunLog& log, const std::function<bool()>& done) {
  const auto give_up = std::chrono::steady_clock::now() + 240s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    w.poll(log);
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

bool same_bits(const core::Params& a, const core::Params& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(a[0])) == 0;
}

TEST(SweepWork, EveryCellGetsImagesAndAFinishedCellShowsItsFinalWeights) {
  const train::Settings base = train::default_settings();
  const core::Dataset data = core::generate(base.data);
  const train::SweepPlan plan = small_plan();
  constexpr std::int64_t kSteps = 300;
  SweepWork w;
  w.start(base, data, plan, kSteps, 2);
  ASSERT_TRUE(w.active());
  ASSERT_EQ(w.cells().size(), plan.cells.size());
  EXPECT_EQ(w.threads(), 2);
  EXPECT_TRUE(w.running());
  ASSERT_TRUE(w.export_png("never.png").has_value());  // refused while training

  // Images as the window takes them, one frame after another, until every cell is done and
  // shows its final step.
  train::RunLog log;
  std::vector<int> uploads(plan.cells.size(), 0);
  const auto take = [&] {
    w.take_fresh_images([&](std::size_t i, const SweepWork::CellImage& img) {
      ASSERT_LT(i, uploads.size());
      EXPECT_EQ(img.rgb.size(), kImageBytes);
      ++uploads[i];
    });
  };
  ASSERT_TRUE(poll_until(w, log, [&] {
    take();
    if (w.running()) return false;
    for (int i = 0; i < static_cast<int>(w.cells().size()); ++i)
      if (w.image(i).step != kSteps) return false;
    return true;
  }));
  take();
  for (std::size_t i = 0; i < uploads.size(); ++i) EXPECT_GE(uploads[i], 1) << "cell " << i;
  int again = 0;
  w.take_fresh_images([&](std::size_t, const SweepWork::CellImage&) { ++again; });
  EXPECT_EQ(again, 0);  // each image is handed over once

  const TextPainter text;
  FigureOptions fo;
  fo.plot_w = fo.plot_h = SweepWork::kCellPx;
  fo.axes = fo.legend = false;
  for (int i = 0; i < static_cast<int>(w.cells().size()); ++i) {
    SCOPED_TRACE(w.cells()[static_cast<std::size_t>(i)].name);
    const SweepWork::CellStatus& s = w.cells()[static_cast<std::size_t>(i)];
    EXPECT_TRUE(s.done);
    EXPECT_FALSE(s.cancelled);
    EXPECT_EQ(s.step, kSteps);
    const train::Engine* e = w.cell_engine(i);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->step_count(), kSteps);
    const SweepWork::CellImage img = w.image(i);
    EXPECT_GT(img.version, 0u);
    ASSERT_EQ(img.rgb.size(), kImageBytes);
    const Image want = render_figure(text, e->layout(), e->settings().net.features, e->params(), e->data(),
                                     fit_view(e->data(), SweepWork::kCellPx, SweepWork::kCellPx), fo);
    EXPECT_TRUE(img.rgb == want.rgb) << "the image is not the figure of the final weights";
    EXPECT_TRUE(w.cell_session(i).has_value());
  }
  EXPECT_EQ(log.entries().size(), plan.cells.size());
  EXPECT_EQ(w.cell_log().entries().size(), plan.cells.size());

  // The grid's PNG, written by its worker from the engines taken back.
  std::string name = "mlpviz_sweep_work_";
  name.append(std::to_string(::getpid())).append(".png");
  const std::filesystem::path png = std::filesystem::temp_directory_path() / name;
  ASSERT_FALSE(w.export_png(png.string()).has_value());
  const std::optional<std::string> outcome = w.finish_export();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_NE(outcome->find("exported the grid"), std::string::npos) << *outcome;
  EXPECT_GT(std::filesystem::file_size(png), 0u);
  std::filesystem::remove(png);
  w.close();
  EXPECT_FALSE(w.active());
}

// Each cell's weights and run-log row equal those of its engine stepped alone by the same rule:
// what the pool guarantees (tests/test_pool.cpp) and `mlpviz sweep` gives
// (tests/cli_sweep_test.cmake).
TEST(SweepWork, ResultsEqualEachCellSteppedAlone) {
  train::Settings base = train::default_settings();
  base.weight_seed = 7;
  const core::Dataset data = core::generate(base.data);
  const train::SweepPlan plan = small_plan();
  constexpr std::int64_t kSteps = 250;
  SweepWork w;
  w.start(base, data, plan, kSteps, 3);
  train::RunLog log;
  ASSERT_TRUE(poll_until(w, log, [&] { return !w.running(); }));
  ASSERT_EQ(w.cell_log().entries().size(), plan.cells.size());
  const std::size_t columns = train::run_log_columns().size();
  for (std::size_t i = 0; i < plan.cells.size(); ++i) {
    SCOPED_TRACE(train::cell_name(plan.cells[i]));
    train::Engine alone(train::cell_settings(base, plan.cells[i]), data);
    train::StopRules rules;
    rules.steps = kSteps;
    while (alone.done(rules) == train::StopReason::NotDone)
      if (!alone.step()) break;
    alone.update_metrics();
    alone.set_state(train::RunState::Finished);  // as the pool marks a run its rule stopped
    const train::Engine* e = w.cell_engine(static_cast<int>(i));
    ASSERT_NE(e, nullptr);
    EXPECT_TRUE(same_bits(e->params(), alone.params()));
    // The log holds the cells in the order they finished: find this one's row by its shape.
    const train::RunLogEntry want = train::log_entry(alone, "");
    const train::RunLogEntry* got = nullptr;
    for (const train::RunLogEntry& r : w.cell_log().entries())
      if (r.widths == want.widths && r.activations == want.activations) got = &r;
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->status, "finished");
    train::RunLogEntry same_time = *got;
    same_time.time.clear();
    for (std::size_t c = 0; c < columns; ++c)
      EXPECT_EQ(train::run_log_field(same_time, c), train::run_log_field(want, c)) << train::run_log_columns()[c];
  }
  EXPECT_EQ(log.entries().size(), plan.cells.size());
}

// Long runs stopped mid-way: cancel lets the pool finish them as cancelled (not logged), then
// close joins; close and restart while training, and the destructor while training, join too.
TEST(SweepWork, CancelCloseAndRestartMidRunJoinCleanly) {
  const train::Settings base = train::default_settings();
  const core::Dataset data = core::generate(base.data);
  const train::SweepPlan plan = small_plan();
  constexpr std::int64_t kLong = 100'000'000;
  const auto some_image = [](const SweepWork& w) {
    for (int i = 0; i < static_cast<int>(w.cells().size()); ++i)
      if (!w.image(i).rgb.empty()) return true;
    return false;
  };
  train::RunLog log;
  {
    SweepWork w;
    w.start(base, data, plan, kLong, 2);
    ASSERT_TRUE(poll_until(w, log, [&] { return some_image(w); }));
    w.cancel();
    ASSERT_TRUE(poll_until(w, log, [&] { return !w.running(); }));
    for (int i = 0; i < static_cast<int>(w.cells().size()); ++i) {
      EXPECT_TRUE(w.cells()[static_cast<std::size_t>(i)].cancelled);
      EXPECT_FALSE(w.cell_session(i).has_value());
    }
    EXPECT_TRUE(w.cell_log().entries().empty());
    w.close();
    EXPECT_FALSE(w.active());
    EXPECT_TRUE(w.cells().empty());

    // Restarted after a close, then replaced by a new start while it trains.
    w.start(base, data, plan, kLong, 2);
    ASSERT_TRUE(poll_until(w, log, [&] { return some_image(w); }));
    w.start(base, data, plan, kLong, 1);
    EXPECT_TRUE(w.running());
    EXPECT_EQ(w.threads(), 1);
    ASSERT_TRUE(poll_until(w, log, [&] { return some_image(w); }));
    w.close();  // while training
    EXPECT_FALSE(w.active());

    w.start(base, data, plan, kLong, 2);
    ASSERT_TRUE(poll_until(w, log, [&] { return some_image(w); }));
  }  // the destructor, while training
  EXPECT_TRUE(log.entries().empty());
}

}  // namespace
}  // namespace mlpviz::app
