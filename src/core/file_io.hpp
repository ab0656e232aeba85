// file_io.hpp: reading and writing the files a user names (sessions, CSV, PNG, metrics).
//
// Reads are bounded: at most limit + 1 bytes are read, whatever the file does while it is read
// (a file that grows, a pipe that never ends, /dev/zero). Writes touch only what the path names:
//   - a regular file (or a path that does not exist yet) is replaced atomically: a temporary file
//     in the same folder, flushed to disk, renamed over the target. An existing file keeps its
//     mode (and its owner where the process may set it); a new file gets 0666 minus the umask.
//   - a symbolic link is followed: its target is replaced, the link stays a link.
//   - a pipe or a character device (/dev/null, a terminal) is written directly, never replaced;
//     /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N write to the open descriptor N.
//   - a folder, a block device or a socket is refused.
// Every failure is one line naming the path (or "an empty file name"), never an empty name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace mlpviz::core {

// Bytes from a file, fit for a one-line message: control bytes (C0, DEL, C1 as UTF-8) and bytes
// that are not valid UTF-8 are escaped as \xNN; longer text is cut at max_chars and ends "...".
std::string printable(std::string_view bytes, std::size_t max_chars = 40);

struct ReadError {
  std::string message;  // "PATH: ..." (the path included)
};

// Reads the whole file at path, refusing it once it holds more than limit bytes (a regular file
// by its size, before reading; anything else after reading limit + 1 bytes). Regular files,
// pipes and character devices are read; folders and other kinds are refused.
std::variant<std::string, ReadError> read_file_bounded(const std::string& path, std::int64_t limit);

// Writes bytes to path as described above. Returns nullopt on success, else one line.
std::optional<std::string> write_file_atomically(const std::string& path, std::string_view bytes);

// Whether write_file_atomically(path) can be expected to succeed, checked before any work: the
// name is not empty, the path is not a folder, its folder exists and is writable (or, for a pipe
// or a device, the node itself is writable). Returns nullopt when it can, else the reason (without
// the path: callers name the flag and the path).
std::optional<std::string> check_output_path(const std::string& path);

// The descriptor a path names without opening anything (/dev/stdout -> 1, /dev/fd/3 -> 3,
// /proc/self/fd/2 -> 2), or -1.
int descriptor_path(const std::string& path);

}  // namespace mlpviz::core
