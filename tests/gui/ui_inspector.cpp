// ui_inspector.cpp: the backprop inspector without a window (as ui_smoke.cpp): on the worked-example
// lesson's session a click in inspect mode picks the point and posts nothing, the panel's
// inspection has the notes' digits, "Step on this point" posts a pause and the step (through the
// trainer's inbox) and lists the notes' weights after it, and the largest network inspects and
// draws too.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <variant>

#include "ui_fixture.hpp"
#include "train/engine.hpp"
#include "train/session.hpp"
#include "ui/panels.hpp"

namespace mlpviz {
namespace {

class UiInspector : public test::UiFixture {
 protected:
  static train::Session lesson_session() {
    std::ifstream in(std::string(MLPVIZ_ASSETS_DIR) + "/lessons/backprop_worked_example.json");
    std::stringstream ss;
    ss << in.rdbuf();
    auto r = train::from_json_text(nlohmann::json::parse(ss.str())["session"].dump());
    EXPECT_TRUE(std::holds_alternative<train::Session>(r));
    return std::get<train::Session>(r);
  }

  // Screen position of plane point (x, y) in the last frame's view.
  static ImVec2 screen_of(const ui::FrameOutput& out, double x, double y) {
    const ui::PlaneRect& r = out.view_rect;
    return ImVec2(out.view_pos.x + static_cast<float>((x - r.x_min) / (r.x_max - r.x_min)) * out.view_width_px,
                  out.view_pos.y + static_cast<float>((r.y_max - y) / (r.y_max - r.y_min)) * out.view_height_px);
  }

  ui::FrameOutput click(ui::UiState& st, const ui::FrameInfo& fi, ImVec2 at) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = at;
    frame(st, fi);
    io.MouseDown[0] = true;
    ui::FrameOutput a = frame(st, fi);
    io.MouseDown[0] = false;
    ui::FrameOutput b = frame(st, fi);
    for (auto& c : a.commands) b.commands.insert(b.commands.begin(), c);
    return b;
  }
};

double w_of(const core::Layout& lay, const std::vector<double>& p, int l, int i, int j) {
  const core::LayerLayout& ll = lay.layers[static_cast<std::size_t>(l - 1)];
  return p[static_cast<std::size_t>(ll.w_offset + j * ll.out + i)];
}

TEST_F(UiInspector, WorkedExamplePickStepAndTheNotesDigits) {
  const train::Session ses = lesson_session();
  train::Engine e(ses.settings, ses.data, ses.params);
  auto snap = e.make_snapshot(1);
  ui::UiState st;
  ui::FrameInfo fi = info(*snap);
  frame(st, fi);
  ui::FrameOutput out = frame(st, fi);
  st.inspect.mode = true;  // the Inspect toggle
  out = frame(st, fi);

  // A click a few pixels off the point picks it (its target vector) and posts no command.
  const ImVec2 p = screen_of(out, 0.05, 0.10);
  out = click(st, fi, ImVec2(p.x + 3, p.y - 2));
  EXPECT_TRUE(out.commands.empty());
  ASSERT_TRUE(st.inspect.picked);
  EXPECT_EQ(st.inspect.sample, 0);
  const core::PointInspection* r = ui::shown_inspection(st, snap->layout);
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->loss, 0.298371109, 5e-10);
  EXPECT_NEAR(r->layers[1].dW(0, 0), 0.082167041, 5e-10);
  EXPECT_NEAR(r->layers[0].dW(0, 0), 0.000438568, 5e-10);
  EXPECT_EQ(r->target[0], 0.01);

  // "Step on this point": find the button in the bottom strip by hovering over it.
  ImGuiWindow* strip = ImGui::FindWindowByName("Curves");
  ASSERT_NE(strip, nullptr);
  const ImGuiID id = strip->GetID("###step_on_point");
  ImGuiIO& io = ImGui::GetIO();
  ImVec2 at(-1, -1);
  for (float y = strip->Pos.y; y < strip->Pos.y + 60 && at.x < 0; y += 4)
    for (float x = strip->Pos.x; x < strip->Pos.x + strip->Size.x && at.x < 0; x += 12) {
      io.MousePos = ImVec2(x, y);
      frame(st, fi);
      if (ImGui::GetCurrentContext()->HoveredId == id) at = io.MousePos;
    }
  ASSERT_GE(at.x, 0) << "no Step on this point button in the strip's first lines";
  out = click(st, fi, at);
  ASSERT_EQ(out.commands.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<train::cmd::Pause>(out.commands[0]));
  const auto* step = std::get_if<train::cmd::StepOnPoint>(&out.commands[1]);
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->x1, 0.05);
  EXPECT_EQ(step->x2, 0.10);
  EXPECT_EQ(step->target, (std::vector<double>{0.01, 0.99}));
  // Every weight before and after, as the notes print them after one step at 0.5.
  const core::Layout lay = snap->layout;  // a copy: the snapshot is replaced below
  ASSERT_EQ(st.inspect.step_after.size(), static_cast<std::size_t>(lay.num_params));
  EXPECT_NEAR(w_of(lay, st.inspect.step_before, 2, 0, 0), 0.40, 1e-15);
  EXPECT_NEAR(w_of(lay, st.inspect.step_after, 2, 0, 0), 0.35891648, 5e-9);
  EXPECT_NEAR(w_of(lay, st.inspect.step_after, 1, 0, 0), 0.149780716, 5e-10);

  // The trainer applies it; the next snapshot's inspection has moved (the loss fell).
  for (const train::Command& c : out.commands) ASSERT_FALSE(e.apply(c).has_value());
  e.update_metrics();
  snap = e.make_snapshot(2);
  fi = info(*snap);
  frame(st, fi);
  r = ui::shown_inspection(st, snap->layout);
  ASSERT_NE(r, nullptr);
  EXPECT_LT(r->loss, 0.298371109 - 1e-3);
  EXPECT_NEAR(w_of(lay, st.inspect.params, 2, 0, 0), 0.35891648, 1e-7);  // the float the trainer holds

  // Inspect off: the curves come back and clicks add points again.
  st.inspect.mode = false;
  out = frame(st, fi);
  EXPECT_EQ(ui::shown_inspection(st, snap->layout), nullptr);
}

TEST_F(UiInspector, TheLargestNetworkInspectsAndDraws) {
  train::Settings s = train::default_settings();
  s.net.widths.assign(8, 64);
  s.net.activations.assign(8, core::Activation::Relu);
  s.data.kind = core::DataKind::Spiral;
  s.data.classes = 3;
  s.net.classes = 3;
  s.net.output = core::OutputKind::SoftmaxCe;
  train::Engine e(s);
  auto snap = e.make_snapshot(1);
  ui::UiState st;
  const ui::FrameInfo fi = info(*snap);
  frame(st, fi);
  st.inspect.mode = true;
  ui::pick_inspect_point(st, 0.3, -0.2, -1, 2);
  frame(st, fi);
  const core::PointInspection* r = ui::shown_inspection(st, snap->layout);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->layers.size(), 9u);
  EXPECT_EQ(r->target[2], 1.0);
  EXPECT_TRUE(std::isfinite(r->loss));
  // Hovering over the graph and the tables draws formulas for many units without breaking.
  ImGuiIO& io = ImGui::GetIO();
  for (int i = 0; i < 60; ++i) {
    io.MousePos = ImVec2(800.0f + 13.0f * i, 150.0f + 14.0f * i);
    frame(st, fi);
  }
}

}  // namespace
}  // namespace mlpviz
