// autosave.hpp: never lose a session to a crash or a killed window.
//
// Every window saves its session every few seconds into its OWN file of a state folder,
// atomically: autosave-<id>.json, where <id> is unique to the window. Beside it,
// autosave-<id>.lock is held with flock() on an open descriptor for the window's whole life: the
// kernel releases it when the process ends, however it ends (no PID file, so a reused process
// number can neither hide nor fake a live window). A clean exit removes the window's own two files
// and nothing else.
//
// At start-up, an autosave whose lock can be taken (its window is gone) is recoverable: its window
// did not end cleanly. Taking the lock also claims it, so two windows starting together never
// offer the same file. A claimed autosave is only ever removed by discard() (the user's say) or,
// once opened into a window, as that window's own (after its own autosave holds the same work, or
// at its clean exit); keep() or the claim's end leaves it for the next start.
//
// Folder: $MLPVIZ_STATE_DIR, else $XDG_STATE_HOME/mlpviz, else ~/.local/state/mlpviz.
// Older versions wrote one autosave.json + running.pid per folder; such an autosave.json is renamed
// once into the new form (autosave-legacy-....json, no lock held) and offered like any other.
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "train/session.hpp"

namespace mlpviz::train {

// A recoverable autosave this process holds the lock of. Move-only; destroying it is keep().
class ClaimedAutosave {
 public:
  ClaimedAutosave() = default;
  ClaimedAutosave(ClaimedAutosave&& o) noexcept;
  ClaimedAutosave& operator=(ClaimedAutosave&& o) noexcept;
  ClaimedAutosave(const ClaimedAutosave&) = delete;
  ClaimedAutosave& operator=(const ClaimedAutosave&) = delete;
  ~ClaimedAutosave() { keep(); }

  const std::filesystem::path& session_path() const { return session_; }
  std::time_t saved_at() const { return saved_at_; }  // the file's modification time
  std::uintmax_t bytes() const { return bytes_; }
  bool claimed() const { return fd_ >= 0; }

  // Releases the claim; the files stay and the next start offers them again.
  void keep();
  // The user's say: removes the autosave and its lock file, then releases the claim. Returns an
  // error message (and keeps the claim) if the autosave could not be removed.
  std::optional<std::string> discard();

 private:
  friend class Autosave;
  int fd_ = -1;  // the open lock file, flock()ed exclusively
  std::filesystem::path session_, lock_;
  std::time_t saved_at_ = 0;
  std::uintmax_t bytes_ = 0;
};

struct RecoveryScan {
  std::vector<ClaimedAutosave> offered;  // newest first, at most the limit asked for
  int not_listed = 0;                    // further recoverable autosaves, left untouched on disk
  std::vector<std::string> notes;        // what was tidied or could not be read, one line each
};

class Autosave {
 public:
  // Recovery lists at most this many autosaves (the newest); the others stay on disk, counted.
  static constexpr int kMaxOffered = 8;

  explicit Autosave(std::filesystem::path dir);
  ~Autosave();
  Autosave(const Autosave&) = delete;
  Autosave& operator=(const Autosave&) = delete;
  static std::filesystem::path default_dir();

  // Claims every recoverable autosave of the folder (the newest `max_offered`), after migrating an
  // old-format autosave.json. Removes only lock files with no autosave beside them (a window
  // killed before its first save, or one interrupted in its clean exit): they hold no work.
  RecoveryScan claim_recoverable(int max_offered = kMaxOffered) const;

  // Creates and locks this window's own lock file under a new id. Returns an error message if the
  // folder cannot be written (autosave then stays off and the caller shows the message).
  std::optional<std::string> begin();
  // Saves atomically into this window's own file; returns an error message on failure (the
  // previous autosave stays intact). Safe to call from one worker thread at a time.
  std::optional<std::string> save(const Session& s);
  // Removes this window's own autosave and lock file, and nothing else.
  void end_cleanly();

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path session_path() const { return dir_ / ("autosave-" + id_ + ".json"); }
  std::filesystem::path lock_path() const { return dir_ / ("autosave-" + id_ + ".lock"); }

 private:
  std::filesystem::path dir_;
  std::string id_;  // empty until begin()
  int lock_fd_ = -1;
};

}  // namespace mlpviz::train
