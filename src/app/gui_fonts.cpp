// gui_fonts.cpp: text size. The font atlas is rebuilt at the exact pixel size whenever the
// monitor's content scale (HiDPI) or the presentation mode (Ctrl +/-) changes, so text stays
// crisp at every size; ImGui's style sizes are scaled with it, and render/ scales its lines and
// points by the same factor.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>

#include "app/gui_app.hpp"

namespace mlpviz::app {
namespace {

constexpr float kBaseFontPx = 17.0f;  // at 100%: readable from the back of a classroom
constexpr float kPresentationScales[] = {0.85f, 1.0f, 1.25f, 1.5f, 1.75f, 2.0f, 2.5f};
// From the fonts-dejavu-core package; ImGui's built-in font is the fallback.
constexpr const char* kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kBoldFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

bool readable(const char* path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

}  // namespace

float App::presentation_scale() const {
  return kPresentationScales[std::clamp(presentation_step_, 0, static_cast<int>(std::size(kPresentationScales)) - 1)];
}

void App::update_scale() {
  if (built_font_px_ == 0.0f) {  // the first frame: the presentation size asked for (--ui-scale)
    int best = 1;
    for (int i = 0; i < static_cast<int>(std::size(kPresentationScales)); ++i)
      if (std::fabs(kPresentationScales[i] - opt_.ui_scale) <
          std::fabs(kPresentationScales[best] - opt_.ui_scale))
        best = i;
    presentation_step_ = best;
  }
  float xs = 1.0f, ys = 1.0f;
  glfwGetWindowContentScale(window_, &xs, &ys);
  content_scale_ = std::clamp(std::max(xs, ys), 0.5f, 4.0f);
  int ww = 0, wh = 0, fw = 0, fh = 0;
  glfwGetWindowSize(window_, &ww, &wh);
  glfwGetFramebufferSize(window_, &fw, &fh);
  if (ww > 0 && fw > 0) framebuffer_scale_ = static_cast<float>(fw) / static_cast<float>(ww);
  const float px = std::round(kBaseFontPx * content_scale_ * presentation_scale());
  if (px != built_font_px_) rebuild_fonts();
}

void App::rebuild_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  const float px = std::round(kBaseFontPx * content_scale_ * presentation_scale());
  if (glyph_ranges_.empty()) {
    // Latin-1, Greek, general punctuation, arrows, mathematical operators, geometric shapes.
    static constexpr ImWchar kExtra[] = {0x0370, 0x03FF, 0x2010, 0x205E, 0x2190, 0x21FF,
                                         0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
    ImFontGlyphRangesBuilder b;
    b.AddRanges(io.Fonts->GetGlyphRangesDefault());
    b.AddRanges(kExtra);
    b.BuildRanges(&glyph_ranges_);
  }
  io.Fonts->Clear();
  ImFontConfig cfg;
  cfg.OversampleH = 2;
  cfg.OversampleV = 2;
  ImFont* regular = nullptr;
  heading_font_ = nullptr;
  if (readable(kFontPath)) {
    regular = io.Fonts->AddFontFromFileTTF(kFontPath, px, &cfg, glyph_ranges_.Data);
    heading_font_ = io.Fonts->AddFontFromFileTTF(readable(kBoldFontPath) ? kBoldFontPath : kFontPath,
                                                 std::round(px * 1.18f), &cfg, glyph_ranges_.Data);
  }
  if (!regular) {
    font_note_ = "DejaVu Sans not found (install fonts-dejavu-core): using ImGui's built-in font";
    ImFontConfig d;
    d.SizePixels = px;
    io.Fonts->AddFontDefault(&d);
    ImFontConfig h;
    h.SizePixels = std::round(px * 1.18f);
    heading_font_ = io.Fonts->AddFontDefault(&h);
  }
  io.Fonts->Build();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  // Fonts are rasterized in framebuffer pixels; ImGui lays out in window units.
  io.FontGlobalScale = 1.0f / framebuffer_scale_;
  ui_scale_ = content_scale_ * presentation_scale() / framebuffer_scale_;
  ImGuiStyle& style = ImGui::GetStyle();
  style = base_style_;
  style.ScaleAllSizes(ui_scale_);
  built_font_px_ = px;
}

}  // namespace mlpviz::app
