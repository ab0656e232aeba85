// png_text.hpp: text drawn into an RGB image on the CPU (labels of the sweep's grid PNG).
//
// Glyphs come from DejaVu Sans (fonts-dejavu-core, the window's font) through stb_truetype,
// antialiased. Without that file, stb_easy_font's built-in strokes are used, ASCII only
// (other characters become '?'), so a missing font never loses the labels.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mlpviz::app {

// An RGB image, 3 bytes per pixel, rows top to bottom.
struct RgbImage {
  int width = 0, height = 0;
  std::vector<unsigned char> rgb;
  RgbImage(int w, int h, unsigned char grey);
  // Copies `src` (w x h RGB) with its top left corner at (x, y), clipped.
  void blit(int x, int y, int w, int h, const std::vector<unsigned char>& src);
  void fill_rect(int x, int y, int w, int h, unsigned char r, unsigned char g, unsigned char b);
};

class TextPainter {
 public:
  // px: the line height in pixels (the font's ascent to descent).
  explicit TextPainter(float px);
  ~TextPainter();
  TextPainter(const TextPainter&) = delete;
  TextPainter& operator=(const TextPainter&) = delete;

  bool has_font() const { return font_ != nullptr; }  // false: stb_easy_font's strokes
  int line_height() const;
  int width(std::string_view utf8) const;
  // Draws one line with its top at y, starting at x; dark text on a light background.
  void draw(RgbImage& img, int x, int y, std::string_view utf8, unsigned char grey = 20) const;
  void draw_centered(RgbImage& img, int centre_x, int y, std::string_view utf8, unsigned char grey = 20) const;

 private:
  struct Font;
  std::unique_ptr<Font> font_;  // null: the built-in strokes
  float px_;
};

}  // namespace mlpviz::app
