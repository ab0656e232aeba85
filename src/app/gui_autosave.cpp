// gui_autosave.cpp: the window's side of train::Autosave: recovery of the session a crashed (or
// killed) window left behind, periodic saves of the newest snapshot, and the clean-exit mark.
// The UI thread only decides when to save; building the Session (copying the points and
// parameters out of the immutable snapshot) and writing the file happen on a worker thread, one
// save at a time, so the UI never waits on the disk.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <utility>

#include "app/gui_app.hpp"
#include "train/session.hpp"

namespace mlpviz::app {
namespace {

constexpr double kAutosaveSeconds = 10.0;  // periodic save
constexpr double kAfterEditSeconds = 1.0;  // save this soon after the points change

// Hidden, for tests: MLPVIZ_AUTOSAVE_SECONDS shortens (or lengthens) the periodic interval.
double autosave_interval() {
  if (const char* e = std::getenv("MLPVIZ_AUTOSAVE_SECONDS"); e && *e) {
    char* end = nullptr;
    const double v = std::strtod(e, &end);
    if (end != e && v >= 0.1 && v <= 86400.0) return v;
  }
  return kAutosaveSeconds;
}

}  // namespace

train::Session App::initial_session() {
  autosave_ = std::make_unique<train::Autosave>(train::Autosave::default_dir());
  if (opt_.session_path) return opt_.session;  // a file named on the command line wins
  const auto path = autosave_->recoverable();
  if (!path) return opt_.session;
  auto loaded = train::load_session(path->string());
  if (auto* e = std::get_if<train::LoadError>(&loaded)) {
    std::fprintf(stderr, "mlpviz: could not recover the autosaved session: %s\n", e->message.c_str());
    notice("could not recover the autosaved session: " + e->message, true);
    return opt_.session;
  }
  train::Session s = std::get<train::Session>(std::move(loaded));
  try {
    train::Engine probe(s.settings, s.data, s.params, s.progress);  // validates it before it is committed to
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mlpviz: could not recover the autosaved session: %s\n", e.what());
    notice(std::string("could not recover the autosaved session: ") + e.what(), true);
    return opt_.session;
  }
  std::fprintf(stderr, "mlpviz: recovered the session autosaved before the last unclean exit (%s)\n",
               path->string().c_str());
  notice("recovered the session autosaved before the last unclean exit", false);
  return s;
}

void App::start_autosave() {
  autosave_interval_s_ = autosave_interval();
  next_autosave_s_ = autosave_interval_s_;
  if (!autosave_) autosave_ = std::make_unique<train::Autosave>(train::Autosave::default_dir());
  if (auto err = autosave_->begin()) {
    std::fprintf(stderr, "mlpviz: %s\n", err->c_str());
    notice(*err, true);
    autosave_.reset();
  }
}

void App::autosave_tick(const std::shared_ptr<const train::Snapshot>& snap, double now) {
  if (!autosave_) return;
  // The previous save finished? Report its failure (the previous autosave file stays intact).
  if (autosave_job_.valid()) {
    if (autosave_job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;  // still writing
    if (auto err = autosave_job_.get()) notice("autosave failed: " + *err, true);
  }
  // Points added, removed, imported, cleared or regenerated: save soon.
  if (snap.get() != autosave_seen_snapshot_) {
    if (autosave_seen_snapshot_ && snap->data_version != autosave_seen_data_version_)
      next_autosave_s_ = std::min(next_autosave_s_, now + kAfterEditSeconds);
    autosave_seen_snapshot_ = snap.get();
    autosave_seen_data_version_ = snap->data_version;
  }
  if (now < next_autosave_s_) return;
  next_autosave_s_ = now + autosave_interval_s_;
  if (snap == autosaved_) return;  // nothing new since the last save
  autosaved_ = snap;
  autosave_job_ = std::async(std::launch::async, [a = autosave_.get(), snap]() -> std::optional<std::string> {
    try {
      return a->save(train::session_of(*snap));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
  });
}

void App::finish_autosave(bool clean_exit) {
  if (autosave_job_.valid()) {
    if (auto err = autosave_job_.get()) std::fprintf(stderr, "mlpviz: autosave failed: %s\n", err->c_str());
  }
  if (autosave_ && clean_exit) autosave_->end_cleanly();
  autosave_.reset();
  autosaved_.reset();
}

}  // namespace mlpviz::app
