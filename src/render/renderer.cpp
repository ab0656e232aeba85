#include "render/renderer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>

#include "core/palette.hpp"
#include "render/cpu_field.hpp"
#include "render/passes.hpp"
#include "render/net_block.hpp"
#include "render/net_codegen.hpp"

namespace mlpviz::render {
namespace {

using namespace passes;

constexpr double kSettleSeconds = 0.3;  // a network unchanged this long is drawn at full resolution
// While training moves the network, the view is re-evaluated no sooner than this many times its
// last measured GPU cost (evaluation + shading) after the previous time (about 6% of the time),
// and at least every kFieldMaxInterval seconds. Measured on llvmpipe (BENCHMARKS.md): the shading
// pass at the view's resolution costs several times the evaluation at the moving resolution.
constexpr double kFieldCostFactor = 16.0;
constexpr double kFieldMaxInterval = 0.1;
// The three costly passes of a view update (the thumbnails, the field's evaluation, the view's
// shading) are spread over frames while training: kSpreadMinMs, FrameSpread (view_common.hpp).
// A thumbnail redraw slower than Atlas::kTooSlowMs counts as a GPU too slow for the shape (its
// measured rate goes into the cost model). The CPU worker rests as long as its last job took
// between jobs, so that it takes at most about half a core from the trainer and the UI (they
// share the machine).

void set_bounds(GLuint p, const Bounds& b) { passes::set_bounds(p, b.x_min, b.x_max, b.y_min, b.y_max); }

}  // namespace

Renderer::Renderer(RenderContext& ctx) : ctx_(ctx), client_(ctx.new_client()), atlas_(ctx, client_) {
  gl::StateGuard guard;
  points_vao_ = gl::VertexArray::create();
  points_vbo_ = gl::Buffer::create();
  net_ubo_ = gl::Buffer::create();
  param_ubo_ = gl::Buffer::create();
  param_buffer_ = gl::Buffer::create();
  param_texture_ = gl::Texture::create();
  gl::label(GL_BUFFER, net_ubo_.get(), "NetBlock");
  gl::label(GL_BUFFER, param_ubo_.get(), "ParamBlock");
  gl::label(GL_BUFFER, param_buffer_.get(), "parameters");
  glBindVertexArray(points_vao_.get());
  glBindBuffer(GL_ARRAY_BUFFER, points_vbo_.get());
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
  const float no_point[4] = {0, 0, 0, 0};
  glBufferData(GL_ARRAY_BUFFER, sizeof no_point, no_point, GL_DYNAMIC_DRAW);
  gl_error_ = ctx_.gl_error();
  if (gl_error_.empty()) gl_error_ = gl::take_error();
  update_status();
}

// Programs for the current network: generated for its shape when compiled already (the
// context's cache) or when `compile` allows it now (the cost model's choice), else the generic
// ones; none when neither compiled.
void Renderer::choose_programs(bool compile) {
  const std::string key = shape_key(layout_, features_);
  if (key == active_key_ && active_ && (specialized() || !compile)) return;
  active_key_ = key;
  active_ = ctx_.specialized(layout_, features_, compile);
  if (!active_ && ctx_.generic()->ok()) active_ = ctx_.generic();
}

Renderer::~Renderer() { ctx_.release_client(client_); }

void Renderer::set_network(const NetSource& net, double now_s) {
  if (!net.layout || !net.params) return;
  if (have_net_ && net.key == net_key_) return;
  layout_ = *net.layout;
  features_ = net.features;
  classes_ = net.classes;
  params_ = *net.params;
  net_key_ = net.key;
  have_net_ = true;
  net_changed_at_ = now_s;
  upload_network();
}

void Renderer::upload_network() {
  gl::StateGuard guard;
  decide_evaluator();
  ctx_.first_network_done();
  if (!active_) return;
  // The shading pass reads the shape (NetBlock) whichever side evaluates; the parameters go to
  // the GPU only when it evaluates.
  const NetBlock block = make_net_block(layout_, features_, classes_);
  glBindBuffer(GL_UNIFORM_BUFFER, net_ubo_.get());
  glBufferData(GL_UNIFORM_BUFFER, sizeof block, &block, GL_DYNAMIC_DRAW);
  if (!gpu_field()) return;
  if (specialized()) {
    // std140 vec4 array: the flat buffer padded to whole vec4s.
    std::vector<float> padded((params_.size() + 3) / 4 * 4 + 4, 0.0f);
    std::copy(params_.begin(), params_.end(), padded.begin());
    glBindBuffer(GL_UNIFORM_BUFFER, param_ubo_.get());
    glBufferData(GL_UNIFORM_BUFFER, static_cast<GLsizeiptr>(padded.size() * sizeof(float)), padded.data(),
                 GL_STREAM_DRAW);
    return;
  }
  glBindBuffer(GL_TEXTURE_BUFFER, param_buffer_.get());
  const std::size_t n = std::max<std::size_t>(params_.size(), 1);
  const float zero = 0.0f;
  glBufferData(GL_TEXTURE_BUFFER, static_cast<GLsizeiptr>(n * sizeof(float)),
               params_.empty() ? &zero : params_.data(), GL_STREAM_DRAW);
  glActiveTexture(GL_TEXTURE0 + kParamsUnit);
  glBindTexture(GL_TEXTURE_BUFFER, param_texture_.get());
  glTexBuffer(GL_TEXTURE_BUFFER, GL_R32F, param_buffer_.get());
  glBindBuffer(GL_TEXTURE_BUFFER, 0);
}

// Who evaluates the network, and why the CPU does when it does (cpu_reason_): the cost model
// (render/field_policy.hpp) decides before anything is drawn or compiled; then the fallbacks.
void Renderer::decide_evaluator() {
  std::string why;
  if (!have_net_) {
    why = "no network yet";
  } else {
    const std::string key = shape_key(layout_, features_);
    // The view's size of the last frame (the network arrives before this frame's view request).
    const double pixels = last_view_w_ > 0 ? static_cast<double>(last_view_w_) * last_view_h_ : 1200.0 * 800.0;
    const FieldCase c = ctx_.field_case(layout_, features_, pixels);
    case_ = c;
    choice_ = choose_field_path(c);
    if (key != decided_key_) {
      decided_key_ = key;
      field_scale_ = choice_.gpu_scale;  // the new shape's own cost, until its passes are timed
    }
    const bool gpu_wants_specialized = choice_.path == FieldPath::Gpu && choice_.program == GpuProgram::Specialized;
    choose_programs(gpu_wants_specialized);
    if (choice_.path == FieldPath::Gpu && choice_.program == GpuProgram::Generic && specialized()) active_ = ctx_.generic();
    params_fit_ = specialized() || layout_.num_params <= ctx_.max_texture_buffer();
    if (choice_.path == FieldPath::Cpu) why = choice_.reason;
    else if (!active_) why = "fallback: " + ctx_.shader_error();
    else if (!params_fit_)
      why = "fallback: the network's " + std::to_string(layout_.num_params) +
            " parameters exceed the GPU's texture buffer of " + std::to_string(ctx_.max_texture_buffer());
  }
  const bool was_gpu = cpu_reason_.empty();
  cpu_reason_ = why;
  if (was_gpu != cpu_reason_.empty()) {
    field_key_ = FieldKey{};  // what the textures hold came from the other side
    atlas_.invalidate();
    view_dirty_ = true;
    if (gpu_field()) field_scale_ = choice_.gpu_scale;
  }
  if (!gpu_field() && have_net_ && !worker_) worker_ = &ctx_.worker();
  update_status();
}

// A generated program's measured throughput for the current shape (multiply-adds per ms).
void Renderer::note_gpu_rate(double macs, double ms) {
  ctx_.note_gpu_rate(specialized() ? active_key_ : std::string(), macs, ms);
}

float Renderer::level_step(int layer) const { return unit_level_step(layout_, layer); }

// The thumbnails: the atlas's timing first (a slow GPU redraw feeds the cost model, which may
// hand the shape to the CPU worker), then the atlas with this view's network and spreading.
void Renderer::render_atlas(const AtlasRequest& req, double now_s) {
  if (auto slow = atlas_.poll_timer(gpu_field())) {
    note_gpu_rate(slow->macs, slow->ms);
    decide_evaluator();
  }
  if (!have_net_) return;
  const std::function<std::shared_ptr<const FieldNet>()> net_for_worker = [this] { return worker_net(); };
  Atlas::Net net;
  net.layout = &layout_;
  net.key = net_key_;
  net.gpu = gpu_field();
  net.programs = active_.get();
  net.buffers = net_buffers();
  net.worker_net = &net_for_worker;
  net.ws = &ws_;
  atlas_.render(req, net, spread_, now_s, gl_error_);
}

std::shared_ptr<const FieldNet> Renderer::worker_net() {
  if (!worker_net_ || worker_net_->key != net_key_) {
    auto n = std::make_shared<FieldNet>();
    n->layout = layout_;
    n->features = features_;
    n->params = params_;
    n->key = net_key_;
    worker_net_ = std::move(n);
  }
  return worker_net_;
}

// Two passes: field.frag evaluates the raw values (logits, or a unit's z and a) at fw x fh into
// two float textures (here); shade.frag colours them at the view's w x h (shade_field, when the
// view is composed), drawing lines from the interpolated values, so the boundary stays crisp
// while the evaluation runs at a lower resolution.
void Renderer::render_field_gpu(int fw, int fh, int w, const Bounds& b, const Focus& f) {
  ensure_raw_textures(fw, fh);
  const GLenum buffers[2] = {GL_COLOR_ATTACHMENT0, GL_COLOR_ATTACHMENT1};
  glDrawBuffers(2, buffers);
  glViewport(0, 0, fw, fh);
  GLuint p = active_->field.get();
  glUseProgram(p);
  glBindVertexArray(ctx_.empty_vao());
  bind_network();
  set_int(p, "u_mode", 3);
  set_int(p, "u_focus_layer", f.layer);
  set_int(p, "u_unit", f.unit);
  set_vec4(p, "u_rect", 0, 0, static_cast<float>(fw), static_cast<float>(fh));
  set_bounds(p, b);
  // Only the evaluation is timed: its cost follows the resolution, the shading's does not.
  const bool timing = field_timer_.begin();
  glDrawArrays(GL_TRIANGLES, 0, 3);
  if (timing) {
    field_timer_.end();
    field_timed_scale_ = static_cast<float>(fw) / w;
    field_timed_macs_ = static_cast<double>(fw) * fh * layout_.forward_macs();
  }
  glDrawBuffers(1, buffers);
}

// The two float textures of raw values at fw x fh, attached to raw_fbo_ (left bound).
void Renderer::ensure_raw_textures(int fw, int fh) {
  if (!raw_fbo_) {
    raw_fbo_ = gl::Framebuffer::create();
    for (gl::Texture& t : raw_tex_) {
      t = gl::Texture::create();
      glBindTexture(GL_TEXTURE_2D, t.get());
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
      gl::label(GL_TEXTURE, t.get(), "raw field values");
    }
  }
  glBindFramebuffer(GL_FRAMEBUFFER, raw_fbo_.get());
  if (fw != raw_w_ || fh != raw_h_) {
    raw_w_ = fw;
    raw_h_ = fh;
    for (int i = 0; i < 2; ++i) {
      glBindTexture(GL_TEXTURE_2D, raw_tex_[i].get());
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA32F, fw, fh, 0, GL_RGBA, GL_FLOAT, nullptr);
      glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0 + i, GL_TEXTURE_2D, raw_tex_[i].get(), 0);
    }
  }
}

// The shading pass (see render_field_gpu) into the bound framebuffer's w x h viewport.
void Renderer::shade_field(int w, int h, const Bounds& view, const Bounds& raw, const Focus& f, float line_px,
                           bool levels) {
  glViewport(0, 0, w, h);
  const GLuint p = active_->shade.get();
  glBindVertexArray(ctx_.empty_vao());
  bind_network();
  glUseProgram(p);
  for (int i = 0; i < 2; ++i) {
    glActiveTexture(GL_TEXTURE0 + (i == 0 ? kImageUnit : kRaw1Unit));
    glBindTexture(GL_TEXTURE_2D, raw_tex_[i].get());
  }
  set_int(p, "u_focus_layer", f.layer);
  set_int(p, "u_unit", f.unit);
  set_vec4(p, "u_rect", 0, 0, static_cast<float>(w), static_cast<float>(h));
  // The raw values may cover other bounds than the view (the CPU worker's result for a view being
  // panned or zoomed): map the view's t in [0,1]^2 to theirs, so the field stays under the data.
  const double sx = (view.x_max - view.x_min) / (raw.x_max - raw.x_min);
  const double sy = (view.y_max - view.y_min) / (raw.y_max - raw.y_min);
  set_vec4(p, "u_raw_map", static_cast<float>(sx), static_cast<float>(sy),
           static_cast<float>((view.x_min - raw.x_min) / (raw.x_max - raw.x_min)),
           static_cast<float>((view.y_min - raw.y_min) / (raw.y_max - raw.y_min)));
  set_float(p, "u_line_px", line_px);
  set_float(p, "u_level_step", level_step(f.layer));
  set_int(p, "u_output_levels", levels ? 1 : 0);
  glDrawArrays(GL_TRIANGLES, 0, 3);
}

// The field textures now hold what `k` describes.
void Renderer::field_now_holds(const FieldKey& k, const std::vector<int>& sizes, double now_s) {
  field_key_ = k;
  field_rendered_at_ = now_s;
  field_sizes_ = sizes;
  field_scale_used_ = static_cast<float>(k.field_w) / std::max(k.width, 1);
  update_status();
}

void Renderer::upload_view_result(const ViewResult& r) {
  const int w = r.job.grid.width, h = r.job.grid.height;
  if (r.job.raw) {
    ensure_raw_textures(w, h);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    for (int i = 0; i < 2; ++i) {
      const std::vector<float>& v = i == 0 ? r.raw0 : r.raw1;
      if (v.empty()) continue;  // logits 4-5 only with more than four outputs
      glBindTexture(GL_TEXTURE_2D, raw_tex_[i].get());
      glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RGBA, GL_FLOAT, v.data());
    }
    return;
  }
  field_.ensure(w, h, "field");
  glBindTexture(GL_TEXTURE_2D, field_.texture());
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, r.rgba.data());
}

// The CPU worker's side of the view: takes a finished result, and sends a job for `key` when the
// textures do not hold it and none is on its way. While the network changes, one job at a time
// with a rest as long as the last one; a still network's full-resolution job goes at once and is
// dropped half-way if the network moves on. Screenshots evaluate here and now. Returns whether the
// field textures changed.
bool Renderer::update_field_cpu(const FieldKey& key, const ViewRequest& req, bool moving, double now_s) {
  bool changed = false;
  if (auto r = worker_->take_view(client_)) {
    view_job_done_at_ = now_s;
    view_job_ms_ = r->ms;
    field_cpu_ms_sum += r->ms;
    ++field_cpu_count;
    // Refine the CPU cost model: scale it towards this job's measured time (damped: jobs share
    // the cores with the trainer and vary).
    const double px = static_cast<double>(r->job.grid.width) * r->job.grid.height;
    const double predicted = ctx_.cpu_cost().ms(r->job.net->layout.forward_macs(), px);
    if (r->ms > 0.5 && predicted > 0) {
      const double f = std::clamp(std::sqrt(r->ms / predicted), 0.5, 2.0);
      ctx_.cpu_cost().ms_per_pixel *= f;
      ctx_.cpu_cost().macs_per_ms /= f;
    }
    for (std::size_t i = 0; i < view_in_flight_.size(); ++i)
      if (view_in_flight_[i].serial == r->job.serial) {
        const FieldKey done = view_in_flight_[i].key;
        view_in_flight_.erase(view_in_flight_.begin(), view_in_flight_.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        if (done.raw == (active_ != nullptr)) {  // else the shading programs came or went meanwhile
          upload_view_result(*r);
          field_now_holds(done, r->job.net->layout.sizes, now_s);
          changed = true;
        }
        break;
      }
  }
  // Aim the moving resolution at kCpuFieldTargetMs with the cost model.
  cpu_scale_ = scale_for(ctx_.cpu_cost().ms(layout_.forward_macs(), static_cast<double>(req.width) * req.height),
                         kCpuFieldTargetMs, kMinCpuFieldScale);
  if (key == field_key_) return changed;
  for (const InFlight& f : view_in_flight_)
    if (f.key == key) return changed;
  ViewJob job;
  job.net = worker_net();
  job.grid = req.bounds.grid(key.field_w, key.field_h);
  job.layer = key.focus.layer;
  job.unit = key.focus.unit;
  job.raw = key.raw;
  job.level_step = level_step(key.focus.layer);
  job.output_levels = key.levels;
  job.client = client_;
  if (req.full_resolution) {
    ViewResult r;
    run_view_job(job, r, ws_);
    upload_view_result(r);
    field_now_holds(key, layout_.sizes, now_s);
    return true;
  }
  bool all_cancellable = true;
  for (const InFlight& f : view_in_flight_) all_cancellable = all_cancellable && f.cancellable;
  if (moving && (!all_cancellable || now_s - view_job_done_at_ < view_job_ms_ / 1000.0)) return changed;
  job.cancellable = !moving;
  // A cancellable job in flight stops (or never starts) once this one is submitted.
  std::erase_if(view_in_flight_, [](const InFlight& f) { return f.cancellable; });
  view_in_flight_.push_back({worker_->submit_view(std::move(job)), key, !moving});
  return changed;
}

void Renderer::render_view(const ViewRequest& req, double now_s) {
  if (auto ms = field_timer_.poll_ms()) {
    field_gpu_ms_sum += *ms;
    ++field_gpu_count;
    // Cost grows with the pixel count: aim the scale at the target time, rising slowly.
    const float ideal = field_timed_scale_ * static_cast<float>(std::sqrt(kFieldTargetMs / std::max(*ms, 0.01)));
    field_scale_ = std::clamp(std::min(ideal, field_scale_ * 1.15f), kMinFieldScale, 1.0f);
    // The measured rate feeds the cost model, which may hand the shape to the CPU worker.
    if (gpu_field()) {
      note_gpu_rate(field_timed_macs_, *ms);
      decide_evaluator();
    }
  }
  if (auto ms = compose_timer_.poll_ms()) {
    compose_ms_ = *ms;
    compose_gpu_ms_sum += *ms;
    ++compose_gpu_count;
  }
  if (req.width < 1 || req.height < 1 || !have_net_) {
    spread_.compose_waiting = false;  // nothing shown waits
    return;
  }
  gl::StateGuard guard;
  reset_raster_state();
  const bool resized = view_.width() != req.width || view_.height() != req.height;
  view_.ensure(req.width, req.height, "boundary view");

  const int L = layout_.depth();
  Focus focus = req.focus;
  if (focus.layer > L || (focus.layer >= 0 && focus.unit >= layout_.sizes[static_cast<std::size_t>(focus.layer)]))
    focus = Focus{};
  // The CPU path also follows a view being panned, zoomed or resized at the moving resolution
  // (a full-resolution job per frame would be cancelled by the next, and nothing would arrive).
  if (!(req.bounds == last_view_bounds_) || req.width != last_view_w_ || req.height != last_view_h_) {
    const bool resized_view = req.width != last_view_w_ || req.height != last_view_h_;
    view_changed_at_ = now_s;
    last_view_bounds_ = req.bounds;
    last_view_w_ = req.width;
    last_view_h_ = req.height;
    if (resized_view) decide_evaluator();  // the cost model counts the view's pixels
  }
  const bool gpu = gpu_field();
  const double changed_at = gpu ? net_changed_at_ : std::max(net_changed_at_, view_changed_at_);
  const bool moving = !req.full_resolution && now_s - changed_at < kSettleSeconds;
  const float scale = !moving ? 1.0f : (gpu ? field_scale_ : cpu_scale_);
  const int fw = std::max(1, static_cast<int>(std::lround(req.width * scale)));
  const int fh = std::max(1, static_cast<int>(std::lround(req.height * scale)));
  const float line_px = std::max(1.0f, 2.2f * req.style.scale);
  // Raw values and the shading pass wherever a shading program exists; else colours (CPU).
  const bool raw = active_ != nullptr;
  FieldKey key{net_key_, req.width, req.height, fw, fh, req.bounds, focus, line_px, req.style.output_levels, gpu, raw};
  bool field_changed = false;
  if (!gpu) {
    field_changed = update_field_cpu(key, req, moving, now_s);
  } else if (!(key == field_key_) && !defer_field(key, moving, now_s)) {
    render_field_gpu(fw, fh, req.width, req.bounds, focus);
    ++field_gpu_renders;
    field_now_holds(key, layout_.sizes, now_s);
    field_changed = true;
    if (moving) spread_.ran(field_timer_.last_ms(), now_s);
  }
  // Which points are misclassified: in the points shader while that is cheap, else by the CPU
  // worker at most once a second, else not at all (the largest networks on 100,000 points:
  // running the network per point and frame made the window unresponsive).
  const double point_macs = req.data ? static_cast<double>(req.data->points.size()) * layout_.forward_macs() : 0.0;
  points_in_shader_ = gpu && point_macs <= kPointsShaderMaxMacs;
  const bool cpu_classes = !points_in_shader_ && point_macs <= kPointsCpuMaxMacs;
  rings_off_ = !points_in_shader_ && !cpu_classes && req.data && !req.data->points.empty();
  const std::uint64_t points_serial = points_upload_serial_;
  if (req.data) update_points(*req.data, req.data_version, cpu_classes, req.full_resolution, now_s);
  // A new field alone (the network trained on) may be shaded on the next frame (kSpreadMinMs).
  const bool only_field = field_changed && !view_dirty_ && !resized && points_upload_serial_ == points_serial &&
                          req.data == view_data_ && req.data_version == view_data_version_ &&
                          req.style == view_style_;
  if (points_upload_serial_ != points_serial) view_dirty_ = true;
  if (field_changed || resized || req.data != view_data_ || req.data_version != view_data_version_ ||
      !(req.style == view_style_))
    view_dirty_ = true;
  view_data_ = req.data;
  view_data_version_ = req.data_version;
  view_style_ = req.style;
  if (!view_dirty_) return;
  if (only_field && moving && gpu && !spread_.compose_waiting && spread_.wait(compose_ms_, now_s)) {
    spread_.compose_waiting = true;
    return;
  }
  spread_.compose_waiting = false;

  const bool timing = compose_timer_.begin();
  glBindFramebuffer(GL_FRAMEBUFFER, view_.framebuffer());
  glViewport(0, 0, req.width, req.height);
  // Nothing evaluated yet (the CPU worker's first result on its way) shows the background.
  if (field_key_.net != 0 && field_key_.raw && active_) {
    // Shade the evaluated values straight into the view (no intermediate colour texture).
    shade_field(req.width, req.height, req.bounds, field_key_.bounds, field_key_.focus, field_key_.line_px,
                field_key_.levels);
  } else if (field_key_.net != 0 && ctx_.blit_program()) {
    draw_texture(field_.texture(), req.width, req.height);
  } else {
    const core::Rgb bg = core::kBackground;
    glClearColor(bg.r, bg.g, bg.b, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
  }
  if (req.data) {
    if (points_in_shader_) {
      draw_points(req);  // rings follow the network: drawn with it
    } else {
      // The points alone change only with the data, the style, the view or the CPU's rings:
      // drawn once into their own layer and blended over each new field (100,000 points cost
      // a software rasterizer far more than the blend).
      const PointsLayerKey pk{req.data, req.data_version, points_upload_serial_, req.width, req.height, req.bounds,
                              req.style};
      if (!(pk == points_layer_key_)) {
        points_layer_.ensure(req.width, req.height, "points layer");
        glBindFramebuffer(GL_FRAMEBUFFER, points_layer_.framebuffer());
        glViewport(0, 0, req.width, req.height);
        glClearColor(0, 0, 0, 0);
        glClear(GL_COLOR_BUFFER_BIT);
        draw_points(req);
        points_layer_key_ = pk;
        glBindFramebuffer(GL_FRAMEBUFFER, view_.framebuffer());
        glViewport(0, 0, req.width, req.height);
      }
      if (ctx_.blit_program()) {
        glEnable(GL_BLEND);
        glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);  // the layer is premultiplied
        draw_texture(points_layer_.texture(), req.width, req.height);
        glDisable(GL_BLEND);
      }
    }
  }
  if (timing) compose_timer_.end();
  view_dirty_ = false;
  if (gl_error_.empty()) gl_error_ = gl::take_error();
}

// A new snapshot of the same shape while the network keeps changing: its field waits until
// kFieldCostFactor x the last measured cost of a view update has passed since the previous one
// (at most kFieldMaxInterval), so that on a slow GPU (a software rasterizer) following training
// takes a bounded share of the frame time. A fast GPU's cost is a fraction of a millisecond: it
// follows every snapshot. A change of view, focus or style, a new shape, the network holding
// still (full resolution) and screenshots (not `moving`) are never deferred.
bool Renderer::defer_field(const FieldKey& key, bool moving, double now_s) {
  if (!moving || field_key_.net == 0 || !field_key_.gpu || field_sizes_ != layout_.sizes) return false;
  FieldKey same = key;
  same.net = field_key_.net;
  same.field_w = field_key_.field_w;
  same.field_h = field_key_.field_h;
  if (!(same == field_key_)) return false;
  // The previous field is shaded first, and a costly pass of this frame goes first.
  if (spread_.compose_waiting || spread_.wait(field_timer_.last_ms(), now_s)) return true;
  const double cost_ms = field_timer_.last_ms() + compose_ms_;
  const double interval = std::min(kFieldMaxInterval, kFieldCostFactor * cost_ms / 1000.0);
  return now_s - field_rendered_at_ < interval;
}

// A texture stretched over the bound framebuffer's w x h viewport (blit.frag).
void Renderer::draw_texture(GLuint texture, int w, int h) {
  const GLuint p = ctx_.blit_program();
  glUseProgram(p);
  glBindVertexArray(ctx_.empty_vao());
  glActiveTexture(GL_TEXTURE0 + kImageUnit);
  glBindTexture(GL_TEXTURE_2D, texture);
  set_vec4(p, "u_rect", 0, 0, static_cast<float>(w), static_cast<float>(h));
  glDrawArrays(GL_TRIANGLES, 0, 3);
}

void Renderer::blit_view(int x, int y) {
  if (!view_.framebuffer() || view_.width() < 1) return;
  gl::StateGuard guard;
  GLint target = 0;
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &target);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, view_.framebuffer());
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, static_cast<GLuint>(target));
  glDisable(GL_SCISSOR_TEST);
  glBlitFramebuffer(0, 0, view_.width(), view_.height(), x, y, x + view_.width(), y + view_.height(),
                    GL_COLOR_BUFFER_BIT, GL_NEAREST);
}

// The points' buffer, and for the CPU's rings the classes the network decides: asked of the
// worker for a new network at most once a second (at once for new data), uploaded when they come
// back for the data they were asked for. Screenshots classify here and now.
void Renderer::update_points(const core::Dataset& data, std::uint64_t version, bool cpu_classes, bool now,
                             double now_s) {
  bool upload = version != points_data_version_ || &data != points_data_;
  if (&data != points_coords_data_ || version != points_coords_version_) {
    auto x1 = std::make_shared<std::vector<double>>(), x2 = std::make_shared<std::vector<double>>();
    x1->reserve(data.points.size());
    x2->reserve(data.points.size());
    for (const core::Point& p : data.points) {
      x1->push_back(p.x1);
      x2->push_back(p.x2);
    }
    points_x1_ = std::move(x1);
    points_x2_ = std::move(x2);
    points_coords_data_ = &data;
    points_coords_version_ = version;
    point_classes_.clear();
    points_cpu_key_ = ~0ull;
    points_classified_at_ = -1e9;
  }
  auto accept = [&](ClassesResult& r) {
    if (r.job.data_version != version || r.classes.size() != data.points.size()) return;
    point_classes_ = std::move(r.classes);
    points_cpu_key_ = r.job.net->key;
    upload = true;
  };
  if (worker_)
    if (auto r = worker_->take_classes(client_)) {
      classes_in_flight_ = false;
      accept(*r);
    }
  if (cpu_classes && have_net_ && !data.points.empty() && points_cpu_key_ != net_key_) {
    ClassesJob job{worker_net(), points_x1_, points_x2_, version, client_};
    if (now) {
      ClassesResult r;
      run_classes_job(job, r, ws_);
      accept(r);
    } else if (!classes_in_flight_ && now_s - points_classified_at_ >= 1.0) {
      if (!worker_) worker_ = &ctx_.worker();
      worker_->submit_classes(std::move(job));
      classes_in_flight_ = true;
      points_classified_at_ = now_s;
    }
  }
  if (!upload) return;
  const bool rings = cpu_classes && point_classes_.size() == data.points.size();
  std::vector<float> v;
  v.reserve(data.points.size() * 4);
  for (std::size_t i = 0; i < data.points.size(); ++i) {
    const core::Point& p = data.points[i];
    int flags = p.test ? 1 : 0;
    if (rings && point_classes_[i] != p.label) flags |= 2;
    v.insert(v.end(), {static_cast<float>(p.x1), static_cast<float>(p.x2), static_cast<float>(p.label),
                       static_cast<float>(flags)});
  }
  glBindBuffer(GL_ARRAY_BUFFER, points_vbo_.get());
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(std::max<std::size_t>(v.size(), 4) * sizeof(float)),
               v.empty() ? nullptr : v.data(), GL_DYNAMIC_DRAW);
  point_count_ = static_cast<int>(data.points.size());
  points_data_version_ = version;
  points_data_ = &data;
  ++points_upload_serial_;
}

void Renderer::draw_points(const ViewRequest& req) {
  const bool net = points_in_shader_;
  const GLuint p = net ? active_->points.get() : ctx_.points_cpu_program();
  if (!p || point_count_ == 0) return;
  glUseProgram(p);
  glBindVertexArray(points_vao_.get());
  if (net) {
    bind_network();
  } else {
    std::array<float, 24> pal{};
    for (std::size_t k = 0; k < 6; ++k) {
      pal[4 * k] = core::kClassColors[k].r;
      pal[4 * k + 1] = core::kClassColors[k].g;
      pal[4 * k + 2] = core::kClassColors[k].b;
      pal[4 * k + 3] = 1.0f;
    }
    glUniform4fv(loc(p, "u_palette_cpu"), 6, pal.data());
  }
  // Many points shrink (down to half size from 1,500 on) so that the data stays readable as a
  // cloud instead of a solid mass, and the field shows between them.
  const float s = req.style.scale;
  const float crowd = std::clamp(std::sqrt(1500.0f / static_cast<float>(std::max(point_count_, 1))), 0.5f, 1.0f);
  set_bounds(p, req.bounds);
  set_float(p, "u_radius_px", req.style.point_radius * s * crowd);
  set_float(p, "u_ring_px", std::max(1.5f, 1.6f * s));
  set_float(p, "u_outline_px", std::max(1.0f, 1.1f * s));
  glEnable(GL_BLEND);
  glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glEnable(GL_PROGRAM_POINT_SIZE);
  // Training points first, test rings on top.
  if (req.style.show_train) {
    set_int(p, "u_show", 1);
    glDrawArrays(GL_POINTS, 0, point_count_);
  }
  if (req.style.show_test) {
    set_int(p, "u_show", 2);
    glDrawArrays(GL_POINTS, 0, point_count_);
  }
}

void Renderer::update_status() { status_ = status_text(field_scale_used_); }

std::string Renderer::status(bool full_resolution) const {
  return full_resolution ? status_text(1.0f) : status_;
}

std::string Renderer::status_text(float scale) const {
  std::string s;
  if (gpu_field()) {
    if (specialized()) s = "GPU field";
    else if (can_specialize(layout_) && !ctx_.shader_error().empty()) s = "GPU field (generic shader; " + ctx_.shader_error() + ")";
    else s = "GPU field (generic shader: network too big for a generated one)";
  } else {
    s = "CPU field (" + cpu_reason_ + ")";
  }
  if (scale < 0.999f)
    s += ", " + std::to_string(static_cast<int>(std::lround(scale * 100))) + "% resolution while it changes";
  if (rings_off_) s += "; misclassified rings off (too many points for this network)";
  return s;
}

std::vector<std::uint8_t> Renderer::class_ids(int width, int height, const Bounds& bounds) {
  if (!gpu_field() || !have_net_ || width < 1 || height < 1) return {};
  gl::StateGuard guard;
  reset_raster_state();
  class_target_.ensure(width, height, "class ids");
  const GLuint p = active_->field.get();
  glBindFramebuffer(GL_FRAMEBUFFER, class_target_.framebuffer());
  glViewport(0, 0, width, height);
  glUseProgram(p);
  glBindVertexArray(ctx_.empty_vao());
  bind_network();
  set_int(p, "u_mode", 2);
  set_int(p, "u_focus_layer", 0);
  set_int(p, "u_unit", 0);
  set_vec4(p, "u_rect", 0, 0, static_cast<float>(width), static_cast<float>(height));
  set_bounds(p, bounds);
  set_float(p, "u_line_px", 1.0f);
  set_float(p, "u_level_step", 0.1f);
  set_int(p, "u_output_levels", 0);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  std::vector<std::uint8_t> rgba(static_cast<std::size_t>(width) * height * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  std::vector<std::uint8_t> out(static_cast<std::size_t>(width) * height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      out[static_cast<std::size_t>(height - 1 - y) * width + x] = rgba[(static_cast<std::size_t>(y) * width + x) * 4];
  return out;
}

}  // namespace mlpviz::render
