// regions.hpp: the linear regions a piecewise-linear network carves out of the input plane.
//
// For hidden activations that are piecewise linear with one kink at z = 0 (ReLU, leaky ReLU,
// abs) or none (identity), and inputs x1, x2 only, the network's logits are a continuous
// piecewise-affine function of (x1, x2). Each point has an activation pattern: one bit per
// hidden unit with a kink, set when its pre-activation z > 0. Where the pattern is fixed, every
// layer is affine, so the set of points with one pattern is an intersection of half-planes: a
// convex polygon (Montufar et al. 2014 count these "activation regions"; seed 000). A convex
// region meets a convex box in one convex piece: a region is never split by the box.
//
// Counting on a grid (docs/regions.md): the pattern is evaluated at the centre of every cell of a
// grid over the box. `regions` is the number of distinct patterns found: each is a real region
// (no over-count), and a region is missed only when no cell centre falls in it (a region narrower
// than about a cell: the count is then a lower bound; it is exact when every region contains a
// disc of radius half a cell's diagonal). `pieces` counts the 8-connected components of equal
// pattern on the grid: it equals `regions` unless a sliver thinner than a cell was sampled at
// cells that do not touch, so pieces > regions says "refine the grid".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/data.hpp"
#include "core/evaluate.hpp"
#include "core/mlp.hpp"

namespace mlpviz::core {

inline constexpr int kMinRegionResolution = 16;
inline constexpr int kMaxRegionResolution = 4096;

// nullopt when the network's regions can be counted, else one line saying why not (the layer,
// its activation and what is allowed; or the feature that is not linear in the plane).
std::optional<std::string> regions_unsupported(const Layout& layout, std::uint32_t features);

// Number of 64-bit words of one activation pattern (at least 1).
int pattern_words(const Layout& layout);

struct RegionMap {
  GridSpec grid;                  // the cells sampled (row 0 at the top, as GridSpec)
  int regions = 0;                // distinct activation patterns found
  int pieces = 0;                 // 8-connected components of equal pattern
  std::vector<std::int32_t> id;   // per cell (row-major): index of its pattern, 0..regions-1
  std::vector<std::uint64_t> hash;  // per pattern: a hash of its bits (stable colours)
};

// The grid of `resolution` cells along the longer side of the box, square cells (the shorter
// side gets round(resolution * short/long) cells, at least 1), covering the box exactly.
GridSpec region_grid(const Box& box, int resolution);

// Activation patterns over the grid. Assumes !regions_unsupported(layout, features).
// params: the flat buffer (double for exact signs: training's floats are widened).
RegionMap map_regions(const Layout& layout, std::uint32_t features, const double* params,
                      const GridSpec& grid);

// The box `mlpviz regions` counts in by default: the tight bounding box of all points (train and
// test); [-1.5, 1.5]^2 when there are none, and each side at least 1e-6 wide.
Box points_box(const Dataset& data);

}  // namespace mlpviz::core
