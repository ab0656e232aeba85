// hidden_space.hpp: what a hidden layer does to the plane (the ConvNetJS view; seed 003).
//
// Pick a layer l (0 = the input features, 1..L-1 the hidden layers) and two axes of its
// activation space A[l] (n_l dimensions): two of its units (i, j), or its first two principal
// components. Then every point x of the plane maps to y = P (a(x) - m), a 2D point, where a(x) is
// `layer_activations` of x, P (2 x n_l) holds the axes as orthonormal rows and m is the mean
// (zero for units). The training points and the image of a regular grid of the plane, drawn in
// that space, show the warping; for a last hidden layer of 2 units the space is the whole layer,
// and the output's decision boundary is a line there (the classes end up linearly separable).
//
// PCA: the covariance (1/N) sum (a - m)(a - m)^T of the layer's activations over the training
// points (all points when there are no training points), its eigenvectors ordered by eigenvalue,
// largest first. Sign convention: each axis's entry of largest magnitude is positive (the first
// such entry on ties), so the picture does not flip between runs.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/data.hpp"
#include "core/mlp.hpp"

namespace mlpviz::core {

struct HiddenAxes {
  int layer = 1;       // 0 = input features, 1..L-1 = hidden layers
  bool pca = false;    // the first two principal components instead of two units
  int unit_i = 0;      // horizontal axis (units mode)
  int unit_j = 1;      // vertical axis (units mode)
  bool operator==(const HiddenAxes&) const = default;
};

// nullopt when valid for this network, else one line naming the field, the value and the range.
std::optional<std::string> validate(const HiddenAxes& axes, const Layout& layout);

struct HiddenProjection {
  int layer = 1;
  Eigen::VectorXd mean;                        // m (n_l), zero in units mode
  Eigen::Matrix<double, 2, Eigen::Dynamic> P;  // orthonormal rows: the two axes
  double variance[2] = {0.0, 0.0};             // variance of the training points along each axis
  Eigen::Vector2d project(const Eigen::VectorXd& a) const { return P * (a - mean); }
};

// The projection for `axes` (PCA computed from the dataset's activations). Assumes validate().
HiddenProjection make_projection(const Layout& layout, std::uint32_t features, const double* params,
                                 const Dataset& data, const HiddenAxes& axes);

struct HiddenSpaceMap {
  HiddenProjection proj;
  std::vector<Eigen::Vector2d> points;              // data.points, in order
  std::vector<std::vector<Eigen::Vector2d>> lines;  // grid lines' images: x1 = const first
  int vertical_lines = 0;                           // how many of `lines` are x1 = const
  // When the layer is the last hidden layer, has 2 units and the output picks between 2 classes
  // (one output unit, or two): the output's boundary c0 y0 + c1 y1 + c2 = 0, positive on class 1.
  std::optional<Eigen::Vector3d> boundary;
};

// Maps the dataset's points and a grid of `grid_lines` x `grid_lines` lines over `plane`, each
// sampled at `samples` points, into the space of `axes`. Assumes validate().
HiddenSpaceMap map_hidden_space(const Layout& layout, std::uint32_t features, const double* params,
                                const Dataset& data, const HiddenAxes& axes, const Box& plane,
                                int grid_lines = 17, int samples = 96);

// The square window of the hidden space a picture shows (equal units on both axes): the points
// with a margin (a grid's far corners may map far away: it is clipped); the grid without points.
Box hidden_view_box(const HiddenSpaceMap& m);

// True when the layer is the last hidden layer and the projection spans all of it (2 units):
// then output_class_at can classify any point of the hidden space.
bool covers_last_hidden_layer(const Layout& layout, const HiddenProjection& proj);
// The class the output layer gives a point y of the hidden space (covers_last_hidden_layer).
int output_class_at(const Layout& layout, const double* params, const HiddenProjection& proj,
                    const Eigen::Vector2d& y);

// Through the layers (Colah's "Neural Networks, Manifolds, and Topology"; the folding of seed
// 003): the same points and grid in every layer that has at least 2 units, from the input
// features up, each on its default axes (its two units when it has exactly 2, else its first two
// principal components), and pictures in between. Each layer's map is first scaled into the square
// [-1, 1]^2 by its view box (hidden_view_box: centre to 0, the longer side to 2), so layers of
// different scales share one picture; a position f between layers k and k + 1 is then the
// straight blend (1 - t) y_k + t y_{k+1} of every point's two pictures, t = f - k. The blend is a
// picture of motion between two pictures, not a layer of the network: only whole positions are
// layers. The output's line is kept only at a whole position.
struct LayerMaps {
  std::vector<int> layers;            // the layers drawn, ascending (0 = the input features)
  std::vector<HiddenSpaceMap> maps;   // each scaled into [-1, 1]^2
  std::vector<Box> boxes;             // each map's view box before scaling
};
LayerMaps map_through_layers(const Layout& layout, std::uint32_t features, const double* params,
                             const Dataset& data, const Box& plane, int grid_lines = 17, int samples = 96);
// The picture at position f in [0, maps.size() - 1] (clamped); needs at least one map.
HiddenSpaceMap blend_layers(const LayerMaps& m, double f);
// The default axes of layer l: its two units when it has exactly 2, else PCA.
HiddenAxes default_axes_of(const Layout& layout, int layer);

}  // namespace mlpviz::core
