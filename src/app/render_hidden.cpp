#include "app/render_hidden.hpp"

#include <algorithm>
#include <cmath>

#include "core/palette.hpp"

namespace mlpviz::app {

namespace {

struct Canvas {
  int size;
  std::vector<float> rgb;  // size*size*3
  void blend(int x, int y, core::Rgb c, float alpha) {
    if (x < 0 || y < 0 || x >= size || y >= size || alpha <= 0) return;
    float* p = &rgb[(static_cast<std::size_t>(y) * size + x) * 3];
    alpha = std::min(alpha, 1.0f);
    p[0] += (c.r - p[0]) * alpha;
    p[1] += (c.g - p[1]) * alpha;
    p[2] += (c.b - p[2]) * alpha;
  }
  // A line of the given width (pixels) with a soft edge: the distance of each pixel centre to the
  // segment decides its coverage.
  void line(double x0, double y0, double x1, double y1, float width, core::Rgb c, float alpha = 1.0f) {
    const double r = width / 2.0 + 1.0;
    const int xa = static_cast<int>(std::floor(std::min(x0, x1) - r)), xb = static_cast<int>(std::ceil(std::max(x0, x1) + r));
    const int ya = static_cast<int>(std::floor(std::min(y0, y1) - r)), yb = static_cast<int>(std::ceil(std::max(y0, y1) + r));
    if (xb < 0 || yb < 0 || xa >= size || ya >= size) return;
    const double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
    for (int y = std::max(ya, 0); y <= std::min(yb, size - 1); ++y)
      for (int x = std::max(xa, 0); x <= std::min(xb, size - 1); ++x) {
        const double px = x + 0.5 - x0, py = y + 0.5 - y0;
        const double t = len2 > 0 ? std::clamp((px * dx + py * dy) / len2, 0.0, 1.0) : 0.0;
        const double d = std::hypot(px - t * dx, py - t * dy);
        const float cover = static_cast<float>(std::clamp(width / 2.0 + 0.5 - d, 0.0, 1.0));
        blend(x, y, c, cover * alpha);
      }
  }
};

double nice_step(double range) {
  const double raw = range / 6.0;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * p >= raw) return m * p;
  return 10.0 * p;
}

}  // namespace

std::vector<unsigned char> render_hidden_space(const core::HiddenSpaceMap& m, const core::Layout& layout,
                                               const double* params, const core::Dataset& data, int size) {
  const core::Box v = core::hidden_view_box(m);
  Canvas c{size, std::vector<float>(static_cast<std::size_t>(size) * size * 3)};
  const double sx = size / (v.x_max - v.x_min), sy = size / (v.y_max - v.y_min);
  const auto to_px = [&](const Eigen::Vector2d& p) { return Eigen::Vector2d((p(0) - v.x_min) * sx, (v.y_max - p(1)) * sy); };
  const auto to_space = [&](double px, double py) { return Eigen::Vector2d(v.x_min + px / sx, v.y_max - py / sy); };
  // Background: the output's class at each point of the space, when the space is the whole layer.
  const bool classify = core::covers_last_hidden_layer(layout, m.proj);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      core::Rgb col = core::kBackground;
      if (classify) {
        const int k = core::output_class_at(layout, params, m.proj, to_space(x + 0.5, y + 0.5));
        col = core::mix(core::kBackground, core::kClassColors[k % 6], 0.22f);
      }
      float* p = &c.rgb[(static_cast<std::size_t>(y) * size + x) * 3];
      p[0] = col.r;
      p[1] = col.g;
      p[2] = col.b;
    }
  // Axes through 0 with ticks at a round step.
  const core::Rgb axis{0.35f, 0.35f, 0.35f};
  const double step = nice_step(v.x_max - v.x_min);
  const Eigen::Vector2d origin = to_px({0.0, 0.0});
  c.line(0, origin(1), size, origin(1), 1.2f, axis);
  c.line(origin(0), 0, origin(0), size, 1.2f, axis);
  for (double t = std::ceil(v.x_min / step) * step; t <= v.x_max; t += step) {
    const double px = to_px({t, 0.0})(0);
    c.line(px, origin(1) - 4, px, origin(1) + 4, 1.2f, axis);
  }
  for (double t = std::ceil(v.y_min / step) * step; t <= v.y_max; t += step) {
    const double py = to_px({0.0, t})(1);
    c.line(origin(0) - 4, py, origin(0) + 4, py, 1.2f, axis);
  }
  // The warped grid: x1 = const lines darker than x2 = const lines, so the two families read apart.
  for (std::size_t l = 0; l < m.lines.size(); ++l) {
    const bool vertical = static_cast<int>(l) < m.vertical_lines;
    const core::Rgb col = vertical ? core::Rgb{0.30f, 0.30f, 0.38f} : core::Rgb{0.45f, 0.42f, 0.35f};
    for (std::size_t s = 1; s < m.lines[l].size(); ++s) {
      const Eigen::Vector2d a = to_px(m.lines[l][s - 1]), b = to_px(m.lines[l][s]);
      if (a.allFinite() && b.allFinite()) c.line(a(0), a(1), b(0), b(1), 1.0f, col, 0.55f);
    }
  }
  // The output's boundary line c0 y0 + c1 y1 + c2 = 0, clipped by drawing across the whole view.
  if (m.boundary) {
    const Eigen::Vector3d& L = *m.boundary;
    const double n = std::hypot(L(0), L(1));
    if (n > 0) {
      const Eigen::Vector2d foot = -L(2) / (n * n) * Eigen::Vector2d(L(0), L(1));  // closest point to 0
      const Eigen::Vector2d dir(-L(1) / n, L(0) / n);
      const double reach = 4 * (v.x_max - v.x_min) + foot.norm();
      const Eigen::Vector2d a = to_px(foot - reach * dir), b = to_px(foot + reach * dir);
      c.line(a(0), a(1), b(0), b(1), 3.0f, {0.1f, 0.1f, 0.1f});
    }
  }
  // Points: discs (train) and rings (test) with a dark outline.
  const float r = std::max(3.0f, size / 110.0f);
  for (std::size_t i = 0; i < m.points.size() && i < data.points.size(); ++i) {
    const Eigen::Vector2d p = to_px(m.points[i]);
    if (!p.allFinite()) continue;
    const core::Rgb col = core::kClassColors[data.points[i].label % 6];
    for (int y = static_cast<int>(p(1) - r - 2); y <= static_cast<int>(p(1) + r + 2); ++y)
      for (int x = static_cast<int>(p(0) - r - 2); x <= static_cast<int>(p(0) + r + 2); ++x) {
        const float d = static_cast<float>(std::hypot(x + 0.5 - p(0), y + 0.5 - p(1)));
        if (d <= r - 1.2f) {
          if (!data.points[i].test || d >= r - 2.6f) c.blend(x, y, col, 1.0f);
        } else if (d <= r + 0.3f) {
          c.blend(x, y, {0.1f, 0.1f, 0.1f}, 1.0f);
        }
      }
  }
  std::vector<unsigned char> out(c.rgb.size());
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<unsigned char>(std::lround(std::clamp(c.rgb[i], 0.0f, 1.0f) * 255.0f));
  return out;
}

}  // namespace mlpviz::app
