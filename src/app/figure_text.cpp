#include "app/figure_text.hpp"

#include <stb/stb_truetype.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#pragma GCC diagnostic ignored "-Wuseless-cast"
#pragma GCC diagnostic ignored "-Wcast-qual"
#include <stb/stb_easy_font.h>
#pragma GCC diagnostic pop

namespace mlpviz::app {
namespace {

// From the fonts-dejavu-core package (the window's font too).
constexpr const char* kFigureFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

// Next code point of UTF-8 text (invalid bytes read as '?').
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i++]);
  if (b < 0x80) return b;
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
  if (extra < 0) return '?';
  std::uint32_t cp = b & (0x3Fu >> extra);
  for (; extra > 0; --extra) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return '?';
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3Fu);
  }
  return cp;
}

const stbtt_fontinfo* info_of(const std::vector<unsigned char>& bytes) {
  return reinterpret_cast<const stbtt_fontinfo*>(bytes.data());
}

// stb_easy_font draws ASCII with 7-unit-high glyphs (letters are about 10 units apart).
constexpr float kEasyFontUnits = 11.0f;

}  // namespace

Image::Image(int w, int h, core::Rgb fill) : width(w), height(h), rgb(static_cast<std::size_t>(w) * h * 3) {
  fill_rect(0, 0, w, h, fill);
}

void Image::blend(int x, int y, core::Rgb c, float alpha) {
  if (!inside(x, y) || alpha <= 0) return;
  alpha = std::min(alpha, 1.0f);
  unsigned char* p = &rgb[(static_cast<std::size_t>(y) * width + x) * 3];
  const float in[3] = {c.r, c.g, c.b};
  for (int ch = 0; ch < 3; ++ch) {
    const float v = p[ch] / 255.0f * (1 - alpha) + std::clamp(in[ch], 0.0f, 1.0f) * alpha;
    p[ch] = static_cast<unsigned char>(std::lround(v * 255.0f));
  }
}

void Image::fill_rect(int x0, int y0, int x1, int y1, core::Rgb c) {
  x0 = std::max(0, x0), y0 = std::max(0, y0), x1 = std::min(width, x1), y1 = std::min(height, y1);
  const unsigned char px[3] = {static_cast<unsigned char>(std::lround(std::clamp(c.r, 0.0f, 1.0f) * 255)),
                               static_cast<unsigned char>(std::lround(std::clamp(c.g, 0.0f, 1.0f) * 255)),
                               static_cast<unsigned char>(std::lround(std::clamp(c.b, 0.0f, 1.0f) * 255))};
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) std::copy(px, px + 3, &rgb[(static_cast<std::size_t>(y) * width + x) * 3]);
}

void Image::disc(float cx, float cy, float r, core::Rgb c, float ring_px) {
  for (int y = static_cast<int>(std::floor(cy - r - 1)); y <= static_cast<int>(std::ceil(cy + r + 1)); ++y)
    for (int x = static_cast<int>(std::floor(cx - r - 1)); x <= static_cast<int>(std::ceil(cx + r + 1)); ++x) {
      const float d = std::hypot(x + 0.5f - cx, y + 0.5f - cy);
      float a = std::clamp(r + 0.5f - d, 0.0f, 1.0f);
      if (ring_px > 0) a = std::min(a, std::clamp(d - (r - ring_px) + 0.5f, 0.0f, 1.0f));
      blend(x, y, c, a);
    }
}

void Image::line(float x0, float y0, float x1, float y1, float w, core::Rgb c, float alpha) {
  const float dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
  const float h = 0.5f * w;
  const int xa = static_cast<int>(std::floor(std::min(x0, x1) - h - 1)), xb = static_cast<int>(std::ceil(std::max(x0, x1) + h + 1));
  const int ya = static_cast<int>(std::floor(std::min(y0, y1) - h - 1)), yb = static_cast<int>(std::ceil(std::max(y0, y1) + h + 1));
  for (int y = std::max(0, ya); y <= std::min(height - 1, yb); ++y)
    for (int x = std::max(0, xa); x <= std::min(width - 1, xb); ++x) {
      const float px = x + 0.5f - x0, py = y + 0.5f - y0;
      const float t = len2 > 0 ? std::clamp((px * dx + py * dy) / len2, 0.0f, 1.0f) : 0.0f;
      const float d = std::hypot(px - t * dx, py - t * dy);
      blend(x, y, c, alpha * std::clamp(h + 0.5f - d, 0.0f, 1.0f));
    }
}

void Image::paste(const Image& src, int x, int y) {
  for (int r = 0; r < src.height; ++r)
    for (int col = 0; col < src.width; ++col) {
      if (!inside(x + col, y + r)) continue;
      const unsigned char* s = &src.rgb[(static_cast<std::size_t>(r) * src.width + col) * 3];
      std::copy(s, s + 3, &rgb[(static_cast<std::size_t>(y + r) * width + x + col) * 3]);
    }
}

TextPainter::TextPainter() {
  std::ifstream f(kFigureFont, std::ios::binary);
  if (!f) return;
  std::ostringstream ss;
  ss << f.rdbuf();
  font_bytes_ = ss.str();
  font_info_.resize(sizeof(stbtt_fontinfo));
  auto* info = reinterpret_cast<stbtt_fontinfo*>(font_info_.data());
  const auto* data = reinterpret_cast<const unsigned char*>(font_bytes_.data());
  if (font_bytes_.empty() || !stbtt_InitFont(info, data, stbtt_GetFontOffsetForIndex(data, 0))) {
    font_bytes_.clear();
    font_info_.clear();
  }
}

float TextPainter::width(std::string_view text, float px) const {
  if (!truetype()) {
    std::string s(text);
    return static_cast<float>(stb_easy_font_width(s.data())) * px / kEasyFontUnits;
  }
  const stbtt_fontinfo* info = info_of(font_info_);
  const float scale = stbtt_ScaleForPixelHeight(info, px);
  float w = 0;
  std::uint32_t prev = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::uint32_t cp = next_code_point(text, i);
    int advance = 0, lsb = 0;
    stbtt_GetCodepointHMetrics(info, static_cast<int>(cp), &advance, &lsb);
    if (prev) w += scale * static_cast<float>(stbtt_GetCodepointKernAdvance(info, static_cast<int>(prev), static_cast<int>(cp)));
    w += scale * static_cast<float>(advance);
    prev = cp;
  }
  return w;
}

void TextPainter::draw(Image& img, float x, float y, std::string_view text, float px, core::Rgb c) const {
  if (!truetype()) {
    // Segment font: quads of 4 vertices (x, y, z, colour) each, drawn as rectangles.
    std::string s(text);
    std::vector<float> quads(16 * 1024);
    const int n = stb_easy_font_print(0, 0, s.data(), nullptr, quads.data(), static_cast<int>(quads.size() * sizeof(float)));
    const float k = px / kEasyFontUnits;
    for (int q = 0; q < n; ++q) {
      const float* v = &quads[static_cast<std::size_t>(q) * 16];
      img.fill_rect(static_cast<int>(std::lround(x + v[0] * k)), static_cast<int>(std::lround(y + v[1] * k)),
                    static_cast<int>(std::lround(x + v[8] * k)), static_cast<int>(std::lround(y + v[9] * k)), c);
    }
    return;
  }
  const stbtt_fontinfo* info = info_of(font_info_);
  const float scale = stbtt_ScaleForPixelHeight(info, px);
  int ascent = 0, descent = 0, gap = 0;
  stbtt_GetFontVMetrics(info, &ascent, &descent, &gap);
  const float baseline = y + scale * static_cast<float>(ascent);
  std::vector<unsigned char> bitmap;
  float pen = x;
  std::uint32_t prev = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::uint32_t cp = next_code_point(text, i);
    const int g = static_cast<int>(cp);
    if (prev) pen += scale * static_cast<float>(stbtt_GetCodepointKernAdvance(info, static_cast<int>(prev), g));
    int advance = 0, lsb = 0;
    stbtt_GetCodepointHMetrics(info, g, &advance, &lsb);
    const float shift = pen - std::floor(pen);
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    stbtt_GetCodepointBitmapBoxSubpixel(info, g, scale, scale, shift, 0, &x0, &y0, &x1, &y1);
    const int bw = x1 - x0, bh = y1 - y0;
    if (bw > 0 && bh > 0) {
      bitmap.assign(static_cast<std::size_t>(bw) * bh, 0);
      stbtt_MakeCodepointBitmapSubpixel(info, bitmap.data(), bw, bh, bw, scale, scale, shift, 0, g);
      const int ox = static_cast<int>(std::floor(pen)) + x0, oy = static_cast<int>(std::lround(baseline)) + y0;
      for (int r = 0; r < bh; ++r)
        for (int col = 0; col < bw; ++col)
          img.blend(ox + col, oy + r, c, bitmap[static_cast<std::size_t>(r) * bw + col] / 255.0f);
    }
    pen += scale * static_cast<float>(advance);
    prev = cp;
  }
}

}  // namespace mlpviz::app
