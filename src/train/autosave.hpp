// autosave.hpp: never lose a session to a crash or a killed window.
//
// The window saves its session every few seconds (and after data edits) into a state folder,
// atomically. A marker file records that a window is running; a clean exit removes it. When the
// app starts and finds a marker whose process is gone, the last autosave is offered back.
//
// Folder: $MLPVIZ_STATE_DIR, else $XDG_STATE_HOME/mlpviz, else ~/.local/state/mlpviz.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "train/session.hpp"

namespace mlpviz::train {

class Autosave {
 public:
  explicit Autosave(std::filesystem::path dir);
  static std::filesystem::path default_dir();

  // Call once at start-up, before begin(): the autosave left by a session that did not exit
  // cleanly (its marker remains and its process is gone), if any.
  std::optional<std::filesystem::path> recoverable() const;

  // Marks this process as running. Returns an error message if the folder cannot be written
  // (autosave then stays off and the caller shows the message).
  std::optional<std::string> begin();
  // Saves atomically; returns an error message on failure (the previous autosave stays intact).
  std::optional<std::string> save(const Session& s);
  // Removes the running marker: the next start-up will not offer recovery.
  void end_cleanly();

  std::filesystem::path session_path() const { return dir_ / "autosave.json"; }
  std::filesystem::path marker_path() const { return dir_ / "running.pid"; }

 private:
  std::filesystem::path dir_;
  bool active_ = false;
};

}  // namespace mlpviz::train
