#include "app/render_png.hpp"

#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>

#include "core/palette.hpp"
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

std::vector<unsigned char> render_boundary(const core::Layout& layout, std::uint32_t features,
                                           const core::Params& params,
                                           const core::Dataset& data, const core::GridSpec& grid) {
  const int W = grid.width, H = grid.height, K = layout.sizes.back();
  std::vector<float> out;
  core::Workspace<float> ws;
  core::evaluate_grid<float>(layout, features, params.data(), grid, out, ws);
  const int classes = std::max(2, data.classes);
  std::vector<int> cls(static_cast<std::size_t>(W) * H);
  std::vector<float> rgbf(static_cast<std::size_t>(W) * H * 3);
  for (int i = 0; i < W * H; ++i) {
    core::Rgb c;
    if (K == 1) {
      const float p = out[i];
      cls[i] = p > 0.5f;
      c = core::binary_field(p);
    } else {
      int k = 0;
      for (int j = 1; j < K; ++j)
        if (out[i * K + j] > out[i * K + k]) k = j;
      cls[i] = k;
      float sum = 0;
      for (int j = 0; j < K; ++j) sum += std::max(out[i * K + j], 0.0f);
      c = core::multiclass_field(k, sum > 0 ? out[i * K + k] / sum : 1.0f, classes);
    }
    rgbf[3 * i] = c.r;
    rgbf[3 * i + 1] = c.g;
    rgbf[3 * i + 2] = c.b;
  }
  // Boundary: darken pixels whose class differs from a 4-neighbour.
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      const int i = y * W + x;
      const bool edge = (x + 1 < W && cls[i + 1] != cls[i]) || (y + 1 < H && cls[i + W] != cls[i]);
      if (edge)
        for (int ch = 0; ch < 3; ++ch) rgbf[3 * i + ch] = 0.15f;
    }
  // Points: filled discs (train) and rings (test) with a dark outline.
  const double sx = W / (grid.x_max - grid.x_min), sy = H / (grid.y_max - grid.y_min);
  const float r = std::max(3.0f, std::min(W, H) / 110.0f);
  for (const core::Point& p : data.points) {
    const float px = static_cast<float>((p.x1 - grid.x_min) * sx);
    const float py = static_cast<float>((grid.y_max - p.x2) * sy);
    const core::Rgb col = core::kClassColors[p.label % 6];
    for (int y = static_cast<int>(py - r - 2); y <= static_cast<int>(py + r + 2); ++y)
      for (int x = static_cast<int>(px - r - 2); x <= static_cast<int>(px + r + 2); ++x) {
        if (x < 0 || y < 0 || x >= W || y >= H) continue;
        const float d = std::hypot(x + 0.5f - px, y + 0.5f - py);
        const int i = y * W + x;
        core::Rgb c{rgbf[3 * i], rgbf[3 * i + 1], rgbf[3 * i + 2]};
        if (d <= r - 1.2f) {
          if (!p.test) c = col;
          else if (d >= r - 2.6f) c = col;
        } else if (d <= r + 0.3f) {
          c = {0.1f, 0.1f, 0.1f};
        } else {
          continue;
        }
        rgbf[3 * i] = c.r;
        rgbf[3 * i + 1] = c.g;
        rgbf[3 * i + 2] = c.b;
      }
  }
  std::vector<unsigned char> rgb(rgbf.size());
  for (std::size_t i = 0; i < rgbf.size(); ++i)
    rgb[i] = static_cast<unsigned char>(std::lround(std::clamp(rgbf[i], 0.0f, 1.0f) * 255.0f));
  return rgb;
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
