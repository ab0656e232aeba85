// checks.hpp: what the fuzzers and the corpus replay test assert about one input.
//
// Shared by fuzz_session.cpp / fuzz_csv.cpp (libFuzzer, clang) and replay.cpp (GoogleTest, any
// compiler), so a file that once made a fuzzer fail fails the ordinary test suite too.
// Each check returns nullopt when the input was handled correctly (accepted or rejected with a
// message), else one line saying which property broke. A crash is, of course, also a failure.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "core/data.hpp"
#include "core/file_io.hpp"
#include "train/engine.hpp"
#include "train/session.hpp"

namespace mlpviz::fuzz {

// Outcome of one input: whether the loader accepted it, and the broken property if any.
struct Outcome {
  bool accepted = false;
  std::optional<std::string> failure;
};

// The Engine part of the session check runs on at most this many points and steps, so that
// one input stays far below a second even for an 8 x 64 network in a sanitizer build.
inline constexpr int kEnginePointCap = 256;
inline constexpr int kEngineSteps = 5;

// Messages carry bytes from the file escaped (core::printable): no control byte may reach the
// terminal raw (an ANSI escape, a NUL that hides the rest of the line).
inline std::optional<std::string> raw_control_byte(const std::string& message) {
  for (unsigned char c : message)
    if (c < 0x20 || c == 0x7f) return "a message carries a raw control byte: " + core::printable(message, 200);
  return std::nullopt;
}

inline bool same_session(const train::Session& a, const train::Session& b) {
  if (!(a.settings == b.settings && a.data == b.data && a.params == b.params)) return false;
  if (a.compared.size() != b.compared.size()) return false;
  for (std::size_t i = 0; i < a.compared.size(); ++i)
    if (!(a.compared[i].settings == b.compared[i].settings) || a.compared[i].params != b.compared[i].params) return false;
  return true;
}

// train::from_json_text on arbitrary bytes. On acceptance: to_json_text round-trips to an equal
// Session, and an Engine built from it (data capped at kEnginePointCap points) takes steps.
inline Outcome check_session(const std::uint8_t* bytes, std::size_t size) {
  Outcome out;
  const std::string text(reinterpret_cast<const char*>(bytes), size);
  auto r = train::from_json_text(text);
  if (const auto* err = std::get_if<train::LoadError>(&r)) {
    if (err->message.empty()) out.failure = "rejected with an empty message";
    else out.failure = raw_control_byte(err->message);
    return out;
  }
  out.accepted = true;
  train::Session s = std::get<train::Session>(std::move(r));
  if (auto e = train::validate(s.settings)) {
    out.failure = "accepted settings that validate() rejects: " + *e;
    return out;
  }
  if (s.params && static_cast<int>(s.params->size()) != core::Layout::from_spec(s.settings.net).num_params) {
    out.failure = "accepted parameters that do not fit the network";
    return out;
  }
  if (s.compared.size() > static_cast<std::size_t>(train::kMaxComparedRuns)) {
    out.failure = "accepted more compared runs than allowed";
    return out;
  }
  for (const train::ComparedRunSave& c : s.compared) {
    if (auto e = train::validate(c.settings)) {
      out.failure = "accepted compared-run settings that validate() rejects: " + *e;
      return out;
    }
    if (!(c.settings.data == s.settings.data)) {
      out.failure = "a compared run's data settings are not the main run's";
      return out;
    }
    if (c.params && static_cast<int>(c.params->size()) != core::Layout::from_spec(c.settings.net).num_params) {
      out.failure = "accepted compared-run parameters that do not fit its network";
      return out;
    }
  }

  const std::string again = train::to_json_text(s);
  auto r2 = train::from_json_text(again);
  if (const auto* err = std::get_if<train::LoadError>(&r2)) {
    out.failure = "to_json_text output does not load again: " + err->message;
    return out;
  }
  if (!same_session(s, std::get<train::Session>(r2))) {
    out.failure = "to_json_text -> from_json_text gives a different Session";
    return out;
  }

  // Keep the engine cheap: fewer generated points, or the first points of the given samples.
  if (s.data) {
    if (static_cast<int>(s.data->points.size()) > kEnginePointCap) s.data->points.resize(kEnginePointCap);
  } else if (s.settings.data.points > kEnginePointCap) {
    s.settings.data.points = kEnginePointCap;
  }
  train::Engine e(s.settings, s.data, s.params);
  if (s.params)
    for (std::size_t i = 0; i < s.params->size(); ++i)
      if (e.params()[i] != static_cast<float>((*s.params)[i])) {
        out.failure = "the Engine did not start from the session's parameters";
        return out;
      }
  for (int i = 0; i < kEngineSteps; ++i)
    if (!e.step()) break;
  e.update_metrics();
  const auto snap = e.make_snapshot(1);
  if (static_cast<int>(snap->params.size()) != snap->layout.num_params)
    out.failure = "snapshot parameters do not fit the snapshot layout";
  else if (e.state() != train::RunState::Diverged && e.data().count(false) > 0 && e.step_count() != kEngineSteps)
    out.failure = "the Engine took " + std::to_string(e.step_count()) + " of " + std::to_string(kEngineSteps) +
                  " steps on a non-empty training set without diverging: " + e.message();
  return out;
}

// core::read_csv on arbitrary bytes. On acceptance: 1 to kMaxPoints points, all finite, labels
// 0..5, all marked as_test; and write_csv output reads back to the same points.
inline Outcome check_csv(const std::uint8_t* bytes, std::size_t size) {
  Outcome out;
  std::istringstream in(std::string(reinterpret_cast<const char*>(bytes), size));
  std::vector<core::Point> pts;
  std::string note;
  if (auto err = core::read_csv(in, true, pts, &note)) {
    if (err->empty()) out.failure = "rejected with an empty message";
    else out.failure = raw_control_byte(*err);
    return out;
  }
  out.accepted = true;
  if ((out.failure = raw_control_byte(note))) return out;
  if (pts.empty() || static_cast<int>(pts.size()) > core::kMaxPoints) {
    out.failure = "accepted " + std::to_string(pts.size()) + " points: allowed 1 to " + std::to_string(core::kMaxPoints);
    return out;
  }
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const core::Point& p = pts[i];
    if (!std::isfinite(p.x1) || !std::isfinite(p.x2) || p.label < 0 || p.label > core::kMaxClasses - 1 || !p.test) {
      out.failure = "point " + std::to_string(i) + " is not finite, has label " + std::to_string(p.label) +
                    " or lost its test flag";
      return out;
    }
  }
  std::ostringstream written;
  core::write_csv(written, pts);
  std::istringstream back(written.str());
  std::vector<core::Point> again;
  if (auto err = core::read_csv(back, true, again))
    out.failure = "write_csv output does not read again: " + *err;
  else if (again != pts)
    out.failure = "write_csv -> read_csv gives different points";
  return out;
}

}  // namespace mlpviz::fuzz
