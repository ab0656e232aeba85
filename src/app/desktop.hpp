// desktop.hpp: the window's desktop manners that need no window, so tests can run them: the
// Recent files list (kept in the user's config folder), what counts as an unsaved change, the
// window title, and what a file dropped onto the window is.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "train/snapshot.hpp"

namespace mlpviz::app {

// ---- Recent files -------------------------------------------------------------------------
// Newest first, at most kMaxRecent, no duplicates, absolute paths without line breaks. Stored
// as one path a line in $XDG_CONFIG_HOME/mlpviz/recent-files (else ~/.config/...), written
// atomically; a missing file is an empty list and unreadable lines are skipped.
inline constexpr std::size_t kMaxRecent = 10;

struct RecentFiles {
  std::vector<std::string> paths;

  void add(const std::string& path);     // made absolute; moved to the front; oldest dropped
  void remove(const std::string& path);
  std::string to_text() const;
  static RecentFiles parse(std::string_view text);  // tolerant: bad lines skipped, bounded
};

// Where the list lives ("" when neither XDG_CONFIG_HOME nor HOME is set).
std::string recent_files_path();
RecentFiles load_recent(const std::string& file);
std::optional<std::string> save_recent(const std::string& file, const RecentFiles& r);  // creates the folder

// ---- Unsaved changes ----------------------------------------------------------------------
// A change is anything a saved session would hold differently from the file last opened or
// saved: the settings (the training pace excepted: a speed knob), the points, the parameters
// (training, an edited weight, a reset to other weights) or the step. Running, pausing, the view,
// replay and the text size are not changes.
struct SavedMark {
  train::Settings settings;
  std::shared_ptr<const core::Dataset> data;
  core::Params params;
  std::int64_t step = 0;
};

SavedMark mark_of(const train::Snapshot& s);
bool has_unsaved_changes(const SavedMark& saved, const train::Snapshot& now);

// The comparison's part (Compare; a session holds the compared runs too): which compared runs there
// are, in order, and the version of each one's snapshot. A compared run changes only by its
// commands and steps, each published as a new version: a run added or closed, or one published
// after the mark (a newer version), is a change; an older version (a snapshot loaded before the
// save) is not.
struct ComparedMark {
  std::uint64_t run = 0;      // the run's key (app::Run::key)
  std::uint64_t version = 0;  // its snapshot's version
};
bool compared_changed(const std::vector<ComparedMark>& saved, const std::vector<ComparedMark>& now);

// "mlpviz - moons.json" (the session's file name, or "untitled"), with " *" when changed.
std::string window_title(const std::string& session_path, bool unsaved);

// ---- Dropped files ------------------------------------------------------------------------
enum class DropKind : std::uint8_t { Session, Csv, Unknown };
DropKind drop_kind(const std::string& path);  // by extension, case-insensitive: .json, .csv

}  // namespace mlpviz::app
