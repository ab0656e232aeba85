#include "core/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

namespace mlpviz::core {

std::string printable(std::string_view in, std::size_t max_chars) {
  std::string out;
  auto escape = [&](unsigned char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    out += buf;
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (out.size() >= max_chars) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x20 || c == 0x7f) {
      escape(c);
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    // A multi-byte UTF-8 sequence passes whole when it is well formed (no overlong form, no
    // surrogate, at most U+10FFFF) and is not a C1 control (U+0080-U+009F, which terminals obey).
    const int n = c >= 0xC2 && c <= 0xDF   ? 2
                  : c >= 0xE0 && c <= 0xEF ? 3
                  : c >= 0xF0 && c <= 0xF4 ? 4
                                           : 0;
    bool ok = n > 0 && i + n <= in.size();
    std::uint32_t cp = ok ? c & (0x7F >> n) : 0;
    for (int k = 1; ok && k < n; ++k) {
      const auto cc = static_cast<unsigned char>(in[i + k]);
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok) {
      static constexpr std::uint32_t kMinOf[5] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= kMinOf[n] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF) &&
           !(cp >= 0x80 && cp <= 0x9F);
    }
    if (!ok) {
      escape(c);
      continue;
    }
    out.append(in.substr(i, static_cast<std::size_t>(n)));
    i += static_cast<std::size_t>(n) - 1;
  }
  return out;
}

namespace {

std::string name_of(const std::string& path) {
  return path.empty() ? std::string("an empty file name") : path;
}

std::string errno_text(int e) { return std::strerror(e); }

std::string size_text(std::int64_t limit) {
  if (limit >= 1024 * 1024 && limit % (1024 * 1024) == 0)
    return std::to_string(limit / (1024 * 1024)) + " MB";
  return std::to_string(limit) + " bytes";
}

// Follows symbolic links (at most 40, as the kernel does) to the path that is not one: the file
// to replace, or the name to create when the chain ends at a missing file.
std::string resolve_links(const std::string& path) {
  namespace fs = std::filesystem;
  std::string p = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st;
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    std::string target(4096, '\0');
    const ssize_t n = ::readlink(p.c_str(), target.data(), target.size());
    if (n <= 0 || static_cast<std::size_t>(n) >= target.size()) return p;
    target.resize(static_cast<std::size_t>(n));
    const fs::path t(target);
    p = t.is_absolute() ? target : (fs::path(p).parent_path() / t).string();
  }
  return p;
}

std::string folder_of(const std::string& path) {
  const std::filesystem::path p(path);
  return p.has_parent_path() ? p.parent_path().string() : std::string(".");
}

// Writes all bytes to fd; errno's text on failure (ENOSPC on a full disk or /dev/full).
std::optional<std::string> write_all(int fd, std::string_view bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t w = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return w < 0 ? errno_text(errno) : std::string("nothing was written");
    off += static_cast<std::size_t>(w);
  }
  return std::nullopt;
}

// A writer killed between creating its temporary file and renaming it (SIGKILL, a power cut)
// leaves the temporary behind. The next successful save of the same file removes those older
// than this: a save in progress elsewhere is seconds old.
constexpr auto kStaleTemporaryAge = std::chrono::minutes(10);
constexpr int kTemporarySuffix = 6;  // ".name.tmp-" + 6 letters or digits

void remove_stale_temporaries(const std::filesystem::path& dir, const std::string& prefix) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    if (n.size() != prefix.size() + kTemporarySuffix || n.compare(0, prefix.size(), prefix) != 0)
      continue;
    std::error_code tec;
    const auto t = it->last_write_time(tec);
    if (!tec && now - t > kStaleTemporaryAge) fs::remove(it->path(), tec);
  }
}

// Creates a new temporary file next to the target with O_EXCL. The mode given to open() goes
// through the umask, so a new file gets exactly what the umask allows (mkstemp forces 0600).
int create_temporary(const std::string& dir, const std::string& prefix, mode_t mode,
                     std::string& tmp_path) {
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string suffix(kTemporarySuffix, 'x');
    for (char& ch : suffix) ch = kChars[rd() % (sizeof kChars - 1)];
    tmp_path = (std::filesystem::path(dir) / (prefix + suffix)).string();
    const int fd = ::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

std::optional<std::string> write_descriptor(const std::string& path, int fd,
                                            std::string_view bytes) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY)
    return path + ": descriptor " + std::to_string(fd) + " is not open for writing";
  if (auto e = write_all(fd, bytes)) return path + ": write failed (" + *e + ")";
  return std::nullopt;
}

// A pipe or a character device: written in place, never replaced.
std::optional<std::string> write_in_place(const std::string& path, const std::string& node,
                                          std::string_view bytes) {
  const int fd = ::open(node.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return path + ": cannot open for writing (" + errno_text(errno) + ")";
  auto e = write_all(fd, bytes);
  const int close_rc = ::close(fd);
  if (e) return path + ": write failed (" + *e + ")";
  if (close_rc != 0 && errno != EINTR) return path + ": write failed (" + errno_text(errno) + ")";
  return std::nullopt;
}

}  // namespace

int descriptor_path(const std::string& path) {
  if (path == "/dev/stdout") return 1;
  if (path == "/dev/stderr") return 2;
  for (std::string_view prefix :
       {std::string_view("/dev/fd/"), std::string_view("/proc/self/fd/")}) {
    if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = path.substr(prefix.size());
    if (digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::stoi(digits);
  }
  return -1;
}

std::variant<std::string, ReadError> read_file_bounded(const std::string& path,
                                                       std::int64_t limit) {
  const std::string name = name_of(path);
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return ReadError{name + ": cannot read (" + errno_text(errno) + ")"};
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0) return ReadError{name + ": cannot read (" + errno_text(errno) + ")"};
  if (S_ISDIR(st.st_mode)) return ReadError{name + ": cannot read (" + errno_text(EISDIR) + ")"};
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))
    return ReadError{name + ": cannot read (not a regular file, a pipe or a character device)"};
  const std::string too_big = name + ": file is larger than " + size_text(limit);
  if (S_ISREG(st.st_mode) && st.st_size > limit) return ReadError{too_big};
  // The size is only a hint: the file may grow while it is read. Reading stops at limit + 1.
  std::string text;
  if (S_ISREG(st.st_mode)) text.reserve(static_cast<std::size_t>(st.st_size));
  char buf[1 << 16];
  while (true) {
    const std::int64_t want =
        std::min<std::int64_t>(sizeof buf, limit + 1 - static_cast<std::int64_t>(text.size()));
    const ssize_t n = ::read(fd, buf, static_cast<std::size_t>(want));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ReadError{name + ": read failed (" + errno_text(errno) + ")"};
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (static_cast<std::int64_t>(text.size()) > limit) return ReadError{too_big};
  }
  return text;
}

std::optional<std::string> check_output_path(const std::string& path) {
  if (path.empty()) return std::string("an empty file name");
  if (const int fd = descriptor_path(path); fd >= 0) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY)
      return "descriptor " + std::to_string(fd) + " is not open for writing";
    return std::nullopt;
  }
  const std::string target = resolve_links(path);
  struct stat st;
  if (::lstat(target.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return std::string("is a folder");
    if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
      if (::access(target.c_str(), W_OK) != 0) return "not writable (" + errno_text(errno) + ")";
      return std::nullopt;
    }
    if (!S_ISREG(st.st_mode))
      return std::string("not a regular file, a pipe or a character device");
  } else if (errno != ENOENT) {
    return errno_text(errno);
  }
  const std::string dir = folder_of(target);
  struct stat ds;
  if (::stat(dir.c_str(), &ds) != 0)
    return "the folder " + dir + " does not exist (" + errno_text(errno) + ")";
  if (!S_ISDIR(ds.st_mode)) return dir + " is not a folder";
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return "the folder " + dir + " is not writable (" + errno_text(errno) + ")";
  return std::nullopt;
}

std::optional<std::string> write_file_atomically(const std::string& path, std::string_view bytes) {
  if (path.empty()) return std::string("an empty file name: nothing to write to");
  if (const int fd = descriptor_path(path); fd >= 0) return write_descriptor(path, fd, bytes);
  const std::string target = resolve_links(path);
  struct stat st;
  const bool exists = ::lstat(target.c_str(), &st) == 0;
  if (exists) {
    if (S_ISDIR(st.st_mode)) return path + ": is a folder";
    if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) return write_in_place(path, target, bytes);
    if (!S_ISREG(st.st_mode))
      return path + ": not a regular file, a pipe or a character device: not written";
  }
  const std::string dir = folder_of(target);
  std::string prefix = std::filesystem::path(target).filename().string();
  prefix.insert(0, 1, '.');  // not "." + name: GCC 12 warns falsely (-Wrestrict) on that
  prefix.append(".tmp-");
  std::string tmp;
  // An existing file's temporary starts private (0600) and gets the file's mode once written; a
  // new file's gets 0666 through the umask, as any program creating a file does.
  const int fd = create_temporary(dir, prefix, exists ? 0600 : 0666, tmp);
  if (fd < 0)
    return path + ": cannot create a temporary file in " + dir + " (" + errno_text(errno) + ")";
  auto fail = [&](const std::string& what) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return path + ": " + what;
  };
  if (auto e = write_all(fd, bytes)) return fail("write failed (" + *e + ")");
  if (exists) {
    // Owner first: chown clears the set-user-ID bits that fchmod then restores. Changing the
    // owner needs privilege; without it the file becomes ours, as with any editor's save.
    if (st.st_uid != ::geteuid() || st.st_gid != ::getegid())
      if (::fchown(fd, st.st_uid, st.st_gid) != 0 &&
          ::fchown(fd, static_cast<uid_t>(-1), st.st_gid) != 0) {
        // not allowed: keep going with our own owner and group
      }
    if (::fchmod(fd, st.st_mode & 07777) != 0)
      return fail("could not keep the file's mode (" + errno_text(errno) + ")");
  }
  if (::fsync(fd) != 0) return fail("could not flush to disk (" + errno_text(errno) + ")");
  if (::close(fd) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    return path + ": could not flush to disk (" + errno_text(e) + ")";
  }
  if (std::rename(tmp.c_str(), target.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    return path + ": could not replace the file (" + errno_text(e) + ")";
  }
  // The rename itself is durable once the folder is flushed.
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  remove_stale_temporaries(dir, prefix);
  return std::nullopt;
}

}  // namespace mlpviz::core
