// The run log panel (ui/run_log_panel.cpp) without a window, as ui_smoke does: it draws empty and
// full logs, lists runs in the order they ended, and a click on a column's header sorts by it
// (again: the other way).
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>  // FindWindowByName, TableFindByID: to find the header to click

#include <vector>

#include "train/run_log.hpp"
#include "ui/panels.hpp"

namespace mlpviz {
namespace {

class RunLogPanel : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1600, 1000);
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    st.show_run_log = true;
  }
  void TearDown() override { ImGui::DestroyContext(); }

  void frame() {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(10, 10), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(1580, 500), ImGuiCond_Always);
    ui::draw_run_log_panel(st, fi);
    ImGui::Render();
  }

  void click(ImVec2 p) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = p;
    frame();
    io.MouseDown[0] = true;
    frame();
    io.MouseDown[0] = false;
    frame();
  }

  ui::UiState st;
  ui::FrameInfo fi;
};

TEST_F(RunLogPanel, DrawsWithoutALogAndEmpty) {
  frame();
  train::RunLog log;
  fi.run_log = &log;
  frame();
  EXPECT_NE(ImGui::FindWindowByName("Run log"), nullptr);
  EXPECT_FALSE(st.requests.export_run_log);
}

TEST_F(RunLogPanel, ListsRunsAsTheyEndedAndAHeaderClickSortsByItsColumn) {
  train::RunLog log;
  for (int depth : {3, 1, 2}) {
    train::RunLogEntry e;
    e.widths.assign(depth, 4);
    e.time = "2026-12-02T10:00:0" + std::to_string(log.entries().size()) + "Z";
    log.append(e);
  }
  fi.run_log = &log;
  frame();
  frame();
  EXPECT_EQ(st.run_log_order, (std::vector<std::size_t>{0, 1, 2}));
  ASSERT_EQ(st.run_log_text.size(), 3 * train::run_log_columns().size());

  const auto& cols = train::run_log_columns();
  std::size_t depth_col = 0;
  while (cols[depth_col] != "depth") ++depth_col;
  ImGuiWindow* w = ImGui::FindWindowByName("Run log");
  ASSERT_NE(w, nullptr);
  ImGuiTable* t = ImGui::TableFindByID(w->GetID("runs"));
  ASSERT_NE(t, nullptr);
  const ImGuiTableColumn& c = t->Columns[static_cast<int>(depth_col)];
  ASSERT_LT(c.MaxX, 1590.0f) << "the depth column is on screen";
  const ImVec2 header(0.5f * (c.MinX + c.MaxX), t->OuterRect.Min.y + 0.5f * ImGui::GetFontSize() + 2);
  click(header);
  EXPECT_EQ(st.run_log_order, (std::vector<std::size_t>{1, 2, 0})) << "depth 1, 2, 3";
  click(header);
  EXPECT_EQ(st.run_log_order, (std::vector<std::size_t>{0, 2, 1})) << "depth 3, 2, 1";

  // A run ending later is listed (in the sort in force) and formatted once.
  train::RunLogEntry e;
  e.widths = {4, 4, 4, 4};
  log.append(e);
  frame();
  EXPECT_EQ(st.run_log_order, (std::vector<std::size_t>{3, 0, 2, 1}));
  EXPECT_EQ(st.run_log_text.size(), 4 * cols.size());
}

}  // namespace
}  // namespace mlpviz
