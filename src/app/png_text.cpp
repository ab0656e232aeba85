#include "app/png_text.hpp"

#include <stb/stb_easy_font.h>
#include <stb/stb_truetype.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/file_io.hpp"

namespace mlpviz::app {

namespace {

// The window's font (src/app/gui_fonts.cpp), from the fonts-dejavu-core package.
constexpr const char* kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr std::int64_t kMaxFontBytes = 16 << 20;

// Next code point of UTF-8 text at i (advancing i); malformed bytes give U+FFFD.
int next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i++]);
  if (b < 0x80) return b;
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
  if (extra < 0) return 0xFFFD;
  int cp = b & (0x3F >> extra);
  for (; extra > 0; --extra) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  }
  return cp;
}

// For the built-in strokes: ASCII, with the few symbols the labels use spelled out.
std::string to_ascii(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const int cp = next_code_point(s, i);
    if (cp < 0x80) out += static_cast<char>(cp);
    else if (cp == 0x00D7) out += 'x';   // multiplication sign
    else if (cp == 0x2248) out += '~';   // almost equal
    else if (cp == 0x00B7) out += '-';   // middle dot
    else out += '?';
  }
  return out;
}

}  // namespace

struct TextPainter::Font {
  std::string bytes;
  stbtt_fontinfo info{};
  float scale = 1.0f;
  int ascent = 0, descent = 0;
};

RgbImage::RgbImage(int w, int h, unsigned char grey)
    : width(w), height(h), rgb(static_cast<std::size_t>(w) * h * 3, grey) {}

void RgbImage::blit(int x, int y, int w, int h, const std::vector<unsigned char>& src) {
  for (int r = 0; r < h; ++r) {
    const int ty = y + r;
    if (ty < 0 || ty >= height) continue;
    for (int c = 0; c < w; ++c) {
      const int tx = x + c;
      if (tx < 0 || tx >= width) continue;
      std::memcpy(&rgb[(static_cast<std::size_t>(ty) * width + tx) * 3],
                  &src[(static_cast<std::size_t>(r) * w + c) * 3], 3);
    }
  }
}

void RgbImage::fill_rect(int x, int y, int w, int h, unsigned char r, unsigned char g, unsigned char b) {
  for (int yy = std::max(0, y); yy < std::min(height, y + h); ++yy)
    for (int xx = std::max(0, x); xx < std::min(width, x + w); ++xx) {
      unsigned char* p = &rgb[(static_cast<std::size_t>(yy) * width + xx) * 3];
      p[0] = r;
      p[1] = g;
      p[2] = b;
    }
}

TextPainter::TextPainter(float px) : px_(px) {
  auto read = core::read_file_bounded(kFontPath, kMaxFontBytes);
  if (auto* bytes = std::get_if<std::string>(&read)) {
    auto f = std::make_unique<Font>();
    f->bytes = std::move(*bytes);
    const auto* data = reinterpret_cast<const unsigned char*>(f->bytes.data());
    const int offset = stbtt_GetFontOffsetForIndex(data, 0);
    if (offset >= 0 && stbtt_InitFont(&f->info, data, offset)) {
      f->scale = stbtt_ScaleForPixelHeight(&f->info, px);
      int gap = 0;
      stbtt_GetFontVMetrics(&f->info, &f->ascent, &f->descent, &gap);
      font_ = std::move(f);
    }
  }
}

TextPainter::~TextPainter() = default;

// stb_easy_font's letters are about 12 units from cap top to descender at scale 1.
int TextPainter::line_height() const { return static_cast<int>(std::ceil(px_)); }

int TextPainter::width(std::string_view utf8) const {
  if (!font_) {
    std::string a = to_ascii(utf8);
    return static_cast<int>(std::ceil(stb_easy_font_width(a.data()) * px_ / 12.0f));
  }
  float x = 0;
  int prev = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const int cp = next_code_point(utf8, i);
    int advance = 0, lsb = 0;
    stbtt_GetCodepointHMetrics(&font_->info, cp, &advance, &lsb);
    if (prev) x += font_->scale * stbtt_GetCodepointKernAdvance(&font_->info, prev, cp);
    x += font_->scale * advance;
    prev = cp;
  }
  return static_cast<int>(std::ceil(x));
}

void TextPainter::draw(RgbImage& img, int x0, int y0, std::string_view utf8, unsigned char grey) const {
  // Coverage a in [0, 1] blends the pixel towards `grey`.
  const auto blend = [&](int x, int y, float a) {
    if (x < 0 || y < 0 || x >= img.width || y >= img.height || a <= 0) return;
    unsigned char* p = &img.rgb[(static_cast<std::size_t>(y) * img.width + x) * 3];
    for (int c = 0; c < 3; ++c) p[c] = static_cast<unsigned char>(std::lround(p[c] + (grey - p[c]) * std::min(a, 1.0f)));
  };
  if (!font_) {
    std::string a = to_ascii(utf8);
    std::vector<float> buf(a.size() * 270 * 4 + 64);  // stb_easy_font: at most ~270 bytes a char
    const int quads = stb_easy_font_print(0, 0, a.data(), nullptr, buf.data(),
                                          static_cast<int>(buf.size() * sizeof(float)));
    const float s = px_ / 12.0f;
    for (int q = 0; q < quads; ++q) {
      const float* v = &buf[static_cast<std::size_t>(q) * 16];  // 4 vertices of x, y, z, colour
      const int qx0 = x0 + static_cast<int>(std::floor(v[0] * s)), qy0 = y0 + static_cast<int>(std::floor(v[1] * s));
      const int qx1 = x0 + static_cast<int>(std::ceil(v[8] * s)), qy1 = y0 + static_cast<int>(std::ceil(v[9] * s));
      for (int y = qy0; y < qy1; ++y)
        for (int x = qx0; x < qx1; ++x) blend(x, y, 1.0f);
    }
    return;
  }
  const int baseline = y0 + static_cast<int>(std::lround(font_->ascent * font_->scale));
  float x = static_cast<float>(x0);
  int prev = 0;
  std::vector<unsigned char> glyph;
  for (std::size_t i = 0; i < utf8.size();) {
    const int cp = next_code_point(utf8, i);
    if (prev) x += font_->scale * stbtt_GetCodepointKernAdvance(&font_->info, prev, cp);
    int advance = 0, lsb = 0;
    stbtt_GetCodepointHMetrics(&font_->info, cp, &advance, &lsb);
    const float shift = x - std::floor(x);
    int gx0 = 0, gy0 = 0, gx1 = 0, gy1 = 0;
    stbtt_GetCodepointBitmapBoxSubpixel(&font_->info, cp, font_->scale, font_->scale, shift, 0, &gx0, &gy0, &gx1, &gy1);
    const int w = gx1 - gx0, h = gy1 - gy0;
    if (w > 0 && h > 0) {
      glyph.assign(static_cast<std::size_t>(w) * h, 0);
      stbtt_MakeCodepointBitmapSubpixel(&font_->info, glyph.data(), w, h, w, font_->scale, font_->scale, shift, 0, cp);
      const int ox = static_cast<int>(std::floor(x)) + gx0, oy = baseline + gy0;
      for (int r = 0; r < h; ++r)
        for (int c = 0; c < w; ++c) blend(ox + c, oy + r, glyph[static_cast<std::size_t>(r) * w + c] / 255.0f);
    }
    x += font_->scale * advance;
    prev = cp;
  }
}

void TextPainter::draw_centered(RgbImage& img, int centre_x, int y, std::string_view utf8, unsigned char grey) const {
  draw(img, centre_x - width(utf8) / 2, y, utf8, grey);
}

}  // namespace mlpviz::app
