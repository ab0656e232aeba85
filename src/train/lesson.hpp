// lesson.hpp: lessons: a session a teacher opens with one click, the text that says what the
// lecture notes teach with it, and numbered steps, each a change of settings.
//
// A lesson is a JSON file, lessons/<name>.json under the data folder (core::find_data_dir());
// <name> is its id (`mlpviz train --lesson NAME`, the Lessons menu). Format version 1, documented
// in docs/lessons.md:
//   {"lesson": 1, "title": ..., "order": 10, "text": ..., "watch": ...,
//    "session": {a complete session file}, "steps": [{"title", "text"?, "settings": {partial}}],
//    "classroom": {what students see}?}
// Loading is strict like the session loader (session.cpp): every bad field is named with its
// value and the allowed range, an unknown key is an error, and every step's session is built and
// validated when the file is read, so a lesson that loads opens at any step.
//
// Steps are numbered from 1: step 1 is the lesson's session as written, step k (k >= 2) is that
// session with the "settings" of steps[0] .. steps[k-2] merged into it in order (JSON merge
// patch on "data", "network", "optimizer", "training"). A step that changes the network drops
// the session's parameters (they no longer fit); otherwise they are kept.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "train/classroom.hpp"
#include "train/session.hpp"

namespace mlpviz::train {

inline constexpr int kLessonFormatVersion = 1;
inline constexpr std::int64_t kMaxLessonBytes = 4 * 1024 * 1024;
inline constexpr std::size_t kMaxLessonSteps = 16;
inline constexpr std::size_t kMaxLessonTitleChars = 80;
inline constexpr std::size_t kMaxLessonTextChars = 1000;

struct LessonStep {
  std::string title;  // "add one hidden layer of 2 tanh units"
  std::string text;   // optional sentence ("" when absent)
  Session session;    // the lesson's session at this step (all merges up to it applied)
};

struct Lesson {
  std::string name;   // the file's stem: the id on the command line and in the menu
  std::string title;
  int order = 0;      // position in the Lessons menu (ascending; ties by name)
  std::string text;   // two to four sentences
  std::string watch;  // what to watch, naming the panel that shows it
  bool paused = false;  // "paused": true opens it paused (a worked example to inspect, not to watch)
  Session session;    // step 1
  std::vector<LessonStep> steps;  // steps 2, 3, ...
  std::optional<Classroom> classroom;  // what students see in classroom mode (absent: everything)

  int step_count() const { return static_cast<int>(steps.size()) + 1; }
  // The session at step k (1 .. step_count()); assumes k is in range.
  const Session& session_at(int k) const { return k <= 1 ? session : steps[k - 2].session; }
  // "" for step 1, else the step's title.
  std::string step_title(int k) const { return k <= 1 ? std::string() : steps[k - 2].title; }
};

// Parses a lesson from the file's text; `name` is its id. Errors name the field and value.
std::variant<Lesson, LoadError> lesson_from_json_text(const std::string& text, const std::string& name);

// Reads one lesson file (at most kMaxLessonBytes); errors start with the path.
std::variant<Lesson, LoadError> load_lesson_file(const std::filesystem::path& file);

// The lessons folder: <data folder>/lessons, or nullopt when there is no data folder.
std::optional<std::filesystem::path> lessons_dir();

// A lesson id is 1 to 64 characters of a-z, 0-9, '_' and '-' (no path can hide in it).
bool valid_lesson_name(const std::string& name);

struct LessonList {
  std::vector<Lesson> lessons;      // sorted by order, then name
  std::vector<std::string> errors;  // one line per file that did not load
};

// Every lessons/*.json in `dir` (the default: lessons_dir()).
LessonList list_lessons(const std::optional<std::filesystem::path>& dir = std::nullopt);

// The lesson named `name` from `dir` (default: lessons_dir()). An unknown name is an error
// listing the known ones.
std::variant<Lesson, LoadError> find_lesson(const std::string& name,
                                            const std::optional<std::filesystem::path>& dir = std::nullopt);

}  // namespace mlpviz::train
