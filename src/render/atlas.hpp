// atlas.hpp: a view's neuron atlas: one thumbnail per unit (its activation over a square of the
// input plane), layer by layer, in one texture the Network panel draws its cells from. A Renderer
// (render/renderer.hpp) owns one and lends it, per call, the network it shows and how it
// evaluates it: the GPU draws all thumbnails in one instanced pass per layer (the view's
// programs), or the context's CPU worker computes them (render/field_worker.hpp) and the newest
// finished set is uploaded. Redraws are throttled while training (at most 8 a second, spaced by
// six times their cost for big networks) and take part in the view's frame spreading
// (render/view_common.hpp): they wait while the view's composition waits or a costly pass ran in
// this frame, and a costly redraw marks the frame. Screenshots (AtlasRequest::force) redraw now.
//
// UI thread, with the GL context current. All GL state touched is restored (gl::StateGuard).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/mlp.hpp"
#include "render/field_worker.hpp"
#include "render/gl.hpp"
#include "render/render_context.hpp"
#include "render/view_common.hpp"

namespace mlpviz::render {

struct AtlasRequest {
  Bounds bounds;      // the square of the plane every thumbnail shows
  int cell_px = 80;   // thumbnail size in pixels, 1-pixel gutter included
  float scale = 1.0f; // line widths
  bool force = false; // redraw now even if thumbnails are being throttled (screenshots)
};

// A thumbnail's texture rectangle for ImGui: (u0, v0) is its top-left corner.
struct AtlasCell {
  float u0 = 0, v0 = 0, u1 = 0, v1 = 0;
};

class Atlas {
 public:
  // What the view lends its atlas for one render(); the pointed-to values live during the call.
  struct Net {
    const core::Layout* layout = nullptr;
    std::uint64_t key = 0;                  // the view's network key
    bool gpu = false;                       // the GPU evaluates the network (else the CPU worker)
    const NetPrograms* programs = nullptr;  // gpu: the view's programs
    NetBuffers buffers;                     // gpu: where the view's network lives
    // !gpu: the view's network for the worker's jobs (built once per key, shared with the view's).
    const std::function<std::shared_ptr<const FieldNet>()>* worker_net = nullptr;
    core::Workspace<float>* ws = nullptr;   // !gpu: screenshots' thumbnails, computed here and now
  };
  // A GPU redraw slower than kTooSlowMs: its multiply-adds and time, for the cost model.
  struct SlowPass {
    double macs = 0, ms = 0;
  };
  static constexpr double kTooSlowMs = 250.0;

  // `ctx` must outlive the atlas; `client` is the view's slot in the context's worker.
  Atlas(RenderContext& ctx, int client) : ctx_(ctx), client_(client) {}
  Atlas(const Atlas&) = delete;
  Atlas& operator=(const Atlas&) = delete;

  // First in each frame's atlas call: a finished GPU timing into the sums; a slow one while the
  // GPU evaluates (`gpu`) is returned for the view's cost model.
  std::optional<SlowPass> poll_timer(bool gpu);
  // Thumbnails of `net`, redrawn only for a new key or bounds (throttled while training, see
  // above). `spread` is the view's; a GL error seen is kept in `gl_error` when that is empty.
  void render(const AtlasRequest& req, const Net& net, FrameSpread& spread, double now_s, std::string& gl_error);
  // The evaluator changed sides: what the texture holds is redrawn by the other.
  void invalidate() { key_net_ = ~0ull; }

  GLuint texture() const { return target_.texture(); }
  // One cell per node, layer-major: the features, every hidden layer's units, the outputs.
  const std::vector<AtlasCell>& cells() const { return cells_; }
  int cells_rendered() const { return rendered_cells_; }  // by the last render
  bool shows(std::uint64_t net_key) const { return key_net_ == net_key; }
  const std::vector<int>& sizes() const { return sizes_; }  // of the network the thumbnails show
  double gpu_ms() const { return timer_.last_ms(); }
  // Tests: how many cells in [first, first + count) hold a drawn thumbnail (opaque centre).
  int count_drawn_cells(int first, int count);

  // Sums of all finished GPU timings and CPU worker jobs (wall time on its thread), and how many
  // there were (frame statistics).
  double gpu_ms_sum = 0, cpu_ms_sum = 0;
  int gpu_count = 0, cpu_count = 0;

 private:
  void update_cpu(const AtlasRequest& req, const Net& net, int cell, double now_s);
  void upload(const AtlasResult& r, double now_s);

  RenderContext& ctx_;
  const int client_;
  gl::RenderTarget target_;
  gl::GpuTimer timer_;
  double timed_macs_ = 0.0;  // of the redraw being timed
  std::vector<AtlasCell> cells_;
  int columns_ = 1;
  int cell_px_ = 0;
  std::uint64_t key_net_ = ~0ull;  // the network the thumbnails show
  std::vector<int> sizes_;
  Bounds bounds_;
  double rendered_at_ = -1e9;
  double cpu_ms_ = 0.0;            // the worker's last job
  bool in_flight_ = false;         // a worker job out
  int rendered_cells_ = 0;
};

}  // namespace mlpviz::render
