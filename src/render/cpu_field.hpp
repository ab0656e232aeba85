// cpu_field.hpp: the field and unit images computed on the CPU (core::evaluate_grid), the fallback
// when the shader path is unavailable (compile failure, a parameter buffer beyond the GPU's limit,
// or MLPVIZ_FIELD=cpu). Same palette and the same meaning as shaders/field.frag, with lines found
// between neighbouring pixels instead of by screen-space derivatives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/data.hpp"
#include "core/evaluate.hpp"
#include "core/mlp.hpp"

namespace mlpviz::render {

// RGBA8 pixels of `grid`, rows from the bottom (GL upload order). layer < 0: the output field;
// otherwise unit `unit` of layer `layer` (0 = features, L = outputs) as in field.frag's mode 1.
// Lines are line_px pixels wide (figures drawn at 2x or 4x keep their proportions).
void cpu_field_rgba(const core::Layout& layout, std::uint32_t features, const float* params,
                    const core::GridSpec& grid, int layer, int unit, float level_step,
                    bool output_levels, std::vector<std::uint8_t>& rgba, core::Workspace<float>& ws,
                    int line_px = 1);

// Spacing of a unit's level curves in its activation's units (layer 0: features; L: outputs),
// the same in the window's thumbnails, its view and exported figures.
float unit_level_step(const core::Layout& layout, int layer);

// Colours of one unit's activations a[i * stride], i over a W x H grid (row 0 at the top), into a
// W x H RGBA8 image at dst (bottom row first, rows dst_stride bytes apart): the thumbnail look of
// field.frag's mode 1 (act: the unit's activation; output: an output unit, multiclass: of several).
void unit_rgba(const float* a, std::size_t stride, int W, int H, core::Activation act, bool output,
               bool multiclass, int unit, float level_step, std::uint8_t* dst, std::size_t dst_stride,
               int line_px = 1);

}  // namespace mlpviz::render
