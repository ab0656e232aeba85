// classroom.hpp: classroom mode: which panels and control groups students see.
//
// The presenter chooses them (the View menu, a lesson's "classroom" key, a session's "classroom"
// key); one toggle switches between the full window and this view. Hidden controls keep their
// values, and the window shows those values in one compact line (hidden_settings_line()), so a
// hidden setting is never silently stuck at a surprising value.
//
// JSON (docs/lessons.md): {"panels": ["network", "curves", "timeline"],
//                          "controls": ["run", "data", "network", "training"]}
// Each list names what students see; both are required, names are unique and known.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "train/settings.hpp"

namespace mlpviz::train {

struct Classroom {
  // Panels.
  bool network_panel = true;  // the network graph (right)
  bool curves = true;         // loss, accuracy, gradient norms (bottom)
  bool timeline = true;       // the replay slider under the view
  // Control groups of the left panel (the panel goes when none is shown).
  bool run = true;            // play, pause, step, reset
  bool data = true;
  bool network = true;
  bool training = true;
  bool operator==(const Classroom&) const = default;

  bool any_control() const { return run || data || network || training; }
};

inline constexpr std::string_view kClassroomPanels = "network, curves, timeline";
inline constexpr std::string_view kClassroomControls = "run, data, network, training";

// Parses {"panels": [...], "controls": [...]} given as JSON text; `where` names it in messages
// ("classroom", "session.classroom"). Returns the error line, or nullopt with *out filled.
std::optional<std::string> classroom_from_json_text(const std::string& text, const std::string& where,
                                                    Classroom* out);
std::string classroom_to_json_text(const Classroom& c);

// What the window shows this frame: classroom mode on and a classroom chosen, else everything.
struct Visibility {
  bool controls_panel = true;
  bool run = true, data = true, network = true, training = true;
  bool network_panel = true, curves = true, timeline = true;
};
Visibility visibility(bool classroom_on, const std::optional<Classroom>& c);

// One compact line with the values of the settings students cannot see ("" when none is hidden):
// "Hidden: data moons, 400 points, noise 0.1 | network 2-8-8-1 tanh, init normal | adam, lr 0.01,
// batch 10".
std::string hidden_settings_line(const Visibility& v, const Settings& s);

}  // namespace mlpviz::train
