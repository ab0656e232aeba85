#include "app/desktop.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/file_io.hpp"

namespace mlpviz::app {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxRecentFileBytes = 64 * 1024;

bool usable(const std::string& p) {
  return !p.empty() && p.front() == '/' && p.size() < 4096 &&
         std::none_of(p.begin(), p.end(), [](char c) { return c == '\n' || c == '\r' || c == '\0'; });
}

std::string absolute(const std::string& path) {
  std::error_code ec;
  const fs::path a = fs::absolute(path, ec);
  return ec ? path : a.lexically_normal().string();
}

}  // namespace

void RecentFiles::add(const std::string& path) {
  const std::string p = absolute(path);
  if (!usable(p)) return;
  remove(p);
  paths.insert(paths.begin(), p);
  if (paths.size() > kMaxRecent) paths.resize(kMaxRecent);
}

void RecentFiles::remove(const std::string& path) {
  paths.erase(std::remove(paths.begin(), paths.end(), path), paths.end());
}

std::string RecentFiles::to_text() const {
  std::string out;
  for (const std::string& p : paths) out += p + "\n";
  return out;
}

RecentFiles RecentFiles::parse(std::string_view text) {
  RecentFiles r;
  std::size_t start = 0;
  while (start < text.size() && r.paths.size() < kMaxRecent) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(start, end - start));
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!usable(line) || std::find(r.paths.begin(), r.paths.end(), line) != r.paths.end()) continue;
    r.paths.push_back(line);
  }
  return r;
}

std::string recent_files_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg == '/') return std::string(xdg) + "/mlpviz/recent-files";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.config/mlpviz/recent-files";
  return "";
}

RecentFiles load_recent(const std::string& file) {
  if (file.empty()) return {};
  auto r = core::read_file_bounded(file, kMaxRecentFileBytes);
  if (auto* text = std::get_if<std::string>(&r)) return RecentFiles::parse(*text);
  return {};  // missing, unreadable or too big: an empty list (the next save replaces it)
}

std::optional<std::string> save_recent(const std::string& file, const RecentFiles& r) {
  if (file.empty()) return std::string("no config folder (neither XDG_CONFIG_HOME nor HOME is set)");
  std::error_code ec;
  fs::create_directories(fs::path(file).parent_path(), ec);
  if (ec) return fs::path(file).parent_path().string() + ": " + ec.message();
  return core::write_file_atomically(file, r.to_text());
}

SavedMark mark_of(const train::Snapshot& s) { return {s.settings, s.data, s.params, s.step}; }

bool has_unsaved_changes(const SavedMark& saved, const train::Snapshot& now) {
  train::Settings a = saved.settings, b = now.settings;
  a.steps_per_second = b.steps_per_second;  // the pace is not part of the work
  if (!(a == b) || saved.step != now.step || saved.params != now.params) return true;
  if (saved.data == now.data) return false;
  if (!saved.data || !now.data) return true;
  return !(*saved.data == *now.data);
}

bool compared_changed(const std::vector<ComparedMark>& saved, const std::vector<ComparedMark>& now) {
  if (saved.size() != now.size()) return true;
  for (std::size_t i = 0; i < now.size(); ++i)
    if (now[i].run != saved[i].run || now[i].version > saved[i].version) return true;
  return false;
}

std::string window_title(const std::string& session_path, bool unsaved) {
  const std::string name = session_path.empty() ? std::string("untitled") : fs::path(session_path).filename().string();
  return "mlpviz - " + core::printable(name, 80) + (unsaved ? " *" : "");
}

DropKind drop_kind(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".json") return DropKind::Session;
  if (ext == ".csv") return DropKind::Csv;
  return DropKind::Unknown;
}

}  // namespace mlpviz::app
