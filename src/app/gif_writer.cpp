#include "app/gif_writer.hpp"

#include <gif_lib.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "core/palette.hpp"

namespace mlpviz::app {
namespace {

constexpr core::Rgb kPaletteInk = {0.08f, 0.08f, 0.10f};

// The fixed palette: every class colour mixed with the background in 28 steps (the fields and
// the points), the binary pair's mixtures darkened as level curves darken them, 32 greys (text,
// axes, lines) and a coarse 3x3x3 cube for anything else.
std::vector<core::Rgb> fixed_palette() {
  std::vector<core::Rgb> p;
  for (const core::Rgb& c : core::kClassColors)
    for (int k = 0; k < 28; ++k) p.push_back(core::mix(core::kBackground, c, static_cast<float>(k) / 27.0f));
  for (int cls = 0; cls < 2; ++cls)
    for (int k = 0; k < 12; ++k)
      p.push_back(core::mix(core::mix(core::kBackground, core::kClassColors[static_cast<std::size_t>(cls)], static_cast<float>(k) / 11.0f),
                            kPaletteInk, 0.25f));
  for (int k = 0; k < 32; ++k) {
    const float v = static_cast<float>(k) / 31.0f;
    p.push_back({v, v, v});
  }
  for (int r = 0; r < 3; ++r)
    for (int g = 0; g < 3; ++g)
      for (int b = 0; b < 3; ++b) p.push_back({0.5f * static_cast<float>(r), 0.5f * static_cast<float>(g), 0.5f * static_cast<float>(b)});
  p.push_back(kPaletteInk);
  while (p.size() < 256) p.push_back({1, 1, 1});
  return p;
}

int write_to_string(GifFileType* gif, const GifByteType* data, int n) {
  static_cast<std::string*>(gif->UserData)->append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
  return n;
}

std::string gif_error(const char* what, int code) {
  const char* text = GifErrorString(code);
  return std::string("could not encode the GIF (") + what + ": " + (text ? text : "unknown error") + ")";
}

}  // namespace

GifWriter::GifWriter(int width, int height, int delay_cs)
    : width_(width), height_(height), delay_cs_(delay_cs), lut_(new unsigned char[32 * 32 * 32]) {
  const std::vector<core::Rgb> pal = fixed_palette();
  std::array<GifColorType, 256> colours{};
  std::array<std::array<int, 3>, 256> ints{};
  for (std::size_t i = 0; i < 256; ++i) {
    ints[i] = {static_cast<int>(std::lround(pal[i].r * 255)), static_cast<int>(std::lround(pal[i].g * 255)),
               static_cast<int>(std::lround(pal[i].b * 255))};
    colours[i] = {static_cast<GifByteType>(ints[i][0]), static_cast<GifByteType>(ints[i][1]), static_cast<GifByteType>(ints[i][2])};
  }
  // Nearest palette entry of each 5-bit colour (the centre of its cell).
  for (int r = 0; r < 32; ++r)
    for (int g = 0; g < 32; ++g)
      for (int b = 0; b < 32; ++b) {
        const int cr = r * 8 + 4, cg = g * 8 + 4, cb = b * 8 + 4;
        int best = 0, best_d = 1 << 30;
        for (int i = 0; i < 256; ++i) {
          const int dr = cr - ints[static_cast<std::size_t>(i)][0], dg = cg - ints[static_cast<std::size_t>(i)][1],
                    db = cb - ints[static_cast<std::size_t>(i)][2];
          const int d = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
          if (d < best_d) best_d = d, best = i;
        }
        lut_[static_cast<std::size_t>((r << 10) | (g << 5) | b)] = static_cast<unsigned char>(best);
      }
  int err = 0;
  gif_ = EGifOpen(&bytes_, write_to_string, &err);
  if (!gif_) {
    error_ = gif_error("open", err);
    return;
  }
  EGifSetGifVersion(gif_, true);
  ColorMapObject* map = GifMakeMapObject(256, colours.data());
  const int rc = EGifPutScreenDesc(gif_, width_, height_, 8, 0, map);
  GifFreeMapObject(map);
  if (rc != GIF_OK) {
    error_ = gif_error("screen", gif_->Error);
    return;
  }
  // NETSCAPE2.0: loop forever.
  unsigned char app[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
  unsigned char loop[] = {1, 0, 0};
  if (EGifPutExtensionLeader(gif_, APPLICATION_EXT_FUNC_CODE) != GIF_OK || EGifPutExtensionBlock(gif_, sizeof app, app) != GIF_OK ||
      EGifPutExtensionBlock(gif_, sizeof loop, loop) != GIF_OK || EGifPutExtensionTrailer(gif_) != GIF_OK)
    error_ = gif_error("loop", gif_->Error);
}

GifWriter::~GifWriter() {
  if (gif_) {
    int err = 0;
    EGifCloseFile(gif_, &err);
  }
}

std::optional<std::string> GifWriter::add(const Image& frame) {
  if (error_) return error_;
  if (frame.width != width_ || frame.height != height_)
    return "frame " + std::to_string(frames_) + " is " + std::to_string(frame.width) + "x" + std::to_string(frame.height) +
           ", the animation " + std::to_string(width_) + "x" + std::to_string(height_);
  GraphicsControlBlock gcb{};
  gcb.DisposalMode = DISPOSE_DO_NOT;
  gcb.DelayTime = delay_cs_;
  gcb.TransparentColor = NO_TRANSPARENT_COLOR;
  GifByteType ext[4];
  EGifGCBToExtension(&gcb, ext);
  if (EGifPutExtension(gif_, GRAPHICS_EXT_FUNC_CODE, 4, ext) != GIF_OK ||
      EGifPutImageDesc(gif_, 0, 0, width_, height_, false, nullptr) != GIF_OK)
    return error_ = gif_error("frame", gif_->Error);
  std::vector<GifPixelType> row(static_cast<std::size_t>(width_));
  for (int y = 0; y < height_; ++y) {
    const unsigned char* p = &frame.rgb[static_cast<std::size_t>(y) * width_ * 3];
    for (int x = 0; x < width_; ++x, p += 3)
      row[static_cast<std::size_t>(x)] = lut_[static_cast<std::size_t>(((p[0] >> 3) << 10) | ((p[1] >> 3) << 5) | (p[2] >> 3))];
    if (EGifPutLine(gif_, row.data(), width_) != GIF_OK) return error_ = gif_error("pixels", gif_->Error);
  }
  ++frames_;
  return std::nullopt;
}

std::optional<std::string> GifWriter::finish(std::string& bytes) {
  if (error_) return error_;
  int err = 0;
  const int rc = EGifCloseFile(gif_, &err);
  gif_ = nullptr;
  if (rc != GIF_OK) return error_ = gif_error("close", err);
  bytes = std::move(bytes_);
  return std::nullopt;
}

}  // namespace mlpviz::app
