// recovery_modal_test.cpp: the recovery modal (ui/dialogs.cpp) without a window, as ui_smoke.cpp
// drives the panels: it opens whenever rows are offered, whatever else the window shows; each
// row's Open / Keep for later / Discard asks for that row; Escape keeps them all; and it closes
// once no row is left (an open popup would otherwise block every shortcut).
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <memory>

#include "modal_clicks.hpp"
#include "train/engine.hpp"
#include "ui/panels.hpp"

namespace mlpviz {
namespace {

constexpr const char* kTitle = "Recover unsaved work";

class RecoveryModal : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1600, 1000);
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    io.KeyMap[ImGuiKey_Escape] = 256;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    ui::apply_theme(ImGui::GetStyle());
    train::Engine e(train::default_settings());
    snap_ = e.make_snapshot(1);
    fi_.snap = snap_.get();
    fi_.params = &snap_->params;
    fi_.gradient = &snap_->gradient;
    int nodes = 0;
    for (int n : snap_->layout.sizes) nodes += n;
    fi_.thumbs.assign(static_cast<std::size_t>(nodes), ui::TextureRef{reinterpret_cast<ImTextureID>(1)});
    st_.recovery_rows = {{"Wed 02 Dec 14:02:11", "35 KB"}, {"Wed 02 Dec 13:40:00", "1.2 MB"}};
  }
  void TearDown() override { ImGui::DestroyContext(); }

  // One frame; the requests it made (the App clears them after each frame).
  ui::Requests frame() {
    ui::FrameOutput out;
    st_.requests = {};
    ImGui::NewFrame();
    ui::draw_ui(st_, fi_, out);
    ImGui::Render();
    return st_.requests;
  }
  // Shown in the last frame.
  static bool modal_open() {
    ImGuiWindow* w = ImGui::FindWindowByName(kTitle);
    return w && w->Active && any_popup_open();
  }
  // Any popup still open (between frames): the App's shortcuts stay off while one is.
  static bool any_popup_open() { return ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId); }
  // Clicks a grid over the modal (6 px rows, 12 px columns: finer than any button) until a frame
  // asks for what is wanted.
  ui::Requests click_until(bool (*wanted)(const ui::Requests&)) {
    return test::click_grid_until(kTitle, [this] { return frame(); }, wanted);
  }

  std::shared_ptr<const train::Snapshot> snap_;
  ui::FrameInfo fi_;
  ui::UiState st_;
};

TEST_F(RecoveryModal, OffersEveryRowAndAsksOnlyForWhatWasPressed) {
  for (int i = 0; i < 3; ++i) {
    const ui::Requests r = frame();
    EXPECT_EQ(r.recover_open, -1);
    EXPECT_EQ(r.recover_keep, -1);
    EXPECT_EQ(r.recover_discard, -1);
    EXPECT_FALSE(r.recover_keep_all);
  }
  ASSERT_TRUE(modal_open());
  // The second row's Discard asks for row 1 and nothing else.
  ui::Requests r = click_until([](const ui::Requests& q) { return q.recover_discard == 1; });
  EXPECT_EQ(r.recover_discard, 1);
  EXPECT_EQ(r.recover_open, -1);
  EXPECT_EQ(r.recover_keep, -1);
  r = click_until([](const ui::Requests& q) { return q.recover_open == 0; });
  EXPECT_EQ(r.recover_open, 0);
  EXPECT_EQ(r.recover_discard, -1);
  r = click_until([](const ui::Requests& q) { return q.recover_keep == 1; });
  EXPECT_EQ(r.recover_keep, 1);
  EXPECT_EQ(r.recover_discard, -1);
}

TEST_F(RecoveryModal, EscapeKeepsAllAndTheModalClosesWhenNoRowIsLeft) {
  frame();
  ASSERT_TRUE(modal_open());
  ImGuiIO& io = ImGui::GetIO();
  io.KeysDown[256] = true;
  const ui::Requests r = frame();
  io.KeysDown[256] = false;
  EXPECT_TRUE(r.recover_keep_all);
  EXPECT_EQ(r.recover_discard, -1);
  st_.recovery_rows.clear();  // what the App does with that answer
  frame();
  frame();
  EXPECT_FALSE(modal_open());
  EXPECT_FALSE(any_popup_open());
}

TEST_F(RecoveryModal, NoRowsNoModal) {
  st_.recovery_rows.clear();
  for (int i = 0; i < 3; ++i) frame();
  EXPECT_FALSE(modal_open());
  EXPECT_FALSE(any_popup_open());
}

}  // namespace
}  // namespace mlpviz
