#include "app/figure.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/palette.hpp"
#include "core/spec.hpp"
#include "render/cpu_field.hpp"

namespace mlpviz::app {
namespace {

constexpr core::Rgb kWhite = {1, 1, 1};
constexpr core::Rgb kInk = {0.08f, 0.08f, 0.10f};
constexpr core::Rgb kAxis = {0.25f, 0.25f, 0.28f};
constexpr core::Rgb kFaint = {0.45f, 0.45f, 0.48f};
constexpr float kTextPx = 15.0f;  // base text height

// The field (or a unit) over `g` as an image, row 0 at the top.
Image field_image(const core::Layout& layout, std::uint32_t features, const core::Params& params,
                  const core::GridSpec& g, int layer, int unit, int line_px) {
  std::vector<std::uint8_t> rgba;
  core::Workspace<float> ws;
  const float step = layer < 0 ? 0.1f : render::unit_level_step(layout, layer);
  render::cpu_field_rgba(layout, features, params.data(), g, layer, unit, step, true, rgba, ws, line_px);
  Image img(g.width, g.height, kWhite);
  for (int y = 0; y < g.height; ++y) {
    const std::uint8_t* src = &rgba[static_cast<std::size_t>(g.height - 1 - y) * g.width * 4];  // bottom row first
    for (int x = 0; x < g.width; ++x)
      std::copy(src + 4 * x, src + 4 * x + 3, &img.rgb[(static_cast<std::size_t>(y) * g.width + x) * 3]);
  }
  return img;
}

// A "nice" tick spacing (1, 2 or 5 times a power of ten) giving about `want` ticks over span.
double tick_step(double span, int want) {
  const double raw = span / std::max(1, want);
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= raw) return m * p;
  return 10 * p;
}

std::string tick_label(double v, double step) {
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  if (std::abs(v) < step * 1e-6) v = 0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// One train point (filled disc with a dark outline) or test point (ring).
void draw_point(Image& img, float px, float py, float r, float s, core::Rgb col, bool test) {
  if (test) {
    img.disc(px, py, r, kInk, 1.0f * s + 0.2f);
    img.disc(px, py, r - 1.0f * s, col, 1.8f * s);
  } else {
    img.disc(px, py, r, kInk);
    img.disc(px, py, r - 1.0f * s, col);
  }
}

float point_radius(const FigureOptions& o) {
  return std::max(3.0f, static_cast<float>(std::min(o.plot_w, o.plot_h)) / 110.0f) * static_cast<float>(o.scale);
}

int legend_left(const FigureOptions& o) {
  return plot_left(o) + o.plot_w * o.scale + (o.axes ? kAxesRight * o.scale : 0);
}

// Legend rows from the top of the plot: a swatch drawn by `swatch` and a label.
struct LegendWriter {
  Image& img;
  const TextPainter& text;
  float x, y, s;
  void title(const std::string& t) {
    text.draw(img, x + 8 * s, y, t, kTextPx * s, kInk);
    y += 24 * s;
  }
  template <class Swatch>
  void row(const std::string& label, Swatch swatch) {
    swatch(x + 18 * s, y + 0.5f * kTextPx * s + 1 * s);
    text.draw(img, x + 32 * s, y, label, kTextPx * s, kInk);
    y += 22 * s;
  }
};

void draw_axes(Image& img, const TextPainter& text, const core::GridSpec& view, const FigureOptions& o) {
  const float s = static_cast<float>(o.scale);
  const int x0 = plot_left(o), y0 = plot_top(o), pw = o.plot_w * o.scale, ph = o.plot_h * o.scale;
  const int lw = std::max(1, o.scale);
  // Frame.
  img.fill_rect(x0 - lw, y0 - lw, x0 + pw + lw, y0, kAxis);
  img.fill_rect(x0 - lw, y0 + ph, x0 + pw + lw, y0 + ph + lw, kAxis);
  img.fill_rect(x0 - lw, y0, x0, y0 + ph, kAxis);
  img.fill_rect(x0 + pw, y0, x0 + pw + lw, y0 + ph, kAxis);
  const float px = kTextPx * s;
  const double xs = tick_step(view.x_max - view.x_min, std::max(4, o.plot_w / 90));
  for (double v = std::ceil(view.x_min / xs) * xs; v <= view.x_max + 1e-9 * xs; v += xs) {
    const int X = x0 + static_cast<int>(std::lround((v - view.x_min) / (view.x_max - view.x_min) * pw));
    img.fill_rect(X - lw / 2, y0 + ph + lw, X - lw / 2 + lw, y0 + ph + lw + static_cast<int>(6 * s), kAxis);
    const std::string t = tick_label(v, xs);
    text.draw(img, static_cast<float>(X) - 0.5f * text.width(t, px), static_cast<float>(y0 + ph) + 9 * s, t, px, kInk);
  }
  const double ys = tick_step(view.y_max - view.y_min, std::max(4, o.plot_h / 90));
  for (double v = std::ceil(view.y_min / ys) * ys; v <= view.y_max + 1e-9 * ys; v += ys) {
    const int Y = y0 + static_cast<int>(std::lround((view.y_max - v) / (view.y_max - view.y_min) * ph));
    img.fill_rect(x0 - lw - static_cast<int>(6 * s), Y - lw / 2, x0 - lw, Y - lw / 2 + lw, kAxis);
    const std::string t = tick_label(v, ys);
    text.draw(img, static_cast<float>(x0) - 9 * s - text.width(t, px), static_cast<float>(Y) - 0.55f * px, t, px, kInk);
  }
  // Axis names: x1 under the middle of the bottom axis, x2 left of the middle of the left one.
  text.draw(img, static_cast<float>(x0 + pw / 2) - 0.5f * text.width("x1", px), static_cast<float>(y0 + ph) + 28 * s, "x1",
            px, kInk);
  text.draw(img, 4 * s, static_cast<float>(y0 + ph / 2) - 0.5f * px, "x2", px, kInk);
}

}  // namespace

int figure_width(const FigureOptions& o) {
  return o.scale * (o.plot_w + (o.axes ? kAxesLeft + kAxesRight : 0) + (o.legend ? kLegendWidth : 0));
}
int figure_height(const FigureOptions& o) { return o.scale * (o.plot_h + (o.axes ? kAxesTop + kAxesBottom : 0)); }
int plot_left(const FigureOptions& o) { return o.axes ? kAxesLeft * o.scale : 0; }
int plot_top(const FigureOptions& o) { return o.axes ? kAxesTop * o.scale : 0; }

std::optional<std::string> check_unit(const core::Layout& layout, int layer, int unit) {
  const int L = layout.depth();
  if (layer < 0 || layer > L)
    return "layer " + std::to_string(layer) + " is out of range: allowed 0 (the input features) to " + std::to_string(L) +
           " (the outputs)";
  const int n = layout.sizes[static_cast<std::size_t>(layer)];
  if (unit < 0 || unit >= n)
    return "unit " + std::to_string(unit) + " is out of range: layer " + std::to_string(layer) + " has units 0 to " +
           std::to_string(n - 1);
  return std::nullopt;
}

Image render_figure(const TextPainter& text, const core::Layout& layout, std::uint32_t features,
                    const core::Params& params, const core::Dataset& data, const core::GridSpec& view,
                    const FigureOptions& o) {
  const float s = static_cast<float>(o.scale);
  Image img(figure_width(o), figure_height(o), kWhite);
  core::GridSpec g = view;
  g.width = o.plot_w * o.scale;
  g.height = o.plot_h * o.scale;
  Image plot = field_image(layout, features, params, g, o.unit_layer, o.unit_index, o.scale);
  if (o.points) {
    const double sx = g.width / (g.x_max - g.x_min), sy = g.height / (g.y_max - g.y_min);
    const float r = point_radius(o);
    for (const core::Point& p : data.points) {
      if (p.test ? !o.show_test : !o.show_train) continue;
      draw_point(plot, static_cast<float>((p.x1 - g.x_min) * sx), static_cast<float>((g.y_max - p.x2) * sy), r, s,
                 core::kClassColors[static_cast<std::size_t>(p.label % 6)], p.test);
    }
  }
  img.paste(plot, plot_left(o), plot_top(o));
  if (o.axes) draw_axes(img, text, view, o);
  if (o.legend) {
    LegendWriter lw{img, text, static_cast<float>(legend_left(o)), static_cast<float>(plot_top(o)) + 4 * s, s};
    const float r = 6 * s;
    if (o.unit_layer < 0) {
      const int classes = std::max(2, data.classes);
      for (int k = 0; k < classes; ++k)
        lw.row("class " + std::to_string(k), [&](float cx, float cy) {
          draw_point(img, cx, cy, r, s, core::kClassColors[static_cast<std::size_t>(k % 6)], false);
        });
      lw.row("boundary", [&](float cx, float cy) { img.line(cx - 9 * s, cy, cx + 9 * s, cy, 2.5f * s, kInk, 0.85f); });
      if (data.count(true) > 0) {
        lw.row("train", [&](float cx, float cy) { draw_point(img, cx, cy, r, s, kFaint, false); });
        lw.row("test", [&](float cx, float cy) { draw_point(img, cx, cy, r, s, kFaint, true); });
      }
    } else {
      const int L = layout.depth();
      const std::string name = o.unit_layer == 0 ? std::string(core::feature_name([&] {
        int bit = -1, seen = -1;  // the unit_index-th feature bit that is set
        for (int b = 0; b < 32 && seen < o.unit_index; ++b)
          if (features & (1u << b)) bit = b, ++seen;
        return bit;
      }())) : o.unit_layer == L ? "output " + std::to_string(o.unit_index)
                                : "unit " + std::to_string(o.unit_layer) + ":" + std::to_string(o.unit_index);
      lw.title(name);
      const bool sig = o.unit_layer > 0 && o.unit_layer < L &&
                       layout.layers[static_cast<std::size_t>(o.unit_layer - 1)].act == core::Activation::Sigmoid;
      const std::string mid = o.unit_layer == L ? "0.5" : sig ? "0.5" : "0";
      lw.row("a > " + mid, [&](float cx, float cy) { img.disc(cx, cy, r, core::binary_field(0.9f)); });
      lw.row("a < " + mid, [&](float cx, float cy) { img.disc(cx, cy, r, core::binary_field(0.1f)); });
      if (o.unit_layer > 0 && o.unit_layer < L)
        lw.row("z = 0", [&](float cx, float cy) { img.line(cx - 9 * s, cy, cx + 9 * s, cy, 2.5f * s, kInk, 0.85f); });
      char step[32];
      std::snprintf(step, sizeof step, "a every %g", static_cast<double>(render::unit_level_step(layout, o.unit_layer)));
      lw.row(step, [&](float cx, float cy) { img.line(cx - 9 * s, cy, cx + 9 * s, cy, 1.2f * s, kInk, 0.3f); });
    }
  }
  return img;
}

Image render_graph(const TextPainter& text, const core::Layout& layout, std::uint32_t features,
                   const core::Params& params, const core::GridSpec& view, const FigureOptions& o) {
  const float s = static_cast<float>(o.scale);
  const int pw = o.plot_w * o.scale, ph = o.plot_h * o.scale;
  Image img(pw + (o.legend ? kLegendWidth * o.scale : 0), ph, kWhite);
  const int L = layout.depth();
  int max_n = 1;
  for (int n : layout.sizes) max_n = std::max(max_n, n);
  const float margin_x = 40 * s, top = 14 * s, bottom = 34 * s;
  const float col_dx = (static_cast<float>(pw) - 2 * margin_x) / static_cast<float>(std::max(1, L));
  const float avail_h = static_cast<float>(ph) - top - bottom;
  const float node = std::max(6.0f * s, std::min({64.0f * s, 0.8f * avail_h / static_cast<float>(max_n), 0.45f * col_dx}));
  const auto node_x = [&](int l) { return margin_x + col_dx * static_cast<float>(l); };
  const auto node_y = [&](int l, int i) {
    const int n = layout.sizes[static_cast<std::size_t>(l)];
    const float dy = avail_h / static_cast<float>(max_n);
    return top + 0.5f * avail_h + (static_cast<float>(i) - 0.5f * static_cast<float>(n - 1)) * dy;
  };
  // Edges under the nodes: blue for w > 0, orange for w < 0, width and opacity by |w|.
  float max_w = 1e-6f;
  for (int l = 1; l <= L; ++l) {
    const core::LayerLayout& ll = layout.layers[static_cast<std::size_t>(l - 1)];
    for (int k = 0; k < ll.in * ll.out; ++k) max_w = std::max(max_w, std::abs(params[static_cast<std::size_t>(ll.w_offset + k)]));
  }
  for (int l = 1; l <= L; ++l) {
    const core::LayerLayout& ll = layout.layers[static_cast<std::size_t>(l - 1)];
    for (int j = 0; j < ll.in; ++j)
      for (int i = 0; i < ll.out; ++i) {
        const float w = params[static_cast<std::size_t>(ll.w_offset + j * ll.out + i)];  // W[l] column-major, out x in
        const float m = std::abs(w) / max_w;
        img.line(node_x(l - 1) + 0.5f * node, node_y(l - 1, j), node_x(l) - 0.5f * node, node_y(l, i), s * (0.6f + 5.0f * m),
                 w >= 0 ? core::kClassColors[1] : core::kClassColors[0], 0.35f + 0.6f * m);
      }
  }
  // Nodes: each unit's level curves over the view, framed.
  const int side = std::max(4, static_cast<int>(std::lround(node)));
  core::GridSpec g = view;
  g.width = g.height = side;
  const int lw = std::max(1, o.scale);
  for (int l = 0; l <= L; ++l)
    for (int i = 0; i < layout.sizes[static_cast<std::size_t>(l)]; ++i) {
      const Image thumb = field_image(layout, features, params, g, l, i, 1);
      const int x = static_cast<int>(std::lround(node_x(l) - 0.5f * node)), y = static_cast<int>(std::lround(node_y(l, i) - 0.5f * node));
      img.fill_rect(x - lw, y - lw, x + side + lw, y + side + lw, kAxis);
      img.paste(thumb, x, y);
    }
  // Column names under the columns.
  const float px = kTextPx * s;
  for (int l = 0; l <= L; ++l) {
    std::string name = l == 0 ? "input" : l == L ? "output" : "hidden " + std::to_string(l);
    if (l > 0 && l < L) name += " (" + std::string(core::name(layout.layers[static_cast<std::size_t>(l - 1)].act)) + ")";
    // Narrow columns: the shorter names, so neighbours never overlap.
    if (text.width(name, px) > 0.95f * col_dx && l > 0 && l < L) name = "hidden " + std::to_string(l);
    if (text.width(name, px) > 0.95f * col_dx) {
      char short_name[16];
      std::snprintf(short_name, sizeof short_name, "h%d", l);
      name = l == 0 ? "in" : l == L ? "out" : short_name;
    }
    const float w = text.width(name, px);
    const float cx = std::clamp(node_x(l) - 0.5f * w, 2 * s, static_cast<float>(pw) - w - 2 * s);
    text.draw(img, cx, static_cast<float>(ph) - bottom + 10 * s, name, px, kInk);
  }
  if (o.legend) {
    LegendWriter lg{img, text, static_cast<float>(pw), top, s};
    lg.row("w > 0", [&](float cx, float cy) { img.line(cx - 9 * s, cy, cx + 9 * s, cy, 3 * s, core::kClassColors[1]); });
    lg.row("w < 0", [&](float cx, float cy) { img.line(cx - 9 * s, cy, cx + 9 * s, cy, 3 * s, core::kClassColors[0]); });
    char buf[48];
    std::snprintf(buf, sizeof buf, "max |w| %.3g", static_cast<double>(max_w));
    lg.row(buf, [&](float cx, float cy) { img.line(cx - 9 * s, cy, cx + 9 * s, cy, 5.6f * s, kFaint); });
  }
  return img;
}

}  // namespace mlpviz::app
