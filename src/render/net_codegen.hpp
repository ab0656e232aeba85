// net_codegen.hpp: GLSL written for one network shape.
//
// The generic shader (shaders/net_generic.glsl) loops over sizes read from a uniform block and
// fetches every weight from a texture buffer; software rasterizers (Mesa llvmpipe) run that
// several times slower than straight-line code. For networks up to kSpecializeMaxMacs
// multiply-adds, render/ instead compiles a forward pass generated here: every size, activation
// and offset a constant, every multiply-add written out, activations in scalar variables, and the
// weights in a uniform block read at constant indices. It is recompiled only when the shape
// changes (new weights are a buffer upload).
#pragma once

#include <cstdint>
#include <string>

#include "core/mlp.hpp"

namespace mlpviz::render {

inline constexpr int kSpecializeMaxMacs = 1536;
inline constexpr int kSpecializeMaxParams = 4096;  // 16 KB: the uniform block size GL 3.3 guarantees

bool can_specialize(const core::Layout& layout);

// The macros NET_L / NET_K / NET_OUTPUT for net_common.glsl, as constants of this shape.
std::string specialized_macros(const core::Layout& layout);
// The forward pass (net_logits, net_unit) and `uniform ParamBlock { vec4 u_p[...]; }`.
std::string specialized_forward(const core::Layout& layout, std::uint32_t features);
// What identifies a shape: equal keys give identical generated code.
std::string shape_key(const core::Layout& layout, std::uint32_t features);

// The generic variant's macros (uniform reads).
std::string generic_macros();

}  // namespace mlpviz::render
