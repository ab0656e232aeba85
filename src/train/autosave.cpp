#include "train/autosave.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>

namespace mlpviz::train {

namespace fs = std::filesystem;

Autosave::Autosave(fs::path dir) : dir_(std::move(dir)) {}

fs::path Autosave::default_dir() {
  if (const char* d = std::getenv("MLPVIZ_STATE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) return fs::path(x) / "mlpviz";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".local" / "state" / "mlpviz";
  return fs::temp_directory_path() / "mlpviz";
}

std::optional<fs::path> Autosave::recoverable() const {
  std::error_code ec;
  if (!fs::exists(marker_path(), ec) || !fs::exists(session_path(), ec)) return std::nullopt;
  std::ifstream in(marker_path());
  long pid = 0;
  in >> pid;
  // A marker of a live process (another window) is not a crash.
  if (pid > 0 && pid != static_cast<long>(::getpid()) &&
      (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM))
    return std::nullopt;
  return session_path();
}

std::optional<std::string> Autosave::begin() {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return "autosave is off: cannot create " + dir_.string() + " (" + ec.message() + ")";
  if (auto e = write_file_atomically(marker_path().string(), std::to_string(::getpid()) + "\n"))
    return "autosave is off: " + *e;
  active_ = true;
  return std::nullopt;
}

std::optional<std::string> Autosave::save(const Session& s) {
  if (!active_) return std::string("autosave is off");
  return save_session(session_path().string(), s);
}

void Autosave::end_cleanly() {
  if (!active_) return;
  std::error_code ec;
  fs::remove(marker_path(), ec);
  active_ = false;
}

}  // namespace mlpviz::train
