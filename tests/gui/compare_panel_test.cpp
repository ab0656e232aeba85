// Compare's panels without a window (ui/compare_panel.cpp, as ui_smoke.cpp): with compared runs
// their views take the main view's place, one square of the plane for all of them (a drag or the
// wheel over any view moves every view), the Compare button and a view's close button ask the App,
// and the compared runs' controls post nothing until edited.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>
#include <memory>

#include "modal_clicks.hpp"
#include "ui_fixture.hpp"

namespace mlpviz {
namespace {

class ComparePanel : public test::UiFixture {
 protected:
  void SetUp() override {
    UiFixture::SetUp();
    main_ = snapshot_of(train::default_settings(), 20);
    train::Settings relu = train::default_settings();
    std::fill(relu.net.activations.begin(), relu.net.activations.end(), core::Activation::Relu);
    other_ = snapshot_of(relu, 20);
  }
  ui::FrameInfo compare_info() const {
    ui::FrameInfo fi = info(*main_);
    fi.compare.push_back({main_.get(), ui::TextureRef{reinterpret_cast<ImTextureID>(2)}, "", "GPU field"});
    fi.compare.push_back({other_.get(), ui::TextureRef{reinterpret_cast<ImTextureID>(3)}, "relu vs tanh", "GPU field"});
    return fi;
  }
  std::shared_ptr<const train::Snapshot> main_, other_;
};

TEST_F(ComparePanel, ViewsTakeTheMainViewsPlaceWithOneSquareForAll) {
  ui::UiState ui;
  const ui::FrameInfo fi = compare_info();
  frame(ui, fi);
  const ui::FrameOutput out = frame(ui, fi);
  EXPECT_EQ(out.view_width_px, 0) << "the main view is not rendered while comparing";
  ASSERT_GT(out.compare_px, 100);
  const ui::PlaneRect& r = out.compare_rect;
  EXPECT_NEAR(r.x_max - r.x_min, r.y_max - r.y_min, 1e-9) << "a square of the plane";
  EXPECT_TRUE(out.compare_commands.empty());
  // Without a comparison: the main view as always.
  ui::UiState plain;
  const ui::FrameInfo one = info(*main_);
  frame(plain, one);
  const ui::FrameOutput solo = frame(plain, one);
  EXPECT_GT(solo.view_width_px, 0);
  EXPECT_EQ(solo.compare_px, 0);
}

TEST_F(ComparePanel, ADragOrTheWheelOverAnyViewMovesThemAll) {
  ui::UiState ui;
  const ui::FrameInfo fi = compare_info();
  frame(ui, fi);
  ui::FrameOutput out = frame(ui, fi);
  ImGuiWindow* plane = ImGui::FindWindowByName("Plane");
  ASSERT_NE(plane, nullptr);
  // The second view's centre: right of the first (two side by side in a wide area).
  ImGuiIO& io = ImGui::GetIO();
  const float side = out.compare_px / io.DisplayFramebufferScale.x;
  const double cx = ui.compare.cx, half = ui.compare.half;
  // Find a point over the second view: scan the area's right half for where a drag pans.
  bool panned = false;
  for (float x = plane->Pos.x + plane->Size.x * 0.5f; x < plane->Pos.x + plane->Size.x && !panned; x += side * 0.25f)
    for (float y = plane->Pos.y + side * 0.5f; y < plane->Pos.y + plane->Size.y && !panned; y += side * 0.25f) {
      io.MousePos = ImVec2(x, y);
      frame(ui, fi);
      io.MouseDown[0] = true;
      frame(ui, fi);
      for (int i = 1; i <= 5; ++i) {
        io.MousePos = ImVec2(x + 6.0f * i, y);
        frame(ui, fi);
      }
      io.MouseDown[0] = false;
      out = frame(ui, fi);
      panned = ui.compare.cx != cx;
      if (panned) {
        EXPECT_LT(ui.compare.cx, cx) << "dragged right: the plane moves with the hand";
        EXPECT_NEAR(out.compare_rect.x_max - out.compare_rect.x_min, 2 * half, 1e-9);  // panned, not zoomed
        io.MouseWheel = 1.0f;
        io.MousePos = ImVec2(x, y);
        out = frame(ui, fi);
        io.MouseWheel = 0.0f;
        out = frame(ui, fi);
        EXPECT_LT(ui.compare.half, half) << "the wheel zooms in";
        EXPECT_NEAR(out.compare_rect.x_max - out.compare_rect.x_min, 2 * ui.compare.half, 1e-9);
      }
    }
  EXPECT_TRUE(panned) << "no drag over the compared views panned them";
  EXPECT_TRUE(out.compare_commands.empty());
}

TEST_F(ComparePanel, CompareAndCloseAskTheApp) {
  ui::UiState ui;
  const ui::FrameInfo one = info(*main_);
  frame(ui, one);
  auto requests = [&](const ui::FrameInfo& fi) {
    return [&ui, &fi] {
      ui.controls_panel = ui::PanelChoice::Auto;  // a click on the panel's hide arrow is not the subject
      frame(ui, fi);
      const ui::Requests r = ui.requests;
      ui.requests = {};  // as the App does after each frame
      return r;
    };
  };
  const ui::Requests asked = test::click_grid_until("Controls", requests(one), [](const ui::Requests& r) { return r.compare; });
  EXPECT_TRUE(asked.compare) << "no Compare button in the controls";
  const ui::FrameInfo fi = compare_info();
  frame(ui, fi);
  const ui::Requests closed =
      test::click_grid_until("Plane", requests(fi), [](const ui::Requests& r) { return r.compare_close > 0; });
  EXPECT_EQ(closed.compare_close, 1) << "the compared view's close button asks to close compared run 1 (run 2)";
}

TEST_F(ComparePanel, ComparedControlsFollowTheirRunAndPostNothingUntilEdited) {
  ui::UiState ui;
  const ui::FrameInfo fi = compare_info();
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(frame(ui, fi).compare_commands.empty());
  ASSERT_EQ(ui.compare.runs.size(), 1u);
  EXPECT_EQ(ui.compare.runs[0].edit.net.activations.front(), core::Activation::Relu);
}

}  // namespace
}  // namespace mlpviz
