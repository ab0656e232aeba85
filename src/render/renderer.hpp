// renderer.hpp: one network's view: the textures the window shows, drawn from a snapshot's
// network: the boundary view (the field plus the data points, into a rectangle of the size the
// caller asks for) and, when asked, the neuron atlas (one thumbnail per unit, layer by layer).
// What views of one GL context share (programs, the cost model, the CPU worker) is their
// RenderContext (render/render_context.hpp): the window's main network and each compared one
// has a Renderer of its own on the one context.
//
// Per frame, on the UI thread with the GL context current:
//   set_network()   the network to show (a snapshot's or a replayed timeline frame's parameters);
//                   uploads the parameters once per new key
//   render_atlas()  thumbnails (render/atlas.hpp), redrawn only for a new key (throttled when
//                   they are expensive)
//   render_view()   after the UI has decided the view's size; redrawn only when its inputs change
//   blit_view()     copies the view under the UI (the App calls it after clearing the screen)
// The network is evaluated per pixel by shaders/field.frag, compiled for the network's shape
// (render/net_codegen.hpp) or, for big networks, generic. The view takes two passes: the raw
// values (logits, or a unit's z and a) at an adaptive resolution into float textures, then a
// shading pass at the view's resolution that colours them and draws the lines. While the network
// keeps changing the evaluation resolution follows GPU timer queries, and a new snapshot of the
// same shape is drawn no sooner than a multiple of the last update's measured cost after the
// previous one (at least 10 times a second; every snapshot on a fast GPU); once it holds still it
// is full, and screenshots are always current and full. Who evaluates, the GPU or the CPU engine on a worker thread (render/field_worker.hpp), is
// decided before anything is drawn by the cost model of render/field_policy.hpp: multiply-adds per
// pixel x pixels against the throughput of each path (the generic program's calibrated at start-up
// by a small pass, a generated program's measured by its own timed passes, the CPU worker's fitted
// at start-up from two small grids and refined by its jobs), and the predicted compile time of a
// shape's generated program (compiling blocks the frame: after start-up a shape that would take
// longer than field_policy's budget is not compiled). The CPU also evaluates when the shader path
// is missing (compile failure, parameters beyond the texture buffer limit, MLPVIZ_FIELD=cpu). Its
// raw values go through the same shading pass, so the view looks the same; the window shows the
// last finished result meanwhile and never waits for the worker, except for screenshots.
// status() says which path is in use and why. All GL state touched is restored before returning
// (gl::StateGuard).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/data.hpp"
#include "core/evaluate.hpp"
#include "core/mlp.hpp"
#include "render/atlas.hpp"
#include "render/field_policy.hpp"
#include "render/field_worker.hpp"
#include "render/gl.hpp"
#include "render/render_context.hpp"
#include "render/view_common.hpp"

namespace mlpviz::render {

// The network to draw. The pointed-to values must stay alive during the call that receives it.
struct NetSource {
  const core::Layout* layout = nullptr;
  std::uint32_t features = 0;
  int classes = 2;
  const core::Params* params = nullptr;
  std::uint64_t key = 0;  // must change whenever layout or params change
};

// What the view shows: the output field (layer < 0) or one unit (0 = a feature, L = an output).
struct Focus {
  int layer = -1;
  int unit = 0;
  bool operator==(const Focus&) const = default;
};

struct ViewStyle {
  float scale = 1.0f;           // HiDPI x presentation scale: multiplies line widths and radii
  float point_radius = 5.0f;    // pixels at scale 1
  bool output_levels = true;    // level curves of the output every 0.1
  bool show_train = true;
  bool show_test = true;
  bool operator==(const ViewStyle&) const = default;
};

struct ViewRequest {
  int width = 0, height = 0;  // framebuffer pixels (nothing is drawn below 1 x 1)
  Bounds bounds;
  Focus focus;
  ViewStyle style;
  const core::Dataset* data = nullptr;
  std::uint64_t data_version = 0;
  bool full_resolution = false;  // never reduce the field's resolution (screenshots)
};

class Renderer {
 public:
  // Needs a current GL 3.3 core context; `ctx` must outlive the view. Shader problems become
  // status(), not throws.
  explicit Renderer(RenderContext& ctx);
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  // MLPVIZ_FIELD: cpu evaluates on the CPU always; gpu keeps the GPU even where it is slow (set
  // on the context, for every view).
  void set_force_cpu(bool on) { ctx_.set_force_cpu(on); decide_evaluator(); }
  void set_force_gpu(bool on) { ctx_.set_force_gpu(on); decide_evaluator(); }
  void set_network(const NetSource& net, double now_s);
  void render_atlas(const AtlasRequest& req, double now_s);
  void render_view(const ViewRequest& req, double now_s);

  GLuint view_texture() const { return view_.texture(); }
  // Copies the view into the bound draw framebuffer with its bottom-left corner at (x, y) pixels
  // (a plain copy: cheaper than a textured quad for a software rasterizer).
  void blit_view(int x, int y);
  int view_width() const { return view_.width(); }
  int view_height() const { return view_.height(); }
  // The thumbnails (render/atlas.hpp): its texture, one cell per node (layer-major: the features,
  // every hidden layer's units, the outputs), its timings and counts.
  const Atlas& atlas() const { return atlas_; }
  GLuint atlas_texture() const { return atlas_.texture(); }
  const std::vector<AtlasCell>& atlas_cells() const { return atlas_.cells(); }
  int atlas_cells_rendered() const { return atlas_.cells_rendered(); }  // by the last atlas render
  bool atlas_current() const { return atlas_.shows(net_key_); }  // thumbnails show the net

  bool gpu_field() const { return cpu_reason_.empty(); }  // the GPU evaluates the network
  // The cost model's last decision and what it was fed (frame statistics, tests).
  const FieldChoice& field_choice() const { return choice_; }
  const FieldCase& field_case() const { return case_; }
  bool parallel_shader_compile() const { return ctx_.parallel_shader_compile(); }
  // Layer sizes of the network the field texture and the thumbnails now show (empty: none yet).
  const std::vector<int>& field_sizes() const { return field_sizes_; }
  const std::vector<int>& atlas_sizes() const { return atlas_.sizes(); }
  bool specialized() const { return active_ != nullptr && active_ != ctx_.generic(); }
  float field_scale() const { return field_scale_used_; }  // resolution of the last field render
  double field_gpu_ms() const { return field_timer_.last_ms(); }
  double atlas_gpu_ms() const { return atlas_.gpu_ms(); }
  // Sums of all finished GPU timings and how many there were (frame statistics; the atlas's are
  // atlas().gpu_ms_sum and so on).
  double field_gpu_ms_sum = 0;
  int field_gpu_count = 0;
  long long field_gpu_renders = 0;  // GPU evaluations of the view's field
  double compose_gpu_ms_sum = 0;  // the view's shading + points passes (timed ones)
  int compose_gpu_count = 0;
  // The same for the CPU worker's jobs (wall time on its thread).
  double field_cpu_ms_sum = 0;
  int field_cpu_count = 0;
  // One line: the path in use and why; full_resolution: as it will read after a full-resolution
  // render (screenshots).
  std::string status(bool full_resolution = false) const;
  const std::string& gl_error() const { return gl_error_; }  // last GL error seen ("" if none)

  // Tests: the decided class per pixel of a width x height view of `bounds`, row 0 at the top,
  // from the shader path (empty without it). Independent of what is on screen.
  std::vector<std::uint8_t> class_ids(int width, int height, const Bounds& bounds);
  // Tests: how many atlas cells in [first, first + count) hold a drawn thumbnail (opaque centre).
  int count_drawn_cells(int first, int count) { return atlas_.count_drawn_cells(first, count); }

 private:
  void upload_network();
  void bind_network() const { net_buffers().bind(); }
  NetBuffers net_buffers() const { return {net_ubo_.get(), param_ubo_.get(), param_texture_.get()}; }
  void render_field_gpu(int fw, int fh, int w, const Bounds& b, const Focus& f);
  void shade_field(int w, int h, const Bounds& view, const Bounds& raw, const Focus& f, float line_px, bool levels);
  void ensure_raw_textures(int fw, int fh);
  struct FieldKey;
  bool update_field_cpu(const FieldKey& key, const ViewRequest& req, bool moving, double now_s);
  void upload_view_result(const ViewResult& r);
  void field_now_holds(const FieldKey& k, const std::vector<int>& sizes, double now_s);
  bool defer_field(const FieldKey& key, bool moving, double now_s);
  void note_gpu_rate(double macs, double ms);  // into the context's model, for this shape
  void draw_texture(GLuint texture, int w, int h);
  std::shared_ptr<const FieldNet> worker_net();
  void decide_evaluator();
  void update_points(const core::Dataset& data, std::uint64_t version, bool cpu_classes, bool now, double now_s);
  void draw_points(const ViewRequest& req);
  void update_status();
  std::string status_text(float scale) const;
  float level_step(int layer) const;

  void choose_programs(bool compile);

  RenderContext& ctx_;
  const int client_;                                 // this view's slots in the context's worker
  std::shared_ptr<const NetPrograms> active_;        // for the current network, or none
  std::string active_key_;
  bool params_fit_ = true;
  // Why the CPU evaluates ("" while the GPU does): see decide_evaluator().
  std::string cpu_reason_ = "no network yet";
  // The cost model's last decision for this view's network and what it was fed.
  FieldCase case_;
  FieldChoice choice_;
  std::string decided_key_;                         // the shape choice_ was first made for
  std::vector<int> field_sizes_;
  std::string status_;
  std::string gl_error_;
  gl::Framebuffer raw_fbo_;       // the view's raw values (two RGBA32F attachments)
  gl::Texture raw_tex_[2];
  int raw_w_ = 0, raw_h_ = 0;
  gl::VertexArray points_vao_;
  gl::Buffer net_ubo_, param_ubo_, param_buffer_, points_vbo_;
  gl::Texture param_texture_;
  gl::RenderTarget field_, view_, class_target_;
  gl::GpuTimer field_timer_;
  gl::GpuTimer compose_timer_;  // the view's shading and points (after an evaluation or alone)
  double compose_ms_ = 0.0;
  double field_rendered_at_ = -1e9;  // when the field textures were last filled
  // Spreading while training (render/view_common.hpp, kSpreadMinMs), shared with the atlas.
  FrameSpread spread_;

  // The network shown (copied: snapshots are released after the frame).
  core::Layout layout_;
  std::uint32_t features_ = 0;
  int classes_ = 2;
  core::Params params_;
  std::uint64_t net_key_ = 0;
  bool have_net_ = false;
  double net_changed_at_ = 0.0;

  // Field cache: what the field texture holds.
  struct FieldKey {
    std::uint64_t net = 0;
    int width = 0, height = 0, field_w = 0, field_h = 0;
    Bounds bounds;
    Focus focus;
    float line_px = 0;
    bool levels = false;
    bool gpu = false;  // evaluated by the GPU (else by the CPU worker)
    bool raw = false;  // raw values in raw_tex_ for the shading pass (else colours in field_)
    bool operator==(const FieldKey&) const = default;
  };
  FieldKey field_key_;
  // The CPU worker and its jobs in flight (the serial each was submitted under, and its key).
  FieldWorker* worker_ = nullptr;  // the context's, once this view used it
  std::shared_ptr<const FieldNet> worker_net_;
  struct InFlight {
    std::uint64_t serial = 0;
    FieldKey key;
    bool cancellable = false;
  };
  std::vector<InFlight> view_in_flight_;
  float cpu_scale_ = 0.25f;          // resolution of the CPU field while the network changes
  double view_job_done_at_ = -1e9;
  double view_changed_at_ = -1e9;  // the view's bounds or size last changed
  Bounds last_view_bounds_;
  int last_view_w_ = 0, last_view_h_ = 0;
  double view_job_ms_ = 0.0;
  float field_scale_ = 1.0f;       // adaptive resolution while the network changes
  float field_scale_used_ = 1.0f;
  float field_timed_scale_ = 1.0f;  // resolution of the render being timed
  double field_timed_macs_ = 0.0;   // its multiply-adds
  bool view_dirty_ = true;
  std::uint64_t view_data_version_ = ~0ull;
  const core::Dataset* view_data_ = nullptr;
  ViewStyle view_style_;

  // Points.
  int point_count_ = 0;
  std::uint64_t points_data_version_ = ~0ull;
  std::uint64_t points_cpu_key_ = ~0ull;
  // Misclassified points: found by the points shader up to kPointsShaderMaxMacs multiply-adds
  // per draw (points x network), by the CPU worker at most once a second up to
  // kPointsCpuMaxMacs (about 0.1 s of its time), otherwise not ringed (and the status says so).
  static constexpr double kPointsShaderMaxMacs = 2e7;
  static constexpr double kPointsCpuMaxMacs = 1e9;
  const core::Dataset* points_data_ = nullptr;  // what the buffer was uploaded from
  const core::Dataset* points_coords_data_ = nullptr;
  std::uint64_t points_coords_version_ = ~0ull;
  std::shared_ptr<const std::vector<double>> points_x1_, points_x2_;  // for the worker's class jobs
  std::vector<int> point_classes_;  // the worker's last classes for the current data
  bool classes_in_flight_ = false;
  std::uint64_t points_upload_serial_ = 0;  // bumped by every upload_points
  // The points drawn alone into points_layer_ (when their rings do not follow the network).
  struct PointsLayerKey {
    const core::Dataset* data = nullptr;
    std::uint64_t data_version = ~0ull, upload = ~0ull;
    int width = 0, height = 0;
    Bounds bounds;
    ViewStyle style;
    bool operator==(const PointsLayerKey&) const = default;
  };
  PointsLayerKey points_layer_key_;
  gl::RenderTarget points_layer_;
  bool points_in_shader_ = false;
  bool rings_off_ = false;
  double points_classified_at_ = -1e9;

  core::Workspace<float> ws_;  // screenshots' CPU jobs (the view's and the atlas's)
  Atlas atlas_;                // after client_: made with it
};

}  // namespace mlpviz::render
