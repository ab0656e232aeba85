#include "app/gui_sweep.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "app/cli_common.hpp"
#include "app/figure.hpp"
#include "app/figure_text.hpp"
#include "app/render_png.hpp"
#include "app/sweep_grid.hpp"
#include "core/file_io.hpp"

namespace mlpviz::app {

namespace {

ImTextureID texture_of(GLuint t) { return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(t)); }

}  // namespace

void SweepRunner::close() {
  stop();
  if (export_job_.valid()) export_job_.wait();
  for (auto& c : cells_)
    if (c->texture) glDeleteTextures(1, &c->texture);
  cells_.clear();
  view_ = ui::SweepView{};
}

void SweepRunner::stop() {
  if (pool_) pool_->cancel_all();
  {
    std::lock_guard<std::mutex> lock(paint_mutex_);
    paint_quit_ = true;
  }
  paint_wake_.notify_all();
  if (painter_.joinable()) painter_.join();
  pool_.reset();  // joins the workers
}

void SweepRunner::start(const train::Settings& base, const core::Dataset& data, const train::SweepPlan& plan,
                        std::int64_t steps, int threads) {
  close();
  cell_log_ = train::RunLog{};
  train::Pool::Options po;
  po.threads = threads;
  pool_ = std::make_unique<train::Pool>(po);
  std::vector<train::Pool::Job> jobs;
  for (const train::SweepCell& at : plan.cells) {
    auto cell = std::make_unique<Cell>();
    cell->at = at;
    train::StopRules rules;
    rules.steps = steps;
    jobs.push_back({std::make_unique<train::Engine>(train::cell_settings(base, at), data), rules});
    ui::SweepCellView cv;
    cv.at = at;
    cv.name = train::cell_title(at);
    cv.params = jobs.back().engine->layout().num_params;
    cv.steps = steps;
    view_.cells.push_back(std::move(cv));
    cells_.push_back(std::move(cell));
  }
  const std::vector<train::Pool::RunId> ids = pool_->add(std::move(jobs));
  for (std::size_t i = 0; i < ids.size(); ++i) cells_[i]->id = ids[i];
  view_.plan = plan;
  view_.running = true;
  view_.threads = std::min<int>(pool_->max_threads(), static_cast<int>(cells_.size()));
  view_.title = sweep_title(base, std::to_string(steps) + " steps");
  started_ = std::chrono::steady_clock::now();
  paint_quit_ = false;
  painter_ = std::thread([this] { paint_loop(); });
}

void SweepRunner::cancel() {
  if (pool_) pool_->cancel_all();
}

// The painter: each cell's newest snapshot, when it changed, drawn as `mlpviz render` would draw
// it (boundary and points, no axes) into the cell's image. Until quit; idle once all are painted
// done.
void SweepRunner::paint_loop() {
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
      c->rgb = std::move(img.rgb);
      c->fresh = true;
    }
    std::unique_lock<std::mutex> lock(paint_mutex_);
    paint_wake_.wait_for(lock, std::chrono::duration<double>(kPaintInterval), [this] { return paint_quit_; });
    if (paint_quit_) return;
  }
}

void SweepRunner::poll(train::RunLog& log) {
  if (!pool_) return;
  // New images to textures (a few 160 x 160 uploads at most).
  {
    std::lock_guard<std::mutex> lock(paint_mutex_);
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      Cell& c = *cells_[i];
      if (!c.fresh) continue;
      c.fresh = false;
      if (c.texture == 0) {
        glGenTextures(1, &c.texture);
        glBindTexture(GL_TEXTURE_2D, c.texture);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
      } else {
        glBindTexture(GL_TEXTURE_2D, c.texture);
      }
      glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, kCellPx, kCellPx, 0, GL_RGB, GL_UNSIGNED_BYTE, c.rgb.data());
      glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
      view_.cells[i].image = texture_of(c.texture);
    }
    glBindTexture(GL_TEXTURE_2D, 0);
  }
  // Progress, and finished cells back from the pool (once all are back, nothing more to read: no
  // per-frame copies of every cell's metrics for a finished sweep).
  if (!view_.running) {
    if (auto done = poll_export()) view_.message = *done;
    return;
  }
  const std::vector<train::PoolProgress> progress = pool_->progress();
  bool running = false;
  for (std::size_t i = 0; i < cells_.size() && i < progress.size(); ++i) {
    const train::PoolProgress& p = progress[i];
    ui::SweepCellView& v = view_.cells[i];
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
  if (view_.running)
    view_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  view_.running = running;
  if (auto done = poll_export()) view_.message = *done;
}

std::optional<train::Session> SweepRunner::cell_session(int index) const {
  if (index < 0 || index >= static_cast<int>(cells_.size())) return std::nullopt;
  const Cell& c = *cells_[static_cast<std::size_t>(index)];
  if (!c.engine || view_.cells[static_cast<std::size_t>(index)].cancelled) return std::nullopt;
  const train::Engine& e = *c.engine;
  return train::Session{e.settings(), e.data(), cli::params_of(e), e.progress()};
}

std::optional<std::string> SweepRunner::export_png(const std::string& path) {
  if (!pool_ || view_.running) return std::string("the sweep is still training: export it when every cell is done");
  if (export_job_.valid()) return std::string("an export is being written");
  std::vector<SweepGridCell> grid;
  for (const auto& c : cells_) grid.push_back({c->at, c->engine.get()});
  export_job_ = std::async(std::launch::async, [grid, plan = view_.plan, title = view_.title, path]() -> std::optional<std::string> {
    const Image img = sweep_grid_image(grid, plan, kCellPx, title);
    if (auto err = write_png(path, img.width, img.height, img.rgb)) return "could not export the sweep: " + *err;
    return "exported the grid to " + path;
  });
  return std::nullopt;
}

std::optional<std::string> SweepRunner::poll_export() {
  if (!export_job_.valid() || export_job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    return std::nullopt;
  std::optional<std::string> r = export_job_.get();
  return r ? r : std::optional<std::string>("exported");
}

std::optional<std::string> SweepRunner::finish_export() {
  if (!export_job_.valid()) return std::nullopt;
  export_job_.wait();
  return poll_export();
}

}  // namespace mlpviz::app
