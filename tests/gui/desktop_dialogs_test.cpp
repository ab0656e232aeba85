// desktop_dialogs_test.cpp: the desktop dialogs without a window (ui/dialogs.cpp,
// ui/file_browser.cpp), driven as recovery_modal_test.cpp drives its modal: the question before
// quitting with unsaved changes answers Save, Discard or Cancel (Escape: Cancel) and closes; the
// file chooser lists subfolders and files of one extension (hidden ones and others left out),
// enters a folder or its parent on a click, and puts a clicked file's path into the path field.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "modal_clicks.hpp"
#include "train/engine.hpp"
#include "ui/file_browser.hpp"
#include "ui/panels.hpp"

namespace mlpviz {
namespace {

namespace fs = std::filesystem;
using U = ui::Requests::Unsaved;

class DesktopDialogs : public ::testing::Test {
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
  }
  void TearDown() override { ImGui::DestroyContext(); }

  ui::Requests frame() {
    ui::FrameOutput out;
    st_.requests = {};
    ImGui::NewFrame();
    ui::draw_ui(st_, fi_, out);
    ImGui::Render();
    return st_.requests;
  }
  static bool open(const char* title) {
    ImGuiWindow* w = ImGui::FindWindowByName(title);
    return w && w->Active && ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
  }
  // Clicks a grid over the window until a frame's requests satisfy `wanted`.
  template <class Pred>
  ui::Requests click_until(const char* title, Pred wanted) {
    return test::click_grid_until(title, [this] { return frame(); }, wanted);
  }

  std::shared_ptr<const train::Snapshot> snap_;
  ui::FrameInfo fi_;
  ui::UiState st_;
};

TEST_F(DesktopDialogs, UnsavedQuestionAnswersEachWay) {
  constexpr const char* kTitle = "Unsaved changes";
  for (U want : {U::Save, U::Discard, U::Cancel}) {
    st_.unsaved_name = "moons.json";
    st_.open_dialog = ui::Dialog::UnsavedQuit;
    frame();
    frame();
    ASSERT_TRUE(open(kTitle));
    const ui::Requests r = click_until(kTitle, [&](const ui::Requests& q) { return q.unsaved_answer != U::None; });
    EXPECT_EQ(r.unsaved_answer, U::Save);  // the grid meets Save first (left to right, top down)
    if (want != U::Save) {
      // Ask again and press the wanted button: buttons are laid left to right, Save, Discard, Cancel.
      st_.open_dialog = ui::Dialog::UnsavedQuit;
      frame();
      frame();
      const ui::Requests r2 = click_until(kTitle, [&](const ui::Requests& q) {
        if (q.unsaved_answer != U::None && q.unsaved_answer != want) st_.open_dialog = ui::Dialog::UnsavedQuit;  // ask again
        return q.unsaved_answer == want;
      });
      EXPECT_EQ(r2.unsaved_answer, want);
    }
    frame();
    EXPECT_FALSE(open(kTitle)) << "the question stays open after an answer";
  }
  // Escape: Cancel.
  st_.open_dialog = ui::Dialog::UnsavedQuit;
  frame();
  frame();
  ImGuiIO& io = ImGui::GetIO();
  io.KeysDown[256] = true;
  const ui::Requests r = frame();
  io.KeysDown[256] = false;
  EXPECT_EQ(r.unsaved_answer, U::Cancel);
}

TEST_F(DesktopDialogs, FileChooserListsEntersAndPicks) {
  const fs::path dir = fs::temp_directory_path() / ("mlpviz_chooser_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  for (const char* f : {"a.json", "B.JSON", "notes.txt", ".hidden.json"}) std::ofstream(dir / f) << "{}";
  ui::FileBrowser b;
  b.dir = dir.string();
  std::string path;
  const auto draw = [&] {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(600, 400));
    ImGui::Begin("chooser", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoCollapse);
    ui::file_browser(b, path, ".json", 300);
    ImGui::End();
    ImGui::Render();
  };
  draw();
  EXPECT_EQ(b.folders, std::vector<std::string>{"sub"});
  EXPECT_EQ(b.files, (std::vector<std::string>{"B.JSON", "a.json"}));  // sorted; .txt and hidden left out
  EXPECT_TRUE(b.error.empty());
  // Click over the list: ".." enters the parent, "sub/" the subfolder, "a.json" picks it.
  bool went_up = false, went_down = false;
  ImGuiIO& io = ImGui::GetIO();
  ImGuiWindow* w = ImGui::FindWindowByName("chooser");
  ASSERT_NE(w, nullptr);
  for (float y = w->Pos.y + 3; y < w->Pos.y + w->Size.y && path != (dir / "a.json").string(); y += 4) {
    io.MousePos = ImVec2(w->Pos.x + 40, y);
    io.MouseDown[0] = true;
    draw();
    io.MouseDown[0] = false;
    draw();
    if (b.dir == dir.parent_path().string()) went_up = true;
    if (b.dir == (dir / "sub").string()) went_down = true;
    b.dir = dir.string();  // back, to try the next row
  }
  EXPECT_TRUE(went_up);
  EXPECT_TRUE(went_down);
  EXPECT_EQ(path, (dir / "a.json").string());
  // An unreadable folder says so instead of listing nothing silently.
  b.dir = (dir / "missing").string();
  draw();
  EXPECT_NE(b.error.find("cannot read"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mlpviz
