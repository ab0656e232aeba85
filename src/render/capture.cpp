#include "render/capture.hpp"

#include <epoxy/gl.h>

#include <cstring>

#include "render/gl.hpp"

namespace mlpviz::render {

std::vector<unsigned char> read_back_buffer(int width, int height) {
  if (width < 1 || height < 1) return {};
  gl::StateGuard guard;
  const std::size_t row = static_cast<std::size_t>(width) * 3;
  std::vector<unsigned char> bottom_up(row * height), rgb(row * height);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, bottom_up.data());
  for (int y = 0; y < height; ++y)
    std::memcpy(&rgb[static_cast<std::size_t>(y) * row], &bottom_up[static_cast<std::size_t>(height - 1 - y) * row], row);
  return rgb;
}

}  // namespace mlpviz::render
