#include "render/field_worker.hpp"

#include <algorithm>
#include <chrono>

#include "core/data.hpp"
#include "render/cpu_field.hpp"

namespace mlpviz::render {
namespace {

constexpr int kChunk = 4096;  // points per forward pass: keeps the workspace in cache

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Pixel centres of grid pixels [start, start + n) (row-major from the top).
void grid_points(const core::GridSpec& g, int start, int n, std::vector<double>& x1, std::vector<double>& x2) {
  x1.resize(static_cast<std::size_t>(n));
  x2.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const int p = start + i;
    x1[static_cast<std::size_t>(i)] = g.x_at(p % g.width);
    x2[static_cast<std::size_t>(i)] = g.y_at(p / g.width);
  }
}

}  // namespace

bool run_view_job(const ViewJob& job, ViewResult& out, core::Workspace<float>& ws,
                  const std::atomic<std::uint64_t>* newest_serial) {
  const auto t0 = Clock::now();
  const FieldNet& net = *job.net;
  const core::Layout& layout = net.layout;
  const core::GridSpec& g = job.grid;
  const int W = g.width, H = g.height, N = W * H;
  out.job = job;
  out.macs = static_cast<double>(N) * layout.forward_macs();
  if (!job.raw) {
    cpu_field_rgba(layout, net.features, net.params.data(), g, job.layer, job.unit, job.level_step,
                   job.output_levels, out.rgba, ws);
    out.ms = ms_since(t0);
    return true;
  }
  const int L = layout.depth();
  const int layer = job.layer < 0 ? L : std::clamp(job.layer, 0, L);
  const bool logits = layer == L;
  const int K = layout.sizes.back();
  const int unit = std::clamp(job.unit, 0, layout.sizes[static_cast<std::size_t>(layer)] - 1);
  out.raw0.assign(static_cast<std::size_t>(N) * 4, 0.0f);
  if (logits && K > 4) out.raw1.assign(static_cast<std::size_t>(N) * 4, 0.0f);
  else out.raw1.clear();
  std::vector<double> x1, x2;
  core::MatX<float> X;
  for (int start = 0; start < N; start += kChunk) {
    if (job.cancellable && newest_serial && newest_serial->load(std::memory_order_relaxed) != job.serial) return false;
    const int n = std::min(kChunk, N - start);
    grid_points(g, start, n, x1, x2);
    core::build_features<float>(net.features, x1.data(), x2.data(), n, X);
    core::forward<float>(layout, net.params.data(), X, ws);
    for (int i = 0; i < n; ++i) {
      const int p = start + i;
      const std::size_t t = (static_cast<std::size_t>(H - 1 - p / W) * W + p % W) * 4;  // bottom row first
      if (logits) {
        // field.frag writes the output layer's pre-activations (its generic forward applies the
        // identity to the last layer): Z[L].
        const core::MatX<float>& Z = ws.Z[static_cast<std::size_t>(L)];
        for (int k = 0; k < K && k < 6; ++k) (k < 4 ? out.raw0[t + k] : out.raw1[t + k - 4]) = Z(k, i);
      } else if (layer == 0) {
        const float a = ws.A[0](unit, i);
        out.raw0[t] = a;
        out.raw0[t + 1] = a;
      } else {
        out.raw0[t] = ws.Z[static_cast<std::size_t>(layer)](unit, i);
        out.raw0[t + 1] = ws.A[static_cast<std::size_t>(layer)](unit, i);
      }
    }
  }
  out.ms = ms_since(t0);
  return true;
}

void run_atlas_job(const AtlasJob& job, AtlasResult& out, core::Workspace<float>& ws) {
  const auto t0 = Clock::now();
  const FieldNet& net = *job.net;
  const core::Layout& layout = net.layout;
  const int L = layout.depth();
  const int S = job.grid.width;  // square thumbnails
  const int P = S * job.grid.height;
  out.job = job;
  out.rgba.assign(static_cast<std::size_t>(job.width) * job.height * 4, 0);
  // Every layer's activations over the thumbnail grid, one forward pass per chunk.
  std::vector<core::MatX<float>> acts(static_cast<std::size_t>(L) + 1);
  for (int l = 0; l <= L; ++l) acts[static_cast<std::size_t>(l)].resize(layout.sizes[static_cast<std::size_t>(l)], P);
  std::vector<double> x1, x2;
  core::MatX<float> X;
  for (int start = 0; start < P; start += kChunk) {
    const int n = std::min(kChunk, P - start);
    grid_points(job.grid, start, n, x1, x2);
    core::build_features<float>(net.features, x1.data(), x2.data(), n, X);
    core::forward<float>(layout, net.params.data(), X, ws);
    for (int l = 0; l <= L; ++l) acts[static_cast<std::size_t>(l)].middleCols(start, n) = ws.A[static_cast<std::size_t>(l)];
  }
  const std::size_t stride = static_cast<std::size_t>(job.width) * 4;
  const bool multiclass = layout.sizes.back() > 1;
  int c = 0;
  for (int l = 0; l <= L; ++l) {
    const core::MatX<float>& A = acts[static_cast<std::size_t>(l)];
    const core::Activation act = l == 0 ? core::Activation::Identity : layout.layers[static_cast<std::size_t>(l - 1)].act;
    const float step = l < static_cast<int>(job.level_steps.size()) ? job.level_steps[static_cast<std::size_t>(l)] : 0.5f;
    for (int u = 0; u < A.rows(); ++u, ++c) {
      const int x0 = (c % job.columns) * job.cell_px + 1;
      const int y0 = (c / job.columns) * job.cell_px + 1;
      if (x0 + S > job.width || y0 + job.grid.height > job.height) continue;
      std::uint8_t* dst = out.rgba.data() + static_cast<std::size_t>(y0) * stride + static_cast<std::size_t>(x0) * 4;
      unit_rgba(A.data() + u, static_cast<std::size_t>(A.rows()), S, job.grid.height, act, l == L, multiclass, u,
                step, dst, stride);
    }
  }
  out.ms = ms_since(t0);
}

void run_classes_job(const ClassesJob& job, ClassesResult& out, core::Workspace<float>& ws) {
  const auto t0 = Clock::now();
  const FieldNet& net = *job.net;
  const int n = static_cast<int>(job.x1->size());
  out.job = job;
  out.classes.clear();
  out.classes.reserve(static_cast<std::size_t>(n));
  core::MatX<float> X;
  std::vector<int> chunk;
  for (int start = 0; start < n; start += kChunk) {
    const int m = std::min(kChunk, n - start);
    core::build_features<float>(net.features, job.x1->data() + start, job.x2->data() + start, m, X);
    core::forward<float>(net.layout, net.params.data(), X, ws);
    core::predict_classes<float>(ws.A[static_cast<std::size_t>(net.layout.depth())], chunk);
    out.classes.insert(out.classes.end(), chunk.begin(), chunk.end());
  }
  out.ms = ms_since(t0);
}

FieldWorker::FieldWorker() : thread_([this] { loop(); }) {}

FieldWorker::~FieldWorker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
    view_job_.reset();
    atlas_job_.reset();
    classes_job_.reset();
  }
  view_serial_.fetch_add(1);  // a cancellable job in progress stops at its next chunk
  wake_.notify_all();
  thread_.join();
}

std::uint64_t FieldWorker::submit_view(ViewJob job) {
  std::uint64_t serial = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    serial = view_serial_.load() + 1;
    job.serial = serial;
    view_serial_.store(serial);
    view_job_ = std::move(job);
  }
  wake_.notify_one();
  return serial;
}

void FieldWorker::submit_atlas(AtlasJob job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job.serial = ++atlas_serial_;
    atlas_job_ = std::move(job);
  }
  wake_.notify_one();
}

void FieldWorker::submit_classes(ClassesJob job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    classes_job_ = std::move(job);
  }
  wake_.notify_one();
}

std::optional<ClassesResult> FieldWorker::take_classes() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::optional<ClassesResult> r = std::move(classes_done_);
  classes_done_.reset();
  return r;
}

std::optional<ViewResult> FieldWorker::take_view() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::optional<ViewResult> r = std::move(view_done_);
  view_done_.reset();
  return r;
}

std::optional<AtlasResult> FieldWorker::take_atlas() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::optional<AtlasResult> r = std::move(atlas_done_);
  atlas_done_.reset();
  return r;
}

bool FieldWorker::view_busy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return view_job_.has_value() || view_running_;
}

bool FieldWorker::atlas_busy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return atlas_job_.has_value() || atlas_running_;
}

void FieldWorker::loop() {
  core::Workspace<float> ws;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return quit_ || view_job_ || atlas_job_ || classes_job_; });
    if (quit_) return;
    if (view_job_) {
      ViewJob job = std::move(*view_job_);
      view_job_.reset();
      view_running_ = true;
      lock.unlock();
      ViewResult r;
      const bool done = run_view_job(job, r, ws, &view_serial_);
      lock.lock();
      view_running_ = false;
      if (done) view_done_ = std::move(r);
    } else if (atlas_job_) {
      AtlasJob job = std::move(*atlas_job_);
      atlas_job_.reset();
      atlas_running_ = true;
      lock.unlock();
      AtlasResult r;
      run_atlas_job(job, r, ws);
      lock.lock();
      atlas_running_ = false;
      atlas_done_ = std::move(r);
    } else {
      ClassesJob job = std::move(*classes_job_);
      classes_job_.reset();
      lock.unlock();
      ClassesResult r;
      run_classes_job(job, r, ws);
      lock.lock();
      classes_done_ = std::move(r);
    }
  }
}

}  // namespace mlpviz::render
