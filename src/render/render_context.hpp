// render_context.hpp: what every view of one GL context shares: the compiled programs (the generic
// set and a small cache of sets generated per network shape), the cost model's measurements that
// decide who evaluates a network (render/field_policy.hpp: the GPU programs' throughput, the CPU
// engine's, the compile time of a generated set) and the one CPU field worker (each view is a
// client of it, with its own latest-wins job slots).
//
// A render::Renderer is one network's view of the plane (render/renderer.hpp): the window's main
// network and each compared network has one, all drawing with this context's programs, so a shape
// compiled for one view is ready for the others and the measured rates serve them all.
//
// Thread ownership: the UI thread, with the GL context current (the worker's own thread only runs
// jobs). Must outlive every Renderer made with it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/mlp.hpp"
#include "render/field_policy.hpp"
#include "render/field_worker.hpp"
#include "render/gl.hpp"

namespace mlpviz::render {

// The four programs that evaluate a network: for one shape (generated) or generic. Views hold them
// by shared_ptr, so the cache can drop a shape another view still draws with.
struct NetPrograms {
  std::string key;  // render/net_codegen.hpp shape_key; empty for the generic set
  gl::Program field, atlas, points, shade;
  std::string error;
  bool ok() const { return field && atlas && points && shade; }
};

class RenderContext {
 public:
  RenderContext();  // needs a current GL 3.3 core context; shader problems become shader_error()
  ~RenderContext();
  RenderContext(const RenderContext&) = delete;
  RenderContext& operator=(const RenderContext&) = delete;

  // MLPVIZ_FIELD: cpu evaluates on the CPU always; gpu keeps the GPU even where it is slow. Views
  // read these at their next decision.
  void set_force_cpu(bool on) { force_cpu_ = on; }
  void set_force_gpu(bool on) { force_gpu_ = on; }

  // The cost model's inputs for a network of this shape drawn over `pixels` pixels (the policy's
  // key is the shape: its generated program's compile time and measured rate).
  FieldCase field_case(const core::Layout& layout, std::uint32_t features, double pixels) const;
  // The first network decided may take the start-up compile budget; later ones the policy's.
  void first_network_done() { first_network_ = false; }

  const std::shared_ptr<const NetPrograms>& generic() const { return generic_; }
  // The generated programs for this shape: from the cache, or compiled (and timed) now when
  // `compile`; null when neither (the caller draws with generic()). A failed compile becomes
  // shader_error() and leaves the generic programs serving.
  std::shared_ptr<const NetPrograms> specialized(const core::Layout& layout, std::uint32_t features, bool compile);

  // Measured throughputs feed the model: a program's (key "" is the generic one) and the CPU's.
  void note_gpu_rate(const std::string& key, double macs, double ms);
  CpuCost& cpu_cost() { return cpu_cost_; }

  // The CPU worker (started on first use), and the client ids of its views: the lowest free one for
  // a new view, given back when the view goes (the window has at most five views; a ninth would
  // share the last id, and the two would only drop each other's results).
  FieldWorker& worker();
  bool worker_started() const { return worker_ != nullptr; }  // its thread exists
  int new_client();
  void release_client(int id);

  const std::string& shader_error() const { return shader_error_; }
  bool parallel_shader_compile() const { return parallel_compile_; }
  GLint max_texture_buffer() const { return max_texture_buffer_; }
  // Programs and objects shared by the views' passes.
  GLuint blit_program() const { return blit_program_.get(); }
  GLuint points_cpu_program() const { return points_cpu_program_.get(); }
  GLuint empty_vao() const { return empty_vao_.get(); }
  const std::string& gl_error() const { return gl_error_; }  // of start-up ("" if none)

 private:
  NetPrograms build_net_programs(const std::string& key, const std::string& macros, std::string_view forward);
  void calibrate();
  void warm_up(const NetPrograms& p, const core::Layout& layout);
  void ensure_calib_raw(int size);

  std::shared_ptr<const NetPrograms> generic_;
  std::vector<std::shared_ptr<const NetPrograms>> specialized_;  // most recently used last
  bool force_cpu_ = false;
  bool force_gpu_ = false;
  std::string shader_error_;
  std::string gl_error_;
  std::string gl_renderer_;
  bool software_gl_ = false;     // llvmpipe, softpipe, SwiftShader
  GLint max_texture_buffer_ = 0;
  bool parallel_compile_ = false;  // GL_KHR/ARB_parallel_shader_compile offered
  // The cost model's measurements.
  double gpu_generic_rate_ = 0.0;                              // multiply-adds per ms
  std::vector<std::pair<std::string, double>> gpu_shape_rate_;  // generated programs, measured
  CpuCost cpu_cost_;                                            // fitted at start-up, refined by jobs
  double compile_coef_ = 0.0;                                   // generated programs' compile time
  bool first_network_ = true;                                   // start-up: the first shape may take longer

  gl::Program blit_program_, points_cpu_program_;
  gl::VertexArray empty_vao_, warm_points_vao_;
  gl::Buffer warm_points_vbo_;
  // Calibration and warm-up: a network block, its parameters (texture buffer and uniform block)
  // and small targets, never a view's.
  gl::Buffer calib_net_ubo_, calib_param_ubo_, calib_param_buffer_;
  gl::Texture calib_param_texture_;
  gl::Framebuffer calib_fbo_;
  gl::Texture calib_tex_[2];
  int calib_size_ = 0;
  gl::Framebuffer warm_fbo_;
  gl::Texture warm_tex_[2];
  gl::RenderTarget warm_rgba_;

  std::unique_ptr<FieldWorker> worker_;
  bool client_used_[FieldWorker::kMaxClients] = {};
  core::Workspace<float> ws_;
};

}  // namespace mlpviz::render
