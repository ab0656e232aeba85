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
    for (Client& c : clients_) {
      c.view_job.reset();
      c.atlas_job.reset();
      c.classes_job.reset();
    }
  }
  for (auto& s : view_serial_) s.fetch_add(1);  // a cancellable job in progress stops at its next chunk
  wake_.notify_all();
  thread_.join();
}

std::uint64_t FieldWorker::submit_view(ViewJob job) {
  std::uint64_t serial = 0;
  const int k = slot(job.client);
  job.client = k;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    serial = view_serial_[k].load() + 1;
    job.serial = serial;
    view_serial_[k].store(serial);
    clients_[k].view_job = std::move(job);
  }
  wake_.notify_one();
  return serial;
}

void FieldWorker::submit_atlas(AtlasJob job) {
  const int k = slot(job.client);
  job.client = k;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job.serial = ++clients_[k].atlas_serial;
    clients_[k].atlas_job = std::move(job);
  }
  wake_.notify_one();
}

void FieldWorker::submit_classes(ClassesJob job) {
  const int k = slot(job.client);
  job.client = k;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    clients_[k].classes_job = std::move(job);
  }
  wake_.notify_one();
}

std::optional<ClassesResult> FieldWorker::take_classes(int client) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::optional<ClassesResult> r = std::move(clients_[slot(client)].classes_done);
  clients_[slot(client)].classes_done.reset();
  return r;
}

std::optional<ViewResult> FieldWorker::take_view(int client) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::optional<ViewResult> r = std::move(clients_[slot(client)].view_done);
  clients_[slot(client)].view_done.reset();
  return r;
}

std::optional<AtlasResult> FieldWorker::take_atlas(int client) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::optional<AtlasResult> r = std::move(clients_[slot(client)].atlas_done);
  clients_[slot(client)].atlas_done.reset();
  return r;
}

void FieldWorker::forget(int client) {
  const int k = slot(client);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Client& c = clients_[k];
    c.view_job.reset();
    c.atlas_job.reset();
    c.classes_job.reset();
    c.view_done.reset();
    c.atlas_done.reset();
    c.classes_done.reset();
  }
  view_serial_[k].fetch_add(1);  // a cancellable job of it in progress stops at its next chunk
}

bool FieldWorker::view_busy(int client) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const Client& c = clients_[slot(client)];
  return c.view_job.has_value() || c.view_running;
}

bool FieldWorker::atlas_busy(int client) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const Client& c = clients_[slot(client)];
  return c.atlas_job.has_value() || c.atlas_running;
}

void FieldWorker::loop() {
  core::Workspace<float> ws;
  std::unique_lock<std::mutex> lock(mutex_);
  // The first client from turn_ on with a job of the kind `has` picks, or -1.
  auto next = [this](auto has) {
    for (int i = 0; i < kMaxClients; ++i) {
      const int k = (turn_ + i) % kMaxClients;
      if (has(clients_[k])) return k;
    }
    return -1;
  };
  for (;;) {
    wake_.wait(lock, [this] {
      if (quit_) return true;
      for (const Client& c : clients_)
        if (c.view_job || c.atlas_job || c.classes_job) return true;
      return false;
    });
    if (quit_) return;
    if (const int k = next([](const Client& c) { return c.view_job.has_value(); }); k >= 0) {
      turn_ = (k + 1) % kMaxClients;
      Client& c = clients_[k];
      ViewJob job = std::move(*c.view_job);
      c.view_job.reset();
      c.view_running = true;
      lock.unlock();
      ViewResult r;
      const bool done = run_view_job(job, r, ws, &view_serial_[k]);
      lock.lock();
      c.view_running = false;
      if (done) c.view_done = std::move(r);
    } else if (const int a = next([](const Client& c) { return c.atlas_job.has_value(); }); a >= 0) {
      turn_ = (a + 1) % kMaxClients;
      Client& c = clients_[a];
      AtlasJob job = std::move(*c.atlas_job);
      c.atlas_job.reset();
      c.atlas_running = true;
      lock.unlock();
      AtlasResult r;
      run_atlas_job(job, r, ws);
      lock.lock();
      c.atlas_running = false;
      c.atlas_done = std::move(r);
    } else {
      const int q = next([](const Client& c) { return c.classes_job.has_value(); });
      turn_ = (q + 1) % kMaxClients;
      Client& c = clients_[q];
      ClassesJob job = std::move(*c.classes_job);
      c.classes_job.reset();
      lock.unlock();
      ClassesResult r;
      run_classes_job(job, r, ws);
      lock.lock();
      c.classes_done = std::move(r);
    }
  }
}

}  // namespace mlpviz::render
