// net_block.hpp: the C++ mirror of `layout(std140) uniform NetBlock` in shaders/net.glsl, and the
// #defines that size the shader from core/spec.hpp's limits.
//
// Only ivec4/vec4 members, so std140 adds no padding: the static_assert below checks the size the
// shader expects (16 bytes per row).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "core/mlp.hpp"
#include "core/spec.hpp"

namespace mlpviz::render {

inline constexpr int kMaxLayers = core::kMaxHiddenLayers + 1;  // weight layers, output included
inline constexpr int kShaderMaxWidth = core::kMaxWidth;         // also >= features and classes
static_assert(kShaderMaxWidth >= core::kNumFeatures && kShaderMaxWidth >= core::kMaxClasses);
static_assert(kMaxLayers <= 12, "NetBlock packs activations 4 per ivec4 in 3 rows");
inline constexpr int kKnockRows = core::kMaxHiddenLayers * 2 / 4;  // two 32-bit words per layer
static_assert(core::kMaxWidth <= 64 && core::kMaxHiddenLayers % 2 == 0);

struct NetBlock {
  std::array<std::array<std::int32_t, 4>, kMaxLayers> layer{};  // in, out, w_offset, b_offset
  std::array<std::array<std::int32_t, 4>, 3> act{};             // activation of layer l at [l/4][l%4]
  std::array<std::int32_t, 4> net{};   // depth L, feature mask, output kind, classes
  std::array<float, 4> alpha{};        // leaky ReLU slope, ELU alpha, 0, 0
  std::array<std::array<float, 4>, 8> palette{};  // class colours 0-5, background, line colour
  // Knocked-out hidden units (core/knock_out.hpp): word w = 2 (l - 1) + j / 32 holds unit j of
  // hidden layer l at bit j % 32; words packed 4 per uvec4 (net_common.glsl's knocked_out()).
  std::array<std::array<std::uint32_t, 4>, kKnockRows> knock{};
};
static_assert(sizeof(NetBlock) == 16 * (kMaxLayers + 3 + 1 + 1 + 8 + kKnockRows),
              "NetBlock must match the std140 layout of NetBlock in shaders/net.glsl");

inline constexpr int kPaletteBackground = 6;
inline constexpr int kPaletteLine = 7;

// Block contents for a network (hidden activations as core::Activation ids, output kind as
// core::OutputKind id) and the shared palette of core/palette.hpp.
NetBlock make_net_block(const core::Layout& layout, std::uint32_t features, int classes);

// "#define MAX_LAYERS 9\n#define MAX_WIDTH 64\n#define KNOCK_ROWS 4\n": prepended to every shader
// after #version.
std::string shader_defines();

}  // namespace mlpviz::render
