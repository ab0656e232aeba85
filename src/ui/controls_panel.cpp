// controls_panel.cpp: the left column: run buttons, then Data, Network and Training sections.
//
// Every control edits UiState::edit (the settings as shown) and posts the matching command.
// Cheap knobs (learning rate, regularization, speed) post on every drag frame; anything that
// starts a new run (data, network) posts only when the widget is released
// (ImGui::IsItemDeactivatedAfterEdit), never on each drag frame. A value typed into any of them
// (Ctrl+click or double-click) is posted once, on Enter, never keystroke by keystroke.
// Controls that change the data or the network are drags, not sliders: a click alone changes
// nothing (a slider jumps to the clicked position).
#include <imgui.h>
#include <imgui_internal.h>  // TempInputIsActive, GetItemID: is a value being typed
#include <imgui_stdlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "core/palette.hpp"
#include "ui/actions.hpp"
#include "ui/help_text.hpp"
#include "ui/panels.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {
namespace {

using train::Command;
namespace cmd = train::cmd;

// Whether the previous item's edit should be posted now. A typed value: once, when Enter (or a
// click elsewhere) ends the typing. Otherwise on release, and on every change when `live`.
bool commit(bool changed, bool live = false) {
  if (ImGui::TempInputIsActive(ImGui::GetItemID())) return false;
  return ImGui::IsItemDeactivatedAfterEdit() || (live && changed);
}
bool released() { return commit(false); }

// Drags for the controls that start a new run: dragging across the whole range takes about
// `pixels` of mouse travel; a click alone changes nothing. Typed values are not clamped: the
// trainer refuses one out of range with a message naming the field and the range.
bool drag_int(const char* label, int* v, int lo, int hi, float pixels, const char* fmt = "%d",
              ImGuiSliderFlags flags = 0) {
  return ImGui::DragInt(label, v, static_cast<float>(hi - lo) / pixels, lo, hi, fmt, flags);
}
bool drag_double(const char* label, double* v, double lo, double hi, float pixels,
                 const char* fmt, ImGuiSliderFlags flags = 0) {
  return ImGui::DragScalar(label, ImGuiDataType_Double, v, static_cast<float>((hi - lo) / pixels),
                           &lo, &hi, fmt, flags);
}

// The defaults of a generated problem, as the command line has them: switching the kind starts
// from these (a drawn set's 15 points do not carry over to moons). The data seed is kept.
core::DataSpec data_defaults(core::DataKind kind, std::uint64_t seed) {
  core::DataSpec d;
  d.kind = kind;
  d.seed = seed;
  return d;
}

// A seed typed as text: any whole number from 0 to 2^64 - 1, applied on Enter or when the field
// is left. Anything else is refused with a message naming the field and the range; the field
// keeps the text to correct while the message is up.
bool seed_field(UiState& st, const FrameInfo& fi, const char* id, const char* field,
                std::string& text, std::uint64_t current, std::uint64_t* accepted) {
  const bool active_before = ImGui::GetActiveID() != 0 && ImGui::GetActiveID() == ImGui::GetID(id);
  if (!active_before && !notice_up(st, fi, field)) text = std::to_string(current);
  const bool bad = notice_up(st, fi, field);
  if (bad) ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(1.0f, 0.80f, 0.80f, 1));
  const bool enter = ImGui::InputText(
      id, &text, ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_EnterReturnsTrue);
  if (bad) ImGui::PopStyleColor();
  if (!enter && !ImGui::IsItemDeactivatedAfterEdit()) return false;
  std::string t = text;
  t.erase(0, t.find_first_not_of(" \t"));
  t.erase(t.find_last_not_of(" \t") + 1);
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size()) {
    const std::string range =
        "allowed 0 to " + std::to_string(std::numeric_limits<std::uint64_t>::max());
    set_notice(st, fi,
               ec == std::errc::result_out_of_range
                   ? std::string(field) + " = " + t + " is out of range: " + range
                   : std::string(field) + ": \"" + t + "\" is not a whole number: " + range,
               true, field);
    return false;
  }
  clear_notice(st, field);
  text = std::to_string(v);
  *accepted = v;
  return v != current;
}

bool slider_double(const char* label, double* v, double lo, double hi, const char* fmt, bool log = false) {
  return ImGui::SliderScalar(label, ImGuiDataType_Double, v, &lo, &hi, fmt,
                             log ? ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_NoRoundToFormat : 0);
}

std::string_view data_kind_name(int i) { return core::name(static_cast<core::DataKind>(i)); }
std::string_view activation_name(int i) { return core::name(static_cast<core::Activation>(i)); }
std::string_view output_name(int i) { return core::name(static_cast<core::OutputKind>(i)); }
std::string_view init_name(int i) { return core::name(static_cast<core::InitKind>(i)); }
std::string_view optimizer_name(int i) { return core::name(static_cast<core::OptimizerKind>(i)); }
std::string_view schedule_name(int i) { return core::name(static_cast<core::ScheduleKind>(i)); }
std::string_view stop_name(int i) {
  static constexpr const char* kNames[] = {"never", "after steps", "after epochs", "at target loss"};
  return kNames[std::clamp(i, 0, 3)];
}

bool generated_kind(int i, const void*) { return static_cast<core::DataKind>(i) != core::DataKind::Custom; }
bool output_allowed(int i, const void* ctx) {
  const int classes = *static_cast<const int*>(ctx);
  return !(static_cast<core::OutputKind>(i) == core::OutputKind::SigmoidBce && classes != 2);
}

// Full-width widgets with the label on the left would crowd the column: labels go above.
void label(const char* text) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text);
}

void post_net(FrameOutput& out, const core::NetSpec& n) { out.commands.push_back(cmd::SetNet{n}); }

// After a drag or a typed value: a new run only if the value differs from the run's (a drag back
// to where it started, or a refused value, changes nothing). With commands still in flight the
// snapshot may lag behind, so the edit is posted regardless.
void post_net_if_changed(FrameOutput& out, const FrameInfo& fi, const core::NetSpec& n) {
  if (fi.commands_pending > 0 || !(n == fi.snap->settings.net)) post_net(out, n);
}
void post_data_if_changed(FrameOutput& out, const FrameInfo& fi, const core::DataSpec& d) {
  if (fi.commands_pending > 0 || !(d == fi.snap->settings.data)) out.commands.push_back(cmd::SetData{d});
}

}  // namespace

void draw_run_controls(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  const train::Snapshot& s = *fi.snap;
  const bool running = s.state == train::RunState::Running;
  const float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  const float h = ImGui::GetFrameHeight() * 1.35f;
  ImGui::PushStyleColor(ImGuiCol_Button, running ? ImVec4(0.80f, 0.36f, 0.18f, 1) : ImVec4(0.16f, 0.55f, 0.30f, 1));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, running ? ImVec4(0.88f, 0.44f, 0.24f, 1) : ImVec4(0.20f, 0.64f, 0.36f, 1));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  if (ImGui::Button(running ? "Pause" : "Play", ImVec2(w, h)))
    out.commands.push_back(running ? Command{cmd::Pause{}} : Command{cmd::Play{}});
  ImGui::PopStyleColor(3);
  hint(help::kPlay);
  ImGui::SameLine();
  if (ImGui::Button("Step", ImVec2(w, h))) out.commands.push_back(cmd::Step{1});
  hint(help::kStep);
  if (ImGui::Button("Reset", ImVec2(w, 0))) out.commands.push_back(cmd::Reset{false});
  hint(help::kReset);
  ImGui::SameLine();
  if (ImGui::Button("New weights", ImVec2(w, 0))) out.commands.push_back(cmd::Reset{true});
  hint(help::kNewWeights);
  const int runs = std::max<int>(1, static_cast<int>(fi.compare.size()));
  ImGui::BeginDisabled(runs >= kMaxCompareRuns);
  if (ImGui::Button(runs > 1 ? "Compare: one more" : "Compare", ImVec2(-1, 0))) st.requests.compare = true;
  ImGui::EndDisabled();
  hint(help::kCompare);

  // Pace: steps per second on a logarithmic slider from 1 to what this machine reaches at full
  // speed with this network (the trainer's estimate, two significant digits; kMaxStepsPerSecond
  // until it has one), and "max" (full speed, 0) as its last stop. The slider moves
  // log10(steps/s); values snap to two significant digits. No Ctrl+click typing: the slider's own
  // number is a logarithm. The top follows the estimate only while the slider is not held, and
  // only when it moved by more than a quarter (the knob does not wander with the measurement).
  auto nice = [](double v) {
    const double mag = std::pow(10.0, std::floor(std::log10(v)) - 1);
    return std::round(v / mag) * mag;
  };
  const double measured = fi.snap->full_speed_steps_per_second;
  const double wanted_top =
      measured > 0 ? std::clamp(nice(measured), 10.0, train::kMaxStepsPerSecond) : train::kMaxStepsPerSecond;
  const bool speed_held = ImGui::GetActiveID() != 0 && ImGui::GetActiveID() == ImGui::GetID("##speed");
  if (!speed_held && (st.speed_top <= 0 || std::abs(std::log(wanted_top / st.speed_top)) > std::log(1.25)))
    st.speed_top = wanted_top;
  const float top = static_cast<float>(std::log10(st.speed_top));
  const float max_stop = top + std::max(0.3f, 0.06f * top);  // "max" sits a step beyond the top
  double& sps = st.edit.steps_per_second;
  float pos = sps <= 0.0 ? max_stop : std::min(top, static_cast<float>(std::log10(std::max(sps, 1.0))));
  char fmt[48];
  if (sps <= 0.0) std::snprintf(fmt, sizeof fmt, "max (full speed)");
  else std::snprintf(fmt, sizeof fmt, "%s steps/s", compact(sps).c_str());
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Speed");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderFloat("##speed", &pos, 0.0f, max_stop, fmt, ImGuiSliderFlags_NoInput)) {
    if (pos > top + 0.5f * (max_stop - top)) {
      sps = 0.0;
    } else {
      const double v = std::pow(10.0, std::min(pos, top));
      sps = std::clamp(nice(v), 1.0, std::min(st.speed_top, train::kMaxStepsPerSecond));
    }
    out.commands.push_back(cmd::SetSpeed{sps});
  }
  st.layout_record.speed_slider = ImVec4(ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y,
                                         ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y);
  if (ImGui::IsItemHovered()) {  // the text names the measured rate: built only when shown
    const std::string text = measured > 0 ? std::string(help::kSpeed) + " At full speed this machine does about " +
                                                compact(measured) + " steps/s with this network."
                                          : std::string(help::kSpeed);
    hint(text.c_str());
  }
}

void draw_data_controls(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  core::DataSpec& d = st.edit.data;
  const train::Snapshot& s = *fi.snap;
  const bool custom = d.kind == core::DataKind::Custom;
  ImGui::PushItemWidth(-1);

  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", help::kNewRunNote);
  ImGui::PopStyleColor();
  hint(help::kNewRunRule);

  label("Problem");
  int kind = static_cast<int>(d.kind);
  if (enum_combo("##kind", &kind, core::kNumDataKinds, data_kind_name, generated_kind)) {
    d = data_defaults(static_cast<core::DataKind>(kind), d.seed);
    out.commands.push_back(cmd::SetData{d});
  }
  hint(help::kDataKind);
  // The same rows for every kind (disabled where they do not apply), so that nothing moves under
  // the mouse when the kind changes, e.g. after Clear points.
  const int shown_points = custom ? static_cast<int>(s.data ? s.data->points.size() : 0) : d.points;
  if (custom) ImGui::BeginDisabled();
  label("Classes");
  const bool has_classes = core::data_kind_has_classes(d.kind) && !custom;
  if (!has_classes) ImGui::BeginDisabled();
  drag_int("##classes", &d.classes, 2, core::kMaxClasses, 150.0f);
  if (released()) post_data_if_changed(out, fi, d);
  if (!has_classes) ImGui::EndDisabled();
  hint(help::kClasses);
  label(custom ? "Points (drawn or imported)" : "Points");
  int pts = shown_points;
  if (drag_int("##points", &pts, 10, 5000, 300.0f, "%d", ImGuiSliderFlags_Logarithmic) && !custom)
    d.points = pts;
  st.layout_record.points_field = ImVec4(ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y,
                                         ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y);
  if (released()) post_data_if_changed(out, fi, d);
  hint(help::kPoints);
  label("Noise");
  drag_double("##noise", &d.noise, 0.0, 1.0, 250.0f, "%.2f");
  if (released()) post_data_if_changed(out, fi, d);
  hint(help::kNoise);
  label("Training share");
  double pct = d.train_fraction * 100.0;
  if (drag_double("##train", &pct, 5.0, 100.0, 250.0f, "%.0f %%")) d.train_fraction = pct / 100.0;
  if (released()) post_data_if_changed(out, fi, d);
  hint(help::kTrainFraction);
  label("Data seed");
  std::uint64_t seed = d.seed;
  if (seed_field(st, fi, "##seed", "data seed", st.data_seed_text, d.seed, &seed)) {
    d.seed = seed;
    out.commands.push_back(cmd::SetData{d});
  }
  hint(help::kDataSeed);
  if (custom) ImGui::EndDisabled();
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  if (custom) ImGui::BeginDisabled();
  if (ImGui::Button("New sample (N)", ImVec2(half, 0))) {
    ++d.seed;
    out.commands.push_back(cmd::SetData{d});
  }
  if (custom) ImGui::EndDisabled();
  hint(help::kRegenerate);
  ImGui::SameLine();
  if (ImGui::Button("Clear points", ImVec2(half, 0))) out.commands.push_back(cmd::ClearPoints{});
  hint(help::kClear);
  const bool can_undo = s.point_undo_depth > 0;
  if (!can_undo) ImGui::BeginDisabled();
  if (ImGui::Button("Undo point edit (Ctrl+Z)", ImVec2(-1, 0))) undo_points(out);
  if (!can_undo) ImGui::EndDisabled();
  hint(help::kUndoPoints);

  // Class painted by a click: one swatch per class.
  label("Click adds class");
  const int classes = s.data ? std::max(2, s.data->classes) : 2;
  st.paint_class = std::clamp(st.paint_class, 0, classes - 1);
  const float sw = ImGui::GetFrameHeight();
  for (int k = 0; k < classes; ++k) {
    if (k > 0) ImGui::SameLine();
    ImGui::PushID(k);
    const bool on = st.paint_class == k;
    ImGui::PushStyleColor(ImGuiCol_Button, to_vec4(core::kClassColors[k]));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, to_vec4(core::kClassColors[k], 0.8f));
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, on ? 3.0f * fi.scale : 0.0f);
    char text[16];
    std::snprintf(text, sizeof text, "%d", k);
    if (ImGui::Button(text, ImVec2(sw * 1.3f, sw))) st.paint_class = k;
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(3);
    hint(help::kPaint);
    ImGui::PopID();
  }

  label("CSV file");
  ImGui::InputText("##csv", &st.csv_path);
  hint(help::kCsvPath);
  if (ImGui::Button("Import", ImVec2(half, 0))) st.requests.import_csv = true;
  hint(help::kImport);
  ImGui::SameLine();
  if (ImGui::Button("Export", ImVec2(half, 0))) st.requests.export_csv = true;
  hint(help::kExport);
  ImGui::Checkbox("Import as test points", &st.import_as_test);
  hint(help::kImportAsTest);
  ImGui::PopItemWidth();
}

void draw_network_controls(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  core::NetSpec& n = st.edit.net;
  ImGui::PushItemWidth(-1);

  label("Input features");
  static constexpr const char* kFeatureLabels[core::kNumFeatures] = {
      "x1", "x2", "x1\xc2\xb2", "x2\xc2\xb2", "x1\xc2\xb7x2", "sin x1", "sin x2"};
  // As many columns as the widest label allows ("sin x1" must not run into its neighbour).
  float widest = 0;
  for (const char* f : kFeatureLabels) widest = std::max(widest, ImGui::CalcTextSize(f).x);
  const float cell = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + widest +
                     2 * ImGui::GetStyle().CellPadding.x + ImGui::GetStyle().ItemSpacing.x;
  const int feature_cols =
      std::clamp(static_cast<int>(ImGui::GetContentRegionAvail().x / cell), 1, 4);
  if (ImGui::BeginTable("features", feature_cols)) {
    for (int b = 0; b < core::kNumFeatures; ++b) {
      ImGui::TableNextColumn();
      bool on = (n.features >> b) & 1u;
      if (ImGui::Checkbox(kFeatureLabels[b], &on)) {
        const std::uint32_t next = on ? n.features | (1u << b) : n.features & ~(1u << b);
        if (next != 0) {
          n.features = next;
          post_net(out, n);
        }
      }
      hint(help::kFeatures);
    }
    ImGui::EndTable();
  }

  label("Hidden layers");
  int depth = n.depth();
  if (drag_int("##depth", &depth, 0, core::kMaxHiddenLayers, 200.0f)) {
    if (depth < 0 || depth > core::kMaxHiddenLayers) {  // typed: refused, the field goes back
      set_notice(st, fi,
                 "network.depth = " + std::to_string(depth) + " is out of range: allowed 0 to " +
                     std::to_string(core::kMaxHiddenLayers),
                 true, "network.depth");
      depth = n.depth();
    } else {
      clear_notice(st, "network.depth");
    }
    const int w = n.widths.empty() ? 4 : n.widths.back();
    const core::Activation a = n.activations.empty() ? core::Activation::Tanh : n.activations.back();
    n.widths.resize(static_cast<std::size_t>(depth), w);
    n.activations.resize(static_cast<std::size_t>(depth), a);
  }
  if (released()) post_net_if_changed(out, fi, n);
  hint(help::kDepth);

  if (depth > 0) {
    ImGui::Checkbox("Same width for all layers", &st.same_width);
    hint(help::kSameWidth);
    if (st.same_width) {
      label("Units per layer");
      int w = n.widths.front();
      if (drag_int("##width", &w, 1, core::kMaxWidth, 250.0f))
        std::fill(n.widths.begin(), n.widths.end(), w);
      if (released()) post_net_if_changed(out, fi, n);
      hint(help::kWidth);
    } else {
      for (int l = 0; l < depth; ++l) {
        ImGui::PushID(l);
        char text[32];
        std::snprintf(text, sizeof text, "Layer %d: %%d units", l + 1);
        drag_int("##w", &n.widths[static_cast<std::size_t>(l)], 1, core::kMaxWidth, 250.0f, text);
        if (released()) post_net_if_changed(out, fi, n);
        hint(help::kWidth);
        ImGui::PopID();
      }
    }
    label("Activation");
    int act = static_cast<int>(n.activations.front());
    const bool mixed = std::any_of(n.activations.begin(), n.activations.end(),
                                   [&](core::Activation a) { return a != n.activations.front(); });
    if (mixed) ImGui::TextDisabled("(mixed: see per layer)");
    if (enum_combo("##act", &act, core::kNumActivations, activation_name)) {
      std::fill(n.activations.begin(), n.activations.end(), static_cast<core::Activation>(act));
      post_net(out, n);
    }
    hint(help::kActivation);
    if (ImGui::TreeNode("Per-layer activation")) {
      for (int l = 0; l < depth; ++l) {
        ImGui::PushID(l);
        int a = static_cast<int>(n.activations[static_cast<std::size_t>(l)]);
        ImGui::Text("Layer %d", l + 1);
        ImGui::SameLine(ImGui::GetFontSize() * 4.5f);
        ImGui::SetNextItemWidth(-1);
        if (enum_combo("##a", &a, core::kNumActivations, activation_name)) {
          n.activations[static_cast<std::size_t>(l)] = static_cast<core::Activation>(a);
          post_net(out, n);
        }
        hint(help::kLayerActivation);
        ImGui::PopID();
      }
      ImGui::TreePop();
    }
    const bool leaky = std::count(n.activations.begin(), n.activations.end(), core::Activation::LeakyRelu) > 0;
    const bool elu = std::count(n.activations.begin(), n.activations.end(), core::Activation::Elu) > 0;
    if (leaky) {
      label("Leaky ReLU slope");
      drag_double("##leaky", &n.leaky_alpha, 0.0, 1.0, 250.0f, "%.3f");
      if (released()) post_net_if_changed(out, fi, n);
      hint(help::kLeaky);
    }
    if (elu) {
      label("ELU alpha");
      drag_double("##elu", &n.elu_alpha, 0.0, 10.0, 250.0f, "%.2f");
      if (released()) post_net_if_changed(out, fi, n);
      hint(help::kElu);
    }
  }

  label("Output and loss");
  int output = static_cast<int>(n.output);
  if (enum_combo("##output", &output, core::kNumOutputKinds, output_name, output_allowed, &n.classes)) {
    n.output = static_cast<core::OutputKind>(output);
    post_net(out, n);
  }
  hint(help::kOutput);
  label("Weight initialization");
  int init = static_cast<int>(n.init);
  if (enum_combo("##init", &init, core::kNumInitKinds, init_name)) {
    n.init = static_cast<core::InitKind>(init);
    post_net(out, n);
  }
  hint(help::kInit);
  label("Initialization gain");
  drag_double("##gain", &n.init_gain, core::kMinInitGain, core::kMaxInitGain, 200.0f, "x%.2g",
              ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_NoRoundToFormat);
  if (released()) post_net_if_changed(out, fi, n);
  hint(help::kInitGain);
  const bool pytorch = n.init == core::InitKind::PyTorch;
  bool random_bias = n.random_bias || pytorch;
  ImGui::BeginDisabled(pytorch);  // PyTorch's rule draws its biases itself
  if (ImGui::Checkbox("Random biases", &random_bias)) {
    n.random_bias = random_bias;
    post_net(out, n);
  }
  ImGui::EndDisabled();
  hint(help::kRandomBias);
  label("Initial bias");
  ImGui::BeginDisabled(random_bias);
  drag_double("##bias", &n.bias_init, -1.0, 1.0, 200.0f, "%.2f");
  if (released()) post_net_if_changed(out, fi, n);
  ImGui::EndDisabled();
  hint(help::kBiasInit);
  label("Weight seed");
  std::uint64_t seed = st.edit.weight_seed;
  if (seed_field(st, fi, "##wseed", "weight seed", st.weight_seed_text, st.edit.weight_seed,
                 &seed)) {
    st.edit.weight_seed = seed;
    out.commands.push_back(cmd::SetWeightSeed{st.edit.weight_seed});
  }
  hint(help::kWeightSeed);
  const core::Layout& lay = fi.snap->layout;
  ImGui::TextDisabled("%d parameters, %d hidden units", lay.num_params, lay.num_hidden_units());
  ImGui::PopItemWidth();
}

void draw_training_controls(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  core::OptimizerSpec& o = st.edit.optimizer;
  bool changed = false;
  ImGui::PushItemWidth(-1);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("Changes here continue the run");
  ImGui::PopStyleColor();
  hint(help::kContinueRule);
  label("Optimizer");
  int kind = static_cast<int>(o.kind);
  if (enum_combo("##opt", &kind, core::kNumOptimizerKinds, optimizer_name)) {
    o.kind = static_cast<core::OptimizerKind>(kind);
    changed = true;
  }
  hint(help::kOptimizer);
  label("Learning rate");
  changed |= commit(slider_double("##lr", &o.learning_rate, 1e-5, 10.0, "%.2g", true), true);
  hint(help::kLearningRate);
  using K = core::OptimizerKind;
  if (o.kind == K::Momentum || o.kind == K::Nesterov) {
    label("Momentum");
    changed |= commit(slider_double("##mom", &o.momentum, 0.0, 0.999, "%.3f"), true);
    hint(help::kMomentum);
  }
  if (o.kind == K::Adam || o.kind == K::AdamW) {
    label("beta1 (momentum)");
    changed |= commit(slider_double("##b1", &o.beta1, 0.0, 0.9999, "%.4f"), true);
    hint(help::kBeta1);
    label("beta2 (squared gradients)");
    changed |= commit(slider_double("##b2", &o.beta2, 0.9, 0.99999, "%.5f"), true);
    hint(help::kBeta2);
  }
  if (o.kind == K::RmsProp) {
    label("rho");
    changed |= commit(slider_double("##rho", &o.rho, 0.0, 0.9999, "%.4f"), true);
    hint(help::kRho);
  }
  if (o.kind == K::AdamW) {
    label("Weight decay");
    changed |= commit(slider_double("##wd", &o.weight_decay, 0.0, 1.0, "%.4f", true), true);
    hint(help::kWeightDecay);
  }
  if (o.kind == K::AdaGrad || o.kind == K::RmsProp || o.kind == K::Adam || o.kind == K::AdamW) {
    label("epsilon");
    changed |= commit(slider_double("##eps", &o.epsilon, 1e-12, 1.0, "%.1e", true), true);
    hint(help::kEpsilon);
  }
  label("Schedule");
  int sched = static_cast<int>(o.schedule);
  if (enum_combo("##sched", &sched, core::kNumScheduleKinds, schedule_name)) {
    o.schedule = static_cast<core::ScheduleKind>(sched);
    changed = true;
  }
  hint(help::kSchedule);
  if (o.schedule == core::ScheduleKind::Step || o.schedule == core::ScheduleKind::Exponential) {
    ImGui::SliderInt("##sstep", &o.schedule_step, 1, 100000,
                     o.schedule == core::ScheduleKind::Step ? "every %d steps" : "time constant %d steps",
                     ImGuiSliderFlags_Logarithmic);
    changed |= released();
    hint(help::kScheduleStep);
  }
  if (o.schedule != core::ScheduleKind::Constant) {
    changed |= commit(
        slider_double("##gamma", &o.schedule_gamma, 0.0, 1.0,
                      o.schedule == core::ScheduleKind::InverseTime ? "decay %.4f" : "factor %.3f",
                      o.schedule == core::ScheduleKind::InverseTime),
        true);
    hint(help::kScheduleGamma);
    ImGui::TextDisabled("learning rate now: %s",
                        compact(core::scheduled_learning_rate(o, fi.snap->step)).c_str());
  }
  label("Batch size");
  ImGui::SliderInt("##batch", &o.batch_size, 1, 1024, "%d", ImGuiSliderFlags_Logarithmic);
  changed |= released();
  hint(help::kBatch);
  if (fi.snap->effective_batch > 0 && fi.snap->effective_batch < o.batch_size)
    ImGui::TextDisabled("using %d (the whole training set)", fi.snap->effective_batch);
  label("L1 regularization");
  changed |= commit(slider_double("##l1", &o.l1, 0.0, 1.0, "%.2g", true), true);
  hint(help::kL1);
  label("L2 regularization");
  changed |= commit(slider_double("##l2", &o.l2, 0.0, 1.0, "%.2g", true), true);
  hint(help::kL2);
  if (changed) out.commands.push_back(cmd::SetOptimizer{o});

  // Stopping rule.
  label("Stop training");
  train::StopRule& r = st.edit.stop;
  int rule = static_cast<int>(r.kind);
  bool stop_changed = false;
  if (enum_combo("##stop", &rule, 4, stop_name)) {
    r.kind = static_cast<train::StopRule::Kind>(rule);
    stop_changed = true;
  }
  hint(help::kStop);
  using SK = train::StopRule::Kind;
  if (r.kind == SK::Steps) {
    const std::int64_t lo = 1, hi = 1'000'000'000;
    ImGui::SliderScalar("##ssteps", ImGuiDataType_S64, &r.steps, &lo, &hi, "%lld steps", ImGuiSliderFlags_Logarithmic);
    stop_changed |= released();
  } else if (r.kind == SK::Epochs) {
    const std::int64_t lo = 1, hi = 1'000'000;
    ImGui::SliderScalar("##sepochs", ImGuiDataType_S64, &r.epochs, &lo, &hi, "%lld epochs", ImGuiSliderFlags_Logarithmic);
    stop_changed |= released();
  } else if (r.kind == SK::TargetLoss) {
    slider_double("##sloss", &r.target_loss, 1e-4, 1.0, "loss %.4g", true);
    stop_changed |= released();
  }
  if (stop_changed) out.commands.push_back(cmd::SetStop{r});
  ImGui::PopItemWidth();
}

}  // namespace mlpviz::ui
