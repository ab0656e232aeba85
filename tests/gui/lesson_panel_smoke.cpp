// lesson_panel_smoke.cpp: the lesson panel and classroom mode without a window (as ui_smoke.cpp):
// every shipped lesson's panel draws at every step, collapsed and open; classroom mode shows only
// the chosen panels and control groups, the full window everything; a hidden network panel or
// curves strip gives the view its room.
#include <gtest/gtest.h>
#include <imgui.h>

#include <memory>
#include <string>

#include "ui_fixture.hpp"
#include "train/engine.hpp"
#include "train/lesson.hpp"
#include "ui/panels.hpp"

namespace mlpviz {
namespace {

class LessonPanel : public test::UiFixture {};

TEST_F(LessonPanel, EveryLessonDrawsAtEveryStep) {
  train::LessonList list = train::list_lessons(std::filesystem::path(MLPVIZ_LESSONS_DIR));
  ASSERT_TRUE(list.errors.empty()) << list.errors.front();
  ASSERT_GE(list.lessons.size(), 11u);
  ui::UiState st;
  st.lessons = list.lessons;
  for (std::size_t i = 0; i < st.lessons.size(); ++i) {
    const train::Lesson& l = st.lessons[i];
    for (int k = 1; k <= l.step_count(); ++k) {
      SCOPED_TRACE(l.name + " step " + std::to_string(k));
      const auto s = snapshot_of(l.session_at(k), 5);
      ui::FrameInfo fi = info(*s);
      st.lesson = static_cast<int>(i);
      st.lesson_step = k;
      st.lesson_collapsed = false;
      ui::FrameOutput open = frame(st, fi);
      open = frame(st, fi);
      st.lesson_collapsed = true;
      ui::FrameOutput collapsed = frame(st, fi);
      collapsed = frame(st, fi);
      EXPECT_GT(collapsed.view_width_px, open.view_width_px) << "collapsing gives the view room";
      EXPECT_EQ(st.requests.open_lesson, -1) << "drawing alone asks for nothing";
    }
  }
  st.lesson = -1;
  EXPECT_FALSE(ui::lesson_panel_shown(st));
}

TEST_F(LessonPanel, ClassroomModeShowsOnlyTheChosenPanels) {
  const auto s = snapshot_of(train::default_settings(), 5);
  ui::FrameInfo fi = info(*s);
  ui::UiState st;
  ui::FrameOutput full = frame(st, fi);
  full = frame(st, fi);
  EXPECT_TRUE(st.layout_record.controls_shown);
  EXPECT_EQ(full.thumbnails_drawn, s->layout.num_hidden_units());

  train::Classroom c;
  c.network_panel = false;
  c.curves = false;
  c.run = c.data = c.network = c.training = false;
  st.classroom_choice = c;
  ui::FrameOutput chosen_but_off = frame(st, fi);
  EXPECT_EQ(chosen_but_off.thumbnails_drawn, s->layout.num_hidden_units()) << "mode off: the full window";

  ui::toggle_classroom(st);  // Ctrl+L
  ASSERT_TRUE(st.classroom);
  EXPECT_EQ(*st.classroom_choice, c) << "the presenter's choice is kept";
  ui::FrameOutput room = frame(st, fi);
  room = frame(st, fi);
  EXPECT_FALSE(st.layout_record.controls_shown);
  EXPECT_EQ(room.thumbnails_drawn, 0) << "the network panel is hidden";
  EXPECT_TRUE(ui::lesson_panel_shown(st)) << "the column with the hidden settings' values";
  EXPECT_GT(room.view_width_px, full.view_width_px);
  EXPECT_GT(room.view_height_px, full.view_height_px) << "no curves strip: the view is taller";

  ui::toggle_classroom(st);
  ui::FrameOutput back = frame(st, fi);
  back = frame(st, fi);
  EXPECT_TRUE(st.layout_record.controls_shown);
  EXPECT_EQ(back.thumbnails_drawn, s->layout.num_hidden_units());
}

TEST_F(LessonPanel, FirstToggleWithoutAChoiceHidesTheSettingsAndSaysTheirValues) {
  ui::UiState st;
  ui::toggle_classroom(st);
  ASSERT_TRUE(st.classroom_choice.has_value());
  EXPECT_TRUE(st.classroom_choice->run);
  EXPECT_FALSE(st.classroom_choice->data);
  const std::string line = train::hidden_settings_line(train::visibility(true, st.classroom_choice),
                                                       train::default_settings());
  EXPECT_NE(line.find("data moons"), std::string::npos) << line;
  EXPECT_NE(line.find("adam, lr 0.01"), std::string::npos) << line;
}

}  // namespace
}  // namespace mlpviz
