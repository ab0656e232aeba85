#include "app/gui_sweep.hpp"

#include <cstdint>

namespace mlpviz::app {

namespace {

ImTextureID texture_of(GLuint t) { return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(t)); }

}  // namespace

void SweepRunner::close() {
  work_.close();
  for (GLuint& t : textures_)
    if (t) glDeleteTextures(1, &t);
  textures_.clear();
  view_ = ui::SweepView{};
}

void SweepRunner::start(const train::Settings& base, const core::Dataset& data, const train::SweepPlan& plan,
                        std::int64_t steps, std::shared_ptr<train::Pool> pool) {
  close();
  work_.start(base, data, plan, steps, std::move(pool));
  textures_.assign(work_.cells().size(), 0);
  for (const SweepWork::CellStatus& s : work_.cells()) {
    ui::SweepCellView cv;
    static_cast<train::SweepCellStatus&>(cv) = s;
    view_.cells.push_back(std::move(cv));
  }
  view_.plan = work_.plan();
  view_.running = work_.running();
  view_.threads = work_.threads();
  view_.title = work_.title();
}

// New images to textures (a few 160 x 160 uploads at most).
void SweepRunner::upload_images() {
  work_.take_fresh_images([this](std::size_t i, const SweepWork::CellImage& img) {
    GLuint& t = textures_[i];
    if (t == 0) {
      glGenTextures(1, &t);
      glBindTexture(GL_TEXTURE_2D, t);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    } else {
      glBindTexture(GL_TEXTURE_2D, t);
    }
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, kCellPx, kCellPx, 0, GL_RGB, GL_UNSIGNED_BYTE, img.rgb.data());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    view_.cells[i].image = texture_of(t);
  });
  glBindTexture(GL_TEXTURE_2D, 0);
}

void SweepRunner::poll(train::RunLog& log) {
  if (!work_.active()) return;
  upload_images();
  // Progress and finished cells (once all are back, SweepWork reads nothing more, and neither
  // does the view).
  if (view_.running) {
    work_.poll(log);
    const std::vector<SweepWork::CellStatus>& cells = work_.cells();
    for (std::size_t i = 0; i < cells.size() && i < view_.cells.size(); ++i) {
      static_cast<train::SweepCellStatus&>(view_.cells[i]) = cells[i];  // the image stays
    }
    view_.seconds = work_.seconds();
    view_.running = work_.running();
  }
  if (auto done = work_.poll_export()) view_.message = *done;
}

}  // namespace mlpviz::app
