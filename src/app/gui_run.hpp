// gui_run.hpp: one network of the window. The App holds a list of them (App::runs_): run 1, the
// window's main network, first, then the networks compared with it (Compare, up to three).
//
// A run is how it is stepped, its view, and its slice of the UI state:
//   stepping  run 1: a Trainer (its own play, pause, single steps and pace); a compared run: a
//             Lockstep run, stepped to run 1's step. Both are runs of the window's one pool of
//             workers (train/pool.hpp); post() and snapshot() reach either the same way.
//   view      a light view on the window's shared render context (render::Renderer). Run 1's is
//             the main view with the thumbnail atlas, plus `compare_view` for its place in the
//             comparison (the main view keeps its own size and rectangle meanwhile).
//   UI slice  what the window shows of the run beside the shared UI state: this frame's snapshot,
//             the words naming how a compared run's settings differ from run 1's, the run-log row
//             it owes.
// Keys: every run gets a key unique for the window's life (a new network in run 1's place, from a
// session, a lesson or a recovery, is a new run with a new key). The views' caches are keyed by
// (run key, snapshot version) (view_key), so a view never shows another run's network.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "render/renderer.hpp"
#include "train/lockstep.hpp"
#include "train/trainer.hpp"

namespace mlpviz::app {

struct Run {
  std::uint64_t key = 0;  // unique for the window's life, from 1
  // Stepping: exactly one of these.
  std::unique_ptr<train::Trainer> trainer;  // run 1
  train::Lockstep* lockstep = nullptr;      // a compared run: its run `follower` in the App's Lockstep
  train::Lockstep::RunId follower = 0;
  // Views.
  std::unique_ptr<render::Renderer> view;
  std::unique_ptr<render::Renderer> compare_view;  // run 1, while comparing
  // UI slice.
  std::shared_ptr<const train::Snapshot> snap;  // loaded once per frame
  std::string difference;                       // from run 1's settings (compared runs), for `diff_of`
  train::Settings diff_of_main, diff_of_run;    // the settings it was worded for
  std::int64_t log_at = -1;                     // run 1 ended: log this run when it reaches that step
  std::string log_time, log_status;             // when, and how run 1 ended

  // Its view in the comparison: run 1's second view, a compared run's only one.
  render::Renderer& comparison_view() const { return compare_view ? *compare_view : *view; }

  void post(std::vector<train::Command> cs) const {
    if (trainer)
      trainer->post(std::move(cs));
    else if (lockstep)
      lockstep->post(follower, std::move(cs));
  }
  void post(train::Command c) const {
    std::vector<train::Command> cs;
    cs.push_back(std::move(c));
    post(std::move(cs));
  }
  // The newest published snapshot (never waits for a step); null only for a run without stepping.
  std::shared_ptr<const train::Snapshot> snapshot() const {
    if (trainer) return trainer->snapshot();
    return lockstep ? lockstep->snapshot(follower) : nullptr;
  }
};

// A run's snapshot version, told apart from another run's same number (what the window last saw).
struct RunVersion {
  std::uint64_t run = ~0ull, version = ~0ull;
  bool operator==(const RunVersion&) const = default;
};

// A view's cache key for `version` of a run's snapshots (`replay`: a timeline frame's parameters,
// numbered by `version` = its generation and step). Runs restart their versions from 1; the run's
// key in the top bits keeps their keys apart.
inline std::uint64_t view_key(const Run& r, std::uint64_t version, bool replay = false) {
  return (version * 2 + (replay ? 1 : 0)) ^ (r.key << 48);
}

}  // namespace mlpviz::app
