// file_browser.hpp: a small file chooser inside the open/save modals (Dear ImGui has none, and
// Debian packages no file dialog for it): the folder's subfolders and its files with one
// extension; the typed path stays the fallback and the result.
#pragma once

#include <string>

#include "ui/state.hpp"

namespace mlpviz::ui {

// Draws the chooser `height` pixels tall. A click on a folder enters it ("..": the parent); a
// click on a file puts its full path into `path`. Returns true when a file was double-clicked.
bool file_browser(FileBrowser& b, std::string& path, const char* ext, float height);

}  // namespace mlpviz::ui
