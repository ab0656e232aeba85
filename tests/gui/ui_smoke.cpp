// ui_smoke.cpp: the panels without a window, like imgui's example_null: snapshots of a real
// Engine go through ui::draw_ui for a few frames each, over networks of every shape the limits
// allow, with simulated mouse input. Checks that nothing breaks, that every hidden unit gets a
// thumbnail, and that clicks in the plane become the right commands.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>  // finding a widget by its ID, as a test engine would

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "train/engine.hpp"
#include "ui/actions.hpp"
#include "ui/panels.hpp"

namespace mlpviz {
namespace {

class UiSmoke : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1600, 1000);
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the font atlas; no GPU involved
    ui::apply_theme(ImGui::GetStyle());
  }
  void TearDown() override { ImGui::DestroyContext(); }

  // A snapshot of `settings` after `steps` optimization steps.
  std::shared_ptr<const train::Snapshot> snapshot(const train::Settings& settings, int steps) {
    train::Engine e(settings);
    e.apply(train::cmd::Play{});
    for (int i = 0; i < steps; ++i) e.step();
    e.update_metrics();
    return e.make_snapshot(1);
  }

  ui::FrameInfo info(const train::Snapshot& s) {
    ui::FrameInfo fi;
    fi.snap = &s;
    fi.params = &s.params;
    fi.gradient = &s.gradient;
    fi.shown_step = s.step;
    int nodes = 0;
    for (int n : s.layout.sizes) nodes += n;
    fi.thumbs.assign(static_cast<std::size_t>(nodes), ui::TextureRef{reinterpret_cast<ImTextureID>(1)});
    fi.thumbs_current = true;
    fi.render_status = "GPU field";
    return fi;
  }

  ui::FrameOutput frame(ui::UiState& st, const ui::FrameInfo& fi) {
    ui::FrameOutput out;
    ImGui::NewFrame();
    ui::draw_ui(st, fi, out);
    ImGui::Render();
    return out;
  }
};

TEST_F(UiSmoke, DrawsNetworksOfEveryShape) {
  struct Case {
    const char* name;
    std::vector<int> widths;
    core::Activation act;
    core::DataKind data;
    int classes;
    core::OutputKind output;
  };
  const Case cases[] = {
      {"default", {8, 8}, core::Activation::Tanh, core::DataKind::Moons, 2, core::OutputKind::SigmoidBce},
      {"logistic regression", {}, core::Activation::Tanh, core::DataKind::Circles, 2, core::OutputKind::SigmoidBce},
      {"spiral softmax", {16, 16}, core::Activation::Relu, core::DataKind::Spiral, 3, core::OutputKind::SoftmaxCe},
      {"deepest", std::vector<int>(8, 4), core::Activation::Sigmoid, core::DataKind::Xor, 2, core::OutputKind::SigmoidMse},
      {"widest", {64}, core::Activation::Swish, core::DataKind::Blobs, 6, core::OutputKind::LinearMse},
      {"largest", std::vector<int>(8, 64), core::Activation::Relu, core::DataKind::Moons, 2, core::OutputKind::SigmoidBce},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    train::Settings st = train::default_settings();
    st.net.widths = c.widths;
    st.net.activations.assign(c.widths.size(), c.act);
    st.data.kind = c.data;
    st.data.classes = c.classes;
    st.net.classes = c.classes;
    st.net.output = c.output;
    ASSERT_FALSE(train::validate(st).has_value()) << *train::validate(st);
    const auto s = snapshot(st, 50);
    ui::UiState ui;
    ui::FrameInfo fi = info(*s);
    ui::FrameOutput out;
    for (int f = 0; f < 4; ++f) out = frame(ui, fi);
    EXPECT_GT(out.view_width_px, 100);
    EXPECT_GT(out.view_height_px, 100);
    EXPECT_LT(out.view_rect.x_min, out.view_rect.x_max);
    EXPECT_EQ(out.thumbnails_drawn, s->layout.num_hidden_units());
    // Every connection of a small graph; a dense one is capped at the 3,000 strongest.
    int connections = 0;
    for (const core::LayerLayout& ll : s->layout.layers) connections += ll.in * ll.out;
    if (connections <= 1024) EXPECT_EQ(out.connections_drawn, connections);
    else EXPECT_LE(out.connections_drawn, 3000);
    EXPECT_GT(out.connections_drawn, 0);
    // Every unit large in the main view, then a replayed step.
    for (int l = 0; l <= s->layout.depth(); ++l) {
      ui.focus_layer = l;
      ui.focus_unit = s->layout.sizes[static_cast<std::size_t>(l)] - 1;
      frame(ui, fi);
    }
    if (!s->timeline.empty()) {
      fi.params = &s->timeline.front()->params;
      fi.gradient = nullptr;
      fi.replaying = true;
      ui.replaying = true;
      frame(ui, fi);
    }
  }
}

TEST_F(UiSmoke, TinyDisplayDoesNotBreakTheLayout) {
  const auto s = snapshot(train::default_settings(), 10);
  ui::UiState ui;
  for (ImVec2 size : {ImVec2(1, 1), ImVec2(120, 80), ImVec2(640, 400)}) {
    ImGui::GetIO().DisplaySize = size;
    ui::FrameOutput out = frame(ui, info(*s));
    EXPECT_GE(out.view_width_px, 1);
    EXPECT_GE(out.view_height_px, 1);
  }
}

TEST_F(UiSmoke, ClicksInThePlaneAddAndRemovePoints) {
  const auto s = snapshot(train::default_settings(), 10);
  ui::UiState ui;
  ui.paint_class = 1;
  const ui::FrameInfo fi = info(*s);
  ui::FrameOutput out = frame(ui, fi);
  out = frame(ui, fi);
  ImGuiIO& io = ImGui::GetIO();
  const ImVec2 centre(out.view_pos.x + 0.5f * out.view_width_px, out.view_pos.y + 0.5f * out.view_height_px);
  const double cx = 0.5 * (out.view_rect.x_min + out.view_rect.x_max);
  const double cy = 0.5 * (out.view_rect.y_min + out.view_rect.y_max);
  const double tol = 2.0 * (out.view_rect.x_max - out.view_rect.x_min) / out.view_width_px;

  // Left click (press, release without moving): one AddPoint of the paint class at the cursor.
  io.MousePos = centre;
  frame(ui, fi);
  io.MouseDown[0] = true;
  frame(ui, fi);
  io.MouseDown[0] = false;
  out = frame(ui, fi);
  ASSERT_EQ(out.commands.size(), 1u);
  const auto* add = std::get_if<train::cmd::AddPoint>(&out.commands[0]);
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->label, 1);
  EXPECT_NEAR(add->x1, cx, tol);
  EXPECT_NEAR(add->x2, cy, tol);

  // Right click: RemoveNearest at the cursor.
  io.MouseDown[1] = true;
  out = frame(ui, fi);
  io.MouseDown[1] = false;
  ASSERT_EQ(out.commands.size(), 1u);
  const auto* remove = std::get_if<train::cmd::RemoveNearest>(&out.commands[0]);
  ASSERT_NE(remove, nullptr);
  EXPECT_NEAR(remove->x1, cx, tol);
  frame(ui, fi);

  // A drag pans the view and adds nothing.
  const double before = ui.plane.cx;
  io.MouseDown[0] = true;
  frame(ui, fi);
  for (int i = 1; i <= 10; ++i) {
    io.MousePos = ImVec2(centre.x + 8.0f * i, centre.y);
    out = frame(ui, fi);
    EXPECT_TRUE(out.commands.empty());
  }
  io.MouseDown[0] = false;
  out = frame(ui, fi);
  EXPECT_TRUE(out.commands.empty());
  EXPECT_LT(ui.plane.cx, before);  // dragged right: the plane moves with the hand

  // The wheel zooms in about the cursor.
  const double upp = ui.plane.units_per_px;
  io.MouseWheel = 1.0f;
  frame(ui, fi);
  io.MouseWheel = 0.0f;
  EXPECT_LT(ui.plane.units_per_px, upp);
}

TEST_F(UiSmoke, SettingsFollowTheSnapshotUnlessBeingEdited) {
  train::Settings st = train::default_settings();
  const auto a = snapshot(st, 1);
  ui::UiState ui;
  frame(ui, info(*a));
  EXPECT_EQ(ui.edit, a->settings);
  st.optimizer.learning_rate = 0.05;
  const auto b = snapshot(st, 1);
  frame(ui, info(*b));
  EXPECT_DOUBLE_EQ(ui.edit.optimizer.learning_rate, 0.05);
}

// ---- Controls without traps, and a status bar that is current ---------------------------------
//
// The panels driven against a live Engine: each frame's commands are applied before the next
// snapshot, as the trainer would.
class UiControls : public UiSmoke {
 protected:
  void SetUp() override {
    UiSmoke::SetUp();
    ImGuiIO& io = ImGui::GetIO();
    io.KeyMap[ImGuiKey_Enter] = 1;
    io.KeyMap[ImGuiKey_Backspace] = 2;
    io.KeyMap[ImGuiKey_Escape] = 3;
    engine = std::make_unique<train::Engine>(train::default_settings());
  }

  // One frame against the engine; returns the commands the panels posted (already applied).
  std::vector<train::Command> tick() {
    snap = engine->make_snapshot(++version);
    fi = info(*snap);
    fi.time_s = time_s;
    time_s += 1.0 / 60.0;
    ui::FrameOutput out = frame(ui, fi);
    for (const train::Command& c : out.commands) (void)engine->apply(c);
    last_out = out;
    return out.commands;
  }

  // The centre of the widget `label` of window `window`, found by moving the mouse over the
  // window until ImGui reports it hovered (a stand-in for imgui_test_engine's item lookup).
  // The window is scrolled until the widget is in view.
  std::optional<ImVec2> locate(const char* window, const char* label, float x_fraction = 0.5f) {
    ImGuiWindow* w = ImGui::FindWindowByName(window);
    if (!w) return std::nullopt;
    const ImGuiID id = w->GetID(label);
    ImGuiIO& io = ImGui::GetIO();
    for (float scroll = 0.0f;; scroll += 0.5f * w->Size.y) {
      ImGui::SetScrollY(w, scroll);
      tick();
      const float x = w->Pos.x + w->Size.x * x_fraction;
      float first = -1, last = -1;
      for (float y = w->Pos.y + 1; y < w->Pos.y + w->Size.y; y += 3) {
        io.MousePos = ImVec2(x, y);
        tick();
        if (GImGui->HoveredId == id) {
          if (first < 0) first = y;
          last = y;
        } else if (first >= 0) {
          break;
        }
      }
      if (first >= 0) return ImVec2(x, 0.5f * (first + last));
      if (scroll >= w->ScrollMax.y) return std::nullopt;
    }
  }

  std::vector<train::Command> click(ImVec2 at, bool ctrl = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = at;
    io.KeyCtrl = ctrl;
    std::vector<train::Command> all = tick();
    io.MouseDown[0] = true;
    for (auto& c : tick()) all.push_back(c);
    io.MouseDown[0] = false;
    for (auto& c : tick()) all.push_back(c);
    io.KeyCtrl = false;
    time_s += 0.5;  // the next click is not a double-click
    ImGui::GetIO().DeltaTime = 0.5f;
    tick();
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    return all;
  }

  std::vector<train::Command> type(const std::string& text) {
    std::vector<train::Command> all;
    for (char ch : text) {
      ImGui::GetIO().AddInputCharacter(static_cast<unsigned>(ch));
      for (auto& c : tick()) all.push_back(c);
    }
    return all;
  }

  std::vector<train::Command> press(ImGuiKey key, int times = 1) {
    std::vector<train::Command> all;
    ImGuiIO& io = ImGui::GetIO();
    for (int i = 0; i < times; ++i) {
      io.KeysDown[io.KeyMap[key]] = true;
      for (auto& c : tick()) all.push_back(c);
      io.KeysDown[io.KeyMap[key]] = false;
      for (auto& c : tick()) all.push_back(c);
    }
    return all;
  }

  template <class C>
  static const C* find(const std::vector<train::Command>& cs) {
    for (const auto& c : cs)
      if (const C* x = std::get_if<C>(&c)) return x;
    return nullptr;
  }

  std::unique_ptr<train::Engine> engine;
  std::shared_ptr<const train::Snapshot> snap;
  ui::FrameInfo fi;
  ui::FrameOutput last_out;
  ui::UiState ui;
  std::uint64_t version = 0;
  double time_s = 0.0;
};

TEST_F(UiControls, AClickOnThePointsControlChangesNothingADragDoes) {
  tick();
  tick();
  const auto at = locate("Controls", "##points", 0.85f);  // far right: a slider would jump to ~4000
  ASSERT_TRUE(at.has_value());
  const auto posted = click(*at);
  EXPECT_TRUE(posted.empty()) << posted.size() << " commands after a click";
  EXPECT_EQ(engine->settings().data.points, 400);
  EXPECT_EQ(ui.edit.data.points, 400);
  // A drag to the right: more points, posted once, on release.
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = *at;
  tick();
  io.MouseDown[0] = true;
  std::vector<train::Command> during;
  for (int i = 1; i <= 10; ++i) {
    io.MousePos = ImVec2(at->x + 4.0f * i, at->y);
    for (auto& c : tick()) during.push_back(c);
  }
  EXPECT_TRUE(during.empty()) << "a data change is posted on release, not on each drag frame";
  io.MouseDown[0] = false;
  const auto released = tick();
  const auto* set = find<train::cmd::SetData>(released);
  ASSERT_NE(set, nullptr);
  EXPECT_GT(set->data.points, 400);
  EXPECT_EQ(engine->step_count(), 0);
}

TEST_F(UiControls, ATypedValueIsPostedOnEnterNotKeystrokeByKeystroke) {
  tick();
  tick();
  const auto at = locate("Controls", "##points");
  ASSERT_TRUE(at.has_value());
  auto posted = click(*at, /*ctrl=*/true);  // Ctrl+click: type a value
  EXPECT_TRUE(posted.empty());
  posted = type("250");
  EXPECT_TRUE(posted.empty()) << "nothing while typing";
  posted = press(ImGuiKey_Enter);
  const auto* set = find<train::cmd::SetData>(posted);
  ASSERT_NE(set, nullptr) << "Enter applies at once, without a click elsewhere";
  EXPECT_EQ(set->data.points, 250);
  EXPECT_EQ(engine->settings().data.points, 250);

  // The learning rate: "0.5" typed is one command with 0.5, never the half-typed 0.
  const auto lr = locate("Controls", "##lr");
  ASSERT_TRUE(lr.has_value());
  posted = click(*lr, true);
  posted = type("0.5");
  EXPECT_EQ(find<train::cmd::SetOptimizer>(posted), nullptr) << "a half-typed 0 was posted";
  posted = press(ImGuiKey_Enter);
  const auto* opt = find<train::cmd::SetOptimizer>(posted);
  ASSERT_NE(opt, nullptr);
  EXPECT_DOUBLE_EQ(opt->optimizer.learning_rate, 0.5);
  EXPECT_EQ(engine->message(), "");
}

TEST_F(UiControls, ATypedDepthOutOfRangeIsRefusedAndStartsNoRun) {
  tick();
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(engine->step());
  const auto at = locate("Controls", "##depth");
  ASSERT_TRUE(at.has_value());
  click(*at, true);
  press(ImGuiKey_Backspace, 3);
  type("9");
  const auto posted = press(ImGuiKey_Enter);
  EXPECT_EQ(find<train::cmd::SetNet>(posted), nullptr);
  EXPECT_EQ(engine->step_count(), 30) << "a refused value restarted the run";
  EXPECT_EQ(ui.notice, "network.depth = 9 is out of range: allowed 0 to 8");
}

TEST_F(UiControls, UndoBringsBackPointsAndClearDoesNotMoveTheButtons) {
  tick();
  tick();
  const core::Dataset original = engine->data();
  const auto clear_at = locate("Controls", "Clear points");
  const auto undo_at = locate("Controls", "Undo point edit (Ctrl+Z)");
  ASSERT_TRUE(clear_at && undo_at);
  EXPECT_TRUE(click(*undo_at).empty()) << "nothing to undo yet: the button is disabled";
  ASSERT_NE(find<train::cmd::ClearPoints>(click(*clear_at)), nullptr);
  EXPECT_TRUE(engine->data().points.empty());
  tick();
  const auto undo_after = locate("Controls", "Undo point edit (Ctrl+Z)");
  ASSERT_TRUE(undo_after.has_value());
  EXPECT_NEAR(undo_after->y, undo_at->y, 1.0f) << "the panel shifted under the mouse";
  ASSERT_NE(find<train::cmd::UndoPoints>(click(*undo_after)), nullptr);
  EXPECT_EQ(engine->data(), original);
  EXPECT_EQ(engine->settings().data.kind, core::DataKind::Moons);
  // A point clicked in the plane, then undone by the action Ctrl+Z runs.
  const ImVec2 centre(last_out.view_pos.x + 0.4f * last_out.view_width_px,
                      last_out.view_pos.y + 0.6f * last_out.view_height_px);
  ASSERT_NE(find<train::cmd::AddPoint>(click(centre)), nullptr);
  EXPECT_EQ(engine->data().points.size(), original.points.size() + 1);
  ui::FrameOutput keys;
  ui::undo_points(keys);
  for (const auto& c : keys.commands) ASSERT_FALSE(engine->apply(c).has_value());
  EXPECT_EQ(engine->data(), original);
}

TEST_F(UiControls, ClicksUnderTheLegendAddNoPoint) {
  tick();
  tick();
  // The legend sits in the top-right corner of the plane.
  const ImVec2 corner(last_out.view_pos.x + last_out.view_width_px - 30.0f,
                      last_out.view_pos.y + 30.0f);
  const auto posted = click(corner);
  EXPECT_EQ(find<train::cmd::AddPoint>(posted), nullptr);
  ImGuiIO& io = ImGui::GetIO();
  io.MouseDown[1] = true;
  const auto right = tick();
  io.MouseDown[1] = false;
  tick();
  EXPECT_EQ(find<train::cmd::RemoveNearest>(right), nullptr);
  // Without the legend the same click adds a point.
  ui.show_legend = false;
  tick();
  EXPECT_NE(find<train::cmd::AddPoint>(click(corner)), nullptr);
}

TEST_F(UiControls, AnOutOfRangeSeedIsRefusedWithItsRangeUntilAValidOneIsTyped) {
  tick();
  tick();
  const auto at = locate("Controls", "##wseed", 0.85f);  // right of the text: the cursor at its end
  ASSERT_TRUE(at.has_value());
  auto posted = click(*at);
  posted = press(ImGuiKey_Backspace, 3);
  posted = type("99999999999999999999999");
  posted = press(ImGuiKey_Enter);
  EXPECT_EQ(find<train::cmd::SetWeightSeed>(posted), nullptr) << "the seed must not be posted";
  EXPECT_EQ(engine->settings().weight_seed, 1u);
  EXPECT_EQ(
      ui.notice,
      "weight seed = 99999999999999999999999 is out of range: allowed 0 to 18446744073709551615");
  EXPECT_TRUE(ui.notice_is_error);
  EXPECT_TRUE(ui::notice_up(ui, fi, "weight seed"));
  // The largest seed is accepted, and the error goes at once.
  posted = click(*at);
  posted = press(ImGuiKey_Backspace, 30);
  posted = type("18446744073709551615");
  posted = press(ImGuiKey_Enter);
  const auto* seed = find<train::cmd::SetWeightSeed>(posted);
  ASSERT_NE(seed, nullptr);
  EXPECT_EQ(seed->seed, 18446744073709551615ull);
  EXPECT_EQ(engine->settings().weight_seed, 18446744073709551615ull);
  EXPECT_FALSE(ui::notice_up(ui, fi, "weight seed"));
  EXPECT_EQ(ui.notice, "");
}

TEST_F(UiControls, SwitchingTheDataKindRestoresThatKindsDefaults) {
  // 15 drawn points, then moons picked in the Problem combo: 400 points, as moons has by default.
  std::vector<core::Point> drawn;
  for (int i = 0; i < 15; ++i) drawn.push_back({0.1 * i, 0.05 * i, i % 2, false});
  ASSERT_FALSE(engine->apply(train::cmd::SetPoints{drawn, 2}).has_value());
  core::DataSpec noisy = engine->settings().data;
  tick();
  tick();
  ASSERT_EQ(ui.edit.data.kind, core::DataKind::Custom);
  const auto combo = locate("Controls", "##kind");
  ASSERT_TRUE(combo.has_value());
  click(*combo);
  ImGuiWindow* popup = nullptr;
  for (ImGuiWindow* w : GImGui->Windows)
    if (w->Active && std::string(w->Name).rfind("##Combo_", 0) == 0) popup = w;
  ASSERT_NE(popup, nullptr) << "the combo did not open";
  tick();
  tick();
  const auto moons = locate(popup->Name, "moons");
  ASSERT_TRUE(moons.has_value());
  const auto posted = click(*moons);
  const auto* set = find<train::cmd::SetData>(posted);
  ASSERT_NE(set, nullptr);
  core::DataSpec expected;  // the defaults
  expected.kind = core::DataKind::Moons;
  expected.seed = noisy.seed;
  EXPECT_EQ(set->data, expected);
  EXPECT_EQ(engine->data().points.size(), 400u);
}

TEST_F(UiControls, AStatusMessageGoesOnceTheValueIsValidAndLongOnesOpenOnHover) {
  tick();
  // A learning rate of 0 typed and entered: refused, and said in the status bar.
  const auto lr = locate("Controls", "##lr");
  ASSERT_TRUE(lr.has_value());
  click(*lr, true);
  type("0");
  press(ImGuiKey_Enter);
  EXPECT_NE(snap->message.find("learning_rate = 0 is out of range"), std::string::npos)
      << snap->message;
  click(*lr, true);
  type("0.1");
  press(ImGuiKey_Enter);
  tick();
  EXPECT_DOUBLE_EQ(engine->settings().optimizer.learning_rate, 0.1);
  EXPECT_EQ(snap->message, "") << "the error outlived the value it was about";

  // A message longer than the bar: cut, and shown in full in a tooltip on hover.
  const std::string long_message(400, 'x');
  ui::set_notice(ui, fi, "start " + long_message + " end", true);
  tick();
  ImGuiWindow* bar = ImGui::FindWindowByName("Status");
  ASSERT_NE(bar, nullptr);
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(bar->Pos.x + bar->Size.x - 40, bar->Pos.y + 0.5f * bar->Size.y);
  tick();
  tick();
  ImGuiWindow* tip = ImGui::FindWindowByName("##Tooltip_00");
  ASSERT_NE(tip, nullptr);
  EXPECT_TRUE(tip->Active) << "no tooltip with the full message";
  EXPECT_LE(tip->Size.x, io.DisplaySize.x) << "the full message wraps";
  EXPECT_GT(tip->Size.y, 3 * ImGui::GetTextLineHeight()) << "the full message wraps";
}

}  // namespace
}  // namespace mlpviz
