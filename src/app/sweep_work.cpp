#include "app/sweep_work.hpp"

#include <algorithm>

#include "app/cli_common.hpp"
#include "app/figure.hpp"
#include "app/figure_text.hpp"
#include "app/render_png.hpp"
#include "app/sweep_grid.hpp"

namespace mlpviz::app {

void SweepWork::close() {
  stop();
  if (export_job_.valid()) export_job_.wait();
  cells_.clear();
  status_.clear();
  plan_ = train::SweepPlan{};
  title_.clear();
  threads_ = 0;
  running_ = false;
  seconds_ = 0;
}

void SweepWork::stop() {
  cancel();
  {
    std::lock_guard<std::mutex> lock(paint_mutex_);
    paint_quit_ = true;
  }
  paint_wake_.notify_all();
  if (painter_.joinable()) painter_.join();
  if (pool_) pool_->forget(ids_);  // the cells' last slices end within a few ms
  ids_.clear();
  pool_.reset();  // a pool of its own: joins its workers
}

void SweepWork::start(const train::Settings& base, const core::Dataset& data, const train::SweepPlan& plan,
                      std::int64_t steps, int threads) {
  train::Pool::Options po;
  po.threads = threads;
  start(base, data, plan, steps, std::make_shared<train::Pool>(po));
}

void SweepWork::start(const train::Settings& base, const core::Dataset& data, const train::SweepPlan& plan,
                      std::int64_t steps, std::shared_ptr<train::Pool> pool) {
  close();
  cell_log_ = train::RunLog{};
  pool_ = std::move(pool);
  std::vector<train::Pool::Job> jobs;
  for (const train::SweepCell& at : plan.cells) {
    auto cell = std::make_unique<Cell>();
    cell->at = at;
    train::StopRules rules;
    rules.steps = steps;
    jobs.push_back({std::make_unique<train::Engine>(train::cell_settings(base, at), data), rules});
    CellStatus cs;
    cs.at = at;
    cs.name = train::cell_title(at);
    cs.params = jobs.back().engine->layout().num_params;
    cs.steps = steps;
    status_.push_back(std::move(cs));
    cells_.push_back(std::move(cell));
  }
  ids_ = pool_->add(std::move(jobs));
  for (std::size_t i = 0; i < ids_.size(); ++i) cells_[i]->id = ids_[i];
  plan_ = plan;
  running_ = true;
  threads_ = std::min<int>(pool_->max_threads(), static_cast<int>(cells_.size()));
  title_ = sweep_title(base, std::to_string(steps) + " steps");
  started_ = std::chrono::steady_clock::now();
  paint_quit_ = false;  // the painter is joined (close()): nobody else reads it yet
  painter_ = std::thread([this] { paint_loop(); });
}

void SweepWork::cancel() {
  if (pool_)
    for (train::Pool::RunId id : ids_) pool_->cancel(id);
}

// The painter: each cell's newest snapshot, when it changed, drawn as `mlpviz render` would draw
// it (boundary and points, no axes) into the cell's image. Until quit; once every cell is painted
// done, each round only finds the versions unchanged.
void SweepWork::paint_loop() {
  const TextPainter text;
  FigureOptions fo;
  fo.plot_w = fo.plot_h = kCellPx;
  fo.axes = fo.legend = false;
  for (;;) {
    for (auto& c : cells_) {
      {
        std::lock_guard<std::mutex> lock(paint_mutex_);
        if (paint_quit_) return;
      }
      const std::shared_ptr<const train::Snapshot> s = pool_->snapshot(c->id);
      if (!s || s->version == c->painted_version || !s->data) continue;
      c->painted_version = s->version;
      const core::GridSpec g = fit_view(*s->data, kCellPx, kCellPx);
      Image img = render_figure(text, s->layout, s->settings.net.features, s->params, *s->data, g, fo);
      std::lock_guard<std::mutex> lock(paint_mutex_);
      c->image.rgb = std::move(img.rgb);
      c->image.version = s->version;
      c->image.step = s->step;
      c->fresh = true;
    }
    std::unique_lock<std::mutex> lock(paint_mutex_);
    paint_wake_.wait_for(lock, std::chrono::duration<double>(kPaintInterval), [this] { return paint_quit_; });
    if (paint_quit_) return;
  }
}

SweepWork::CellImage SweepWork::image(int index) const {
  if (index < 0 || index >= static_cast<int>(cells_.size())) return {};
  std::lock_guard<std::mutex> lock(paint_mutex_);
  return cells_[static_cast<std::size_t>(index)]->image;
}

void SweepWork::poll(train::RunLog& log) {
  // Once all are back, nothing more to read: no per-frame copies of every cell's metrics for a
  // finished sweep.
  if (!pool_ || !running_) return;
  bool running = false;
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    const train::PoolProgress p = pool_->progress(cells_[i]->id);
    CellStatus& v = status_[i];
    v.step = p.step;
    if (p.metrics_step >= 0 || p.done) {
      v.train_accuracy = p.metrics.train_accuracy;
      v.test_accuracy = p.metrics.test_accuracy;
    }
    v.done = p.done;
    v.cancelled = p.cancelled;
    v.diverged = p.reason == train::StopReason::Diverged;
    running = running || !p.done;
    if (p.done && !cells_[i]->engine) {
      cells_[i]->engine = pool_->take(cells_[i]->id);
      if (cells_[i]->engine && !p.cancelled) {
        train::RunLogEntry entry = train::log_entry(*cells_[i]->engine, train::utc_now());
        cell_log_.append(entry);
        log.append(std::move(entry));
      }
    }
  }
  seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  running_ = running;
}

const train::Engine* SweepWork::cell_engine(int index) const {
  if (index < 0 || index >= static_cast<int>(cells_.size())) return nullptr;
  return cells_[static_cast<std::size_t>(index)]->engine.get();
}

std::optional<train::Session> SweepWork::cell_session(int index) const {
  const train::Engine* e = cell_engine(index);
  if (!e || status_[static_cast<std::size_t>(index)].cancelled) return std::nullopt;
  return train::Session{e->settings(), e->data(), cli::params_of(*e), e->progress()};
}

std::optional<std::string> SweepWork::export_png(const std::string& path) {
  if (!pool_ || running_) return std::string("the sweep is still training: export it when every cell is done");
  if (export_job_.valid()) return std::string("an export is being written");
  std::vector<SweepGridCell> grid;
  for (const auto& c : cells_) grid.push_back({c->at, c->engine.get()});
  export_job_ = std::async(std::launch::async, [grid, plan = plan_, title = title_, path]() -> std::optional<std::string> {
    const Image img = sweep_grid_image(grid, plan, kCellPx, title);
    if (auto err = write_png(path, img.width, img.height, img.rgb)) return "could not export the sweep: " + *err;
    return "exported the grid to " + path;
  });
  return std::nullopt;
}

std::optional<std::string> SweepWork::poll_export() {
  if (!export_job_.valid() || export_job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    return std::nullopt;
  std::optional<std::string> r = export_job_.get();
  return r ? r : std::optional<std::string>("exported");
}

std::optional<std::string> SweepWork::finish_export() {
  if (!export_job_.valid()) return std::nullopt;
  export_job_.wait();
  return poll_export();
}

}  // namespace mlpviz::app
