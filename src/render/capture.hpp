// capture.hpp: screenshots of the window: the back buffer read after rendering (before the swap),
// encoded as PNG in memory and written atomically.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mlpviz::render {

// RGB rows of the default framebuffer's back buffer, top row first. Needs the GL context.
std::vector<unsigned char> read_back_buffer(int width, int height);
// (Encoding and writing the PNG: app::write_png in app/render_png.hpp.)

}  // namespace mlpviz::render
