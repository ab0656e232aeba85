#include "app/render_png.hpp"

#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>

#include "core/file_io.hpp"

namespace mlpviz::app {

core::GridSpec fit_view(const core::Dataset& data, int width, int height) {
  const core::Box b = core::data_bounds(&data);
  // Square data units, centred, with a 10% margin.
  const double cx = 0.5 * (b.x_min + b.x_max), cy = 0.5 * (b.y_min + b.y_max);
  const double half = 0.55 * std::max(b.x_max - b.x_min, b.y_max - b.y_min);
  core::GridSpec g;
  g.width = width;
  g.height = height;
  const double aspect = static_cast<double>(width) / height;
  const double hx = aspect >= 1 ? half * aspect : half, hy = aspect >= 1 ? half : half / aspect;
  g.x_min = cx - hx;
  g.x_max = cx + hx;
  g.y_min = cy - hy;
  g.y_max = cy + hy;
  return g;
}

std::optional<std::string> write_png(const std::string& path, int width, int height,
                                     const std::vector<unsigned char>& rgb) {
  const std::string name = path.empty() ? std::string("an empty file name") : path;
  if (width < 1 || height < 1 || rgb.size() < static_cast<std::size_t>(width) * height * 3)
    return name + ": nothing to write (empty image)";
  std::string bytes;
  auto append = [](void* ctx, void* data, int size) {
    static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
  };
  if (!stbi_write_png_to_func(append, &bytes, width, height, 3, rgb.data(), width * 3))
    return name + ": could not encode the PNG";
  return core::write_file_atomically(path, bytes);
}

}  // namespace mlpviz::app
