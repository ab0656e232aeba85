// network_panel.cpp: the network as a graph (like the TensorFlow Playground): one column per
// layer, every unit drawn as its thumbnail (its activation over the input plane, from the atlas
// render/ draws), connections coloured by the sign of the weight and as thick as |w|. Hovering
// shows a value and its gradient; clicking a unit shows it large in the main view; clicking a
// connection or a bias (the small square on a unit) opens the editor. Under the graph, one
// summary line per hidden layer: dead and saturated units.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/palette.hpp"
#include "ui/help_text.hpp"
#include "ui/panels.hpp"
#include "ui/widgets.hpp"

namespace mlpviz::ui {
namespace {

constexpr ImU32 kInk = IM_COL32(25, 25, 30, 255);
constexpr ImU32 kDead = IM_COL32(200, 30, 30, 255);
constexpr const char* kGraphLegend =
    "Each unit shows its activation over the plane (orange < 0 < blue), its zero line z = 0 (dark) and "
    "level curves. Red X: dead ReLU. Purple bar: share of points where it is saturated. Grey X: "
    "knocked out (right-click a unit).";

float dist_to_segment(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
  t = std::clamp(t, 0.0f, 1.0f);
  const float ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return std::sqrt(ex * ex + ey * ey);
}

// A knocked-out unit (core/knock_out.hpp): its thumbnail greyed, a grey cross, "off" if room.
void draw_knocked_out(ImDrawList* dl, ImVec2 a, ImVec2 b, float node, float fh, float sc) {
  constexpr ImU32 kOff = IM_COL32(90, 90, 90, 255);
  dl->AddRectFilled(a, b, IM_COL32(235, 235, 235, 215));
  dl->AddLine(a, b, kOff, 2.0f * sc);
  dl->AddLine(ImVec2(a.x, b.y), ImVec2(b.x, a.y), kOff, 2.0f * sc);
  dl->AddRect(a, b, kOff, 0, 0, 2.5f * sc);
  if (node > fh * 2.2f) {
    const ImVec2 ts = ImGui::CalcTextSize("off");
    const ImVec2 tp(a.x + 0.5f * (node - ts.x), a.y + 0.5f * (node - ts.y));
    dl->AddRectFilled(ImVec2(tp.x - 2 * sc, tp.y), ImVec2(tp.x + ts.x + 2 * sc, tp.y + ts.y), IM_COL32(255, 255, 255, 235), 3 * sc);
    dl->AddText(tp, kOff, "off");
  }
}

ImU32 weight_color(float w, float alpha) {
  const core::Rgb c = w >= 0 ? core::kClassColors[1] : core::kClassColors[0];
  return to_u32(c, alpha);
}

const char* feature_text(std::uint32_t features, int unit) {
  static constexpr const char* kText[] = {"x1", "x2", "x1\xc2\xb2", "x2\xc2\xb2", "x1\xc2\xb7x2", "sin x1", "sin x2"};
  int k = -1;
  for (int b = 0; b < core::kNumFeatures; ++b)
    if ((features >> b) & 1u)
      if (++k == unit) return kText[b];
  return "?";
}

float value_at(const core::Params* v, int i) {
  return v && i >= 0 && i < static_cast<int>(v->size()) ? (*v)[static_cast<std::size_t>(i)] : NAN;
}

void open_editor(UiState& st, const FrameInfo& fi, int index) {
  st.edit_param = index;
  st.edit_value = value_at(fi.params, index);
  st.edit_open_requested = true;
}

}  // namespace

std::string describe_param(const core::Layout& lay, int index) {
  char buf[160];
  for (int l = 0; l < lay.depth(); ++l) {
    const core::LayerLayout& ll = lay.layers[static_cast<std::size_t>(l)];
    const bool out_layer = l + 1 == lay.depth();
    if (index >= ll.w_offset && index < ll.b_offset) {
      const int k = index - ll.w_offset, i = k / ll.out, j = k % ll.out;
      if (out_layer)
        std::snprintf(buf, sizeof buf, "weight W%d[%d,%d]: from %s %d to output %d", l + 1, j + 1, i + 1,
                      l == 0 ? "input" : "hidden unit", i + 1, j);
      else
        std::snprintf(buf, sizeof buf, "weight W%d[%d,%d]: from %s %d to layer %d unit %d", l + 1, j + 1, i + 1,
                      l == 0 ? "input" : "unit", i + 1, l + 1, j + 1);
      return buf;
    }
    if (index >= ll.b_offset && index < ll.b_offset + ll.out) {
      const int j = index - ll.b_offset;
      if (out_layer) std::snprintf(buf, sizeof buf, "bias b%d[%d] of output %d", l + 1, j + 1, j);
      else std::snprintf(buf, sizeof buf, "bias b%d[%d] of layer %d unit %d", l + 1, j + 1, l + 1, j + 1);
      return buf;
    }
  }
  return "parameter " + std::to_string(index);
}

void draw_network_panel(UiState& st, const FrameInfo& fi, FrameOutput& out) {
  const train::Snapshot& s = *fi.snap;
  const core::Layout& lay = s.layout;
  const int L = lay.depth();
  const float sc = fi.scale;
  const float fh = ImGui::GetFontSize();
  const core::Params* params = fi.params;
  const bool params_ok = params && static_cast<int>(params->size()) == lay.num_params;
  // Inspect mode with a point picked: the connections show dL/dw at that point (colour: its sign,
  // thickness: its size against the largest), and the units their a and delta.
  update_inspection(st, fi);  // a point picked in the view this frame shows at once
  const core::PointInspection* insp = shown_inspection(st, lay);
  const auto edge_value = [&](int index) {
    return insp ? static_cast<float>(insp->grad[static_cast<std::size_t>(index)]) : (*params)[static_cast<std::size_t>(index)];
  };

  // Heading: the architecture.
  std::string arch;
  for (std::size_t l = 0; l < lay.sizes.size(); ++l)
    arch += (l ? " \xe2\x86\x92 " : "") + std::to_string(lay.sizes[l]);
  const char* title = fi.compare.empty() ? "Network" : "Network of run 1";  // comparing: the main run's
  heading(fi.heading_font, title);
  char sub_title[160];
  std::snprintf(sub_title, sizeof sub_title, "%s   (%d parameters)", arch.c_str(), lay.num_params);
  if (ImGui::CalcTextSize(sub_title).x + ImGui::CalcTextSize(title).x * 1.3f < ImGui::GetContentRegionAvail().x)
    ImGui::SameLine();
  else if (ImGui::CalcTextSize(sub_title).x > ImGui::GetContentRegionAvail().x)
    std::snprintf(sub_title, sizeof sub_title, "%s",
                  arch.c_str());  // the count is in the tooltip below
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", sub_title);
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: %d parameters", arch.c_str(), lay.num_params);

  // Space: the graph above, layer summaries and the legend below.
  const int hidden_layers = L - 1;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // What goes under the graph, as measured last frame (wrapped lines vary with the width).
  const bool compact_summary = hidden_layers > 3;  // deep networks: one line for all layers
  const float below =
      std::max(st.graph_below_h,
               ((compact_summary ? 2 : hidden_layers) + 1) * ImGui::GetTextLineHeightWithSpacing() +
                   ImGui::CalcTextSize(kGraphLegend, nullptr, false, avail.x).y +
                   2 * ImGui::GetStyle().ItemSpacing.y);
  const float graph_h = std::max(avail.y - below, 4 * fh);
  const float header_h = 2 * fh + 6 * sc;
  // Units: each layer a grid of thumbnails that never overlap (wide layers take several
  // sub-columns); below a readable size the graph scrolls, and the unit under the mouse is shown
  // enlarged in its tooltip.
  const float room_h = graph_h - header_h;
  GraphGeometry geo = graph_geometry(lay.sizes, avail.x, room_h, 96.0f * sc, 14.0f * sc);
  if (geo.height_needed > room_h + 0.5f)  // it scrolls: the scrollbar takes its width
    geo = graph_geometry(lay.sizes, avail.x - ImGui::GetStyle().ScrollbarSize, room_h, 96.0f * sc,
                         14.0f * sc);
  const float node = geo.node;
  const float col_w = geo.col_w;
  const bool fits = geo.height_needed <= room_h + 0.5f;
  const float units_h = fits ? room_h : geo.height_needed + 4 * sc;
  const float content_h = header_h + units_h;

  // Wide layers that do not fit scroll; otherwise the graph fills the space exactly.
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::BeginChild("graph", ImVec2(avail.x, graph_h), false, fits ? ImGuiWindowFlags_NoScrollbar : 0);
  ImGui::PopStyleVar();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(avail.x - (fits ? 0.0f : ImGui::GetStyle().ScrollbarSize), content_h));
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool graph_hovered = ImGui::IsWindowHovered();

  // Node positions: the top-left corner of unit j of layer l.
  auto node_pos = [&](int l, int j) {
    const ImVec2 p = graph_node_pos(geo, lay.sizes, l, j, units_h);
    return ImVec2(std::floor(origin.x) + p.x, std::floor(origin.y + header_h) + p.y);
  };
  st.layout_record.graph_nodes.clear();

  // Column headers: the layer, and under it its activation.
  for (int l = 0; l <= L; ++l) {
    const char* top = l == 0 ? "inputs" : (l == L ? "output" : nullptr);
    char name[24];
    if (!top) {
      std::snprintf(name, sizeof name, "layer %d", l);
      top = name;
    }
    // Narrow columns (deep networks in a small panel): short names rather than overlapping ones.
    if (ImGui::CalcTextSize(top).x > 0.95f * col_w) {
      if (l == 0) top = "in";
      else if (l == L) top = "out";
      else {
        std::snprintf(name, sizeof name, "L%d", l);
        top = name;
      }
    }
    if (ImGui::CalcTextSize(top).x > 0.98f * col_w)
      continue;  // no room even for "L3": the tooltip names it
    const std::string act = l == 0 ? std::string() : std::string(l == L ? core::name(lay.output) : core::name(lay.layers[static_cast<std::size_t>(l - 1)].act));
    const float cx = origin.x + (l + 0.5f) * col_w;
    const ImVec2 t1 = ImGui::CalcTextSize(top), t2 = ImGui::CalcTextSize(act.c_str());
    // Centred on the column, kept inside the graph (the first and last columns).
    const float right = origin.x + geo.col_w * static_cast<float>(L + 1);
    dl->AddText(ImVec2(std::clamp(cx - 0.5f * t1.x, origin.x, right - t1.x), origin.y),
                ImGui::GetColorU32(ImGuiCol_Text), top);
    if (!act.empty() && t2.x < 0.98f * col_w)
      dl->AddText(ImVec2(std::clamp(cx - 0.5f * t2.x, origin.x, right - t2.x), origin.y + fh),
                  ImGui::GetColorU32(ImGuiCol_TextDisabled), act.c_str());
  }

  // Connections, then the one under the mouse (nearest within a few pixels).
  char edges_note[96] = "";
  int hover_edge = -1;
  float hover_dist = 5.0f * sc;
  if (params_ok) {
    // A graph of tens of thousands of connections (8 x 64 units: 25,000) reads as a grey mass and
    // costs a software rasterizer tens of milliseconds a frame: only the kMaxEdges strongest
    // are drawn, and a line under the graph says so.
    constexpr std::size_t kMaxEdges = 3000;
    float min_rel = 0.0f;
    std::vector<float>& strength = st.edge_strength;  // |w| of every connection
    strength.clear();
    for (int l = 1; l <= L; ++l) {
      const core::LayerLayout& ll = lay.layers[static_cast<std::size_t>(l - 1)];
      for (int k = 0; k < ll.in * ll.out; ++k) strength.push_back(std::fabs(edge_value(ll.w_offset + k)));
    }
    const float wmax = std::max(1e-6f, strength.empty() ? 0.0f : *std::max_element(strength.begin(), strength.end()));
    if (strength.size() > kMaxEdges) {
      std::nth_element(strength.begin(), strength.begin() + kMaxEdges, strength.end(), std::greater<float>());
      min_rel = strength[kMaxEdges] / wmax;
      std::snprintf(edges_note, sizeof edges_note, "Only the %zu strongest of the %zu connections are drawn.",
                    kMaxEdges, strength.size());
    }
    for (int l = 1; l <= L; ++l) {
      const core::LayerLayout& ll = lay.layers[static_cast<std::size_t>(l - 1)];
      const bool dense = ll.in * ll.out > 1024;  // very dense layers: skip the faintest lines
      for (int i = 0; i < ll.in; ++i) {
        const ImVec2 a = node_pos(l - 1, i);
        const ImVec2 pa(a.x + node, a.y + 0.5f * node);
        for (int j = 0; j < ll.out; ++j) {
          const int index = ll.w_offset + i * ll.out + j;
          const float w = edge_value(index);
          const float rel = std::fabs(w) / wmax;
          if ((dense && rel < 0.08f) || (min_rel > 0.0f && rel <= min_rel)) continue;
          const ImVec2 b = node_pos(l, j);
          const ImVec2 pb(b.x, b.y + 0.5f * node);
          if (insp) {  // the gradient, relative to the largest at this point
            dl->AddLine(pa, pb, weight_color(w, 0.3f + 0.65f * rel), std::clamp(rel * 7.0f, 0.7f, 7.0f) * sc);
          } else {
            const float thick = std::clamp(std::fabs(w) * 1.6f, 0.5f, 6.0f) * sc;
            dl->AddLine(pa, pb, weight_color(w, 0.25f + 0.6f * std::min(1.0f, std::fabs(w))), thick);
          }
          ++out.connections_drawn;
          if (graph_hovered && mouse.x > pa.x && mouse.x < pb.x) {
            const float d = dist_to_segment(mouse, pa, pb);
            if (d < hover_dist) {
              hover_dist = d;
              hover_edge = index;
            }
          }
        }
      }
    }
  }

  // Units: thumbnail, health marks, bias handle.
  int hover_node_layer = -1, hover_node_unit = -1, hover_bias = -1;
  int thumbs_drawn = 0;
  int cell = 0;
  // Thumbnails in one channel, everything drawn over them in another: the images (all from one
  // atlas texture) then merge into a single draw call instead of one per unit. 500 units made
  // 1,000 draw calls a frame, which cost a software rasterizer more than the rest of the window.
  dl->ChannelsSplit(2);
  for (int l = 0; l <= L; ++l) {
    const int n = lay.sizes[static_cast<std::size_t>(l)];
    for (int j = 0; j < n; ++j, ++cell) {
      const ImVec2 a = node_pos(l, j), b(a.x + node, a.y + node);
      st.layout_record.graph_nodes.push_back(ImVec4(a.x, a.y, b.x, b.y));
      if (fi.thumbs_current && cell < static_cast<int>(fi.thumbs.size()) && fi.thumbs[static_cast<std::size_t>(cell)].id) {
        const TextureRef& t = fi.thumbs[static_cast<std::size_t>(cell)];
        dl->ChannelsSetCurrent(0);
        dl->AddImage(t.id, a, b, t.uv0, t.uv1);
        dl->ChannelsSetCurrent(1);
        if (l > 0 && l < L) ++thumbs_drawn;
      } else {
        dl->ChannelsSetCurrent(1);
        dl->AddRectFilled(a, b, IM_COL32(225, 225, 225, 255));
      }
      const bool focused = (st.focus_layer == l && st.focus_unit == j) || (l == L && lay.sizes.back() == 1 && st.focus_layer < 0);
      bool dead = false;
      float saturated = 0.0f;
      if (l > 0 && l < L && l - 1 < static_cast<int>(s.metrics.units.size()) &&
          j < static_cast<int>(s.metrics.units[static_cast<std::size_t>(l - 1)].size())) {
        const core::UnitStats& u = s.metrics.units[static_cast<std::size_t>(l - 1)][static_cast<std::size_t>(j)];
        dead = u.dead;
        saturated = u.saturated_fraction;
      }
      dl->AddRect(a, b, focused ? IM_COL32(20, 20, 20, 255) : IM_COL32(110, 110, 110, 255), 0, 0, (focused ? 3.0f : 1.0f) * sc);
      if (dead && !(l > 0 && l < L && lay.knocked(l, j))) {
        dl->AddRectFilled(a, b, IM_COL32(255, 255, 255, 120));
        dl->AddLine(a, b, kDead, 2.0f * sc);
        dl->AddLine(ImVec2(a.x, b.y), ImVec2(b.x, a.y), kDead, 2.0f * sc);
        dl->AddRect(a, b, kDead, 0, 0, 2.5f * sc);
        if (node > fh * 2.2f) {
          const ImVec2 ts = ImGui::CalcTextSize("dead");
          const ImVec2 tp(a.x + 0.5f * (node - ts.x), a.y + 0.5f * (node - ts.y));
          dl->AddRectFilled(ImVec2(tp.x - 2 * sc, tp.y), ImVec2(tp.x + ts.x + 2 * sc, tp.y + ts.y), IM_COL32(255, 255, 255, 230), 3 * sc);
          dl->AddText(tp, kDead, "dead");
        }
      } else if (l > 0 && l < L && lay.knocked(l, j)) {
        // Knocked out: greyed and crossed in grey, "off" when there is room.
        draw_knocked_out(dl, a, b, node, fh, sc);
      } else if (saturated > 0.005f) {
        // Saturation bar along the bottom edge: its length is the saturated fraction.
        const float bh = std::max(3.0f * sc, node * 0.09f);
        dl->AddRectFilled(ImVec2(a.x, b.y - bh), ImVec2(a.x + node * std::min(saturated, 1.0f), b.y), IM_COL32(150, 40, 160, 230));
        if (node > 3.2f * fh) {  // room for the number too
          char text[16];
          std::snprintf(text, sizeof text, "%.0f%%", 100.0f * saturated);
          const ImVec2 ts = ImGui::CalcTextSize(text);
          const ImVec2 tp(b.x - ts.x - 3 * sc, b.y - bh - ts.y - 2 * sc);
          dl->AddRectFilled(ImVec2(tp.x - 2 * sc, tp.y), ImVec2(tp.x + ts.x + 2 * sc, tp.y + ts.y), IM_COL32(255, 255, 255, 200), 3 * sc);
          dl->AddText(tp, IM_COL32(110, 20, 120, 255), text);
        }
      }
      // Bias handle (hidden and output units).
      if (l > 0 && params_ok) {
        const core::LayerLayout& ll = lay.layers[static_cast<std::size_t>(l - 1)];
        const int bi = ll.b_offset + j;
        // Inside the thumbnail's bottom-left corner: it never reaches into a neighbour.
        const float bs = std::min(std::max(7.0f * sc, node * 0.2f), node * 0.4f);
        const ImVec2 ba(a.x, b.y - bs), bb(a.x + bs, b.y);
        const float bv = (*params)[static_cast<std::size_t>(bi)];
        dl->AddRectFilled(ba, bb, weight_color(bv, 0.35f + 0.65f * std::min(1.0f, std::fabs(bv))));
        dl->AddRect(ba, bb, kInk, 0, 0, 1.0f * sc);
        if (graph_hovered && mouse.x >= ba.x && mouse.x <= bb.x && mouse.y >= ba.y && mouse.y <= bb.y) hover_bias = bi;
      }
      if (insp && node > 2.4f * fh) {  // the unit's values at the inspected point
        char top[48], bottom[48];
        if (l == 0) {
          std::snprintf(top, sizeof top, "%.4g", insp->input[j]);
          bottom[0] = '\0';
        } else {
          const core::LayerInspection& li = insp->layers[static_cast<std::size_t>(l - 1)];
          std::snprintf(top, sizeof top, "a %.4g", li.a[j]);
          std::snprintf(bottom, sizeof bottom, "\xce\xb4 %.3g", li.delta[j]);
        }
        for (int k = 0; k < 2; ++k) {
          const char* text = k == 0 ? top : bottom;
          if (!text[0]) continue;
          const ImVec2 ts = ImGui::CalcTextSize(text);
          if (ts.x > node - 2 * sc) continue;
          const ImVec2 tp(a.x + 0.5f * (node - ts.x), k == 0 ? a.y + 2 * sc : a.y + 4 * sc + fh);
          dl->AddRectFilled(ImVec2(tp.x - 2 * sc, tp.y), ImVec2(tp.x + ts.x + 2 * sc, tp.y + ts.y), IM_COL32(255, 255, 255, 225), 3 * sc);
          dl->AddText(tp, kInk, text);
        }
      }
      if (graph_hovered && hover_bias < 0 && mouse.x >= a.x && mouse.x <= b.x && mouse.y >= a.y && mouse.y <= b.y) {
        hover_node_layer = l;
        hover_node_unit = j;
      }
    }
  }
  dl->ChannelsMerge();
  out.thumbnails_drawn = thumbs_drawn;
  out.thumbnail_px = node;

  // Hover and click: bias first, then units, then connections.
  const bool clicked = graph_hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left);
  const bool right_clicked = graph_hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Right);
  if (hover_bias >= 0) {
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(describe_param(lay, hover_bias).c_str());
    ImGui::Text("value %.4f   gradient dL/db %s", value_at(params, hover_bias),
                fi.gradient ? compact(value_at(fi.gradient, hover_bias)).c_str() : "n/a while replaying");
    ImGui::TextDisabled("click to type a new value");
    ImGui::EndTooltip();
    if (clicked && !fi.replaying) open_editor(st, fi, hover_bias);
  } else if (hover_node_layer >= 0) {
    const int l = hover_node_layer, j = hover_node_unit;
    if (insp) {  // the inspector shows this unit's formula
      st.inspect.unit_layer = l;
      st.inspect.unit_index = j;
    }
    ImGui::BeginTooltip();
    if (insp && l > 0) {
      const core::LayerInspection& li = insp->layers[static_cast<std::size_t>(l - 1)];
      ImGui::Text("at the inspected point: z = %.6g, a = %.6g, \xce\xb4 = dL/dz = %.6g", li.z[j], li.a[j], li.delta[j]);
    }
    if (l == 0) {
      ImGui::Text("input %d: %s", j + 1, feature_text(s.settings.net.features, j));
    } else if (l == L) {
      ImGui::Text("output %d (%s)", j, std::string(core::name(lay.output)).c_str());
    } else {
      ImGui::Text("layer %d, unit %d (%s)", l, j + 1, std::string(core::name(lay.layers[static_cast<std::size_t>(l - 1)].act)).c_str());
      if (lay.knocked(l, j)) ImGui::TextColored(ImVec4(0.35f, 0.35f, 0.35f, 1), "%s", help::kKnockedOutUnit);
      if (l - 1 < static_cast<int>(s.metrics.units.size()) && j < static_cast<int>(s.metrics.units[static_cast<std::size_t>(l - 1)].size())) {
        const core::UnitStats& u = s.metrics.units[static_cast<std::size_t>(l - 1)][static_cast<std::size_t>(j)];
        ImGui::Text("active (z > 0) on %.0f%% of training points", 100.0 * u.active_fraction);
        if (u.saturated_fraction > 0) ImGui::Text("saturated on %.0f%% (slope below 10%% of its peak)", 100.0 * u.saturated_fraction);
        if (u.dead) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "dead: z < 0 on every training point, so no gradient reaches it");
      }
    }
    if (l > 0 && params_ok) {
      const int bi = lay.layers[static_cast<std::size_t>(l - 1)].b_offset + j;
      ImGui::Text("bias %.4f   dL/db %s", value_at(params, bi),
                  fi.gradient ? compact(value_at(fi.gradient, bi)).c_str() : "n/a");
    }
    // Small thumbnails (wide layers): the unit under the mouse, enlarged.
    int hover_cell = hover_node_unit;
    for (int k = 0; k < l; ++k) hover_cell += lay.sizes[static_cast<std::size_t>(k)];
    if (node < 64.0f * sc && fi.thumbs_current && hover_cell < static_cast<int>(fi.thumbs.size()) &&
        fi.thumbs[static_cast<std::size_t>(hover_cell)].id) {
      const TextureRef& t = fi.thumbs[static_cast<std::size_t>(hover_cell)];
      ImGui::Image(t.id, ImVec2(128.0f * sc, 128.0f * sc), t.uv0, t.uv1, ImVec4(1, 1, 1, 1),
                   ImVec4(0.4f, 0.4f, 0.4f, 1));
    }
    ImGui::TextDisabled("click to show it large in the main view");
    if (l > 0 && l < L)
      ImGui::TextDisabled("%s", lay.knocked(l, j) ? help::kKnockBackOn : help::kKnockOut);
    ImGui::EndTooltip();
    if (right_clicked && l > 0 && l < L) out.commands.push_back(train::cmd::SetKnockOut{l, j, !lay.knocked(l, j)});
    if (clicked) {
      if (l == L && lay.sizes.back() == 1) {
        st.focus_layer = -1;
      } else {
        st.focus_layer = l;
        st.focus_unit = j;
      }
    }
  } else if (hover_edge >= 0) {
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(describe_param(lay, hover_edge).c_str());
    ImGui::Text("w = %.4f   gradient dL/dw %s", value_at(params, hover_edge),
                fi.gradient ? compact(value_at(fi.gradient, hover_edge)).c_str() : "n/a while replaying");
    if (insp) ImGui::Text("at the inspected point alone: dL/dw = %.6g", insp->grad[static_cast<std::size_t>(hover_edge)]);
    ImGui::TextDisabled("click to type a new value");
    ImGui::EndTooltip();
    if (clicked && !fi.replaying) open_editor(st, fi, hover_edge);
    // Redraw the hovered connection on top, outlined.
    for (int l = 1; l <= L; ++l) {
      const core::LayerLayout& ll = lay.layers[static_cast<std::size_t>(l - 1)];
      if (hover_edge < ll.w_offset || hover_edge >= ll.b_offset) continue;
      const int k = hover_edge - ll.w_offset, i = k / ll.out, j = k % ll.out;
      const ImVec2 a = node_pos(l - 1, i), b = node_pos(l, j);
      dl->AddLine(ImVec2(a.x + node, a.y + 0.5f * node), ImVec2(b.x, b.y + 0.5f * node), kInk, 3.5f * sc);
    }
  }
  ImGui::EndChild();

  // One summary line per hidden layer (deep networks: one line with a number per layer).
  const float below_top = ImGui::GetCursorPosY();
  if (compact_summary) {
    std::string dead_line = "dead units per layer:";
    int dead_total = 0;
    double sat = 0;
    int units_total = 0;
    for (int l = 1; l < L && l - 1 < static_cast<int>(s.metrics.units.size()); ++l) {
      int dead = 0;
      for (const core::UnitStats& u : s.metrics.units[static_cast<std::size_t>(l - 1)]) {
        dead += u.dead ? 1 : 0;
        sat += u.saturated_fraction;
        ++units_total;
      }
      dead_total += dead;
      dead_line += (l > 1 ? ", " : " ") + std::to_string(dead);
    }
    if (dead_total > 0) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.1f, 0.1f, 1));
    ImGui::TextWrapped("%s", dead_line.c_str());
    if (dead_total > 0) ImGui::PopStyleColor();
    ImGui::Text("saturated: %.0f%% of units on average",
                units_total > 0 ? 100.0 * sat / units_total : 0.0);
  }
  for (int l = 1; l < L && !compact_summary; ++l) {
    const int n = lay.sizes[static_cast<std::size_t>(l)];
    int dead = 0;
    double sat = 0;
    if (l - 1 < static_cast<int>(s.metrics.units.size())) {
      const auto& units = s.metrics.units[static_cast<std::size_t>(l - 1)];
      for (const core::UnitStats& u : units) {
        dead += u.dead ? 1 : 0;
        sat += u.saturated_fraction;
      }
      if (!units.empty()) sat /= static_cast<double>(units.size());
    }
    const std::string act(core::name(lay.layers[static_cast<std::size_t>(l - 1)].act));
    char line[96];
    std::snprintf(line, sizeof line, "layer %d (%s): %d of %d dead, %.0f%% saturated", l, act.c_str(), dead, n, 100 * sat);
    if (ImGui::CalcTextSize(line).x > ImGui::GetContentRegionAvail().x)
      std::snprintf(line, sizeof line, "layer %d: %d/%d dead, %.0f%% sat.", l, dead, n, 100 * sat);
    if (dead > 0) ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", line);
    else ImGui::TextUnformatted(line);
  }
  // Legend for the graph.
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float lw = 2.2f * fh;
  ImDrawList* wdl = ImGui::GetWindowDrawList();
  wdl->AddLine(ImVec2(p.x, p.y + 0.5f * fh), ImVec2(p.x + lw, p.y + 0.5f * fh), weight_color(1, 0.9f), 4 * sc);
  ImGui::Dummy(ImVec2(lw, fh));
  ImGui::SameLine();
  ImGui::TextUnformatted("w > 0");
  ImGui::SameLine();
  const ImVec2 q = ImGui::GetCursorScreenPos();
  wdl->AddLine(ImVec2(q.x, q.y + 0.5f * fh), ImVec2(q.x + lw, q.y + 0.5f * fh), weight_color(-1, 0.9f), 4 * sc);
  ImGui::Dummy(ImVec2(lw, fh));
  ImGui::SameLine();
  ImGui::TextUnformatted("w < 0");
  const char* key = insp ? "inspecting a point: line colour = sign of dL/dw there, thickness = |dL/dw|; units show a and \xce\xb4"
                         : "line thickness: |w|; small square: bias";
  if (ImGui::GetContentRegionAvail().x > 0 &&
      ImGui::GetCursorScreenPos().x + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(key).x <
          ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) {
    ImGui::SameLine();
  }
  ImGui::TextWrapped("%s", key);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  if (edges_note[0]) ImGui::TextWrapped("%s", edges_note);
  ImGui::TextWrapped("%s", kGraphLegend);
  ImGui::PopStyleColor();
  st.graph_below_h = ImGui::GetCursorPosY() - below_top + ImGui::GetStyle().ItemSpacing.y;
}

}  // namespace mlpviz::ui
