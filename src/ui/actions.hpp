// actions.hpp: what a menu item and its keyboard shortcut both do, in one place (the App maps
// keys to these; the menu bar calls them too).
#pragma once

#include <string>

#include "ui/state.hpp"

namespace mlpviz::ui {

// A one-line result for the status bar, shown for a few seconds. `key` names what it is about
// (e.g. "weight seed"): clear_notice(key) takes it down once that is resolved.
void set_notice(UiState& st, const FrameInfo& fi, std::string text, bool error,
                std::string key = {});
void clear_notice(UiState& st, const std::string& key);
// Whether a notice about `key` is up.
bool notice_up(const UiState& st, const FrameInfo& fi, const std::string& key);

void toggle_play(const FrameInfo& fi, FrameOutput& out);
void step_once(FrameOutput& out);
void reset_weights(FrameOutput& out, bool new_weights);
void new_data_sample(UiState& st, const FrameInfo& fi, FrameOutput& out);  // regenerate with the data seed + 1
void fit_view(UiState& st);
void undo_points(FrameOutput& out);  // the last click, right-click or Clear points (Ctrl+Z)
void ask_open_session(UiState& st);
// Saves back to `known_path` at once when there is one, else asks for a path.
void ask_save_session(UiState& st, const std::string& known_path, bool save_as);

}  // namespace mlpviz::ui
