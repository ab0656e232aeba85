// gui_autosave.cpp: the window's side of train::Autosave: the offer to recover the work of windows
// that did not close cleanly, periodic saves of the newest snapshot into this window's own
// autosave, and the clean-exit removal of that autosave (and of nothing else).
//
// Recovery is offered at every start where an unclaimed autosave exists, whatever the command
// line named: the window opens the named session and the recovery modal (ui/dialogs.cpp) lists
// the autosaves, newest first. Nothing is removed without the user's say: Discard removes one,
// Keep for later (or closing the modal, or the window) leaves them for the next start, and Open
// makes one this window's own work.
//
// The UI thread only decides when to save; building the Session (copying the points and
// parameters out of the immutable snapshots of the main run and of its compared runs) and writing
// the file happen on a worker thread, one save at a time, so the UI never waits on the disk.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
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

std::string local_time(std::time_t t) {
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %d %b %H:%M:%S", &tm);
  return buf;
}

std::string size_text(std::uintmax_t bytes) {
  char buf[32];
  if (bytes >= 1000000) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  else std::snprintf(buf, sizeof buf, "%.0f KB", std::max(1.0, static_cast<double>(bytes) / 1e3));
  return buf;
}

// Loads an autosave and checks that an engine accepts it; nullopt with the reason otherwise.
std::optional<train::Session> load_checked(const std::filesystem::path& path, std::string& error) {
  auto loaded = train::load_session(path.string());
  if (auto* e = std::get_if<train::LoadError>(&loaded)) {
    error = e->message;
    return std::nullopt;
  }
  train::Session s = std::get<train::Session>(std::move(loaded));
  try {
    train::Engine probe(s.settings, s.data, s.params, s.progress);  // validates it before it is committed to
    (void)train::compared_engines(s, probe.data());  // and its compared runs
  } catch (const std::exception& e) {
    error = path.string() + ": " + e.what();
    return std::nullopt;
  }
  return s;
}

}  // namespace

train::Session App::initial_session() {
  autosave_ = std::make_unique<train::Autosave>(train::Autosave::default_dir());
  train::RecoveryScan scan = autosave_->claim_recoverable();
  for (const std::string& n : scan.notes) std::fprintf(stderr, "mlpviz: autosave: %s\n", n.c_str());
  if (scan.offered.empty()) return opt_.session;
  const std::string dir = autosave_->dir().string();
  const std::size_t total = scan.offered.size() + static_cast<std::size_t>(scan.not_listed);
  if (scan.not_listed > 0)
    ui_.recovery_note = std::to_string(scan.not_listed) + " older autosave" + (scan.not_listed > 1 ? "s" : "") +
                        " not listed here stay in " + dir + " for a later start.";

  if (opt_.recover == Recovery::Keep) {
    std::fprintf(stderr, "mlpviz: kept for later: %zu autosave%s that did not close cleanly, in %s\n", total,
                 total > 1 ? "s of windows" : " of a window", dir.c_str());
    return opt_.session;  // the claims end with `scan`: every file stays
  }
  if (opt_.recover == Recovery::Open) {
    train::ClaimedAutosave& newest = scan.offered.front();
    std::string error;
    auto s = load_checked(newest.session_path(), error);
    if (!s) {
      std::fprintf(stderr, "mlpviz: could not recover the autosave %s (kept): %s\n",
                   newest.session_path().string().c_str(), error.c_str());
      notice("could not recover the autosaved work (kept): " + error, true);
      return opt_.session;
    }
    std::fprintf(stderr, "mlpviz: recovered the unsaved work of a window that did not close cleanly (autosaved %s, %s)\n",
                 local_time(newest.saved_at()).c_str(), newest.session_path().string().c_str());
    notice("recovered the unsaved work autosaved " + local_time(newest.saved_at()) + ": save it with Ctrl+S", false);
    adopted_.push_back(std::move(newest));
    adopt_from_frame_ = 0;
    return *std::move(s);
  }
  std::fprintf(stderr, "mlpviz: offering %zu autosave%s that did not close cleanly (newest %s), from %s\n",
               scan.offered.size(), scan.offered.size() > 1 ? "s of windows" : " of a window",
               local_time(scan.offered.front().saved_at()).c_str(), dir.c_str());
  for (const train::ClaimedAutosave& c : scan.offered)
    ui_.recovery_rows.push_back({local_time(c.saved_at()), size_text(c.bytes())});
  offered_ = std::move(scan.offered);
  return opt_.session;
}

void App::start_autosave() {
  autosave_interval_s_ = autosave_interval();
  next_autosave_s_ = autosave_interval_s_;
  // Recovered work is not the file the command line named: Ctrl+S asks where to save it.
  if (!adopted_.empty()) ui_.known_session_path.clear();
  if (!autosave_) autosave_ = std::make_unique<train::Autosave>(train::Autosave::default_dir());
  if (auto err = autosave_->begin()) {
    std::fprintf(stderr, "mlpviz: %s\n", err->c_str());
    notice(*err, true);
    autosave_.reset();
  }
}

void App::carry_out_recovery(double now) {
  const ui::Requests& r = ui_.requests;
  const auto row = [&](int i) { return i >= 0 && i < static_cast<int>(offered_.size()); };
  const auto drop = [&](int i) {
    offered_.erase(offered_.begin() + i);
    ui_.recovery_rows.erase(ui_.recovery_rows.begin() + i);
    ui_.recovery_error.clear();
  };
  if (row(r.recover_discard)) {
    const int i = r.recover_discard;
    if (auto err = offered_[i].discard()) {
      ui_.recovery_error = "could not discard it: " + *err;
    } else {
      notice("discarded the autosave from " + ui_.recovery_rows[i].when, false);
      drop(i);
    }
  } else if (row(r.recover_keep)) {
    notice("kept for the next start: the autosave from " + ui_.recovery_rows[r.recover_keep].when, false);
    drop(r.recover_keep);  // the claim ends: the files stay
  } else if (row(r.recover_open)) {
    const int i = r.recover_open;
    std::string error;
    auto s = load_checked(offered_[i].session_path(), error);
    std::unique_ptr<train::Engine> engine;
    std::vector<std::unique_ptr<train::Engine>> compared;
    if (s) {
      try {
        // At its saved step, as --recover open and a session file: the compared runs follow it.
        engine = std::make_unique<train::Engine>(s->settings, s->data, s->params, s->progress);
        compared = train::compared_engines(*s, engine->data());
      } catch (const std::exception& e) {
        engine.reset();
        error = e.what();
      }
    }
    if (!engine) {
      ui_.recovery_error = "could not open it (it stays on disk): " + error;
      return;
    }
    const bool was_running = trainer().snapshot()->state == train::RunState::Running;
    replace_trainer(std::move(engine));
    restore_compared(std::move(compared));
    if (was_running) trainer().post(train::cmd::Play{});
    ui_.known_session_path.clear();  // Ctrl+S asks where to save the recovered work
    ui_.have_settings = false;
    ui_.replaying = false;
    ui_.focus_layer = -1;
    ui_.plane.units_per_px = 0;
    std::fprintf(stderr, "mlpviz: recovered the unsaved work of a window that did not close cleanly (autosaved %s, %s)\n",
                 ui_.recovery_rows[i].when.c_str(), offered_[i].session_path().string().c_str());
    notice("recovered the unsaved work autosaved " + ui_.recovery_rows[i].when + ": save it with Ctrl+S", false);
    adopted_.push_back(std::move(offered_[i]));
    offered_.clear();  // the others: kept for the next start
    ui_.recovery_rows.clear();
    ui_.recovery_error.clear();
    // Save the recovered work into this window's own autosave soon, from the next frame's
    // snapshot (this frame's is the previous trainer's); then the adopted file can go.
    adopt_from_frame_ = frames_ + 1;
    autosaved_.reset();
    autosaved_compared_.clear();
    next_autosave_s_ = std::min(next_autosave_s_, now + kAfterEditSeconds);
  }
  if (r.recover_keep_all && !offered_.empty()) {
    notice("unsaved work kept for the next start", false);
    offered_.clear();
    ui_.recovery_rows.clear();
    ui_.recovery_error.clear();
  }
}

void App::autosave_tick(const std::shared_ptr<const train::Snapshot>& snap, double now) {
  carry_out_recovery(now);
  if (!autosave_) return;
  // The previous save finished? Report its failure (the previous autosave file stays intact).
  if (autosave_job_.valid()) {
    if (autosave_job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;  // still writing
    if (auto err = autosave_job_.get()) {
      notice("autosave failed: " + *err, true);
    } else if (autosave_job_adopts_) {  // the recovered work is in our own autosave now
      for (train::ClaimedAutosave& c : adopted_)
        if (auto e = c.discard()) notice("could not remove the recovered autosave: " + *e, true);
      adopted_.clear();
    }
    autosave_job_adopts_ = false;
  }
  // The run was replaced this frame (a session, a lesson, a recovery): `snap` is the old run's and
  // the compared runs are already the new one's. Save from the next frame's, never a mix.
  if (frame_run_key_ != main_run().key) return;
  // Points added, removed, imported, cleared or regenerated: save soon.
  if (snap.get() != autosave_seen_snapshot_) {
    if (autosave_seen_snapshot_ && snap->data_version != autosave_seen_data_version_)
      next_autosave_s_ = std::min(next_autosave_s_, now + kAfterEditSeconds);
    autosave_seen_snapshot_ = snap.get();
    autosave_seen_data_version_ = snap->data_version;
  }
  if (now < next_autosave_s_) return;
  next_autosave_s_ = now + autosave_interval_s_;
  // The compared runs' newest snapshots go with the main run's (a comparison opened, closed or
  // changed while the main run is paused is new work too).
  std::vector<std::shared_ptr<const train::Snapshot>> compared = compared_snapshots();
  if (snap == autosaved_ && compared == autosaved_compared_) return;  // nothing new since the last save
  autosaved_ = snap;
  autosaved_compared_ = compared;
  autosave_job_adopts_ = !adopted_.empty() && frames_ >= adopt_from_frame_;
  autosave_job_ = std::async(std::launch::async, [a = autosave_.get(), snap,
                                                  compared = std::move(compared)]() -> std::optional<std::string> {
    try {
      train::Session s = train::session_of(*snap);
      for (const auto& c : compared) s.compared.push_back(train::compared_of(*c));
      return a->save(s);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
  });
}

void App::finish_autosave(bool clean_exit) {
  if (autosave_job_.valid()) {
    if (auto err = autosave_job_.get()) std::fprintf(stderr, "mlpviz: autosave failed: %s\n", err->c_str());
  }
  if (clean_exit) {
    if (autosave_) autosave_->end_cleanly();
    // Opened here, the recovered work became this window's: a clean exit ends it like the rest.
    for (train::ClaimedAutosave& c : adopted_)
      if (auto e = c.discard()) std::fprintf(stderr, "mlpviz: %s\n", e->c_str());
  }
  adopted_.clear();  // after an unclean end: released, offered again at the next start
  offered_.clear();  // never answered: kept for the next start
  ui_.recovery_rows.clear();
  autosave_.reset();
  autosaved_.reset();
  autosaved_compared_.clear();
}

}  // namespace mlpviz::app
