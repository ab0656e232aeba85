#include "train/classroom.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>
#include <vector>

#include "core/file_io.hpp"

namespace mlpviz::train {

using nlohmann::json;

namespace {

// Reads one list of names into the flags it turns on; the error names the element and value.
std::optional<std::string> read_names(const json& j, const std::string& where, std::string_view allowed,
                                      const std::vector<std::pair<const char*, bool*>>& flags) {
  if (!j.is_array()) return where + ": expected an array of names (" + std::string(allowed) + "), got " + j.type_name();
  for (auto& f : flags) *f.second = false;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string w = where + "[" + std::to_string(i) + "]";
    if (!j[i].is_string()) return w + ": expected a name (" + std::string(allowed) + "), got " + j[i].type_name();
    const std::string name = j[i].get<std::string>();
    bool known = false;
    for (auto& f : flags)
      if (name == f.first) {
        *f.second = true;
        known = true;
      }
    if (!known) return w + " = \"" + core::printable(name) + "\" is not known: allowed " + std::string(allowed);
    if (!seen.insert(name).second) return w + " = \"" + name + "\" is listed twice";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> classroom_from_json_text(const std::string& text, const std::string& where,
                                                    Classroom* out) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    return where + ": not valid JSON: " + core::printable(e.what(), 200);
  }
  if (!j.is_object()) return where + ": expected an object {\"panels\": [...], \"controls\": [...]}";
  Classroom c;
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "panels" && it.key() != "controls")
      return where + "." + core::printable(it.key()) + ": unknown field (allowed panels, controls)";
  if (!j.contains("panels")) return where + ".panels: missing (a list of " + std::string(kClassroomPanels) + ")";
  if (!j.contains("controls"))
    return where + ".controls: missing (a list of " + std::string(kClassroomControls) + ")";
  if (auto e = read_names(j["panels"], where + ".panels", kClassroomPanels,
                          {{"network", &c.network_panel}, {"curves", &c.curves}, {"timeline", &c.timeline}}))
    return e;
  if (auto e = read_names(j["controls"], where + ".controls", kClassroomControls,
                          {{"run", &c.run}, {"data", &c.data}, {"network", &c.network}, {"training", &c.training}}))
    return e;
  *out = c;
  return std::nullopt;
}

std::string classroom_to_json_text(const Classroom& c) {
  json panels = json::array(), controls = json::array();
  if (c.network_panel) panels.push_back("network");
  if (c.curves) panels.push_back("curves");
  if (c.timeline) panels.push_back("timeline");
  if (c.run) controls.push_back("run");
  if (c.data) controls.push_back("data");
  if (c.network) controls.push_back("network");
  if (c.training) controls.push_back("training");
  return json{{"panels", panels}, {"controls", controls}}.dump();
}

Visibility visibility(bool classroom_on, const std::optional<Classroom>& c) {
  Visibility v;
  if (!classroom_on || !c) return v;
  v.run = c->run;
  v.data = c->data;
  v.network = c->network;
  v.training = c->training;
  v.controls_panel = c->any_control();
  v.network_panel = c->network_panel;
  v.curves = c->curves;
  v.timeline = c->timeline;
  return v;
}

std::string hidden_settings_line(const Visibility& v, const Settings& s) {
  std::string parts;
  auto add = [&](const char* p) { parts.append(parts.empty() ? "" : "  |  ").append(p); };
  char buf[160];
  // The network's controls also show it on the graph; its numbers matter when both are hidden.
  if (!v.data) {
    std::snprintf(buf, sizeof buf, "data %s, %d points, noise %g", std::string(core::name(s.data.kind)).c_str(),
                  s.data.points, s.data.noise);
    add(buf);
  }
  if (!v.network) {
    std::string shape = std::to_string(s.net.input_dim());
    for (int w : s.net.widths) shape.append("-").append(std::to_string(w));
    shape.append("-").append(std::to_string(s.net.output_dim()));
    std::string acts;
    for (std::size_t l = 0; l < s.net.activations.size(); ++l)
      if (l == 0 || s.net.activations[l] != s.net.activations[l - 1])
        acts.append(acts.empty() ? " " : "/").append(core::name(s.net.activations[l]));
    std::string feats;
    for (int b = 0; b < core::kNumFeatures; ++b)
      if ((s.net.features >> b) & 1u) feats.append(feats.empty() ? "" : ",").append(core::feature_name(b));
    std::snprintf(buf, sizeof buf, "network %s%s, inputs %s, init %s x%g", shape.c_str(), acts.c_str(),
                  feats.c_str(), std::string(core::name(s.net.init)).c_str(), s.net.init_gain);
    add(buf);
  }
  if (!v.training) {
    std::snprintf(buf, sizeof buf, "%s, lr %g, batch %d%s", std::string(core::name(s.optimizer.kind)).c_str(),
                  s.optimizer.learning_rate, s.optimizer.batch_size,
                  s.optimizer.l2 > 0 || s.optimizer.l1 > 0 ? ", regularized" : "");
    add(buf);
  }
  if (parts.empty()) return parts;
  return std::string("Hidden: ").append(parts);
}

}  // namespace mlpviz::train
