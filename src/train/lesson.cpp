#include "train/lesson.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "core/data_dir.hpp"
#include "core/file_io.hpp"

namespace mlpviz::train {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct Invalid {
  std::string message;
};

std::string brief(const json& j) {
  if (j.is_array()) return "an array of " + std::to_string(j.size());
  if (j.is_object()) return "an object";
  if (j.is_string()) return "\"" + core::printable(j.get_ref<const std::string&>()) + "\"";
  return core::printable(j.dump());
}

// A string field of 1 to max_chars characters (bytes), without control characters.
std::string text_field(const json& obj, const std::string& key, const std::string& where, std::size_t max_chars) {
  if (!obj.contains(key)) throw Invalid{where + ": missing"};
  const json& v = obj.at(key);
  if (!v.is_string()) throw Invalid{where + ": expected a string, got " + brief(v)};
  const std::string s = v.get<std::string>();
  if (s.empty() || s.size() > max_chars)
    throw Invalid{where + " = " + brief(v) + " has " + std::to_string(s.size()) +
                  " characters: allowed 1 to " + std::to_string(max_chars)};
  if (core::printable(s, s.size() + 1) != s)
    throw Invalid{where + " = " + brief(v) + ": control characters or invalid UTF-8 are not allowed"};
  return s;
}

void check_keys(const json& obj, const std::string& where, std::initializer_list<const char*> allowed) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || it.key() == a;
    if (!ok) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      throw Invalid{(where.empty() ? "" : where + ".") + core::printable(it.key()) +
                    ": unknown field (allowed " + list + ")"};
    }
  }
}

Session parse_session(const json& j, const std::string& where) {
  auto r = from_json_text(j.dump());
  if (auto* e = std::get_if<LoadError>(&r)) throw Invalid{where + ": " + e->message};
  return std::get<Session>(std::move(r));
}

}  // namespace

std::variant<Lesson, LoadError> lesson_from_json_text(const std::string& text, const std::string& name) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    return LoadError{"not valid JSON: " + core::printable(e.what(), 300)};
  }
  try {
    if (!j.is_object()) throw Invalid{"the file: expected an object, got " + brief(j)};
    check_keys(j, "", {"lesson", "title", "order", "text", "watch", "session", "steps", "classroom", "paused"});
    Lesson l;
    l.name = name;
    if (!j.contains("lesson")) throw Invalid{"lesson: missing (the format version, 1)"};
    const json& version = j.at("lesson");
    if (!version.is_number_integer() || version.get<std::int64_t>() != kLessonFormatVersion) {
      if (version.is_number_integer() && version.get<std::int64_t>() > kLessonFormatVersion)
        throw Invalid{"lesson = " + brief(version) + ": written for a newer mlpviz; this build reads version " +
                      std::to_string(kLessonFormatVersion)};
      throw Invalid{"lesson = " + brief(version) + " is out of range: allowed " + std::to_string(kLessonFormatVersion)};
    }
    l.title = text_field(j, "title", "title", kMaxLessonTitleChars);
    if (!j.contains("order")) throw Invalid{"order: missing (its place in the Lessons menu, 0 to 1000000)"};
    const json& order = j.at("order");
    if (!order.is_number_integer() || order.get<std::int64_t>() < 0 || order.get<std::int64_t>() > 1000000)
      throw Invalid{"order = " + brief(order) + " is out of range: allowed a whole number from 0 to 1000000"};
    l.order = order.get<int>();
    l.text = text_field(j, "text", "text", kMaxLessonTextChars);
    l.watch = text_field(j, "watch", "watch", kMaxLessonTextChars);
    if (j.contains("paused")) {
      if (!j.at("paused").is_boolean()) throw Invalid{"paused = " + brief(j.at("paused")) + ": allowed true or false"};
      l.paused = j.at("paused").get<bool>();
    }
    if (!j.contains("session")) throw Invalid{"session: missing (a complete session object)"};
    const json& base = j.at("session");
    if (!base.is_object()) throw Invalid{"session: expected an object, got " + brief(base)};
    l.session = parse_session(base, "session");
    if (j.contains("classroom")) {
      Classroom c;
      if (auto e = classroom_from_json_text(j.at("classroom").dump(), "classroom", &c)) throw Invalid{*e};
      l.classroom = c;
    }
    if (j.contains("steps")) {
      const json& steps = j.at("steps");
      if (!steps.is_array()) throw Invalid{"steps: expected an array, got " + brief(steps)};
      if (steps.empty() || steps.size() > kMaxLessonSteps)
        throw Invalid{"steps: " + std::to_string(steps.size()) + " steps: allowed 1 to " +
                      std::to_string(kMaxLessonSteps) + " (leave the key out for none)"};
      json current = base;  // the session document at the step before
      for (std::size_t i = 0; i < steps.size(); ++i) {
        const std::string w = "steps[" + std::to_string(i) + "]";
        const json& st = steps[i];
        if (!st.is_object()) throw Invalid{w + ": expected an object, got " + brief(st)};
        check_keys(st, w, {"title", "text", "settings"});
        LessonStep step;
        step.title = text_field(st, "title", w + ".title", kMaxLessonTitleChars);
        if (st.contains("text")) step.text = text_field(st, "text", w + ".text", kMaxLessonTextChars);
        if (!st.contains("settings")) throw Invalid{w + ".settings: missing (the settings this step changes)"};
        const json& patch = st.at("settings");
        if (!patch.is_object() || patch.empty())
          throw Invalid{w + ".settings: expected an object with data, network, optimizer or training, got " +
                        brief(patch)};
        check_keys(patch, w + ".settings", {"data", "network", "optimizer", "training"});
        for (auto it = patch.begin(); it != patch.end(); ++it)
          if (!it.value().is_object())
            throw Invalid{w + ".settings." + it.key() + ": expected an object (only the keys that change), got " +
                          brief(it.value())};
        json next = current;
        const json before_net = current.at("network");
        next.merge_patch(patch);
        if (next.at("network") != before_net) {  // the saved weights no longer fit
          next.erase("parameters");
          next.erase("progress");
        }
        step.session = parse_session(next, w + ".settings");
        current = std::move(next);
        l.steps.push_back(std::move(step));
      }
    }
    return l;
  } catch (const Invalid& e) {
    return LoadError{e.message};
  } catch (const json::exception& e) {
    return LoadError{"malformed lesson: " + core::printable(e.what(), 300)};
  }
}

std::variant<Lesson, LoadError> load_lesson_file(const fs::path& file) {
  auto text = core::read_file_bounded(file.string(), kMaxLessonBytes);
  if (auto* e = std::get_if<core::ReadError>(&text)) return LoadError{e->message};
  auto r = lesson_from_json_text(std::get<std::string>(text), file.stem().string());
  if (auto* e = std::get_if<LoadError>(&r)) e->message = file.string() + ": " + e->message;
  return r;
}

std::optional<fs::path> lessons_dir() {
  auto d = core::find_data_dir();
  if (!d) return std::nullopt;
  return *d / "lessons";
}

bool valid_lesson_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

LessonList list_lessons(const std::optional<fs::path>& dir_in) {
  LessonList out;
  const auto dir = dir_in ? dir_in : lessons_dir();
  if (!dir) {
    out.errors.push_back("no data folder: set MLPVIZ_DATA_DIR, or install mlpviz with its share/mlpviz");
    return out;
  }
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(*dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".json" && valid_lesson_name(it->path().stem().string())) files.push_back(it->path());
  if (ec) {
    out.errors.push_back(dir->string() + ": " + ec.message());
    return out;
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    auto r = load_lesson_file(f);
    if (auto* e = std::get_if<LoadError>(&r)) out.errors.push_back(e->message);
    else out.lessons.push_back(std::get<Lesson>(std::move(r)));
  }
  std::stable_sort(out.lessons.begin(), out.lessons.end(),
                   [](const Lesson& a, const Lesson& b) { return a.order < b.order; });
  return out;
}

std::variant<Lesson, LoadError> find_lesson(const std::string& name, const std::optional<fs::path>& dir_in) {
  const auto dir = dir_in ? dir_in : lessons_dir();
  if (!dir) return LoadError{"no data folder to find lessons in: set MLPVIZ_DATA_DIR"};
  auto known = [&] {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(*dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".json" && valid_lesson_name(it->path().stem().string()))
        names.push_back(it->path().stem().string());
    std::sort(names.begin(), names.end());
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
    return s.empty() ? std::string("none") : s;
  };
  std::error_code ec;
  const fs::path file = *dir / (name + ".json");
  if (!valid_lesson_name(name) || !fs::exists(file, ec))
    return LoadError{"lesson '" + core::printable(name, 64) + "' is not known: known lessons are " + known()};
  return load_lesson_file(file);
}

}  // namespace mlpviz::train
