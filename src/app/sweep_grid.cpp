#include "app/sweep_grid.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/figure.hpp"
#include "app/render_png.hpp"

namespace mlpviz::app {

namespace {

std::string percent(double v) {
  if (!std::isfinite(v)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * v);
  return buf;
}

// One size of the shared figure font (app/figure_text.hpp), in the whole pixels the grid's layout
// counts with; grey levels for dark text on the light page.
struct SizedFont {
  const TextPainter& painter;
  float px;
  int line_height() const { return static_cast<int>(std::ceil(px)); }
  int width(std::string_view t) const { return static_cast<int>(std::ceil(painter.width(t, px))); }
  void draw(Image& img, int x, int y, std::string_view t, unsigned char grey = 20) const {
    const float v = grey / 255.0f;
    painter.draw(img, static_cast<float>(x), static_cast<float>(y), t, px, core::Rgb{v, v, v});
  }
  void draw_centered(Image& img, int centre_x, int y, std::string_view t, unsigned char grey = 20) const {
    draw(img, centre_x - width(t) / 2, y, t, grey);
  }
};

// The grid as one image: a title, the column axis and headers, the row headers, and under each
// cell's boundary its shape, its parameters and its test accuracy.
}  // namespace

Image sweep_grid_image(const std::vector<SweepGridCell>& cells, const train::SweepPlan& plan, int cs,
                       const std::string& title) {
  const int rows = plan.rows, cols = plan.cols;
  const std::string& col_axis = plan.col_axis;
  const std::string& row_axis = plan.row_axis;
  const std::vector<std::string>& col_heads = plan.col_heads;
  const std::vector<std::string>& row_heads = plan.row_heads;
  const TextPainter painter;
  const SizedFont title_font{painter, std::clamp(cs / 9.0f, 15.0f, 24.0f)};
  const SizedFont head_font{painter, std::clamp(cs / 10.0f, 13.0f, 22.0f)};
  const SizedFont cell_font{painter, std::clamp(cs / 11.0f, 12.0f, 20.0f)};
  const int pad = 12, gap = 12;
  const int cell_line = cell_font.line_height() + 2;
  const int label_h = 2 * cell_line + 4;
  int row_head_w = head_font.width(row_axis);
  for (const std::string& h : row_heads) row_head_w = std::max(row_head_w, head_font.width(h));
  row_head_w += gap;
  const int title_h = title_font.line_height() + 6;
  const int head_h = head_font.line_height() + 6;
  const int top = pad + title_h + 2 * head_h;
  const int left = pad + row_head_w;
  const int width = std::max(left + cols * (cs + gap) - gap + pad, pad + title_font.width(title) + pad);
  const int height = top + rows * (cs + label_h + gap) - gap + pad;
  Image img(width, height, core::Rgb{250 / 255.0f, 250 / 255.0f, 250 / 255.0f});
  title_font.draw(img, pad, pad, title);
  const int grid_w = cols * (cs + gap) - gap;
  head_font.draw_centered(img, left + grid_w / 2, pad + title_h, col_axis, 60);
  for (int c = 0; c < cols; ++c)
    head_font.draw_centered(img, left + c * (cs + gap) + cs / 2, pad + title_h + head_h, col_heads[c]);
  head_font.draw(img, pad, pad + title_h + head_h, row_axis, 60);
  for (int r = 0; r < rows; ++r)
    head_font.draw(img, pad, top + r * (cs + label_h + gap) + cs / 2 - head_font.line_height() / 2, row_heads[r]);
  for (const SweepGridCell& c : cells) {
    if (c.engine == nullptr) continue;
    const train::SweepCell& cell = c.at;
    const train::Engine& e = *c.engine;
    const int x = left + cell.col * (cs + gap), y = top + cell.row * (cs + label_h + gap);
    const core::GridSpec g = fit_view(e.data(), cs, cs);
    img.fill_rect(x - 1, y - 1, x + cs + 1, y + cs + 1, core::Rgb{120 / 255.0f, 120 / 255.0f, 120 / 255.0f});  // a thin frame
    FigureOptions fo;  // the boundary and the points alone: the grid labels each cell itself
    fo.plot_w = fo.plot_h = cs;
    fo.axes = fo.legend = false;
    img.paste(render_figure(painter, e.layout(), e.settings().net.features, e.params(), e.data(), g, fo), x, y);
    std::string shape = train::cell_title(cell);
    shape.append(" \u00b7 ").append(std::to_string(e.layout().num_params)).append(" params");
    const std::string result = e.state() == train::RunState::Diverged
                                   ? "diverged at step " + std::to_string(e.step_count())
                                   : "test accuracy " + percent(e.metrics().test_accuracy);
    cell_font.draw(img, x, y + cs + 3, shape);
    cell_font.draw(img, x, y + cs + 3 + cell_line, result, e.state() == train::RunState::Diverged ? 140 : 20);
  }
  return img;
}


std::string sweep_title(const train::Settings& st, const std::string& budget) {
  char lr[32];
  std::snprintf(lr, sizeof lr, "%g", st.optimizer.learning_rate);
  return std::string(core::name(st.data.kind)) + " \u00b7 " + budget + " \u00b7 " +
         std::string(core::name(st.optimizer.kind)) + " lr " + lr + " batch " +
         std::to_string(st.optimizer.batch_size) + " \u00b7 weight seed " + std::to_string(st.weight_seed);
}

}  // namespace mlpviz::app
