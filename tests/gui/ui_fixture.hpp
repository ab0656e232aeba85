// ui_fixture.hpp: the window-less ImGui set-up every panel test shares (as ui_smoke.cpp began
// it): a context at 1600x1000 with the app's theme and a built font atlas (no GPU), a FrameInfo
// for a snapshot with a stand-in texture per unit, and one full frame of draw_ui.
#pragma once

#include <gtest/gtest.h>
#include <imgui.h>

#include <cstdint>
#include <memory>

#include "train/engine.hpp"
#include "train/session.hpp"
#include "ui/panels.hpp"

namespace mlpviz::test {

class UiFixture : public ::testing::Test {
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

  // The snapshot of a fresh engine on this session after `steps` steps (paused, as the trainer
  // publishes it), with metrics.
  static std::shared_ptr<const train::Snapshot> snapshot_of(const train::Session& s, int steps,
                                                            std::uint64_t version = 1) {
    train::Engine e(s.settings, s.data, s.params, s.progress);
    for (int i = 0; i < steps; ++i) e.step();
    e.update_metrics();
    return e.make_snapshot(version);
  }
  static std::shared_ptr<const train::Snapshot> snapshot_of(const train::Settings& settings, int steps,
                                                            std::uint64_t version = 1) {
    return snapshot_of(train::Session{settings, std::nullopt, std::nullopt, std::nullopt}, steps, version);
  }

  // What the App hands the UI for this snapshot: its parameters and gradient, and a stand-in
  // texture for every unit's thumbnail.
  static ui::FrameInfo info(const train::Snapshot& s) {
    ui::FrameInfo fi;
    fi.snap = &s;
    fi.params = &s.params;
    fi.gradient = &s.gradient;
    fi.shown_step = s.step;
    int nodes = 0;
    for (int n : s.layout.sizes) nodes += n;
    fi.thumbs.assign(static_cast<std::size_t>(nodes), ui::TextureRef{reinterpret_cast<ImTextureID>(1)});
    fi.thumbs_current = true;
    return fi;
  }

  // One frame of the whole window; returns what the UI asked for.
  static ui::FrameOutput frame(ui::UiState& st, const ui::FrameInfo& fi) {
    ui::FrameOutput out;
    ImGui::NewFrame();
    ui::draw_ui(st, fi, out);
    ImGui::Render();
    return out;
  }
};

}  // namespace mlpviz::test
