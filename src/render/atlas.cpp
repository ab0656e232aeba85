#include "render/atlas.hpp"

#include <algorithm>

#include "render/cpu_field.hpp"
#include "render/passes.hpp"

namespace mlpviz::render {
namespace {

using namespace passes;

constexpr double kMinInterval = 1.0 / 8.0;  // seconds between thumbnail redraws while training

void set_bounds(GLuint p, const Bounds& b) { passes::set_bounds(p, b.x_min, b.x_max, b.y_min, b.y_max); }

}  // namespace

void NetBuffers::bind() const {
  glBindBufferBase(GL_UNIFORM_BUFFER, kNetBlockBinding, net_ubo);
  glBindBufferBase(GL_UNIFORM_BUFFER, kParamBlockBinding, param_ubo);
  glActiveTexture(GL_TEXTURE0 + kParamsUnit);
  glBindTexture(GL_TEXTURE_BUFFER, param_texture);
}

std::optional<Atlas::SlowPass> Atlas::poll_timer(bool gpu) {
  const std::optional<double> ms = timer_.poll_ms();
  if (!ms) return std::nullopt;
  gpu_ms_sum += *ms;
  ++gpu_count;
  if (*ms > kTooSlowMs && gpu) return SlowPass{timed_macs_, *ms};
  return std::nullopt;
}

void Atlas::render(const AtlasRequest& req, const Net& net, FrameSpread& spread, double now_s,
                   std::string& gl_error) {
  const core::Layout& layout = *net.layout;
  gl::StateGuard guard;
  reset_raster_state();
  int nodes = 0;
  for (int s : layout.sizes) nodes += s;
  const int cell = std::clamp(req.cell_px, 8, 256);
  if (static_cast<int>(cells_.size()) != nodes || cell != cell_px_) {
    cell_px_ = cell;
    columns_ = std::clamp(2048 / cell, 1, std::max(nodes, 1));
    const int rows = (nodes + columns_ - 1) / columns_;
    target_.ensure(columns_ * cell, std::max(rows, 1) * cell, "neuron atlas");
    const float W = static_cast<float>(target_.width()), H = static_cast<float>(target_.height());
    cells_.resize(static_cast<std::size_t>(nodes));
    for (int c = 0; c < nodes; ++c) {
      const float x0 = static_cast<float>((c % columns_) * cell + 1);
      const float y0 = static_cast<float>((c / columns_) * cell + 1);
      const float size = static_cast<float>(cell - 2);
      cells_[static_cast<std::size_t>(c)] = {x0 / W, (y0 + size) / H, (x0 + size) / W, y0 / H};
    }
    key_net_ = ~0ull;
    glBindFramebuffer(GL_FRAMEBUFFER, target_.framebuffer());
    glViewport(0, 0, target_.width(), target_.height());
    glClearColor(0, 0, 0, 0);
    glClear(GL_COLOR_BUFFER_BIT);
  }
  if (!net.gpu) {
    update_cpu(req, net, cell, now_s);
    return;
  }
  if (key_net_ == net.key && bounds_ == req.bounds) return;
  // While training, thumbnails follow at about 8 per second (small pictures: smooth enough),
  // and big networks, whose thumbnails cost several field renders, keep them to about a sixth
  // of the time by spacing redraws by six times their last cost.
  const double cost_ms = timer_.last_ms();
  const double interval = std::min(0.5, std::max(kMinInterval, 6.0 * cost_ms / 1000.0));
  if (!req.force && key_net_ != ~0ull && now_s - rendered_at_ < interval) return;
  if (!req.force && key_net_ != ~0ull && (spread.compose_waiting || spread.wait(cost_ms, now_s))) return;

  const int L = layout.depth();
  {
    const bool timing = timer_.begin();
    if (timing) {
      // Each thumbnail runs the network up to its layer.
      timed_macs_ = 0;
      double upto = 0;
      const double px = static_cast<double>(cell - 2) * (cell - 2);
      for (int l = 0; l <= L; ++l) {
        if (l > 0) {
          const core::LayerLayout& ll = layout.layers[static_cast<std::size_t>(l - 1)];
          upto += static_cast<double>(ll.in + 1) * ll.out;
        }
        timed_macs_ += std::max(upto, 1.0) * px * layout.sizes[static_cast<std::size_t>(l)];
      }
    }
    const GLuint p = net.programs->atlas.get();
    glBindFramebuffer(GL_FRAMEBUFFER, target_.framebuffer());
    glViewport(0, 0, target_.width(), target_.height());
    glClearColor(0, 0, 0, 0);
    glClear(GL_COLOR_BUFFER_BIT);
    glUseProgram(p);
    glBindVertexArray(ctx_.empty_vao());
    net.buffers.bind();
    set_int(p, "u_mode", 1);
    set_bounds(p, req.bounds);
    set_float(p, "u_line_px", std::max(1.0f, 1.4f * req.scale));
    set_int(p, "u_output_levels", 0);
    set_int(p, "u_columns", columns_);
    set_float(p, "u_cell_px", static_cast<float>(cell));
    set_vec2(p, "u_target_px", static_cast<float>(target_.width()), static_cast<float>(target_.height()));
    int first = 0;
    for (int l = 0; l <= L; ++l) {
      const int n = layout.sizes[static_cast<std::size_t>(l)];
      set_int(p, "u_focus_layer", l);
      set_int(p, "u_first_cell", first);
      set_float(p, "u_level_step", unit_level_step(layout, l));
      glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, n);
      first += n;
    }
    if (timing) timer_.end();
  }
  key_net_ = net.key;
  sizes_ = layout.sizes;
  bounds_ = req.bounds;
  rendered_at_ = now_s;
  if (!req.force) spread.ran(cost_ms, now_s);
  rendered_cells_ = nodes;
  if (gl_error.empty()) gl_error = gl::take_error();
}

// The thumbnails from the CPU worker: the newest finished set is uploaded; a new job goes out
// when the network or the bounds moved on, no sooner than the GPU path would redraw.
void Atlas::update_cpu(const AtlasRequest& req, const Net& net, int cell, double now_s) {
  const core::Layout& layout = *net.layout;
  FieldWorker& worker = ctx_.worker();
  if (auto r = worker.take_atlas(client_)) {
    in_flight_ = false;
    cpu_ms_sum += r->ms;
    ++cpu_count;
    cpu_ms_ = r->ms;
    // A result for an older layout (resized cells, another shape) is dropped.
    if (r->job.cell_px == cell && r->job.columns == columns_ && r->job.width == target_.width() &&
        r->job.height == target_.height() && r->job.net->layout.sizes == layout.sizes)
      upload(*r, now_s);
  }
  if (key_net_ == net.key && bounds_ == req.bounds) return;
  AtlasJob job;
  job.net = (*net.worker_net)();
  job.grid = req.bounds.grid(cell - 2, cell - 2);
  job.cell_px = cell;
  job.columns = columns_;
  job.width = target_.width();
  job.height = target_.height();
  for (int l = 0; l <= layout.depth(); ++l) job.level_steps.push_back(unit_level_step(layout, l));
  job.client = client_;
  if (req.force) {  // screenshots: the thumbnails of this very network, now
    AtlasResult r;
    run_atlas_job(job, r, *net.ws);
    upload(r, now_s);
    return;
  }
  const double interval = std::min(0.5, std::max(kMinInterval, 6.0 * cpu_ms_ / 1000.0));
  if (in_flight_ || (key_net_ != ~0ull && now_s - rendered_at_ < interval)) return;
  worker.submit_atlas(std::move(job));
  in_flight_ = true;
}

// A finished set of thumbnails into the atlas texture, and what it now shows.
void Atlas::upload(const AtlasResult& r, double now_s) {
  glBindTexture(GL_TEXTURE_2D, target_.texture());
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, r.job.width, r.job.height, GL_RGBA, GL_UNSIGNED_BYTE, r.rgba.data());
  key_net_ = r.job.net->key;
  sizes_ = r.job.net->layout.sizes;
  const core::GridSpec& g = r.job.grid;
  bounds_ = {g.x_min, g.x_max, g.y_min, g.y_max};
  rendered_at_ = now_s;
  rendered_cells_ = static_cast<int>(cells_.size());
}

int Atlas::count_drawn_cells(int first, int count) {
  if (!target_.texture() || cells_.empty()) return 0;
  gl::StateGuard guard;
  const int W = target_.width(), H = target_.height();
  std::vector<std::uint8_t> rgba(static_cast<std::size_t>(W) * H * 4);
  glBindFramebuffer(GL_FRAMEBUFFER, target_.framebuffer());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, W, H, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  int drawn = 0;
  for (int c = first; c < first + count && c < static_cast<int>(cells_.size()); ++c) {
    const AtlasCell& cell = cells_[static_cast<std::size_t>(c)];
    const int x = static_cast<int>(0.5f * (cell.u0 + cell.u1) * W);
    const int y = static_cast<int>(0.5f * (cell.v0 + cell.v1) * H);
    if (rgba[(static_cast<std::size_t>(y) * W + x) * 4 + 3] == 255) ++drawn;
  }
  return drawn;
}

}  // namespace mlpviz::render
