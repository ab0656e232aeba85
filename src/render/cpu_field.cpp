#include "render/cpu_field.hpp"

#include <algorithm>
#include <cmath>

#include "core/palette.hpp"

namespace mlpviz::render {
namespace {

constexpr core::Rgb kInk = {0.08f, 0.08f, 0.10f};

std::uint8_t to_byte(float v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); }

// Pixels (row 0 at the top) where `key` differs from the right or lower neighbour, grown to
// lines line_px pixels wide.
void mark_edges(const std::vector<int>& key, int w, int h, int line_px, std::vector<std::uint8_t>& edge) {
  edge.assign(key.size(), 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const int i = y * w + x;
      if ((x + 1 < w && key[i + 1] != key[i]) || (y + 1 < h && key[i + w] != key[i])) edge[i] = 1;
    }
  if (line_px <= 1) return;
  // Grow each 1-pixel line by (line_px - 1) pixels, centred: a box dilation.
  const int lo = (line_px - 1) / 2, hi = line_px - 1 - lo;
  std::vector<std::uint8_t> rows(edge.size(), 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (edge[y * w + x])
        for (int xx = std::max(0, x - lo); xx <= std::min(w - 1, x + hi); ++xx) rows[y * w + xx] = 1;
  std::fill(edge.begin(), edge.end(), 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (rows[y * w + x])
        for (int yy = std::max(0, y - lo); yy <= std::min(h - 1, y + hi); ++yy) edge[yy * w + x] = 1;
}

// Colours and line keys to RGBA8: lines where a key differs from the right or lower neighbour.
void compose(const std::vector<core::Rgb>& col, const std::vector<int>& main_key, const std::vector<int>& level_key,
             int W, int H, std::uint8_t* dst, std::size_t dst_stride, int line_px) {
  std::vector<std::uint8_t> edge, level_edge;
  mark_edges(main_key, W, H, line_px, edge);
  mark_edges(level_key, W, H, line_px, level_edge);
  for (int y = 0; y < H; ++y) {
    std::uint8_t* row = dst + static_cast<std::size_t>(H - 1 - y) * dst_stride;  // bottom row first
    for (int x = 0; x < W; ++x) {
      const int i = y * W + x;
      core::Rgb c = col[i];
      if (level_edge[i]) c = core::mix(c, kInk, 0.25f);
      if (edge[i]) c = core::mix(c, kInk, 0.85f);
      row[4 * x] = to_byte(c.r);
      row[4 * x + 1] = to_byte(c.g);
      row[4 * x + 2] = to_byte(c.b);
      row[4 * x + 3] = 255;
    }
  }
}

}  // namespace

void unit_rgba(const float* a, std::size_t stride, int W, int H, core::Activation act, bool output,
               bool multiclass, int unit, float level_step, std::uint8_t* dst, std::size_t dst_stride,
               int line_px) {
  const int N = W * H;
  std::vector<core::Rgb> col(static_cast<std::size_t>(N));
  std::vector<int> main_key(static_cast<std::size_t>(N)), level_key(static_cast<std::size_t>(N));
  const float neutral = act == core::Activation::Sigmoid ? 0.5f : 0.0f;
  const float step = std::max(level_step, 1e-3f);
  for (int i = 0; i < N; ++i) {
    const float v_a = a[static_cast<std::size_t>(i) * stride];
    const float v = act == core::Activation::Sigmoid ? 2 * v_a - 1
                                                      : (act == core::Activation::Tanh ? v_a : std::tanh(v_a));
    if (output && multiclass)
      col[i] = core::mix(core::kBackground, core::kClassColors[unit % 6], 0.8f * std::clamp(v_a, 0.0f, 1.0f));
    else
      col[i] = core::binary_field(output ? v_a : 0.5f + 0.5f * v);
    main_key[i] = output ? 0 : (v_a > neutral ? 1 : 0);
    level_key[i] = static_cast<int>(std::floor(v_a / step));
  }
  compose(col, main_key, level_key, W, H, dst, dst_stride, line_px);
}

void cpu_field_rgba(const core::Layout& layout, std::uint32_t features, const float* params,
                    const core::GridSpec& grid, int layer, int unit, float level_step,
                    bool output_levels, std::vector<std::uint8_t>& rgba, core::Workspace<float>& ws,
                    int line_px) {
  const int W = grid.width, H = grid.height, N = W * H;
  const int L = layout.depth();
  rgba.resize(static_cast<std::size_t>(N) * 4);
  const std::size_t stride = static_cast<std::size_t>(W) * 4;
  if (layer >= 0) {
    layer = std::clamp(layer, 0, L);
    std::vector<double> x1(static_cast<std::size_t>(N)), x2(static_cast<std::size_t>(N));
    for (int i = 0; i < N; ++i) {
      x1[i] = grid.x_at(i % W);
      x2[i] = grid.y_at(i / W);
    }
    core::MatX<float> A;
    core::layer_activations<float>(layout, features, params, x1.data(), x2.data(), N, layer, A, ws);
    unit = std::clamp(unit, 0, static_cast<int>(A.rows()) - 1);
    const core::Activation act = layer == 0 ? core::Activation::Identity : layout.layers[layer - 1].act;
    unit_rgba(A.data() + unit, static_cast<std::size_t>(A.rows()), W, H, act, layer == L,
              layout.sizes.back() > 1, unit, level_step, rgba.data(), stride, line_px);
    return;
  }
  const int K = layout.sizes.back();
  std::vector<float> out;
  core::evaluate_grid<float>(layout, features, params, grid, out, ws);
  const int classes = std::max(2, K);
  std::vector<core::Rgb> col(static_cast<std::size_t>(N));
  std::vector<int> main_key(static_cast<std::size_t>(N)), level_key(static_cast<std::size_t>(N));
  for (int i = 0; i < N; ++i) {
    float level = 0.0f;
    if (K == 1) {
      const float p = out[static_cast<std::size_t>(i)];
      main_key[i] = p > 0.5f;
      col[i] = core::binary_field(p);
      level = p;
    } else {
      const float* o = &out[static_cast<std::size_t>(i) * K];
      int k = 0;
      float sum = 0;
      for (int j = 0; j < K; ++j) {
        if (o[j] > o[k]) k = j;
        sum += std::max(o[j], 0.0f);
      }
      main_key[i] = k;
      level = sum > 0 ? o[k] / sum : 1.0f;
      col[i] = core::multiclass_field(k, level, classes);
    }
    level_key[i] = output_levels ? static_cast<int>(std::floor(level * 10.0f)) : 0;
  }
  compose(col, main_key, level_key, W, H, rgba.data(), stride, line_px);
}

float unit_level_step(const core::Layout& layout, int layer) {
  const int L = layout.depth();
  if (layer <= 0) return 0.5f;
  if (layer >= L) return 0.1f;
  switch (layout.layers[static_cast<std::size_t>(layer - 1)].act) {
    case core::Activation::Sigmoid: return 0.1f;
    case core::Activation::Tanh: return 0.2f;
    default: return 0.5f;
  }
}

}  // namespace mlpviz::render
