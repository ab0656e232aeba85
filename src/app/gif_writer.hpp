// gif_writer.hpp: animated GIFs (giflib) of equally sized frames, for `mlpviz render --animate`
// and the window's recording. One fixed 256-colour palette for every frame, no dithering: the
// pictures use few colours (the class colours mixed with the background, ink and greys), so a
// palette made of exactly those mixtures holds them; other colours go to the nearest entry.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/figure_text.hpp"

struct GifFileType;

namespace mlpviz::app {

class GifWriter {
 public:
  // Frames are width x height; each is shown delay_cs hundredths of a second; loops forever.
  GifWriter(int width, int height, int delay_cs);
  ~GifWriter();
  GifWriter(const GifWriter&) = delete;
  GifWriter& operator=(const GifWriter&) = delete;

  // Appends a frame (its size must be the writer's); nullopt on success, else the reason.
  std::optional<std::string> add(const Image& frame);
  // Ends the file; `bytes` receives the whole GIF.
  std::optional<std::string> finish(std::string& bytes);
  int frames() const { return frames_; }

 private:
  int width_, height_, delay_cs_, frames_ = 0;
  GifFileType* gif_ = nullptr;
  std::string bytes_;
  std::optional<std::string> error_;
  std::unique_ptr<unsigned char[]> lut_;  // 32x32x32 RGB (5 bits each) -> palette index
};

}  // namespace mlpviz::app
