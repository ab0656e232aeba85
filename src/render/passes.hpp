// passes.hpp (internal to render/): what the context's and the views' GL passes agree on: the GLSL
// version line, the binding points and texture units the programs are prepared with, uniform
// setters, and the plain raster state every pass relies on.
#pragma once

#include <string_view>

#include "render/gl.hpp"

namespace mlpviz::render::passes {

inline constexpr std::string_view kVersion = "#version 330 core\n";
inline constexpr GLuint kNetBlockBinding = 0;
inline constexpr GLuint kParamBlockBinding = 1;  // generated shaders' weights
inline constexpr int kImageUnit = 0;   // sampler2D u_image
inline constexpr int kParamsUnit = 1;  // samplerBuffer u_params
inline constexpr int kRaw1Unit = 2;    // shade.frag's u_raw1 (u_raw0 shares kImageUnit)

inline GLint loc(GLuint p, const char* name) { return glGetUniformLocation(p, name); }
inline void set_int(GLuint p, const char* name, int v) { glUniform1i(loc(p, name), v); }
inline void set_float(GLuint p, const char* name, float v) { glUniform1f(loc(p, name), v); }
inline void set_vec2(GLuint p, const char* name, float x, float y) { glUniform2f(loc(p, name), x, y); }
inline void set_vec4(GLuint p, const char* name, float x, float y, float z, float w) {
  glUniform4f(loc(p, name), x, y, z, w);
}
inline void set_bounds(GLuint p, double x_min, double x_max, double y_min, double y_max) {
  set_vec4(p, "u_bounds", static_cast<float>(x_min), static_cast<float>(x_max), static_cast<float>(y_min),
           static_cast<float>(y_max));
}

// Binds a program's blocks to their binding points and its samplers to their units.
inline void prepare_program(GLuint p) {
  const GLuint block = glGetUniformBlockIndex(p, "NetBlock");
  if (block != GL_INVALID_INDEX) glUniformBlockBinding(p, block, kNetBlockBinding);
  const GLuint params = glGetUniformBlockIndex(p, "ParamBlock");
  if (params != GL_INVALID_INDEX) glUniformBlockBinding(p, params, kParamBlockBinding);
  glUseProgram(p);
  set_int(p, "u_params", kParamsUnit);
  set_int(p, "u_image", kImageUnit);
  set_int(p, "u_raw0", kImageUnit);
  set_int(p, "u_raw1", kRaw1Unit);
}

// Plain state every pass here relies on.
inline void reset_raster_state() {
  glDisable(GL_BLEND);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glDisable(GL_SCISSOR_TEST);
}

}  // namespace mlpviz::render::passes
