#include "render/render_context.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "render/net_block.hpp"
#include "render/net_codegen.hpp"
#include "render/passes.hpp"
#include "render/shader_text.hpp"

namespace mlpviz::render {
namespace {

using namespace passes;

constexpr std::size_t kSpecializedCache = 6;  // shapes kept compiled (toggling back is instant)
// Start-up: the first network's generated shader may take this long to compile (the window is
// opening, and the GUI tests' sessions rely on it); later shapes get field_policy's
// kMaxCompileStallMs.
constexpr double kMaxStartupCompileMs = 20000.0;
// Compile time of a generated program = coefficient x multiply-adds^1.5 (straight-line code:
// code generation grows faster than the code), the coefficient measured by each compile. Until
// one is, Mesa llvmpipe's: 2-[8,8]-1 took about 70 ms, 2-[8 x 8]-1 (472) about 4 s and 2-[32,32]-1
// (1120) about 14 s with the first draws on 2 cores; hardware drivers far less.
constexpr double kSoftwareCompileCoef = 0.4;
constexpr double kHardwareCompileCoef = 0.002;
double compile_work(int macs) { return std::pow(std::max(macs, 1), 1.5); }

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

}  // namespace

RenderContext::RenderContext() {
  gl::StateGuard guard;
  glGetIntegerv(GL_MAX_TEXTURE_BUFFER_SIZE, &max_texture_buffer_);
  if (const GLubyte* r = glGetString(GL_RENDERER)) gl_renderer_ = reinterpret_cast<const char*>(r);
  for (const char* sw : {"llvmpipe", "softpipe", "SwiftShader", "Software Rasterizer"})
    if (gl_renderer_.find(sw) != std::string::npos) software_gl_ = true;
  generic_ = std::make_shared<const NetPrograms>(build_net_programs("", generic_macros(), shader_text::net_generic_glsl));
  if (!generic_->ok()) shader_error_ = generic_->error;
  const std::string defines = shader_defines();
  namespace s = shader_text;
  auto points_cpu = gl::build_program("points (CPU classes)", {kVersion, defines, s::points_vert},
                                      {kVersion, s::points_frag});
  auto blit = gl::build_program("blit", {kVersion, s::blit_vert}, {kVersion, s::blit_frag});
  for (auto* b : {&points_cpu, &blit})
    if (!b->error.empty() && shader_error_.empty()) shader_error_ = b->error;
  points_cpu_program_ = std::move(points_cpu.program);
  blit_program_ = std::move(blit.program);
  for (const gl::Program* p : {&points_cpu_program_, &blit_program_})
    if (*p) prepare_program(p->get());

  empty_vao_ = gl::VertexArray::create();
  warm_points_vao_ = gl::VertexArray::create();
  warm_points_vbo_ = gl::Buffer::create();
  calib_net_ubo_ = gl::Buffer::create();
  calib_param_ubo_ = gl::Buffer::create();
  calib_param_buffer_ = gl::Buffer::create();
  calib_param_texture_ = gl::Texture::create();
  gl::label(GL_BUFFER, calib_net_ubo_.get(), "NetBlock (calibration)");
  gl::label(GL_BUFFER, calib_param_buffer_.get(), "parameters (calibration)");
  glBindVertexArray(warm_points_vao_.get());
  glBindBuffer(GL_ARRAY_BUFFER, warm_points_vbo_.get());
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
  const float no_point[4] = {0, 0, 0, 0};  // warm_up() draws one point
  glBufferData(GL_ARRAY_BUFFER, sizeof no_point, no_point, GL_STATIC_DRAW);
  parallel_compile_ = epoxy_has_gl_extension("GL_KHR_parallel_shader_compile") ||
                      epoxy_has_gl_extension("GL_ARB_parallel_shader_compile");
  compile_coef_ = software_gl_ ? kSoftwareCompileCoef : kHardwareCompileCoef;
  calibrate();
  gl_error_ = gl::take_error();
}

RenderContext::~RenderContext() = default;

FieldWorker& RenderContext::worker() {
  if (!worker_) worker_ = std::make_unique<FieldWorker>();
  return *worker_;
}

int RenderContext::new_client() {
  for (int i = 0; i < FieldWorker::kMaxClients; ++i)
    if (!client_used_[i]) {
      client_used_[i] = true;
      return i;
    }
  return FieldWorker::kMaxClients - 1;
}

void RenderContext::release_client(int id) {
  if (id < 0 || id >= FieldWorker::kMaxClients) return;
  client_used_[id] = false;
  if (worker_) worker_->forget(id);  // nothing of the old view reaches the next one
}

FieldCase RenderContext::field_case(const core::Layout& layout, std::uint32_t features, double pixels) const {
  const std::string key = shape_key(layout, features);
  FieldCase c;
  c.macs_per_pixel = layout.forward_macs();
  c.pixels = pixels;
  c.can_specialize = can_specialize(layout);
  c.specialized_ready = false;
  for (const auto& p : specialized_) c.specialized_ready = c.specialized_ready || p->key == key;
  c.compile_ms = compile_coef_ * compile_work(layout.forward_macs());
  c.compile_budget_ms = first_network_ ? kMaxStartupCompileMs : kMaxCompileStallMs;
  c.gpu_generic_macs_per_ms = gpu_generic_rate_;
  for (const auto& [k, rate] : gpu_shape_rate_)
    if (k == key) c.gpu_specialized_macs_per_ms = rate;
  c.cpu = cpu_cost_;
  c.force_cpu = force_cpu_;
  c.force_gpu = force_gpu_;
  c.gpu_name = software_gl_ ? "the software GPU (" + gl_renderer_.substr(0, gl_renderer_.find(' ')) + ")" : "the GPU";
  return c;
}

void RenderContext::note_gpu_rate(const std::string& key, double macs, double ms) {
  if (!(ms > 0) || !(macs > 0)) return;
  const double rate = macs / ms;
  if (key.empty()) {
    gpu_generic_rate_ = gpu_generic_rate_ > 0 ? 0.7 * gpu_generic_rate_ + 0.3 * rate : rate;
    return;
  }
  for (auto& [k, r] : gpu_shape_rate_)
    if (k == key) {
      r = 0.7 * r + 0.3 * rate;
      return;
    }
  if (gpu_shape_rate_.size() >= 64) gpu_shape_rate_.erase(gpu_shape_rate_.begin());
  gpu_shape_rate_.emplace_back(key, rate);
}

std::shared_ptr<const NetPrograms> RenderContext::specialized(const core::Layout& layout, std::uint32_t features,
                                                              bool compile) {
  if (!can_specialize(layout)) return nullptr;
  const std::string key = shape_key(layout, features);
  for (std::size_t i = 0; i < specialized_.size(); ++i)
    if (specialized_[i]->key == key) {
      std::rotate(specialized_.begin() + static_cast<std::ptrdiff_t>(i),
                  specialized_.begin() + static_cast<std::ptrdiff_t>(i) + 1, specialized_.end());
      return specialized_.back();
    }
  if (!compile) return nullptr;
  gl::StateGuard guard;  // warm_up() draws; callers may be mid-pass
  const auto t0 = Clock::now();
  auto built = std::make_shared<NetPrograms>(
      build_net_programs(key, specialized_macros(layout), specialized_forward(layout, features)));
  if (!built->ok()) {
    if (shader_error_.empty()) shader_error_ = built->error;  // the generic programs still serve
    return nullptr;
  }
  warm_up(*built, layout);
  compile_coef_ = ms_since(t0) / compile_work(layout.forward_macs());
  if (specialized_.size() >= kSpecializedCache) specialized_.erase(specialized_.begin());  // views keep theirs
  specialized_.push_back(std::move(built));
  return specialized_.back();
}

NetPrograms RenderContext::build_net_programs(const std::string& key, const std::string& macros,
                                              std::string_view forward) {
  namespace s = shader_text;
  const std::string defines = shader_defines();
  const std::string label = key.empty() ? std::string("generic") : "shape " + key;
  NetPrograms out;
  out.key = key;
  auto field = gl::build_program("field (" + label + ")", {kVersion, defines, s::field_vert},
                                 {kVersion, defines, macros, s::net_common_glsl, forward, s::field_colour_glsl, s::field_frag});
  auto atlas = gl::build_program("atlas (" + label + ")", {kVersion, defines, s::atlas_vert},
                                 {kVersion, defines, macros, s::net_common_glsl, forward, s::field_colour_glsl, s::field_frag});
  auto points = gl::build_program(
      "points (" + label + ")",
      {kVersion, defines, "#define NET_IN_SHADER 1\n", macros, s::net_common_glsl, forward, s::points_vert},
      {kVersion, s::points_frag});
  auto shade = gl::build_program("shade (" + label + ")", {kVersion, s::blit_vert},
                                 {kVersion, defines, macros, s::net_common_glsl, s::field_colour_glsl, s::shade_frag});
  for (auto* b : {&field, &atlas, &points, &shade})
    if (!b->error.empty() && out.error.empty()) out.error = b->error;
  out.field = std::move(field.program);
  out.atlas = std::move(atlas.program);
  out.points = std::move(points.program);
  out.shade = std::move(shade.program);
  for (const gl::Program* p : {&out.field, &out.atlas, &out.points, &out.shade})
    if (*p) prepare_program(p->get());
  return out;
}

// The calibration pass's two float targets, size x size.
void RenderContext::ensure_calib_raw(int size) {
  if (!calib_fbo_) {
    calib_fbo_ = gl::Framebuffer::create();
    for (gl::Texture& t : calib_tex_) t = gl::Texture::create();
  }
  glBindFramebuffer(GL_FRAMEBUFFER, calib_fbo_.get());
  if (size == calib_size_) return;
  calib_size_ = size;
  for (int i = 0; i < 2; ++i) {
    glBindTexture(GL_TEXTURE_2D, calib_tex_[i].get());
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA32F, size, size, 0, GL_RGBA, GL_FLOAT, nullptr);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0 + i, GL_TEXTURE_2D, calib_tex_[i].get(), 0);
  }
}

// The cost model's start-up measurements, a few milliseconds in all: the generic program's
// throughput on a 64 x 64 pass of a 2-[32,32]-1 network (after a 1 x 1 pass that makes the driver
// finish compiling it), and the CPU engine's time per pixel on two grids of different networks.
void RenderContext::calibrate() {
  const core::Layout small = core::Layout::from_sizes({2, 8, 8, 1}, {core::Activation::Tanh, core::Activation::Tanh},
                                                      core::OutputKind::SigmoidBce);
  const core::Layout big = core::Layout::from_sizes({2, 32, 32, 1}, {core::Activation::Tanh, core::Activation::Tanh},
                                                    core::OutputKind::SigmoidBce);
  auto net_of = [](const core::Layout& l) {
    auto n = std::make_shared<FieldNet>();
    n->layout = l;
    n->features = core::kX1 | core::kX2;
    n->params.resize(static_cast<std::size_t>(l.num_params));
    for (std::size_t i = 0; i < n->params.size(); ++i) n->params[i] = 0.3f * std::sin(0.7f * static_cast<float>(i));
    return n;
  };
  // CPU: best of two runs per network (the first warms the caches and the workspace).
  double cpu_ms[2] = {0, 0};
  const core::GridSpec grid{64, 64, -2, 2, -2, 2};
  const std::shared_ptr<FieldNet> nets[2] = {net_of(small), net_of(big)};
  for (int k = 0; k < 2; ++k) {
    ViewJob job;
    job.net = nets[k];
    job.grid = grid;
    double best = 1e30;
    for (int rep = 0; rep < 2; ++rep) {
      ViewResult r;
      run_view_job(job, r, ws_);
      best = std::min(best, r.ms);
    }
    cpu_ms[k] = best / (64.0 * 64.0);
  }
  cpu_cost_ = fit_cpu_cost(small.forward_macs(), cpu_ms[0], big.forward_macs(), cpu_ms[1]);
  // GPU: the generic program, parameters in the texture buffer.
  if (!generic_->ok()) return;
  const FieldNet& n = *nets[1];
  const NetBlock block = make_net_block(n.layout, n.features, 2);
  glBindBuffer(GL_UNIFORM_BUFFER, calib_net_ubo_.get());
  glBufferData(GL_UNIFORM_BUFFER, sizeof block, &block, GL_DYNAMIC_DRAW);
  glBindBuffer(GL_TEXTURE_BUFFER, calib_param_buffer_.get());
  glBufferData(GL_TEXTURE_BUFFER, static_cast<GLsizeiptr>(n.params.size() * sizeof(float)), n.params.data(),
               GL_STATIC_DRAW);
  glActiveTexture(GL_TEXTURE0 + kParamsUnit);
  glBindTexture(GL_TEXTURE_BUFFER, calib_param_texture_.get());
  glTexBuffer(GL_TEXTURE_BUFFER, GL_R32F, calib_param_buffer_.get());
  glBindBuffer(GL_TEXTURE_BUFFER, 0);
  reset_raster_state();
  const GLuint p = generic_->field.get();
  auto pass = [&](int size) {
    ensure_calib_raw(size);
    const GLenum buffers[2] = {GL_COLOR_ATTACHMENT0, GL_COLOR_ATTACHMENT1};
    glDrawBuffers(2, buffers);
    glViewport(0, 0, size, size);
    glUseProgram(p);
    glBindVertexArray(empty_vao_.get());
    glBindBufferBase(GL_UNIFORM_BUFFER, kNetBlockBinding, calib_net_ubo_.get());
    glActiveTexture(GL_TEXTURE0 + kParamsUnit);
    glBindTexture(GL_TEXTURE_BUFFER, calib_param_texture_.get());
    set_int(p, "u_mode", 3);
    set_int(p, "u_focus_layer", -1);
    set_int(p, "u_unit", 0);
    set_vec4(p, "u_rect", 0, 0, static_cast<float>(size), static_cast<float>(size));
    set_bounds(p, -2, 2, -2, 2);
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glDrawBuffers(1, buffers);
    glFinish();
  };
  pass(1);
  const auto t0 = Clock::now();
  pass(64);
  const double ms = ms_since(t0);
  if (ms > 0) gpu_generic_rate_ = static_cast<double>(n.layout.forward_macs()) * 64.0 * 64.0 / ms;
}

// Makes the driver finish compiling a new set of programs now, with 1 x 1 draws into targets of
// the formats they draw into (Mesa llvmpipe generates their code at the first draw), so that the
// compile is measured here and not by the first field pass's timer. The programs read the
// calibration network's block and zero weights sized for `layout`.
void RenderContext::warm_up(const NetPrograms& np, const core::Layout& layout) {
  if (!warm_fbo_) {
    warm_fbo_ = gl::Framebuffer::create();
    glBindFramebuffer(GL_FRAMEBUFFER, warm_fbo_.get());
    for (int i = 0; i < 2; ++i) {
      warm_tex_[i] = gl::Texture::create();
      glBindTexture(GL_TEXTURE_2D, warm_tex_[i].get());
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA32F, 1, 1, 0, GL_RGBA, GL_FLOAT, nullptr);
      glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0 + i, GL_TEXTURE_2D, warm_tex_[i].get(), 0);
    }
    warm_rgba_.ensure(1, 1, "warm-up");
  }
  const std::vector<float> zeros((static_cast<std::size_t>(layout.num_params) + 3) / 4 * 4 + 4, 0.0f);
  glBindBuffer(GL_UNIFORM_BUFFER, calib_param_ubo_.get());
  glBufferData(GL_UNIFORM_BUFFER, static_cast<GLsizeiptr>(zeros.size() * sizeof(float)), zeros.data(), GL_STREAM_DRAW);
  reset_raster_state();
  glBindVertexArray(empty_vao_.get());
  glBindBufferBase(GL_UNIFORM_BUFFER, kNetBlockBinding, calib_net_ubo_.get());
  glBindBufferBase(GL_UNIFORM_BUFFER, kParamBlockBinding, calib_param_ubo_.get());
  glActiveTexture(GL_TEXTURE0 + kParamsUnit);
  glBindTexture(GL_TEXTURE_BUFFER, calib_param_texture_.get());
  glBindFramebuffer(GL_FRAMEBUFFER, warm_fbo_.get());
  const GLenum buffers[2] = {GL_COLOR_ATTACHMENT0, GL_COLOR_ATTACHMENT1};
  glDrawBuffers(2, buffers);
  glViewport(0, 0, 1, 1);
  glUseProgram(np.field.get());
  set_int(np.field.get(), "u_mode", 3);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glDrawBuffers(1, buffers);
  glBindFramebuffer(GL_FRAMEBUFFER, warm_rgba_.framebuffer());
  glUseProgram(np.atlas.get());
  set_int(np.atlas.get(), "u_mode", 1);
  glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, 1);
  glUseProgram(np.shade.get());
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glEnable(GL_BLEND);
  glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glEnable(GL_PROGRAM_POINT_SIZE);
  glUseProgram(np.points.get());
  glBindVertexArray(warm_points_vao_.get());
  glDrawArrays(GL_POINTS, 0, 1);
  glDisable(GL_BLEND);
  glFinish();
}

}  // namespace mlpviz::render
