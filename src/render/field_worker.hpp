// field_worker.hpp: the boundary view's values and the neuron thumbnails computed by the CPU
// engine on a thread of its own, for networks the GPU cannot evaluate quickly enough (a software
// rasterizer such as llvmpipe runs the generic shader at well under a GFLOP/s, the engine at tens)
// or at all (the fallbacks). No GL here: the Renderer uploads what comes back.
//
// Threads: submit_*(), take_*() and the destructor on the UI thread; the worker thread only runs
// jobs. One worker serves every view of a GL context (render/render_context.hpp): each view is a
// client with its own latest-wins slot per kind of job (`client` in the jobs, 0 to
// FieldWorker::kMaxClients - 1), so one view's job never replaces or cancels another's. The UI never waits for the worker; run_view_job()/run_atlas_job() are the same work for a
// caller that must have the result now (screenshots), with its own workspace.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/evaluate.hpp"
#include "core/mlp.hpp"

namespace mlpviz::render {

// A network as the worker sees it: an immutable copy, shared by the jobs that use it.
struct FieldNet {
  core::Layout layout;
  std::uint32_t features = 0;
  core::Params params;
  std::uint64_t key = 0;  // the Renderer's network key
};

// The view: raw values for the shading pass (shade.frag), or colours when no shading program
// exists. `grid` is the evaluation resolution; rows of the results run from the bottom (GL order).
struct ViewJob {
  std::shared_ptr<const FieldNet> net;
  core::GridSpec grid;
  int layer = -1, unit = 0;  // render::Focus
  bool raw = true;
  float level_step = 0.1f;   // colours only
  bool output_levels = true; // colours only
  bool cancellable = false;  // dropped half-way when a newer view job of its client arrives
  std::uint64_t serial = 0;  // filled in by submit
  int client = 0;            // the view that asked (FieldWorker::kMaxClients of them)
};

struct ViewResult {
  ViewJob job;
  // raw: RGBA32F texels as field.frag's mode 3 writes them: logits 0-3 in raw0 and 4-5 in raw1
  // (output field or an output unit), or (z, a, 0, 0) of a feature or hidden unit in raw0.
  std::vector<float> raw0, raw1;
  std::vector<std::uint8_t> rgba;  // !raw: colours
  double ms = 0.0;                 // wall time of the job
  double macs = 0.0;               // multiply-adds it took (cost model for the next resolution)
};

// Every node's thumbnail, laid out as the atlas texture: cell c at column c % columns, row
// c / columns (from the bottom), cell_px apart with a 1-pixel gutter; one forward pass over the
// thumbnail grid feeds every unit.
struct AtlasJob {
  std::shared_ptr<const FieldNet> net;
  core::GridSpec grid;             // one thumbnail (cell_px - 2 square)
  int cell_px = 0, columns = 1, width = 0, height = 0;
  std::vector<float> level_steps;  // per layer 0..L
  std::uint64_t serial = 0;
  int client = 0;
};

struct AtlasResult {
  AtlasJob job;
  std::vector<std::uint8_t> rgba;  // width x height, bottom row first; gutters transparent
  double ms = 0.0;
};

// The class the network decides for each point (the misclassification rings).
struct ClassesJob {
  std::shared_ptr<const FieldNet> net;
  std::shared_ptr<const std::vector<double>> x1, x2;  // the points' coordinates
  std::uint64_t data_version = 0;                      // the caller's, to match the result
  int client = 0;
};

struct ClassesResult {
  ClassesJob job;
  std::vector<int> classes;
  double ms = 0.0;
};

// Returns false (and leaves `out` partial) when `cancel` says so between chunks.
bool run_view_job(const ViewJob& job, ViewResult& out, core::Workspace<float>& ws,
                  const std::atomic<std::uint64_t>* newest_serial = nullptr);
void run_atlas_job(const AtlasJob& job, AtlasResult& out, core::Workspace<float>& ws);
void run_classes_job(const ClassesJob& job, ClassesResult& out, core::Workspace<float>& ws);

class FieldWorker {
 public:
  static constexpr int kMaxClients = 8;  // views served (a job's client is clamped into range)

  FieldWorker();
  ~FieldWorker();  // finishes the running job, drops pending ones
  FieldWorker(const FieldWorker&) = delete;
  FieldWorker& operator=(const FieldWorker&) = delete;

  // Replaces the pending job of its kind and client (one not yet started); view jobs run first,
  // then thumbnails, then classes, clients taking turns within a kind. Returns the serial the
  // view job's result will carry.
  std::uint64_t submit_view(ViewJob job);
  void submit_atlas(AtlasJob job);
  void submit_classes(ClassesJob job);
  // Finished results of a client not yet taken (the newest of each kind).
  std::optional<ViewResult> take_view(int client = 0);
  std::optional<AtlasResult> take_atlas(int client = 0);
  std::optional<ClassesResult> take_classes(int client = 0);
  // Drops a client's pending jobs and unread results (its view goes; the id may serve another).
  void forget(int client);
  bool view_busy(int client = 0) const;   // a view job pending or running
  bool atlas_busy(int client = 0) const;

 private:
  void loop();
  static int slot(int client) { return client < 0 || client >= kMaxClients ? 0 : client; }

  struct Client {
    std::optional<ViewJob> view_job;
    std::optional<AtlasJob> atlas_job;
    std::optional<ClassesJob> classes_job;
    bool view_running = false, atlas_running = false;
    std::optional<ViewResult> view_done;
    std::optional<AtlasResult> atlas_done;
    std::optional<ClassesResult> classes_done;
    std::uint64_t atlas_serial = 0;
  };

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool quit_ = false;
  Client clients_[kMaxClients];  // guarded by mutex_
  int turn_ = 0;                 // the client served first next time (worker only)
  std::atomic<std::uint64_t> view_serial_[kMaxClients] = {};  // newest view job per client
  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace mlpviz::render
