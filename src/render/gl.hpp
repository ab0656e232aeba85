// gl.hpp: move-only owners of OpenGL names, program building, a GPU timer, and a guard that saves
// the GL state render/ changes and puts it back when the scope ends.
//
// Every function here needs a current OpenGL 3.3 core context on the calling thread (the UI
// thread). Failures are returned as text for the status bar; nothing here throws or exits.
#pragma once

#include <epoxy/gl.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlpviz::render::gl {

// One owned GL name, released by Traits::destroy. Move-only, like std::unique_ptr.
template <class Traits>
class Name {
 public:
  Name() = default;
  ~Name() { reset(); }
  Name(Name&& o) noexcept : id_(std::exchange(o.id_, 0)) {}
  Name& operator=(Name&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, 0);
    }
    return *this;
  }
  Name(const Name&) = delete;
  Name& operator=(const Name&) = delete;

  static Name create() {
    Name n;
    n.id_ = Traits::create();
    return n;
  }
  static Name adopt(GLuint id) {
    Name n;
    n.id_ = id;
    return n;
  }
  GLuint get() const { return id_; }
  explicit operator bool() const { return id_ != 0; }
  void reset() {
    if (id_ != 0) Traits::destroy(id_);
    id_ = 0;
  }

 private:
  GLuint id_ = 0;
};

struct TextureTraits {
  static GLuint create() { GLuint n = 0; glGenTextures(1, &n); return n; }
  static void destroy(GLuint n) { glDeleteTextures(1, &n); }
};
struct BufferTraits {
  static GLuint create() { GLuint n = 0; glGenBuffers(1, &n); return n; }
  static void destroy(GLuint n) { glDeleteBuffers(1, &n); }
};
struct FramebufferTraits {
  static GLuint create() { GLuint n = 0; glGenFramebuffers(1, &n); return n; }
  static void destroy(GLuint n) { glDeleteFramebuffers(1, &n); }
};
struct VertexArrayTraits {
  static GLuint create() { GLuint n = 0; glGenVertexArrays(1, &n); return n; }
  static void destroy(GLuint n) { glDeleteVertexArrays(1, &n); }
};
struct QueryTraits {
  static GLuint create() { GLuint n = 0; glGenQueries(1, &n); return n; }
  static void destroy(GLuint n) { glDeleteQueries(1, &n); }
};
struct ProgramTraits {
  static GLuint create() { return glCreateProgram(); }
  static void destroy(GLuint n) { glDeleteProgram(n); }
};

using Texture = Name<TextureTraits>;
using Buffer = Name<BufferTraits>;
using Framebuffer = Name<FramebufferTraits>;
using VertexArray = Name<VertexArrayTraits>;
using Query = Name<QueryTraits>;
using Program = Name<ProgramTraits>;

// A program from GLSL pieces concatenated in order (version line, defines, shared code, main).
// On failure `program` is empty and `error` holds the stage and the driver's first log lines.
struct BuiltProgram {
  Program program;
  std::string error;
};
BuiltProgram build_program(std::string_view label, const std::vector<std::string_view>& vertex,
                           const std::vector<std::string_view>& fragment);

// Names a GL object for debuggers (KHR_debug), when the driver offers it.
void label(GLenum kind, GLuint id, std::string_view name);

// An RGBA8 colour texture with a framebuffer drawing into it. Reallocated on resize; its texture
// name never changes, so the UI may keep showing it.
class RenderTarget {
 public:
  void ensure(int width, int height, std::string_view name);  // width, height >= 1
  GLuint texture() const { return texture_.get(); }
  GLuint framebuffer() const { return framebuffer_.get(); }
  int width() const { return width_; }
  int height() const { return height_; }
  bool complete() const { return complete_; }

 private:
  Texture texture_;
  Framebuffer framebuffer_;
  int width_ = 0, height_ = 0;
  bool complete_ = false;
};

// Measures GPU time of a span of commands with GL_TIME_ELAPSED, without ever waiting: a result is
// picked up on a later frame; while one is in flight, new spans are not timed.
class GpuTimer {
 public:
  bool begin();          // false when the previous measurement is still in flight
  void end();
  std::optional<double> poll_ms();  // a finished measurement, once
  double last_ms() const { return last_ms_; }

 private:
  Query query_;
  bool running_ = false;
  bool in_flight_ = false;
  double last_ms_ = 0.0;
};

// Saves the GL state that render/ changes and restores it in the destructor, so the ImGui
// backend (and anything else) finds the context as it left it.
class StateGuard {
 public:
  StateGuard();
  ~StateGuard();
  StateGuard(const StateGuard&) = delete;
  StateGuard& operator=(const StateGuard&) = delete;

 private:
  GLint program_ = 0, vao_ = 0, array_buffer_ = 0, uniform_buffer_ = 0;
  GLint draw_fbo_ = 0, read_fbo_ = 0;
  GLint active_texture_ = 0;
  std::array<GLint, 3> texture_2d_{}, texture_buffer_{};  // units 0-2
  std::array<GLint, 4> viewport_{}, scissor_{};
  std::array<GLfloat, 4> clear_color_{};
  GLint blend_src_rgb_ = 0, blend_dst_rgb_ = 0, blend_src_alpha_ = 0, blend_dst_alpha_ = 0;
  GLint blend_eq_rgb_ = 0, blend_eq_alpha_ = 0;
  GLint pack_alignment_ = 0, unpack_alignment_ = 0;
  GLboolean blend_ = GL_FALSE, scissor_test_ = GL_FALSE, depth_test_ = GL_FALSE,
            cull_face_ = GL_FALSE, point_size_ = GL_FALSE;
};

// The first GL error since the last call, as text ("" when none). Drains the error queue.
std::string take_error();

}  // namespace mlpviz::render::gl
