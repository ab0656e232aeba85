// session.hpp: the session file: settings, the data points and optionally trained parameters,
// and the compared runs of a comparison (Compare) beside the main run.
//
// JSON, format version 1 (see docs/session-format.md). Loading validates everything and rejects a
// bad file with one message naming the field, its value and the allowed range; nothing is
// half-applied (the caller gets a complete Session or an error). Reading stops at
// kMaxSessionBytes + 1 bytes whatever the file does. Saving goes through write_file_atomically
// (core/file_io.hpp): a regular file is replaced atomically keeping its mode, a symbolic link's
// target is replaced, a pipe or a device is written in place.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/data.hpp"
#include "core/file_io.hpp"
#include "train/classroom.hpp"
#include "train/settings.hpp"
#include "train/snapshot.hpp"

namespace mlpviz::train {

inline constexpr int kSessionFormatVersion = 1;
inline constexpr std::int64_t kMaxSessionBytes = 32 * 1024 * 1024;  // 100k points take ~6 MB

// At most this many compared runs beside the main run (Compare shows four networks in all).
inline constexpr int kMaxComparedRuns = 3;

// A compared run (Compare): its own settings, parameters and progress, held and checked exactly as
// the main run's. It trains on the main run's data: settings.data is the main run's (it is not
// written for a compared run, and set from the main run's on load) and the points are not stored
// twice. Written as "compared": [{network, optimizer, training, parameters, progress}, ...].
struct ComparedRunSave {
  Settings settings;
  std::optional<std::vector<double>> params;  // absent: initialize from settings.weight_seed
  std::optional<RunProgress> progress;        // step, epoch and curves (only with params)
};

struct Session {
  Settings settings;
  std::optional<core::Dataset> data;           // absent: generate from settings.data
  std::optional<std::vector<double>> params;   // absent: initialize from settings.weight_seed
  std::optional<RunProgress> progress;         // step, epoch and curves (only with params)
  std::optional<Classroom> classroom = std::nullopt;  // what students see in classroom mode (optional key)
  std::vector<ComparedRunSave> compared = {};  // Compare's other runs (optional key; at most kMaxComparedRuns)
};

// What a save of this snapshot holds: settings, points, parameters and progress.
Session session_of(const Snapshot& s);
// What a save holds of a compared run's snapshot: settings, parameters and progress (its points
// are the main run's).
ComparedRunSave compared_of(const Snapshot& s);

struct LoadError {
  std::string message;
};

std::string to_json_text(const Session& s);
std::variant<Session, LoadError> from_json_text(const std::string& text);

std::variant<Session, LoadError> load_session(const std::string& path);
// Returns an error message, or nullopt when the file was written.
std::optional<std::string> save_session(const std::string& path, const Session& s);

// Writes text to path atomically, or in place for a pipe or a device (core/file_io.hpp).
using core::write_file_atomically;

// Parameters as JSON: [{"layer": l, "W": [[...] one row per unit], "b": [...], "activation": ...}].
std::string parameters_json(const core::Layout& layout, const std::vector<double>& params,
                            int indent = 2);

}  // namespace mlpviz::train
