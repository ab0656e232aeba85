// Linear regions and the hidden-space map (core/regions.hpp, core/hidden_space.hpp), checked
// against independent computations: exact line-arrangement geometry (Euler's formula), the
// tent-map folding of seed 003 worked out by hand, layer_activations for single points, power
// iteration for the principal axes, and the trained classifier itself for the output's line.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "app/render_hidden.hpp"
#include "core/evaluate.hpp"
#include "core/palette.hpp"
#include "core/hidden_space.hpp"
#include "core/regions.hpp"
#include "core/rng.hpp"
#include "train/engine.hpp"

namespace mlpviz {
namespace {

using core::Activation;
using core::Box;

// ---- Exact arrangement of lines a x + b y + c = 0 clipped to a box ----------------------------
struct Line {
  double a, b, c;
};

struct Pt {
  double x, y;
};

double dist(const Pt& p, const Line& l) { return std::abs(l.a * p.x + l.b * p.y + l.c) / std::hypot(l.a, l.b); }

struct Arrangement {
  int cells = 0;            // bounded faces inside the box, from Euler's formula
  int lines_inside = 0;     // lines that cross the box's interior
  int crossings_inside = 0; // pairwise intersections strictly inside the box
  int crossings_total = 0;  // pairwise intersections anywhere (non-parallel pairs)
  double separation = 0;    // smallest distance of a vertex from a line (or box side) not through it
};

// Builds the planar graph (box corners, where lines meet the sides, crossings inside), counts its
// vertices V and edges E, and gets the faces from V - E + F = 2 (F includes the outer face).
Arrangement arrange(const std::vector<Line>& lines, const Box& box) {
  Arrangement r;
  const std::vector<Line> sides = {{1, 0, -box.x_min}, {1, 0, -box.x_max}, {0, 1, -box.y_min}, {0, 1, -box.y_max}};
  const auto inside = [&](const Pt& p, double eps) {
    return p.x > box.x_min + eps && p.x < box.x_max - eps && p.y > box.y_min + eps && p.y < box.y_max - eps;
  };
  const auto meet = [](const Line& l, const Line& m, Pt& p) {
    const double det = l.a * m.b - l.b * m.a;
    if (std::abs(det) < 1e-15) return false;
    p = {(l.b * m.c - m.b * l.c) / det, (m.a * l.c - l.a * m.c) / det};
    return true;
  };
  std::vector<Pt> vertices = {{box.x_min, box.y_min}, {box.x_min, box.y_max}, {box.x_max, box.y_min}, {box.x_max, box.y_max}};
  int boundary_points = 0, chord_edges = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    // Where line i meets the box's sides (within the side's extent).
    int on_boundary = 0;
    for (const Line& s : sides) {
      Pt p;
      if (!meet(lines[i], s, p)) continue;
      if (p.x >= box.x_min - 1e-12 && p.x <= box.x_max + 1e-12 && p.y >= box.y_min - 1e-12 && p.y <= box.y_max + 1e-12) {
        ++on_boundary;
        vertices.push_back(p);
      }
    }
    EXPECT_TRUE(on_boundary == 0 || on_boundary == 2) << "line through a corner: not in general position";
    if (on_boundary != 2) continue;
    ++r.lines_inside;
    boundary_points += 2;
    int crossings_on_line = 0;
    for (std::size_t j = 0; j < lines.size(); ++j) {
      Pt p;
      if (j == i || !meet(lines[i], lines[j], p)) continue;
      if (inside(p, 0)) ++crossings_on_line;
    }
    chord_edges += crossings_on_line + 1;  // the chord cut into pieces by its crossings
  }
  for (std::size_t i = 0; i < lines.size(); ++i)
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      Pt p;
      if (!meet(lines[i], lines[j], p)) continue;
      ++r.crossings_total;
      if (inside(p, 0)) {
        ++r.crossings_inside;
        vertices.push_back(p);
      }
    }
  const int V = 4 + boundary_points + r.crossings_inside;
  const int E = (4 + boundary_points) + chord_edges;  // the box's sides cut at the boundary points
  const int F = 2 - V + E;
  r.cells = F - 1;
  // Separation: every cell is a convex polygon whose vertices are in `vertices` and whose sides lie
  // on `lines` or the box's sides; its width is at least the smallest distance of a vertex from a
  // line not through it, and a planar convex set of width w holds a disc of radius w/3.
  r.separation = 1e300;
  std::vector<Line> all = lines;
  all.insert(all.end(), sides.begin(), sides.end());
  for (const Pt& v : vertices)
    for (const Line& l : all) {
      const double d = dist(v, l);
      if (d > 1e-9) r.separation = std::min(r.separation, d);
    }
  return r;
}

// One hidden layer whose unit u has z = a x1 + b x2 + c (the line), then one output unit.
std::vector<double> one_layer_params(const core::Layout& lay, const std::vector<Line>& lines, core::Rng& rng) {
  std::vector<double> p(lay.num_params, 0.0);
  const core::LayerLayout& l1 = lay.layers[0];
  const int n = l1.out;
  for (int u = 0; u < n; ++u) {
    p[l1.w_offset + u] = lines[u].a;      // W (n x 2), column-major: column 0 = x1 weights
    p[l1.w_offset + n + u] = lines[u].b;
    p[l1.b_offset + u] = lines[u].c;
  }
  const core::LayerLayout& l2 = lay.layers[1];
  for (int k = 0; k < l2.in; ++k) p[l2.w_offset + k] = rng.normal();
  return p;
}

constexpr Box kBox{-1.6, 1.4, -1.2, 1.5};  // not square, not centred

TEST(Regions, OneLayerEqualsTheLineArrangementInTheBox) {
  const int resolution = 600;
  const core::GridSpec grid = core::region_grid(kBox, resolution);
  const double cell_diagonal = std::hypot((kBox.x_max - kBox.x_min) / grid.width, (kBox.y_max - kBox.y_min) / grid.height);
  int checked = 0, with_outside_crossings = 0, split_by_sharp_corners = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    core::Rng rng(seed);
    const int n = 1 + static_cast<int>(seed % 7);
    const Activation act = std::array{Activation::Relu, Activation::LeakyRelu, Activation::Abs}[seed % 3];
    std::vector<Line> lines;
    for (int u = 0; u < n; ++u) lines.push_back({rng.normal(), rng.normal(), rng.normal()});
    const Arrangement ex = arrange(lines, kBox);
    // Every cell holds a disc of radius separation/3; it holds a cell centre when that radius is at
    // least half a cell's diagonal. Seeds with thinner cells prove nothing about the grid: skipped.
    if (ex.separation / 3 < cell_diagonal) continue;
    ++checked;
    if (ex.crossings_inside < ex.crossings_total) ++with_outside_crossings;
    const core::Layout lay = core::Layout::from_sizes({2, n, 1}, {act}, core::OutputKind::SigmoidBce);
    const std::vector<double> params = one_layer_params(lay, lines, rng);
    ASSERT_EQ(core::regions_unsupported(lay, core::kX1 | core::kX2), std::nullopt);
    const core::RegionMap m = core::map_regions(lay, core::kX1 | core::kX2, params.data(), grid);
    EXPECT_EQ(m.regions, ex.cells) << "seed " << seed << ", " << n << " lines, " << core::name(act);
    // Pieces (8-connected components) never fall short of the regions; they exceed them when a
    // sharp corner of a region is thinner than a cell and its cell centres there do not touch the
    // rest (seeds 13, 17 and 23 here): the reason `regions`, not `pieces`, is the count.
    EXPECT_GE(m.pieces, m.regions) << "seed " << seed;
    if (m.pieces > m.regions) ++split_by_sharp_corners;
    // Euler agrees with the closed form 1 + (lines crossing the box) + (crossings inside).
    EXPECT_EQ(ex.cells, 1 + ex.lines_inside + ex.crossings_inside);
  }
  EXPECT_GE(checked, 15);
  EXPECT_GE(with_outside_crossings, 3);  // the clipping matters in some of them
  EXPECT_LE(split_by_sharp_corners, checked / 4);
}

TEST(Regions, AllCrossingsInsideGiveOnePlusNPlusNChooseTwo) {
  const core::GridSpec grid = core::region_grid(kBox, 800);
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    core::Rng rng(100 + seed);
    const int n = 2 + static_cast<int>(seed % 5);  // 2..6 units
    // Lines through points near (0, 0.1) at well-spread angles: every crossing lies inside.
    std::vector<Line> lines;
    for (int u = 0; u < n; ++u) {
      const double angle = 3.14159265358979 * (u + 0.3 * rng.uniform()) / n;
      const double px = 0.15 * rng.uniform(-1, 1), py = 0.1 + 0.15 * rng.uniform(-1, 1);
      const double a = std::sin(angle), b = -std::cos(angle);
      lines.push_back({a, b, -(a * px + b * py)});
    }
    const Arrangement ex = arrange(lines, kBox);
    ASSERT_EQ(ex.crossings_inside, n * (n - 1) / 2) << "seed " << seed;
    ASSERT_EQ(ex.cells, 1 + n + n * (n - 1) / 2);
    const core::Layout lay = core::Layout::from_sizes({2, n, 1}, {Activation::Relu}, core::OutputKind::SigmoidBce);
    const std::vector<double> params = one_layer_params(lay, lines, rng);
    const core::RegionMap m = core::map_regions(lay, core::kX1 | core::kX2, params.data(), grid);
    EXPECT_EQ(m.regions, 1 + n + n * (n - 1) / 2) << "seed " << seed << ", n " << n;
  }
}

// Seed 003's space folding: each abs layer folds [0,1] onto itself (the tent map |2a - 1|), so k
// layers of 2 abs units (one per coordinate) cut [-1,1]^2 into (2^k)^2 squares: exponential in depth.
TEST(Regions, AbsFoldingDoublesThePiecesPerAxisWithEachLayer) {
  const Box box{-1, 1, -1, 1};
  for (int k = 1; k <= 4; ++k) {
    const std::vector<int> sizes = [&] {
      std::vector<int> s(k + 2, 2);
      s.back() = 1;
      return s;
    }();
    const core::Layout lay = core::Layout::from_sizes(sizes, std::vector<Activation>(k, Activation::Abs), core::OutputKind::SigmoidBce);
    std::vector<double> p(lay.num_params, 0.0);
    for (int l = 0; l < k; ++l) {
      const core::LayerLayout& ll = lay.layers[l];
      const double w = l == 0 ? 1.0 : 2.0, b = l == 0 ? 0.0 : -1.0;  // |x|, then |2a - 1|
      p[ll.w_offset + 0] = w;  // W(0,0)
      p[ll.w_offset + 3] = w;  // W(1,1)
      p[ll.b_offset + 0] = p[ll.b_offset + 1] = b;
    }
    // 400 cells: the kinks at multiples of 2^-k (k <= 4) fall on cell edges, never on centres.
    const core::RegionMap m = core::map_regions(lay, core::kX1 | core::kX2, p.data(), core::region_grid(box, 400));
    const int per_axis = 1 << k;
    EXPECT_EQ(m.regions, per_axis * per_axis) << k << " layers";
    EXPECT_EQ(m.pieces, m.regions);
  }
}

TEST(Regions, IdentityLayersAddNoRegionsAndDepthZeroHasOne) {
  core::Rng rng(7);
  const core::Layout lin = core::Layout::from_sizes({2, 5, 5, 1}, {Activation::Identity, Activation::Identity}, core::OutputKind::SigmoidBce);
  std::vector<double> p(lin.num_params);
  for (double& v : p) v = rng.normal();
  EXPECT_EQ(core::map_regions(lin, core::kX1 | core::kX2, p.data(), core::region_grid(kBox, 64)).regions, 1);
  const core::Layout none = core::Layout::from_sizes({2, 1}, {}, core::OutputKind::SigmoidBce);
  std::vector<double> q(none.num_params, 0.5);
  EXPECT_EQ(core::map_regions(none, core::kX1 | core::kX2, q.data(), core::region_grid(kBox, 64)).regions, 1);
}

TEST(Regions, RefusesSmoothActivationsAndNonLinearFeatures) {
  const core::Layout tanh = core::Layout::from_sizes({2, 4, 4, 1}, {Activation::Relu, Activation::Tanh}, core::OutputKind::SigmoidBce);
  const auto msg = core::regions_unsupported(tanh, core::kX1 | core::kX2);
  ASSERT_TRUE(msg);
  EXPECT_NE(msg->find("hidden layer 2"), std::string::npos) << *msg;
  EXPECT_NE(msg->find("tanh"), std::string::npos) << *msg;
  EXPECT_NE(msg->find("relu, leaky_relu, abs or identity"), std::string::npos) << *msg;
  const core::Layout relu = core::Layout::from_sizes({3, 4, 1}, {Activation::Relu}, core::OutputKind::SigmoidBce);
  const auto feat = core::regions_unsupported(relu, core::kX1 | core::kX2 | core::kX1X2);
  ASSERT_TRUE(feat);
  EXPECT_NE(feat->find("x1*x2"), std::string::npos) << *feat;
}

TEST(Regions, GridCoversTheBoxWithSquareCells) {
  const core::GridSpec g = core::region_grid(kBox, 300);
  EXPECT_EQ(g.width, 300);
  EXPECT_EQ(g.height, 270);  // 300 * 2.7 / 3.0
  EXPECT_DOUBLE_EQ(g.x_min, kBox.x_min);
  EXPECT_DOUBLE_EQ(g.y_max, kBox.y_max);
}

// ---- Hidden space ------------------------------------------------------------------------------

train::Settings small_settings(core::DataKind kind, std::vector<int> widths, Activation act, std::uint64_t seed) {
  train::Settings s = train::default_settings();
  s.data.kind = kind;
  s.data.points = 200;
  s.data.noise = kind == core::DataKind::Xor ? 0.05 : 0.05;
  s.net.widths = std::move(widths);
  s.net.activations.assign(s.net.widths.size(), act);
  s.weight_seed = seed;
  s.optimizer.learning_rate = 0.02;
  return s;
}

std::vector<double> to_double(const core::Params& p) { return {p.begin(), p.end()}; }

TEST(HiddenSpace, MappingOfAPointIsItsLayerActivations) {
  train::Engine e(small_settings(core::DataKind::Moons, {6, 5, 4}, Activation::Relu, 3));
  for (int i = 0; i < 300; ++i) e.step();
  const std::vector<double> params = to_double(e.params());
  const std::uint32_t f = e.settings().net.features;
  for (bool pca : {false, true})
    for (int layer : {1, 2, 3}) {
      core::HiddenAxes axes;
      axes.layer = layer;
      axes.pca = pca;
      axes.unit_i = 3;
      axes.unit_j = 1;
      ASSERT_EQ(core::validate(axes, e.layout()), std::nullopt);
      const Box plane{-2, 2, -1.5, 1.5};
      const core::HiddenSpaceMap m = core::map_hidden_space(e.layout(), f, params.data(), e.data(), axes, plane, 5, 7);
      ASSERT_EQ(m.points.size(), e.data().points.size());
      core::Workspace<double> ws;
      for (std::size_t k = 0; k < m.points.size(); k += 17) {
        const core::Point& q = e.data().points[k];
        core::MatX<double> a;
        core::layer_activations<double>(e.layout(), f, params.data(), &q.x1, &q.x2, 1, layer, a, ws);
        const Eigen::Vector2d want = pca ? Eigen::Vector2d(m.proj.P * (a.col(0) - m.proj.mean))
                                         : Eigen::Vector2d(a(3, 0), a(1, 0));
        EXPECT_NEAR(m.points[k](0), want(0), 1e-12);
        EXPECT_NEAR(m.points[k](1), want(1), 1e-12);
      }
      // The grid: the corner (x_min, y_min) starts the first vertical line.
      const double x0 = plane.x_min, y0 = plane.y_min;
      core::MatX<double> a;
      core::layer_activations<double>(e.layout(), f, params.data(), &x0, &y0, 1, layer, a, ws);
      const Eigen::Vector2d want = m.proj.project(a.col(0));
      EXPECT_NEAR((m.lines[0][0] - want).norm(), 0.0, 1e-12);
      EXPECT_EQ(m.lines.size(), 10u);
      EXPECT_EQ(m.lines[0].size(), 7u);
    }
}

// Through the layers: one picture per layer of 2 units or more (the 1-unit layer is skipped),
// each the layer's own map on its default axes scaled into [-1, 1]^2 by its view box; whole
// positions are those pictures, positions between two layers the straight blend of both.
TEST(HiddenSpace, ThroughTheLayersScalesEachLayerAndBlendsNeighbours) {
  train::Engine e(small_settings(core::DataKind::Moons, {6, 1, 2}, Activation::Tanh, 3));
  for (int i = 0; i < 300; ++i) e.step();
  const std::vector<double> params = to_double(e.params());
  const std::uint32_t f = e.settings().net.features;
  const Box plane{-2, 2, -1.5, 1.5};
  const core::LayerMaps lm = core::map_through_layers(e.layout(), f, params.data(), e.data(), plane, 5, 7);
  ASSERT_EQ(lm.layers, (std::vector<int>{0, 1, 3}));
  ASSERT_EQ(lm.maps.size(), 3u);
  for (std::size_t k = 0; k < lm.maps.size(); ++k) {
    const core::HiddenAxes axes = core::default_axes_of(e.layout(), lm.layers[k]);
    EXPECT_EQ(axes.pca, lm.layers[k] == 1);  // 6 units: PCA; the inputs and the last layer: their 2 units
    const core::HiddenSpaceMap raw = core::map_hidden_space(e.layout(), f, params.data(), e.data(), axes, plane, 5, 7);
    const Box v = core::hidden_view_box(raw);
    EXPECT_EQ(v.x_min, lm.boxes[k].x_min);
    const double half = 0.5 * std::max(v.x_max - v.x_min, v.y_max - v.y_min);
    double reach = 0.0;
    for (std::size_t i = 0; i < raw.points.size(); ++i) {
      const Eigen::Vector2d want((raw.points[i](0) - 0.5 * (v.x_min + v.x_max)) / half,
                                 (raw.points[i](1) - 0.5 * (v.y_min + v.y_max)) / half);
      EXPECT_NEAR((lm.maps[k].points[i] - want).norm(), 0.0, 1e-12);
      reach = std::max(reach, lm.maps[k].points[i].cwiseAbs().maxCoeff());
    }
    EXPECT_LE(reach, 1.0 + 1e-12);  // the points sit inside the square
    EXPECT_GT(reach, 0.5);          // and fill it
  }
  // The last layer has 2 units and one output: its line, moved with the scaling, still separates
  // the same points on the same sides.
  ASSERT_TRUE(lm.maps[2].boundary.has_value());
  const core::HiddenSpaceMap raw_last = core::map_hidden_space(e.layout(), f, params.data(), e.data(),
                                                               core::default_axes_of(e.layout(), 3), plane, 5, 7);
  for (std::size_t i = 0; i < raw_last.points.size(); i += 11) {
    const Eigen::Vector3d& c0 = *raw_last.boundary;
    const Eigen::Vector3d& c1 = *lm.maps[2].boundary;
    const double a = c0(0) * raw_last.points[i](0) + c0(1) * raw_last.points[i](1) + c0(2);
    const double b = c1(0) * lm.maps[2].points[i](0) + c1(1) * lm.maps[2].points[i](1) + c1(2);
    if (std::abs(a) > 1e-9) {
      EXPECT_EQ(a > 0, b > 0) << "point " << i;
    }
  }
  // Whole positions are the layers; 1.25 is a quarter of the way from layer 1 to layer 3.
  for (int k = 0; k < 3; ++k) EXPECT_EQ(core::blend_layers(lm, k).points[7], lm.maps[static_cast<std::size_t>(k)].points[7]);
  const core::HiddenSpaceMap q = core::blend_layers(lm, 1.25);
  EXPECT_NEAR((q.points[7] - (0.75 * lm.maps[1].points[7] + 0.25 * lm.maps[2].points[7])).norm(), 0.0, 1e-12);
  EXPECT_NEAR((q.lines[2][3] - (0.75 * lm.maps[1].lines[2][3] + 0.25 * lm.maps[2].lines[2][3])).norm(), 0.0, 1e-12);
  EXPECT_FALSE(q.boundary.has_value());  // a blend is not a layer: no output line
  EXPECT_EQ(core::blend_layers(lm, 99).points[7], lm.maps[2].points[7]);  // clamped
  EXPECT_EQ(core::blend_layers(lm, -1).points[7], lm.maps[0].points[7]);
}

TEST(HiddenSpace, PrincipalAxesAreOrthonormalAndOrderedByVariance) {
  train::Engine e(small_settings(core::DataKind::Circles, {8, 6}, Activation::Tanh, 5));
  for (int i = 0; i < 200; ++i) e.step();
  const std::vector<double> params = to_double(e.params());
  core::HiddenAxes axes;
  axes.layer = 1;
  axes.pca = true;
  const core::HiddenProjection p = core::make_projection(e.layout(), e.settings().net.features, params.data(), e.data(), axes);
  const Eigen::Matrix2d gram = p.P * p.P.transpose();
  EXPECT_NEAR((gram - Eigen::Matrix2d::Identity()).norm(), 0.0, 1e-10);
  EXPECT_GE(p.variance[0], p.variance[1]);
  EXPECT_GT(p.variance[1], 0.0);
  // Independently: covariance of the training points' activations, power iteration for the top
  // direction, then again with it deflated.
  std::vector<double> x1, x2;
  for (const core::Point& q : e.data().points)
    if (!q.test) {
      x1.push_back(q.x1);
      x2.push_back(q.x2);
    }
  core::MatX<double> A;
  core::Workspace<double> ws;
  core::layer_activations<double>(e.layout(), e.settings().net.features, params.data(), x1.data(), x2.data(),
                                  static_cast<int>(x1.size()), 1, A, ws);
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(A.rows());
  for (Eigen::Index c = 0; c < A.cols(); ++c) mean += A.col(c);
  mean /= static_cast<double>(A.cols());
  Eigen::MatrixXd C = Eigen::MatrixXd::Zero(A.rows(), A.rows());
  for (Eigen::Index c = 0; c < A.cols(); ++c) C += (A.col(c) - mean) * (A.col(c) - mean).transpose();
  C /= static_cast<double>(A.cols());
  EXPECT_NEAR((mean - p.mean).norm(), 0.0, 1e-12);
  for (int r = 0; r < 2; ++r) {
    Eigen::VectorXd v = Eigen::VectorXd::Ones(A.rows());
    for (int it = 0; it < 5000; ++it) v = (C * v).normalized();
    const double lambda = v.dot(C * v);
    EXPECT_NEAR(lambda, p.variance[r], 1e-9) << "axis " << r;
    EXPECT_NEAR(std::abs(v.dot(p.P.row(r).transpose())), 1.0, 1e-6) << "axis " << r;
    C -= lambda * v * v.transpose();
    // Sign convention: the entry of largest magnitude is positive.
    Eigen::Index k = 0;
    p.P.row(r).cwiseAbs().maxCoeff(&k);
    EXPECT_GT(p.P(r, k), 0.0);
  }
}

// A last hidden layer of 2 units: the output's line in that space separates the mapped points as the
// classifier does; after training to 100% on XOR and on circles it separates the classes.
TEST(HiddenSpace, OutputLineSeparatesTheTwoUnitLastLayer) {
  struct Case {
    core::DataKind kind;
    std::vector<int> widths;
    Activation act;
    std::uint64_t seed;
  };
  for (const Case& c : {Case{core::DataKind::Xor, {8, 2}, Activation::Tanh, 1},
                        Case{core::DataKind::Circles, {8, 2}, Activation::Tanh, 1},
                        Case{core::DataKind::Circles, {8, 8, 2}, Activation::Relu, 2}}) {
    train::Engine e(small_settings(c.kind, c.widths, c.act, c.seed));
    for (int i = 0; i < 3000; ++i) e.step();
    e.update_metrics();
    ASSERT_EQ(e.metrics().train_accuracy, 1.0) << core::name(c.kind) << " did not reach 100%";
    const std::vector<double> params = to_double(e.params());
    const std::uint32_t f = e.settings().net.features;
    for (bool pca : {false, true}) {
      core::HiddenAxes axes;
      axes.layer = static_cast<int>(c.widths.size());
      axes.pca = pca;
      axes.unit_i = 1;  // swapped axes: the line must follow
      axes.unit_j = 0;
      const core::HiddenSpaceMap m = core::map_hidden_space(e.layout(), f, params.data(), e.data(), axes, core::data_bounds(&e.data()));
      ASSERT_TRUE(m.boundary);
      // The classifier's own predictions, from the full forward pass in double.
      std::vector<double> x1, x2;
      for (const core::Point& q : e.data().points) {
        x1.push_back(q.x1);
        x2.push_back(q.x2);
      }
      core::MatX<double> out;
      core::Workspace<double> ws;
      core::layer_activations<double>(e.layout(), f, params.data(), x1.data(), x2.data(), static_cast<int>(x1.size()),
                                      e.layout().depth(), out, ws);
      std::vector<int> predicted;
      core::predict_classes<double>(out, predicted);
      int train_wrong = 0;
      for (std::size_t k = 0; k < m.points.size(); ++k) {
        const Eigen::Vector3d& l = *m.boundary;
        const double side = l(0) * m.points[k](0) + l(1) * m.points[k](1) + l(2);
        if (std::abs(side) < 1e-9) continue;  // on the line: either answer
        EXPECT_EQ(side > 0 ? 1 : 0, predicted[k]) << "point " << k;
        EXPECT_EQ(core::output_class_at(e.layout(), params.data(), m.proj, m.points[k]), predicted[k]);
        if (!e.data().points[k].test && (side > 0 ? 1 : 0) != e.data().points[k].label) ++train_wrong;
      }
      EXPECT_EQ(train_wrong, 0) << core::name(c.kind) << ": the classes are linearly separable there";
    }
  }
}

TEST(HiddenSpace, ValidateNamesTheFieldAndRange) {
  const core::Layout lay = core::Layout::from_sizes({2, 4, 1, 1}, {Activation::Relu, Activation::Relu}, core::OutputKind::SigmoidBce);
  core::HiddenAxes a;
  a.layer = 3;
  EXPECT_NE(core::validate(a, lay)->find("layer = 3 is out of range: allowed 0 (the inputs) to 2"), std::string::npos);
  a.layer = 2;
  EXPECT_NE(core::validate(a, lay)->find("at least 2 units"), std::string::npos);
  a.layer = 1;
  a.unit_i = 4;
  EXPECT_NE(core::validate(a, lay)->find("unit = 4 is out of range: allowed 0 to 3"), std::string::npos);
  a.unit_i = 1;
  a.unit_j = 1;
  EXPECT_NE(core::validate(a, lay)->find("must be different"), std::string::npos);
  a.unit_j = 2;
  EXPECT_EQ(core::validate(a, lay), std::nullopt);
}

}  // namespace
}  // namespace mlpviz

namespace mlpviz {
namespace {

// The PNG of `mlpviz hidden`: the class tint of the background agrees with the output's line, and
// the last training point is drawn in its class colour where the map puts it.
TEST(HiddenSpacePng, BackgroundSidesMatchTheLineAndPointsSitWhereMapped) {
  train::Settings s = train::default_settings();
  s.data.kind = core::DataKind::Circles;
  s.data.points = 200;
  s.data.noise = 0.05;
  s.net.widths = {8, 2};
  s.net.activations = {Activation::Tanh, Activation::Tanh};
  train::Engine e(s);
  for (int i = 0; i < 1500; ++i) e.step();
  const std::vector<double> params(e.params().begin(), e.params().end());
  core::HiddenAxes axes;
  axes.layer = 2;
  const core::HiddenSpaceMap m = core::map_hidden_space(e.layout(), s.net.features, params.data(), e.data(), axes,
                                                        core::data_bounds(&e.data()));
  ASSERT_TRUE(m.boundary);
  const int size = 200;
  const std::vector<unsigned char> rgb = app::render_hidden_space(m, e.layout(), params.data(), e.data(), size);
  ASSERT_EQ(rgb.size(), static_cast<std::size_t>(size) * size * 3);
  const core::Box v = core::hidden_view_box(m);
  const auto byte = [](float c) { return static_cast<unsigned char>(std::lround(std::clamp(c, 0.0f, 1.0f) * 255.0f)); };
  int tinted[2] = {0, 0};
  const Eigen::Vector3d& L = *m.boundary;
  const double px_size = (v.x_max - v.x_min) / size;
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      const unsigned char* p = &rgb[(static_cast<std::size_t>(y) * size + x) * 3];
      for (int k = 0; k < 2; ++k) {
        const core::Rgb t = core::mix(core::kBackground, core::kClassColors[k], 0.22f);
        if (p[0] != byte(t.r) || p[1] != byte(t.g) || p[2] != byte(t.b)) continue;
        const double hx = v.x_min + (x + 0.5) * px_size, hy = v.y_max - (y + 0.5) * px_size;
        const double side = (L(0) * hx + L(1) * hy + L(2)) / std::hypot(L(0), L(1));
        if (std::abs(side) < 2 * px_size) continue;
        EXPECT_EQ(side > 0 ? 1 : 0, k) << "pixel " << x << "," << y;
        ++tinted[k];
      }
    }
  EXPECT_GT(tinted[0], 500);
  EXPECT_GT(tinted[1], 500);
  int last = -1;
  for (int i = 0; i < static_cast<int>(e.data().points.size()); ++i)
    if (!e.data().points[i].test) last = i;
  ASSERT_GE(last, 0);
  const int x = static_cast<int>((m.points[last](0) - v.x_min) / px_size), y = static_cast<int>((v.y_max - m.points[last](1)) / px_size);
  const core::Rgb c = core::kClassColors[e.data().points[last].label];
  const unsigned char* p = &rgb[(static_cast<std::size_t>(y) * size + x) * 3];
  EXPECT_EQ(p[0], byte(c.r));
  EXPECT_EQ(p[1], byte(c.g));
  EXPECT_EQ(p[2], byte(c.b));
}

}  // namespace
}  // namespace mlpviz
