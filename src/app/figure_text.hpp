// figure_text.hpp: an RGB image with the few drawing operations figures need (rectangles, discs,
// anti-aliased lines, text), all on the CPU. Text uses DejaVu Sans through stb_truetype when the
// font is installed (fonts-dejavu-core), else stb_easy_font's built-in segment font, so labels are
// never missing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/palette.hpp"

namespace mlpviz::app {

// RGB pixels, row 0 at the top, 3 bytes per pixel.
struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> rgb;

  Image() = default;
  Image(int w, int h, core::Rgb fill);
  bool inside(int x, int y) const { return x >= 0 && y >= 0 && x < width && y < height; }
  // Mixes colour c into pixel (x, y) with weight alpha in [0, 1]; outside pixels are ignored.
  void blend(int x, int y, core::Rgb c, float alpha);
  void fill_rect(int x0, int y0, int x1, int y1, core::Rgb c);  // [x0, x1) x [y0, y1)
  // Filled disc (ring when ring_px > 0: only the outer ring_px pixels), anti-aliased edge.
  void disc(float cx, float cy, float r, core::Rgb c, float ring_px = 0);
  // A line of width w pixels with round ends, anti-aliased.
  void line(float x0, float y0, float x1, float y1, float w, core::Rgb c, float alpha = 1);
  // Copies src with its top-left corner at (x, y), clipped.
  void paste(const Image& src, int x, int y);
};

// Draws text with one loaded font; holds the font file's bytes (load once, draw many frames).
class TextPainter {
 public:
  TextPainter();  // loads DejaVu Sans if present
  bool truetype() const { return !font_bytes_.empty(); }
  // Width in pixels of `text` at pixel height px.
  float width(std::string_view text, float px) const;
  // Draws `text` with its top at y (the line is px high), left edge at x.
  void draw(Image& img, float x, float y, std::string_view text, float px, core::Rgb c) const;

 private:
  std::string font_bytes_;
  std::vector<unsigned char> font_info_;  // stbtt_fontinfo, kept opaque here
};

}  // namespace mlpviz::app
