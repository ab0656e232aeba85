// theme.cpp: a light theme (it projects well, and matches the light field of the boundary view),
// with one blue accent. Sizes are for scale 1; the App scales a copy.
#include <imgui.h>

#include "ui/panels.hpp"

namespace mlpviz::ui {

void apply_theme(ImGuiStyle& style) {
  style = ImGuiStyle();
  ImGui::StyleColorsLight(&style);
  style.WindowPadding = ImVec2(12, 10);
  style.FramePadding = ImVec2(8, 4);
  style.ItemSpacing = ImVec2(8, 6);
  style.ItemInnerSpacing = ImVec2(6, 4);
  style.IndentSpacing = 16;
  style.ScrollbarSize = 14;
  style.GrabMinSize = 12;
  style.WindowBorderSize = 1;
  style.FrameBorderSize = 1;
  style.PopupBorderSize = 1;
  style.WindowRounding = 0;
  style.FrameRounding = 4;
  style.GrabRounding = 4;
  style.PopupRounding = 5;
  style.ScrollbarRounding = 6;
  style.TabRounding = 4;

  ImVec4* c = style.Colors;
  const ImVec4 accent(0.13f, 0.44f, 0.71f, 1.0f);  // core::kClassColors[1], the blue
  c[ImGuiCol_Text] = ImVec4(0.10f, 0.10f, 0.12f, 1);
  c[ImGuiCol_TextDisabled] = ImVec4(0.40f, 0.40f, 0.44f, 1);
  c[ImGuiCol_WindowBg] = ImVec4(0.955f, 0.955f, 0.960f, 1);
  c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_PopupBg] = ImVec4(1, 1, 1, 0.98f);
  c[ImGuiCol_Border] = ImVec4(0.75f, 0.75f, 0.78f, 1);
  c[ImGuiCol_FrameBg] = ImVec4(1, 1, 1, 1);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.90f, 0.94f, 0.99f, 1);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.84f, 0.90f, 0.98f, 1);
  c[ImGuiCol_MenuBarBg] = ImVec4(0.90f, 0.90f, 0.92f, 1);
  c[ImGuiCol_CheckMark] = accent;
  c[ImGuiCol_SliderGrab] = ImVec4(0.13f, 0.44f, 0.71f, 0.85f);
  c[ImGuiCol_SliderGrabActive] = accent;
  c[ImGuiCol_Button] = ImVec4(0.87f, 0.88f, 0.91f, 1);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.78f, 0.85f, 0.94f, 1);
  c[ImGuiCol_ButtonActive] = ImVec4(0.68f, 0.79f, 0.92f, 1);
  c[ImGuiCol_Header] = ImVec4(0.84f, 0.88f, 0.94f, 1);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.76f, 0.84f, 0.94f, 1);
  c[ImGuiCol_HeaderActive] = ImVec4(0.68f, 0.79f, 0.92f, 1);
  c[ImGuiCol_Separator] = ImVec4(0.75f, 0.75f, 0.78f, 1);
  c[ImGuiCol_TableRowBgAlt] = ImVec4(0, 0, 0, 0.035f);
  c[ImGuiCol_ModalWindowDimBg] = ImVec4(0.2f, 0.2f, 0.2f, 0.35f);
}

}  // namespace mlpviz::ui
