// widgets.hpp: small ImGui helpers shared by the panels: tooltips that explain a concept, colour
// conversion, number formatting, and combo boxes over the core enums.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/palette.hpp"

namespace mlpviz::ui {

// Shows `text` (one sentence about the concept the previous item controls) when it is hovered.
void hint(const char* text);

// A "(?)" marker that shows `text` when hovered.
void help_marker(const char* text);

ImU32 to_u32(core::Rgb c, float alpha = 1.0f);
ImVec4 to_vec4(core::Rgb c, float alpha = 1.0f);

// "12,345" style grouping for step counts.
std::string group_digits(std::int64_t v);
// Compact numbers: 0.0123, 1.2e-05, 12.3k.
std::string compact(double v);

// A combo over the names of an enum with `count` values; returns true when *value changed.
// `enabled(i)` may disable entries (nullptr: all enabled).
bool enum_combo(const char* label, int* value, int count, std::string_view (*name_of)(int),
                bool (*enabled)(int, const void*) = nullptr, const void* ctx = nullptr);

// A headline in the heading font (or the normal font when none).
void heading(ImFont* font, const char* text);

}  // namespace mlpviz::ui
