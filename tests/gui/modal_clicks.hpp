// modal_clicks.hpp: pressing a modal's buttons without knowing where they are: click a grid over
// the window named `title` (6 px rows, 12 px columns: finer than any button), one press and
// release per point, until a frame's requests satisfy `wanted`. `frame()` draws one frame and
// returns its ui::Requests. Returns those requests, or empty ones when no click gave them.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

#include "ui/state.hpp"

namespace mlpviz::test {

template <class Frame, class Pred>
ui::Requests click_grid_until(const char* title, Frame frame, Pred wanted) {
  ImGuiWindow* w = ImGui::FindWindowByName(title);
  if (!w) return {};
  const ImVec2 p = w->Pos, s = w->Size;
  ImGuiIO& io = ImGui::GetIO();
  for (float y = p.y + 3; y < p.y + s.y; y += 6)
    for (float x = p.x + 6; x < p.x + s.x; x += 12) {
      io.MousePos = ImVec2(x, y);
      io.MouseDown[0] = true;
      frame();
      io.MouseDown[0] = false;
      const ui::Requests r = frame();
      if (wanted(r)) return r;
    }
  return {};
}

}  // namespace mlpviz::test
