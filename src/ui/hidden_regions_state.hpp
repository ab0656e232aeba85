// hidden_regions_state.hpp: what the linear-regions overlay and the hidden-space window remember
// between frames (members of UiState): their switches, and their last result with the key it was
// computed for, so each is recomputed only for new parameters or a new view, at a bounded rate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/hidden_space.hpp"
#include "core/regions.hpp"

namespace mlpviz::ui {

// Which parameters and which rectangle a cached result belongs to.
struct GeometryKey {
  std::uint64_t version = ~0ull;  // snapshot version (or the replayed step's, see the .cpp)
  std::int64_t step = -1;
  bool replaying = false;
  core::Box rect{0, 0, 0, 0};
  int width = 0, height = 0;
  bool operator==(const GeometryKey& o) const {
    return version == o.version && step == o.step && replaying == o.replaying && rect.x_min == o.rect.x_min &&
           rect.x_max == o.rect.x_max && rect.y_min == o.rect.y_min && rect.y_max == o.rect.y_max &&
           width == o.width && height == o.height;
  }
};

// The boundary view's "Regions" overlay (ui/regions_overlay.cpp).
struct RegionsOverlayState {
  bool show = false;
  GeometryKey key;
  double computed_at = -1e9;      // FrameInfo::time_s of the last computation
  double compute_s = 0.0;         // how long it took (sets the pace of the next)
  core::RegionMap map;
  std::string unsupported;        // why this network has no linear regions ("" when it has)
  std::vector<double> params;     // scratch: the shown parameters widened to double
  // The count over training: regions in the data's box (a fixed grid, so zooming does not move
  // it), logged at each computation on live parameters; cleared for a new run.
  std::vector<double> hist_step, hist_count;
  std::uint64_t hist_generation = ~0ull;
  int hist_side = 0;              // cells along the box's longer side (bounded by the network's cost)
};

// The "Hidden space" window (ui/hidden_space_panel.cpp).
struct HiddenSpaceState {
  bool open = false;
  bool chosen = false;            // false: the last hidden layer, PCA when wider than 2
  core::HiddenAxes axes;
  GeometryKey key;
  core::HiddenAxes key_axes;
  double computed_at = -1e9;
  double compute_s = 0.0;
  core::HiddenSpaceMap map;
  std::vector<double> params;
  // "Through the layers": every layer's picture (core::map_through_layers) and the position
  // shown between them (0 = the inputs); Play moves it back and forth.
  bool through = false;
  double position = 0.0;
  bool playing = false;
  int direction = 1;
  core::LayerMaps layers;
};

}  // namespace mlpviz::ui
