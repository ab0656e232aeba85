#include "render/net_block.hpp"

#include <algorithm>

#include "core/palette.hpp"

namespace mlpviz::render {

NetBlock make_net_block(const core::Layout& layout, std::uint32_t features, int classes) {
  NetBlock b;
  const int L = std::min(layout.depth(), kMaxLayers);
  for (int l = 0; l < L; ++l) {
    const core::LayerLayout& ll = layout.layers[static_cast<std::size_t>(l)];
    b.layer[static_cast<std::size_t>(l)] = {ll.in, ll.out, ll.w_offset, ll.b_offset};
    b.act[static_cast<std::size_t>(l / 4)][static_cast<std::size_t>(l % 4)] = static_cast<std::int32_t>(ll.act);
  }
  b.net = {L, static_cast<std::int32_t>(features), static_cast<std::int32_t>(layout.output), classes};
  b.alpha = {static_cast<float>(layout.leaky_alpha), static_cast<float>(layout.elu_alpha), 0.0f, 0.0f};
  for (int l = 1; l <= L - 1 && l <= core::kMaxHiddenLayers; ++l)
    for (int j = 0; j < layout.sizes[static_cast<std::size_t>(l)]; ++j)
      if (layout.knocked(l, j)) {
        const int w = 2 * (l - 1) + j / 32;
        b.knock[static_cast<std::size_t>(w / 4)][static_cast<std::size_t>(w % 4)] |= std::uint32_t{1} << (j % 32);
      }
  for (std::size_t k = 0; k < core::kClassColors.size(); ++k) {
    const core::Rgb c = core::kClassColors[k];
    b.palette[k] = {c.r, c.g, c.b, 1.0f};
  }
  const core::Rgb bg = core::kBackground;
  b.palette[kPaletteBackground] = {bg.r, bg.g, bg.b, 1.0f};
  b.palette[kPaletteLine] = {0.08f, 0.08f, 0.10f, 1.0f};
  return b;
}

std::string shader_defines() {
  return "#define MAX_LAYERS " + std::to_string(kMaxLayers) + "\n#define MAX_WIDTH " +
         std::to_string(kShaderMaxWidth) + "\n#define KNOCK_ROWS " + std::to_string(kKnockRows) + "\n";
}

}  // namespace mlpviz::render
