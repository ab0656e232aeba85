#include "core/regions.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mlpviz::core {

namespace {

// One kink at z = 0 (a pattern bit) or none (identity); anything else is not piecewise linear.
bool has_kink(Activation a) {
  return a == Activation::Relu || a == Activation::LeakyRelu || a == Activation::Abs;
}
bool piecewise_linear(Activation a) { return has_kink(a) || a == Activation::Identity; }

int kinked_units(const Layout& layout) {
  int n = 0;
  for (int l = 0; l + 1 < layout.depth(); ++l)
    if (has_kink(layout.layers[l].act)) n += layout.layers[l].out;
  return n;
}

// Union-find over cells, with path halving.
int find_root(std::vector<std::int32_t>& parent, int i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

std::uint64_t mix64(std::uint64_t x) {  // splitmix64's finalizer
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::optional<std::string> regions_unsupported(const Layout& layout, std::uint32_t features) {
  if ((features & ~(kX1 | kX2)) != 0)
    for (int bit = 0; bit < kNumFeatures; ++bit)
      if ((features >> bit) & 1u && (1u << bit) != kX1 && (1u << bit) != kX2)
        return "feature " + std::string(feature_name(bit)) +
               " is not linear in the plane: linear regions need the inputs x1, x2 only";
  for (int l = 0; l + 1 < layout.depth(); ++l)
    if (!piecewise_linear(layout.layers[l].act))
      return "hidden layer " + std::to_string(l + 1) + "'s activation " +
             std::string(name(layout.layers[l].act)) +
             " is not piecewise linear: linear regions need relu, leaky_relu, abs or identity";
  return std::nullopt;
}

int pattern_words(const Layout& layout) { return std::max(1, (kinked_units(layout) + 63) / 64); }

GridSpec region_grid(const Box& box, int resolution) {
  GridSpec g;
  g.x_min = box.x_min;
  g.x_max = box.x_max;
  g.y_min = box.y_min;
  g.y_max = box.y_max;
  const double w = box.x_max - box.x_min, h = box.y_max - box.y_min;
  const int shorter = std::max(1, static_cast<int>(std::lround(resolution * std::min(w, h) / std::max(w, h))));
  g.width = w >= h ? resolution : shorter;
  g.height = w >= h ? shorter : resolution;
  return g;
}

Box points_box(const Dataset& data) {
  if (data.points.empty()) return {-1.5, 1.5, -1.5, 1.5};
  Box b{data.points[0].x1, data.points[0].x1, data.points[0].x2, data.points[0].x2};
  for (const Point& p : data.points) {
    b.x_min = std::min(b.x_min, p.x1);
    b.x_max = std::max(b.x_max, p.x1);
    b.y_min = std::min(b.y_min, p.x2);
    b.y_max = std::max(b.y_max, p.x2);
  }
  constexpr double kMinSide = 1e-6;
  if (b.x_max - b.x_min < kMinSide) { b.x_min -= kMinSide / 2; b.x_max += kMinSide / 2; }
  if (b.y_max - b.y_min < kMinSide) { b.y_min -= kMinSide / 2; b.y_max += kMinSide / 2; }
  return b;
}

RegionMap map_regions(const Layout& layout, std::uint32_t features, const double* params,
                      const GridSpec& grid) {
  RegionMap m;
  m.grid = grid;
  const int W = grid.width, H = grid.height, total = W * H;
  const int words = pattern_words(layout);
  // bits: one pattern of `words` words per cell, bit k = (z > 0) of the k-th kinked unit,
  // counting layer by layer, unit by unit.
  std::vector<std::uint64_t> bits(static_cast<std::size_t>(total) * words, 0);
  Workspace<double> ws;
  MatX<double> X;
  constexpr int kChunk = 4096;
  std::vector<double> x1(kChunk), x2(kChunk);
  for (int start = 0; start < total; start += kChunk) {
    const int n = std::min(kChunk, total - start);
    for (int i = 0; i < n; ++i) {
      x1[i] = grid.x_at((start + i) % W);
      x2[i] = grid.y_at((start + i) / W);
    }
    build_features<double>(features, x1.data(), x2.data(), n, X);
    forward<double>(layout, params, X, ws);
    int k = 0;
    for (int l = 1; l < layout.depth(); ++l) {
      if (!has_kink(layout.layers[l - 1].act)) continue;
      const MatX<double>& Z = ws.Z[l];
      for (int u = 0; u < Z.rows(); ++u, ++k) {
        if (layout.knocked(l, u)) continue;  // held at 0: its kink splits nothing (bit stays 0)
        for (int i = 0; i < n; ++i)
          if (Z(u, i) > 0.0) bits[static_cast<std::size_t>(start + i) * words + k / 64] |= 1ULL << (k % 64);
      }
    }
  }
  const auto same = [&](int a, int b) {
    return std::equal(bits.begin() + static_cast<std::ptrdiff_t>(a) * words,
                      bits.begin() + static_cast<std::ptrdiff_t>(a + 1) * words,
                      bits.begin() + static_cast<std::ptrdiff_t>(b) * words);
  };
  // Components: union each cell with its equal right, lower, lower-left and lower-right neighbours.
  std::vector<std::int32_t> parent(total);
  std::iota(parent.begin(), parent.end(), 0);
  const auto unite = [&](int a, int b) {
    a = find_root(parent, a);
    b = find_root(parent, b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  };
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      const int i = y * W + x;
      if (x + 1 < W && same(i, i + 1)) unite(i, i + 1);
      if (y + 1 < H) {
        if (same(i, i + W)) unite(i, i + W);
        if (x + 1 < W && same(i, i + W + 1)) unite(i, i + W + 1);
        if (x > 0 && same(i, i + W - 1)) unite(i, i + W - 1);
      }
    }
  // Distinct patterns, in a canonical order (sorted by their bits): each root's pattern.
  std::vector<std::int32_t> roots;
  for (int i = 0; i < total; ++i)
    if (find_root(parent, i) == i) roots.push_back(i);
  m.pieces = static_cast<int>(roots.size());
  const auto less = [&](int a, int b) {
    return std::lexicographical_compare(bits.begin() + static_cast<std::ptrdiff_t>(a) * words,
                                        bits.begin() + static_cast<std::ptrdiff_t>(a + 1) * words,
                                        bits.begin() + static_cast<std::ptrdiff_t>(b) * words,
                                        bits.begin() + static_cast<std::ptrdiff_t>(b + 1) * words);
  };
  std::vector<std::int32_t> reps = roots;
  std::sort(reps.begin(), reps.end(), less);
  reps.erase(std::unique(reps.begin(), reps.end(), [&](int a, int b) { return same(a, b); }), reps.end());
  m.regions = static_cast<int>(reps.size());
  for (int r : reps) {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (int w = 0; w < words; ++w) h = mix64(h ^ bits[static_cast<std::size_t>(r) * words + w]);
    m.hash.push_back(h);
  }
  // Each root's pattern index, then every cell's.
  std::vector<std::int32_t> root_id(total, -1);
  for (int r : roots)
    root_id[r] = static_cast<std::int32_t>(std::lower_bound(reps.begin(), reps.end(), r, less) - reps.begin());
  m.id.resize(total);
  for (int i = 0; i < total; ++i) m.id[i] = root_id[find_root(parent, i)];
  return m;
}

}  // namespace mlpviz::core
