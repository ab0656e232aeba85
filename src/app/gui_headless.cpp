// gui_headless.cpp: run_gui for builds without the front end (MLPVIZ_GUI=OFF, e.g. sanitizer
// builds): trains the session on a Trainer and prints its progress once a second.
#include <chrono>
#include <cstdio>
#include <thread>

#include "app/gui.hpp"
#include "train/trainer.hpp"

namespace mlpviz::app {

int run_gui(const GuiOptions& o) {
  std::fprintf(stderr, "mlpviz: built without the window (MLPVIZ_GUI=OFF): training headless\n");
  train::Trainer trainer(std::make_unique<train::Engine>(o.session.settings, o.session.data, o.session.params, o.session.progress));
  if (!o.start_paused) trainer.post(train::cmd::Play{});
  for (long long frame = 0; o.exit_after_frames < 0 || frame < o.exit_after_frames; ++frame) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const auto s = trainer.snapshot();
    std::printf("step %lld  train loss %.5f  acc %.1f%%  test acc %.1f%%  %.0f samples/s  %s\n",
                static_cast<long long>(s->step), s->metrics.train_loss, 100 * s->metrics.train_accuracy,
                100 * s->metrics.test_accuracy, s->samples_per_second, s->message.c_str());
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace mlpviz::app
