#include "render/gl.hpp"

#include <string>

namespace mlpviz::render::gl {
namespace {

// The first few lines of a compile/link log: enough to name the problem in a status bar.
std::string first_lines(const std::string& log, int lines) {
  std::string out;
  int n = 0;
  for (char c : log) {
    if (c == '\n') {
      if (++n >= lines) break;
      out += " | ";
      continue;
    }
    out += c;
  }
  return out;
}

GLuint compile(GLenum stage, const std::vector<std::string_view>& pieces, std::string& error) {
  std::vector<const char*> ptrs;
  std::vector<GLint> lens;
  for (std::string_view p : pieces) {
    ptrs.push_back(p.data());
    lens.push_back(static_cast<GLint>(p.size()));
  }
  const GLuint s = glCreateShader(stage);
  glShaderSource(s, static_cast<GLsizei>(ptrs.size()), ptrs.data(), lens.data());
  glCompileShader(s);
  GLint ok = GL_FALSE;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (ok != GL_TRUE) {
    GLint len = 0;
    glGetShaderiv(s, GL_INFO_LOG_LENGTH, &len);
    std::string log(static_cast<std::size_t>(len > 1 ? len : 1), '\0');
    glGetShaderInfoLog(s, len, nullptr, log.data());
    error = std::string(stage == GL_VERTEX_SHADER ? "vertex" : "fragment") +
            " shader did not compile: " + first_lines(log, 3);
    glDeleteShader(s);
    return 0;
  }
  return s;
}

}  // namespace

BuiltProgram build_program(std::string_view name, const std::vector<std::string_view>& vertex,
                           const std::vector<std::string_view>& fragment) {
  BuiltProgram out;
  std::string error;
  const GLuint vs = compile(GL_VERTEX_SHADER, vertex, error);
  const GLuint fs = vs ? compile(GL_FRAGMENT_SHADER, fragment, error) : 0;
  if (!vs || !fs) {
    if (vs) glDeleteShader(vs);
    out.error = std::string(name) + ": " + error;
    return out;
  }
  Program p = Program::create();
  glAttachShader(p.get(), vs);
  glAttachShader(p.get(), fs);
  glLinkProgram(p.get());
  glDetachShader(p.get(), vs);
  glDetachShader(p.get(), fs);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = GL_FALSE;
  glGetProgramiv(p.get(), GL_LINK_STATUS, &ok);
  if (ok != GL_TRUE) {
    GLint len = 0;
    glGetProgramiv(p.get(), GL_INFO_LOG_LENGTH, &len);
    std::string log(static_cast<std::size_t>(len > 1 ? len : 1), '\0');
    glGetProgramInfoLog(p.get(), len, nullptr, log.data());
    out.error = std::string(name) + ": program did not link: " + first_lines(log, 3);
    return out;
  }
  label(GL_PROGRAM, p.get(), name);
  out.program = std::move(p);
  return out;
}

void label(GLenum kind, GLuint id, std::string_view name) {
  if (epoxy_gl_version() >= 43 || epoxy_has_gl_extension("GL_KHR_debug"))
    glObjectLabel(kind, id, static_cast<GLsizei>(name.size()), name.data());
}

void RenderTarget::ensure(int width, int height, std::string_view name) {
  width = width < 1 ? 1 : width;
  height = height < 1 ? 1 : height;
  if (!texture_) {
    texture_ = Texture::create();
    framebuffer_ = Framebuffer::create();
    glBindTexture(GL_TEXTURE_2D, texture_.get());
    label(GL_TEXTURE, texture_.get(), name);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  }
  if (width == width_ && height == height_) return;
  width_ = width;
  height_ = height;
  glBindTexture(GL_TEXTURE_2D, texture_.get());
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_.get());
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture_.get(), 0);
  complete_ = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
}

bool GpuTimer::begin() {
  if (in_flight_ || running_) return false;
  if (!query_) query_ = Query::create();
  glBeginQuery(GL_TIME_ELAPSED, query_.get());
  running_ = true;
  return true;
}

void GpuTimer::end() {
  if (!running_) return;
  glEndQuery(GL_TIME_ELAPSED);
  running_ = false;
  in_flight_ = true;
}

std::optional<double> GpuTimer::poll_ms() {
  if (!in_flight_) return std::nullopt;
  GLint available = 0;
  glGetQueryObjectiv(query_.get(), GL_QUERY_RESULT_AVAILABLE, &available);
  if (!available) return std::nullopt;
  GLuint64 ns = 0;
  glGetQueryObjectui64v(query_.get(), GL_QUERY_RESULT, &ns);
  in_flight_ = false;
  last_ms_ = static_cast<double>(ns) * 1e-6;
  return last_ms_;
}

StateGuard::StateGuard() {
  glGetIntegerv(GL_CURRENT_PROGRAM, &program_);
  glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &vao_);
  glGetIntegerv(GL_ARRAY_BUFFER_BINDING, &array_buffer_);
  glGetIntegerv(GL_UNIFORM_BUFFER_BINDING, &uniform_buffer_);
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &draw_fbo_);
  glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &read_fbo_);
  glGetIntegerv(GL_ACTIVE_TEXTURE, &active_texture_);
  for (int unit = 0; unit < 3; ++unit) {
    glActiveTexture(GL_TEXTURE0 + unit);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &texture_2d_[unit]);
    glGetIntegerv(GL_TEXTURE_BINDING_BUFFER, &texture_buffer_[unit]);
  }
  glGetIntegerv(GL_VIEWPORT, viewport_.data());
  glGetIntegerv(GL_SCISSOR_BOX, scissor_.data());
  glGetFloatv(GL_COLOR_CLEAR_VALUE, clear_color_.data());
  glGetIntegerv(GL_BLEND_SRC_RGB, &blend_src_rgb_);
  glGetIntegerv(GL_BLEND_DST_RGB, &blend_dst_rgb_);
  glGetIntegerv(GL_BLEND_SRC_ALPHA, &blend_src_alpha_);
  glGetIntegerv(GL_BLEND_DST_ALPHA, &blend_dst_alpha_);
  glGetIntegerv(GL_BLEND_EQUATION_RGB, &blend_eq_rgb_);
  glGetIntegerv(GL_BLEND_EQUATION_ALPHA, &blend_eq_alpha_);
  glGetIntegerv(GL_PACK_ALIGNMENT, &pack_alignment_);
  glGetIntegerv(GL_UNPACK_ALIGNMENT, &unpack_alignment_);
  blend_ = glIsEnabled(GL_BLEND);
  scissor_test_ = glIsEnabled(GL_SCISSOR_TEST);
  depth_test_ = glIsEnabled(GL_DEPTH_TEST);
  cull_face_ = glIsEnabled(GL_CULL_FACE);
  point_size_ = glIsEnabled(GL_PROGRAM_POINT_SIZE);
}

StateGuard::~StateGuard() {
  auto set = [](GLenum cap, GLboolean on) { on ? glEnable(cap) : glDisable(cap); };
  glUseProgram(static_cast<GLuint>(program_));
  glBindVertexArray(static_cast<GLuint>(vao_));
  glBindBuffer(GL_ARRAY_BUFFER, static_cast<GLuint>(array_buffer_));
  glBindBuffer(GL_UNIFORM_BUFFER, static_cast<GLuint>(uniform_buffer_));
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, static_cast<GLuint>(draw_fbo_));
  glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(read_fbo_));
  for (int unit = 0; unit < 3; ++unit) {
    glActiveTexture(GL_TEXTURE0 + unit);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(texture_2d_[unit]));
    glBindTexture(GL_TEXTURE_BUFFER, static_cast<GLuint>(texture_buffer_[unit]));
  }
  glActiveTexture(static_cast<GLenum>(active_texture_));
  glViewport(viewport_[0], viewport_[1], viewport_[2], viewport_[3]);
  glScissor(scissor_[0], scissor_[1], scissor_[2], scissor_[3]);
  glClearColor(clear_color_[0], clear_color_[1], clear_color_[2], clear_color_[3]);
  glBlendEquationSeparate(static_cast<GLenum>(blend_eq_rgb_), static_cast<GLenum>(blend_eq_alpha_));
  glBlendFuncSeparate(static_cast<GLenum>(blend_src_rgb_), static_cast<GLenum>(blend_dst_rgb_),
                      static_cast<GLenum>(blend_src_alpha_), static_cast<GLenum>(blend_dst_alpha_));
  glPixelStorei(GL_PACK_ALIGNMENT, pack_alignment_);
  glPixelStorei(GL_UNPACK_ALIGNMENT, unpack_alignment_);
  set(GL_BLEND, blend_);
  set(GL_SCISSOR_TEST, scissor_test_);
  set(GL_DEPTH_TEST, depth_test_);
  set(GL_CULL_FACE, cull_face_);
  set(GL_PROGRAM_POINT_SIZE, point_size_);
}

std::string take_error() {
  std::string first;
  for (GLenum e = glGetError(); e != GL_NO_ERROR; e = glGetError()) {
    if (!first.empty()) continue;
    switch (e) {
      case GL_INVALID_ENUM: first = "GL_INVALID_ENUM"; break;
      case GL_INVALID_VALUE: first = "GL_INVALID_VALUE"; break;
      case GL_INVALID_OPERATION: first = "GL_INVALID_OPERATION"; break;
      case GL_INVALID_FRAMEBUFFER_OPERATION: first = "GL_INVALID_FRAMEBUFFER_OPERATION"; break;
      case GL_OUT_OF_MEMORY: first = "GL_OUT_OF_MEMORY"; break;
      default: first = "GL error " + std::to_string(e); break;
    }
  }
  return first;
}

}  // namespace mlpviz::render::gl
