#include "ui/file_browser.hpp"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace mlpviz::ui {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxListed = 2000;  // a huge folder is cut, said in the chooser

bool has_ext(const std::string& name, const std::string& ext) {
  if (name.size() < ext.size()) return false;
  for (std::size_t i = 0; i < ext.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(name[name.size() - ext.size() + i])) != ext[i]) return false;
  return true;
}

void list(FileBrowser& b, const std::string& ext) {
  b.listed = b.dir;
  b.ext = ext;
  b.folders.clear();
  b.files.clear();
  b.error.clear();
  std::error_code ec;
  fs::directory_iterator it(b.dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    b.error = "cannot read " + b.dir + ": " + ec.message();
    return;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;  // hidden
    std::error_code e2;
    if (it->is_directory(e2)) b.folders.push_back(name);
    else if (has_ext(name, ext)) b.files.push_back(name);
    if (b.folders.size() + b.files.size() >= kMaxListed) {
      b.error = "only the first " + std::to_string(kMaxListed) + " entries are listed: type the path";
      break;
    }
  }
  std::sort(b.folders.begin(), b.folders.end());
  std::sort(b.files.begin(), b.files.end());
}

}  // namespace

bool file_browser(FileBrowser& b, std::string& path, const char* ext, float height) {
  if (b.dir.empty()) {
    std::error_code ec;
    fs::path p = path.empty() ? fs::current_path(ec) : fs::absolute(path, ec).parent_path();
    if (!fs::is_directory(p, ec)) p = fs::current_path(ec);
    b.dir = p.lexically_normal().string();
  }
  if (b.listed != b.dir || b.ext != ext) list(b, ext);
  ImGui::TextDisabled("%s", b.dir.c_str());
  ImGui::SameLine();
  if (ImGui::SmallButton("Refresh")) b.listed.clear();
  bool chosen = false;
  std::string enter;
  if (ImGui::BeginChild("##files", ImVec2(-1, height), true)) {
    if (fs::path(b.dir).has_parent_path() && b.dir != "/" && ImGui::Selectable("..")) enter = fs::path(b.dir).parent_path().string();
    for (const std::string& f : b.folders)
      if (ImGui::Selectable((f + "/").c_str())) enter = (fs::path(b.dir) / f).string();
    for (const std::string& f : b.files) {
      const std::string full = (fs::path(b.dir) / f).string();
      if (ImGui::Selectable(f.c_str(), full == path, ImGuiSelectableFlags_AllowDoubleClick)) {
        path = full;
        if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) chosen = true;
      }
    }
    if (b.folders.empty() && b.files.empty() && b.error.empty()) ImGui::TextDisabled("no folders or %s files here", ext);
    if (!b.error.empty()) ImGui::TextDisabled("%s", b.error.c_str());
  }
  ImGui::EndChild();
  if (!enter.empty()) b.dir = fs::path(enter).lexically_normal().string();
  return chosen;
}

}  // namespace mlpviz::ui
