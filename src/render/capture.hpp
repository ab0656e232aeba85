// capture.hpp: screenshots of the window: the back buffer read after rendering (before the swap),
// encoded as PNG in memory and written atomically.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mlpviz::render {

// RGB rows of the default framebuffer's back buffer, top row first. Needs the GL context.
std::vector<unsigned char> read_back_buffer(int width, int height);

// Encodes RGB pixels as PNG and writes them with train::write_file_atomically.
// Returns an error message, or nullopt when the file was written.
std::optional<std::string> write_png_rgb(const std::string& path, int width, int height,
                                         const std::vector<unsigned char>& rgb);

}  // namespace mlpviz::render
