// inspector_panel.cpp: the backprop inspector, the math at one point (issue 10, section 2). In
// inspect mode the bottom strip shows, for the point picked in the view and the parameters shown:
// the point's loss; the formula of one unit filled in with its numbers (z = w1*a1 + ... + b,
// a = g(z), delta = dL/dz); every unit's z, a and delta; every weight's and bias's dL/dw; and
// "Step on this point", which posts one plain SGD step on that point alone (cmd::StepOnPoint: the
// trainer applies it) and lists every parameter before and after.
//
// The numbers come from core::inspect_point on the shown parameters as written (core::as_written),
// computed here on the UI thread when they or the point change: one column forward and backward.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/data.hpp"
#include "core/inspect.hpp"
#include "ui/help_text.hpp"
#include "ui/panels.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {
namespace {

// A value to the notes' precision: 9 decimals (0.298371109), or 4 significant digits in exponent
// form where 9 decimals would hide it.
std::string num(double v) {
  char buf[48];
  if (!std::isfinite(v)) return "n/a";
  if (v == 0.0 || (std::fabs(v) >= 1e-4 && std::fabs(v) < 1e6))
    std::snprintf(buf, sizeof buf, "%.9f", v);
  else
    std::snprintf(buf, sizeof buf, "%.4e", v);
  return buf;
}

// A factor inside a formula: short (4 significant digits), negatives in parentheses.
std::string factor(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, v < 0 ? "(%.4g)" : "%.4g", v);
  return buf;
}

const char* feature_label(std::uint32_t features, int unit) {
  static constexpr const char* kText[] = {"x1", "x2", "x1\xc2\xb2", "x2\xc2\xb2", "x1\xc2\xb7x2", "sin x1", "sin x2"};
  int k = -1;
  for (int b = 0; b < core::kNumFeatures; ++b)
    if ((features >> b) & 1u)
      if (++k == unit) return kText[b];
  return "?";
}

// The notes' unit names: inputs by feature, hidden units h1, h2 (h2.3 in deeper networks: layer 2,
// unit 3), outputs o1, o2.
std::string unit_name(const core::Layout& lay, std::uint32_t features, int l, int j) {
  const int L = lay.depth();
  if (l == 0) return feature_label(features, j);
  char buf[32];
  if (l == L) std::snprintf(buf, sizeof buf, "o%d", j + 1);
  else if (L > 2) std::snprintf(buf, sizeof buf, "h%d.%d", l, j + 1);
  else std::snprintf(buf, sizeof buf, "h%d", j + 1);
  return buf;
}

// Parts joined (GCC 12 warns falsely, -Wrestrict, on "literal" + std::string chains).
std::string join(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (std::string_view p : parts) s.append(p);
  return s;
}

// g'(z) of unit (l, j), from the engine's own derivative (mul_activation_derivative on 1 x 1).
double slope(const core::Layout& lay, int l, double z, double a) {
  core::MatX<double> Z(1, 1), A(1, 1), D(1, 1);
  Z(0, 0) = z;
  A(0, 0) = a;
  D(0, 0) = 1.0;
  core::mul_activation_derivative<double>(lay.layers[static_cast<std::size_t>(l - 1)].act, lay, Z, A, D);
  return D(0, 0);
}

const char* slope_text(core::Activation act) {
  switch (act) {
    case core::Activation::Sigmoid: return "a(1 \xe2\x88\x92 a)";
    case core::Activation::Tanh: return "1 \xe2\x88\x92 a\xc2\xb2";
    case core::Activation::Relu: return "[z > 0]";
    case core::Activation::LeakyRelu: return "[z > 0] or \xce\xb1";
    case core::Activation::Identity: return "1";
    default: return "g'(z)";
  }
}

// The notes' weight numbers: w1, w2, ... unit by unit, layer by layer (w5 = o1's weight from h1).
int weight_number(const core::Layout& lay, int l, int j, int i) {
  int n = 0;
  for (int k = 1; k < l; ++k) n += lay.sizes[static_cast<std::size_t>(k - 1)] * lay.sizes[static_cast<std::size_t>(k)];
  return n + j * lay.sizes[static_cast<std::size_t>(l - 1)] + i + 1;
}

// Sum of terms "w*a" as text: every term for up to 4, else the first 3 and a count.
template <class Term>
std::string terms(int n, Term term) {
  std::string s;
  const int shown = n <= 4 ? n : 3;
  for (int i = 0; i < shown; ++i) {
    if (i) s += " + ";
    s += term(i);
  }
  if (shown < n) s += join({" + \xe2\x80\xa6 (", std::to_string(n), " terms)"});
  return s;
}

// The formula lines of unit (l, j), filled in.
void draw_formula(const UiState& st, const train::Snapshot& s, const core::PointInspection& r, int l, int j) {
  const core::Layout& lay = s.layout;
  const std::uint32_t feats = s.settings.net.features;
  const int L = lay.depth();
  const std::string name = unit_name(lay, feats, l, j);
  if (l == 0) {
    ImGui::Text("%s = %s   (input %d of the point)", name.c_str(), num(r.input[j]).c_str(), j + 1);
    return;
  }
  const core::LayerLayout& ll = lay.layers[static_cast<std::size_t>(l - 1)];
  const core::LayerInspection& li = r.layers[static_cast<std::size_t>(l - 1)];
  const std::vector<double>& p = st.inspect.params;
  const auto W = [&](int row, int col) { return p[static_cast<std::size_t>(ll.w_offset + col * ll.out + row)]; };
  const auto a_prev = [&](int i) { return l == 1 ? r.input[i] : r.layers[static_cast<std::size_t>(l - 2)].a[i]; };
  const double b = p[static_cast<std::size_t>(ll.b_offset + j)];
  ImGui::Text("unit %s (%s)", name.c_str(),
              l == L ? join({"output, ", core::name(lay.output)}).c_str()
                     : join({"layer ", std::to_string(l), ", ", core::name(ll.act)}).c_str());
  // z = w1*a1 + w2*a2 + b = ...
  const std::string sym = terms(ll.in, [&](int i) { return join({"w", std::to_string(weight_number(lay, l, j, i)), "\xc2\xb7", unit_name(lay, feats, l - 1, i)}); });
  const std::string val = terms(ll.in, [&](int i) { return join({factor(W(j, i)), "\xc2\xb7", factor(a_prev(i))}); });
  ImGui::Text("z = %s + b", sym.c_str());
  ImGui::Text("   = %s + %s", val.c_str(), factor(b).c_str());
  ImGui::Text("   = %s", num(li.z[j]).c_str());
  // a = g(z)
  if (l == L && lay.output == core::OutputKind::SoftmaxCe)
    ImGui::TextWrapped("a = exp(z) / \xce\xa3 exp(z_k) = %s", num(li.a[j]).c_str());
  else if (ll.act == core::Activation::Identity)
    ImGui::TextWrapped("a = z = %s", num(li.a[j]).c_str());
  else
    ImGui::Text("a = %s(z) = %s", std::string(core::name(ll.act)).c_str(), num(li.a[j]).c_str());
  // delta = dL/dz
  if (l == L) {
    const double t = r.target[j];
    if (lay.output == core::OutputKind::SigmoidMse) {
      ImGui::TextUnformatted("\xce\xb4 = dL/dz = (a \xe2\x88\x92 t)\xc2\xb7" "a(1 \xe2\x88\x92 a)");
      ImGui::Text("   = (%s \xe2\x88\x92 %s)\xc2\xb7%s", factor(li.a[j]).c_str(), factor(t).c_str(),
                  factor(li.a[j] * (1 - li.a[j])).c_str());
    } else {
      ImGui::TextUnformatted("\xce\xb4 = dL/dz = a \xe2\x88\x92 t");
      ImGui::Text("   = %s \xe2\x88\x92 %s", factor(li.a[j]).c_str(), factor(t).c_str());
    }
  } else {
    const core::LayerLayout& up = lay.layers[static_cast<std::size_t>(l)];
    const core::LayerInspection& lu = r.layers[static_cast<std::size_t>(l)];
    const auto Wup = [&](int row) { return p[static_cast<std::size_t>(up.w_offset + j * up.out + row)]; };
    const std::string sym = terms(up.out, [&](int k) {
      return join({"w", std::to_string(weight_number(lay, l + 1, k, j)), "\xc2\xb7\xce\xb4(", unit_name(lay, feats, l + 1, k), ")"});
    });
    const std::string sum = terms(up.out, [&](int k) { return join({factor(Wup(k)), "\xc2\xb7", factor(lu.delta[k])}); });
    ImGui::Text("\xce\xb4 = dL/dz = (%s)\xc2\xb7%s", sym.c_str(), slope_text(ll.act));
    ImGui::Text("   = (%s)\xc2\xb7%s", sum.c_str(), factor(slope(lay, l, li.z[j], li.a[j])).c_str());
  }
  ImGui::Text("   = %s", num(li.delta[j]).c_str());
  // Its parameters' gradients: dL/db = delta, dL/dw = delta * the input it weighs.
  ImGui::Text("dL/db = \xce\xb4 = %s", num(li.db[j]).c_str());
  for (int i = 0; i < std::min(ll.in, 4); ++i)
    ImGui::Text("dL/dw%d = \xce\xb4\xc2\xb7%s = %s", weight_number(lay, l, j, i), unit_name(lay, feats, l - 1, i).c_str(),
                num(li.dW(j, i)).c_str());
  if (ll.in > 4) ImGui::TextDisabled("(%d more weights in the table)", ll.in - 4);
}

}  // namespace

void pick_inspect_point(UiState& st, double x1, double x2, int sample, int label) {
  InspectState& in = st.inspect;
  in.picked = true;
  in.x1 = x1;
  in.x2 = x2;
  in.sample = sample;
  in.label = label;
  in.step_before.clear();
  in.step_after.clear();
  ++in.pick_serial;
}

void update_inspection(UiState& st, const FrameInfo& fi) {
  InspectState& in = st.inspect;
  if (!in.mode || !in.picked || !fi.snap || !fi.params) {
    in.valid = false;
    return;
  }
  const train::Snapshot& s = *fi.snap;
  const core::Layout& lay = s.layout;
  if (in.key_version == s.version && in.key_step == fi.shown_step && in.key_params == fi.params &&
      in.key_pick == in.pick_serial && in.key_data == s.data_version)
    return;
  in.key_version = s.version;
  in.key_step = fi.shown_step;
  in.key_params = fi.params;
  in.key_pick = in.pick_serial;
  in.key_data = s.data_version;
  in.valid = false;
  in.error.clear();
  if (static_cast<int>(fi.params->size()) != lay.num_params) {
    in.error = "the network is being rebuilt";
    return;
  }
  const int out = lay.sizes.back();
  std::vector<double> t;
  if (s.data && in.sample >= 0 && in.sample < static_cast<int>(s.data->points.size())) {
    const core::Point& p = s.data->points[static_cast<std::size_t>(in.sample)];
    in.x1 = p.x1;
    in.x2 = p.x2;
    in.label = p.label;
    t = core::target_of_point(*s.data, in.sample, lay);
  } else {
    in.sample = -1;  // the point went (an edit): the spot stays, with its label
    in.label = std::clamp(in.label, 0, std::max(0, s.settings.net.classes - 1));
    t = core::target_of_label(in.label, lay);
  }
  in.params = core::as_written(fi.params->data(), fi.params->size());
  const core::OptimizerSpec& o = s.settings.optimizer;
  in.result = core::inspect_point(lay, in.params.data(), core::point_features(s.settings.net.features, in.x1, in.x2),
                                  Eigen::Map<const core::VecX<double>>(t.data(), out), {o.l1, o.l2});
  in.learning_rate = core::scheduled_learning_rate(o, s.step);
  in.valid = true;
}

const core::PointInspection* shown_inspection(const UiState& st, const core::Layout& lay) {
  const InspectState& in = st.inspect;
  if (!in.mode || !in.valid || static_cast<int>(in.result.layers.size()) != lay.depth()) return nullptr;
  for (int l = 1; l <= lay.depth(); ++l)
    if (in.result.layers[static_cast<std::size_t>(l - 1)].z.size() != lay.sizes[static_cast<std::size_t>(l)]) return nullptr;
  return &in.result;
}

void draw_inspector_panel(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  update_inspection(st, fi);  // a point picked in the view this frame shows at once
  const train::Snapshot& s = *fi.snap;
  const core::Layout& lay = s.layout;
  InspectState& in = st.inspect;
  const int L = lay.depth();
  const std::uint32_t feats = s.settings.net.features;

  heading(fi.heading_font, "Inspector");
  ImGui::SameLine();
  ImGui::Checkbox("Inspect", &in.mode);
  hint(help::kInspect);
  const core::PointInspection* r = shown_inspection(st, lay);
  if (!r) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", !in.picked ? "Click a point in the view to see the math at it."
                                         : in.error.empty() ? "..." : in.error.c_str());
    return;
  }
  // The point, its target and its loss.
  std::string target;
  for (Eigen::Index k = 0; k < r->target.size(); ++k) {
    if (k) target += ", ";
    target += factor(r->target[k]);
  }
  ImGui::SameLine();
  ImGui::Text("  point (%s, %s)%s   target (%s)", factor(in.x1).c_str(), factor(in.x2).c_str(),
              in.sample >= 0 ? join({" = data point ", std::to_string(in.sample)}).c_str() : "", target.c_str());
  ImGui::SameLine();
  ImGui::Text("   loss L = %s", num(r->loss).c_str());
  hint(help::kInspectLoss);
  ImGui::SameLine();
  char step_label[64];
  std::snprintf(step_label, sizeof step_label, "Step on this point (lr %s)###step_on_point", compact(in.learning_rate).c_str());
  const bool step_pressed = ImGui::Button(step_label) || in.step_requested;
  in.step_requested = false;
  if (step_pressed && !fi.replaying) {
    const core::PointStep step = core::step_on_point(
        lay, in.params, r->input, r->target, {s.settings.optimizer.l1, s.settings.optimizer.l2}, in.learning_rate);
    in.step_before = step.before;
    in.step_after = step.after;
    in.step_lr = in.learning_rate;
    in.step_loss = r->loss;
    out.commands.push_back(train::cmd::Pause{});
    out.commands.push_back(train::cmd::StepOnPoint{
        in.x1, in.x2, in.label, std::vector<double>(r->target.data(), r->target.data() + r->target.size())});
  }
  hint(help::kStepOnPoint);
  if (in.step_after.size() == static_cast<std::size_t>(lay.num_params)) {
    ImGui::SameLine();
    ImGui::TextDisabled("last step: loss %s before it", num(in.step_loss).c_str());
  }

  // Three columns: the formula of one unit | every unit | every parameter.
  int fl = in.unit_layer, fj = in.unit_index;
  if (fl < 0 || fl > L || fj < 0 || fj >= lay.sizes[static_cast<std::size_t>(fl)]) {
    fl = L;
    fj = 0;
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  // The tables' number columns fit "-0.000000000"; the formula takes what is left (at least 30%).
  const bool stepped = in.step_before.size() == static_cast<std::size_t>(lay.num_params) &&
                       in.step_after.size() == in.step_before.size();
  const float cell = ImGui::GetStyle().CellPadding.x * 2 + 1;
  const float num_w = ImGui::CalcTextSize("-0.000000000").x + cell;
  const float unit_w = ImGui::CalcTextSize(L > 2 ? "h8.64" : "unit").x + cell;
  const float param_w = ImGui::CalcTextSize(L > 2 ? "w9999 h8.64\xe2\x86\x92h8.64" : "w99 x1\xc2\xb7x2\xe2\x86\x92h64").x + cell;
  const float want_units = unit_w + 3 * num_w + ImGui::GetStyle().ScrollbarSize;
  const float want_params = param_w + (stepped ? 3 : 2) * num_w + ImGui::GetStyle().ScrollbarSize;
  const float w_formula = std::floor(std::max(avail.x * 0.3f, avail.x - want_units - want_params - 2 * gap));
  const float w_units = std::floor(std::min(want_units, 0.5f * (avail.x - w_formula - 2 * gap)));
  ImGui::BeginChild("formula", ImVec2(w_formula, avail.y), true);
  draw_formula(st, s, *r, fl, fj);
  ImGui::TextDisabled("Hover a unit in the graph or a row of the table for its formula.");
  ImGui::EndChild();
  ImGui::SameLine();

  constexpr ImGuiTableFlags kTable = ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX | ImGuiTableFlags_RowBg |
                                     ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit;
  if (ImGui::BeginTable("units", 4, kTable, ImVec2(w_units, avail.y))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("unit", ImGuiTableColumnFlags_WidthFixed, unit_w - cell);
    ImGui::TableSetupColumn("z", ImGuiTableColumnFlags_WidthFixed, num_w - cell);
    ImGui::TableSetupColumn("a", ImGuiTableColumnFlags_WidthFixed, num_w - cell);
    ImGui::TableSetupColumn("\xce\xb4 = dL/dz", ImGuiTableColumnFlags_WidthFixed, num_w - cell);
    ImGui::TableHeadersRow();
    // Only the visible rows are drawn (8 x 64 units: 512 rows).
    ImGuiListClipper clip;
    clip.Begin(lay.num_params > 0 ? static_cast<int>(lay.num_hidden_units()) + lay.sizes.back() : 0);
    while (clip.Step())
      for (int row_index = clip.DisplayStart; row_index < clip.DisplayEnd; ++row_index) {
        int l = 1, j = row_index;
        while (l < L && j >= lay.sizes[static_cast<std::size_t>(l)]) j -= lay.sizes[static_cast<std::size_t>(l++)];
        const core::LayerInspection& li = r->layers[static_cast<std::size_t>(l - 1)];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        const std::string name = unit_name(lay, feats, l, j);
        const bool shown = l == fl && j == fj;
        ImGui::Selectable(name.c_str(), shown, ImGuiSelectableFlags_SpanAllColumns);
        if (ImGui::IsItemHovered()) {
          in.unit_layer = l;
          in.unit_index = j;
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(num(li.z[j]).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(num(li.a[j]).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(num(li.delta[j]).c_str());
      }
    ImGui::EndTable();
  }
  ImGui::SameLine();

  const float w_params = std::max(1.0f, avail.x - w_formula - w_units - 2 * gap);
  // After a step: before | after | dL/dw at the new weights; else value | dL/dw.
  if (ImGui::BeginTable("params", stepped ? 4 : 3, kTable, ImVec2(w_params, avail.y))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("parameter", ImGuiTableColumnFlags_WidthFixed, param_w - cell);
    if (stepped) {
      char h1[48];
      ImGui::TableSetupColumn("before step", ImGuiTableColumnFlags_WidthFixed, num_w - cell);
      std::snprintf(h1, sizeof h1, "after (lr %s)", compact(in.step_lr).c_str());
      ImGui::TableSetupColumn(h1, ImGuiTableColumnFlags_WidthFixed, num_w - cell);
      ImGui::TableSetupColumn("dL/dw now", ImGuiTableColumnFlags_WidthFixed, num_w - cell);
    } else {
      ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthFixed, num_w - cell);
      ImGui::TableSetupColumn("dL/dw", ImGuiTableColumnFlags_WidthFixed, num_w - cell);
    }
    ImGui::TableHeadersRow();
    const auto row = [&](int index, const std::string& name) {
      const std::size_t k = static_cast<std::size_t>(index);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(name.c_str());
      if (stepped) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(num(in.step_before[k]).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(num(in.step_after[k]).c_str());
      } else {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(num(in.params[k]).c_str());
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(num(r->grad[k]).c_str());
    };
    // Numbered as the notes do for the worked example (w1..w8: unit by unit, layer by layer).
    // Layer by layer: its weights unit by unit, then its biases. Only the visible rows are drawn
    // (8 x 64 units: 29,000 parameters).
    ImGuiListClipper clip;
    clip.Begin(lay.num_params);
    while (clip.Step())
      for (int k = clip.DisplayStart; k < clip.DisplayEnd; ++k) {
        int l = 1, m = k;
        while (l < L && m >= lay.sizes[static_cast<std::size_t>(l - 1)] * lay.sizes[static_cast<std::size_t>(l)] +
                                 lay.sizes[static_cast<std::size_t>(l)]) {
          m -= lay.sizes[static_cast<std::size_t>(l - 1)] * lay.sizes[static_cast<std::size_t>(l)] + lay.sizes[static_cast<std::size_t>(l)];
          ++l;
        }
        const core::LayerLayout& ll = lay.layers[static_cast<std::size_t>(l - 1)];
        if (m < ll.in * ll.out) {
          const int j = m / ll.in, i = m % ll.in;
          row(ll.w_offset + i * ll.out + j, join({"w", std::to_string(weight_number(lay, l, j, i)), " ",
                                                  unit_name(lay, feats, l - 1, i), "\xe2\x86\x92", unit_name(lay, feats, l, j)}));
        } else {
          const int j = m - ll.in * ll.out;
          row(ll.b_offset + j, join({"b ", unit_name(lay, feats, l, j)}));
        }
      }
    ImGui::EndTable();
  }
}

}  // namespace mlpviz::ui
