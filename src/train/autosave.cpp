#include "train/autosave.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <utility>

namespace mlpviz::train {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPrefix = "autosave-";
constexpr const char* kLegacySession = "autosave.json";  // versions with one autosave per folder
constexpr const char* kLegacyMarker = "running.pid";

// "autosave-<id>.json" -> "<id>"; empty for any other name (temporaries start with a dot).
std::string id_of(const std::string& name, const char* ext) {
  const std::size_t p = std::strlen(kPrefix), e = std::strlen(ext);
  if (name.size() <= p + e || name.compare(0, p, kPrefix) != 0 || name.compare(name.size() - e, e, ext) != 0)
    return {};
  return name.substr(p, name.size() - p - e);
}

std::string stamp(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string random_hex() {
  std::random_device rd;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
  return buf;
}

// Renames without ever replacing what is at `to` (false, errno EEXIST, if something is there).
bool rename_noreplace(const fs::path& from, const fs::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno != EINVAL && errno != ENOSYS) return false;
  // A file system without RENAME_NOREPLACE: a hard link fails on an existing name too.
  if (::link(from.c_str(), to.c_str()) != 0) return false;
  ::unlink(from.c_str());
  return true;
}

enum class Lock { Taken, Held, Failed };

// Opens (creating if needed) and locks `lock` without waiting. Taken only if the lock is ours and
// the path still names the file we locked (a lock file unlinked by its owner's clean exit between
// our open and our flock is not a claim).
Lock take_lock(const fs::path& lock, int& fd_out) {
  const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Lock::Failed;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    errno = err;
    return err == EWOULDBLOCK ? Lock::Held : Lock::Failed;
  }
  struct stat a {}, b {};
  if (::fstat(fd, &a) != 0 || ::stat(lock.c_str(), &b) != 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
    ::close(fd);
    return Lock::Held;  // replaced or removed meanwhile: someone else's business
  }
  fd_out = fd;
  return Lock::Taken;
}

struct Candidate {
  fs::path session, lock;
  struct timespec mtime {};
  std::uintmax_t bytes = 0;
};

bool newer(const Candidate& a, const Candidate& b) {
  if (a.mtime.tv_sec != b.mtime.tv_sec) return a.mtime.tv_sec > b.mtime.tv_sec;
  if (a.mtime.tv_nsec != b.mtime.tv_nsec) return a.mtime.tv_nsec > b.mtime.tv_nsec;
  return a.session.filename() > b.session.filename();
}

// An autosave.json of an older version (which never removed it, and marked running windows with a
// PID file that a reused process number could fake): renamed once into a new-form autosave with no
// lock, so it is offered like any other; the PID file goes (it holds no work).
void migrate_legacy(const fs::path& dir, std::vector<std::string>& notes) {
  const fs::path old = dir / kLegacySession;
  struct stat st {};
  if (::lstat(old.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    bool moved = false;
    for (int attempt = 0; attempt < 4 && !moved; ++attempt) {
      const fs::path to = dir / (std::string(kPrefix) + "legacy-" + stamp(st.st_mtime) + "-" + random_hex() + ".json");
      moved = rename_noreplace(old, to);
      if (!moved && errno != EEXIST) break;  // ENOENT: another window migrated it just now
    }
    if (!moved && errno != ENOENT)
      notes.push_back("could not take over the old autosave " + old.string() + " (" + std::strerror(errno) + ")");
  }
  std::error_code ec;
  fs::remove(dir / kLegacyMarker, ec);
}

}  // namespace

ClaimedAutosave::ClaimedAutosave(ClaimedAutosave&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)),
      session_(std::move(o.session_)),
      lock_(std::move(o.lock_)),
      saved_at_(o.saved_at_),
      bytes_(o.bytes_) {}

ClaimedAutosave& ClaimedAutosave::operator=(ClaimedAutosave&& o) noexcept {
  if (this != &o) {
    keep();
    fd_ = std::exchange(o.fd_, -1);
    session_ = std::move(o.session_);
    lock_ = std::move(o.lock_);
    saved_at_ = o.saved_at_;
    bytes_ = o.bytes_;
  }
  return *this;
}

void ClaimedAutosave::keep() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::optional<std::string> ClaimedAutosave::discard() {
  if (fd_ < 0) return session_.string() + ": not claimed by this window";
  if (::unlink(session_.c_str()) != 0 && errno != ENOENT)
    return session_.string() + ": could not remove (" + std::strerror(errno) + ")";
  ::unlink(lock_.c_str());  // still locked by us: nobody can be relying on it
  keep();
  return std::nullopt;
}

Autosave::Autosave(fs::path dir) : dir_(std::move(dir)) {}

Autosave::~Autosave() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // no end_cleanly(): the autosave stays for recovery
}

fs::path Autosave::default_dir() {
  if (const char* d = std::getenv("MLPVIZ_STATE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) return fs::path(x) / "mlpviz";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".local" / "state" / "mlpviz";
  return fs::temp_directory_path() / "mlpviz";
}

RecoveryScan Autosave::claim_recoverable(int max_offered) const {
  RecoveryScan scan;
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return scan;
  migrate_legacy(dir_, scan.notes);

  std::vector<Candidate> candidates;
  std::vector<fs::path> locks;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (const std::string id = id_of(name, ".lock"); !id.empty()) {
      locks.push_back(it->path());
      continue;
    }
    const std::string id = id_of(name, ".json");
    if (id.empty() || id == id_) continue;
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    Candidate c;
    c.session = it->path();
    c.lock = dir_ / (std::string(kPrefix) + id + ".lock");
    c.mtime = st.st_mtim;
    c.bytes = static_cast<std::uintmax_t>(st.st_size);
    candidates.push_back(std::move(c));
  }
  if (ec) scan.notes.push_back("could not list " + dir_.string() + " (" + ec.message() + ")");
  std::sort(candidates.begin(), candidates.end(), newer);

  for (const Candidate& c : candidates) {
    int fd = -1;
    const Lock l = take_lock(c.lock, fd);
    if (l == Lock::Held) continue;  // a live window's, or one another window is offering
    if (l == Lock::Failed) {
      scan.notes.push_back("could not lock " + c.lock.string() + " (" + std::strerror(errno) +
                           "): its autosave is left alone");
      continue;
    }
    ClaimedAutosave claim;
    claim.fd_ = fd;
    claim.session_ = c.session;
    claim.lock_ = c.lock;
    claim.saved_at_ = c.mtime.tv_sec;
    claim.bytes_ = c.bytes;
    if (!fs::exists(c.session, ec)) {  // ended cleanly (or discarded) while we listed
      ::unlink(c.lock.c_str());
      continue;
    }
    if (static_cast<int>(scan.offered.size()) < max_offered) scan.offered.push_back(std::move(claim));
    else ++scan.not_listed;  // released at once: it stays on disk for a later start
  }

  // Lock files with no autosave beside them hold no work: a window killed before its first save,
  // or one interrupted in its clean exit. Removed only once we hold their lock.
  for (const fs::path& lock : locks) {
    const fs::path session = dir_ / (std::string(kPrefix) + id_of(lock.filename().string(), ".lock") + ".json");
    if (fs::exists(session, ec) || lock == lock_path()) continue;
    int fd = -1;
    if (take_lock(lock, fd) != Lock::Taken) continue;
    if (!fs::exists(session, ec)) ::unlink(lock.c_str());
    ::close(fd);
  }
  return scan;
}

std::optional<std::string> Autosave::begin() {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return "autosave is off: cannot create " + dir_.string() + " (" + ec.message() + ")";
  // The lock file is created and locked under a temporary name, then renamed into place: a
  // visible lock file is always held, so no other window can take it for an abandoned one.
  for (int attempt = 0; attempt < 8; ++attempt) {
    const std::string id = stamp(std::time(nullptr)) + "-" + std::to_string(::getpid()) + "-" + random_hex();
    std::string tmp_name = ".";  // a hidden name the scan of claim_recoverable() never matches
    tmp_name.append(kPrefix).append(id).append(".lock.new");
    const fs::path tmp = dir_ / tmp_name;
    const int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return "autosave is off: cannot create a file in " + dir_.string() + " (" + std::strerror(errno) + ")";
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return "autosave is off: cannot lock " + tmp.string() + " (" + std::strerror(err) + ")";
    }
    const fs::path final_path = dir_ / (std::string(kPrefix) + id + ".lock");
    const fs::path session = dir_ / (std::string(kPrefix) + id + ".json");
    if (!fs::exists(session, ec) && rename_noreplace(tmp, final_path)) {
      id_ = id;
      lock_fd_ = fd;
      return std::nullopt;
    }
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    if (err != EEXIST && !fs::exists(session, ec))
      return "autosave is off: cannot create " + final_path.string() + " (" + std::strerror(err) + ")";
  }
  return "autosave is off: no free name in " + dir_.string();
}

std::optional<std::string> Autosave::save(const Session& s) {
  if (lock_fd_ < 0) return std::string("autosave is off");
  return save_session(session_path().string(), s);
}

void Autosave::end_cleanly() {
  if (lock_fd_ < 0) return;
  // The autosave first: interrupted here, what remains is a lock file with no work, tidied by the
  // next start. If the autosave cannot be removed, its lock file stays too and it is offered.
  if (::unlink(session_path().c_str()) == 0 || errno == ENOENT) ::unlink(lock_path().c_str());
  ::close(lock_fd_);
  lock_fd_ = -1;
}

}  // namespace mlpviz::train
