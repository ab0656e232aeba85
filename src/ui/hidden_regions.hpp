// hidden_regions.hpp: the linear-regions overlay of the boundary view (regions_overlay.cpp) and
// the hidden-space window (hidden_space_panel.cpp). Both compute on the UI thread from the
// parameters shown, at a grid size bounded by the network's cost and at most ~10 times a second
// while training, so a frame stays cheap; state in UiState (hidden_regions_state.hpp).
#pragma once

#include <imgui.h>

#include <string_view>

#include "ui/state.hpp"

namespace mlpviz::ui {

// Draws the regions (one flat colour per activation pattern) over the plot p0..p1 showing `r`,
// and their count in the view; or why this network has none.
void draw_regions_overlay(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const PlaneRect& r, UiState& st,
                          const FrameInfo& fi);

// The floating "Hidden space" window, while st.hidden_space.open.
void draw_hidden_space_window(UiState& st, const FrameInfo& fi);

// `--show NAME` of the window: "regions" (the overlay) or "hidden" (the window). False: unknown.
bool show_view(UiState& st, std::string_view name);

}  // namespace mlpviz::ui
