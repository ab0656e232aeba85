#include "ui/plot.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "ui/widgets.hpp"

namespace mlpviz::ui {
namespace {

std::vector<double> linear_ticks(double lo, double hi, int target) {
  std::vector<double> t;
  const double range = hi - lo;
  if (!(range > 0)) return t;
  const double raw = range / std::max(target, 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  const double step = (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag;
  for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * range; v += step)
    t.push_back(std::fabs(v) < 1e-12 * step ? 0.0 : v);
  return t;
}

std::string value_label(double x) {
  char buf[32];
  if (x == 0.0) return "0";
  if (std::fabs(x) >= 1e-3 && std::fabs(x) < 1e4)
    std::snprintf(buf, sizeof buf, "%g", x);
  else
    std::snprintf(buf, sizeof buf, "%.0e", x);
  return buf;
}

double from_axis(double pos, AxisScale scale) {
  switch (scale) {
    case AxisScale::Linear:
      return pos;
    case AxisScale::Log:
      return std::pow(10.0, pos);
    case AxisScale::LogPlusOne:
      return std::pow(10.0, pos) - 1.0;
  }
  return pos;
}

double to_axis(double v, AxisScale scale) {
  switch (scale) {
    case AxisScale::Linear:
      return v;
    case AxisScale::Log:
      return std::log10(v);
    case AxisScale::LogPlusOne:
      return std::log10(std::max(v, 0.0) + 1.0);
  }
  return v;
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
  return linear_ticks(lo, hi, target);
}

std::vector<AxisTick> axis_ticks(double lo, double hi, AxisScale scale, int target) {
  std::vector<AxisTick> out;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return out;
  target = std::max(target, 2);
  const double eps = 1e-9 * (hi - lo);
  if (scale == AxisScale::Linear) {
    for (double v : linear_ticks(lo, hi, target)) out.push_back({v, compact(v)});
  } else {
    // Decades (every `every`-th when they would crowd); with fewer than two, also 2x and 5x.
    const bool fine = hi - lo < 2.0;
    const int every = std::max(1, static_cast<int>(std::ceil((hi - lo) / target)));
    if (scale == AxisScale::LogPlusOne && lo <= eps) out.push_back({0.0, "0"});
    for (double d = std::floor(lo); d <= std::ceil(hi); d += 1.0) {
      if (static_cast<long long>(std::floor(d)) % every != 0) continue;
      for (double m : {1.0, 2.0, 5.0}) {
        if (m != 1.0 && !fine) continue;
        const double v = std::pow(10.0, d) * m;  // the value
        const double pos = to_axis(v, scale);
        if (pos >= lo - eps && pos <= hi + eps && (out.empty() || pos > out.back().pos + eps))
          out.push_back({pos, value_label(v)});
      }
    }
    if (out.size() < 2) {  // within a factor of about two: linear steps of the values
      out.clear();
      const double vlo = from_axis(lo, scale), vhi = from_axis(hi, scale);
      for (double v : linear_ticks(vlo, vhi, std::min(target, 4)))
        if (scale != AxisScale::Log || v > 0) out.push_back({to_axis(v, scale), compact(v)});
    }
  }
  if (out.size() < 2) {  // a range too narrow for any nice step: label its ends
    out.clear();
    out.push_back({lo, compact(from_axis(lo, scale))});
    out.push_back({hi, compact(from_axis(hi, scale))});
  }
  return out;
}

void plot(const char* id, const PlotSpec& spec, const PlotSeries* series, int count) {
  ImGui::PushID(id);
  const float s = spec.scale;
  ImVec2 size = spec.size;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (size.x <= 0) size.x = avail.x;
  if (size.y <= 0) size.y = avail.y;
  size.x = std::max(size.x, 40.0f);
  size.y = std::max(size.y, 40.0f);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("plot", size);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fh = ImGui::GetFontSize();
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 weak_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImU32 grid_col = ImGui::GetColorU32(ImGuiCol_Border, 0.5f);
  const AxisScale xs = spec.log_x ? AxisScale::LogPlusOne : AxisScale::Linear;
  const AxisScale ys = spec.log_y ? AxisScale::Log : AxisScale::Linear;

  // Data range in axis units. Values <= 0 on a log y axis go to the zero band (has_zero).
  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
  bool has_zero = false;
  for (int k = 0; k < count; ++k)
    for (int i = 0; i < series[k].count; ++i) {
      const double x = series[k].x[i], y = series[k].y[i];
      if (!std::isfinite(x)) continue;
      const double u = to_axis(x, xs);
      x_lo = std::min(x_lo, u);  // the x range covers every logged point, drawable or not
      x_hi = std::max(x_hi, u);
      if (!std::isfinite(y)) continue;
      if (spec.log_y && y <= 0) {
        has_zero = true;
        continue;
      }
      const double v = to_axis(y, ys);
      y_lo = std::min(y_lo, v);
      y_hi = std::max(y_hi, v);
    }
  const bool empty = !(x_lo <= x_hi);
  if (empty) {
    x_lo = 0;
    x_hi = 1;
  }
  if (!(y_lo <= y_hi)) {  // nothing drawable (e.g. every loss exactly 0 on a log axis)
    y_lo = 0;
    y_hi = 1;
  }
  if (std::isfinite(spec.y_min)) y_lo = to_axis(spec.y_min, ys);
  if (std::isfinite(spec.y_max)) y_hi = to_axis(spec.y_max, ys);
  if (x_hi - x_lo < 1e-12) x_hi = x_lo + 1;
  if (y_hi - y_lo < 1e-12) {
    const double pad = spec.log_y ? 0.5 : std::max(std::fabs(y_lo) * 0.1, 1e-3);
    y_lo -= pad;
    y_hi += pad;
  } else {
    // A margin on every side, fixed limits too: a curve at 100% (or 0%) runs inside the frame,
    // not under its border.
    const double pad = 0.04 * (y_hi - y_lo);
    y_lo -= std::isfinite(spec.y_min) ? pad * 0.5 : pad * 1.5;
    y_hi += std::isfinite(spec.y_max) ? pad * 0.5 : pad * 1.5;
  }

  // Frame: title on top, y labels on the left, x labels below; with zeros on a log axis, a band
  // under the range where they are drawn, labelled "0".
  const int y_target =
      std::max(2, std::min(5, static_cast<int>((size.y - 2.5f * fh) / (fh * 1.6f))));
  const std::vector<AxisTick> yt = axis_ticks(y_lo, y_hi, ys, y_target);
  float label_w = ImGui::CalcTextSize("0").x;
  for (const AxisTick& t : yt) label_w = std::max(label_w, ImGui::CalcTextSize(t.label.c_str()).x);
  const ImVec2 a(p0.x + label_w + 6 * s, p0.y + fh + 4 * s);
  const ImVec2 b(p0.x + size.x - 4 * s, p0.y + size.y - fh - 6 * s);
  const float band = has_zero ? std::min(fh, 0.25f * (b.y - a.y)) : 0.0f;
  const float range_b = b.y - band;  // bottom of the value range
  if (b.x - a.x < 10 || range_b - a.y < 10) {
    ImGui::PopID();
    return;
  }
  dl->PushClipRect(p0, ImVec2(p0.x + size.x, p0.y + size.y), true);
  dl->AddText(ImVec2(p0.x, p0.y), text_col, spec.title);
  dl->PopClipRect();
  auto sx = [&](double x) {
    return static_cast<float>(a.x + (to_axis(x, xs) - x_lo) / (x_hi - x_lo) * (b.x - a.x));
  };
  auto sy_axis = [&](double v) {
    return static_cast<float>(range_b - (v - y_lo) / (y_hi - y_lo) * (range_b - a.y));
  };
  const float zero_y = b.y - 0.5f * band;
  auto sy = [&](double y) { return spec.log_y && y <= 0 ? zero_y : sy_axis(to_axis(y, ys)); };

  for (const AxisTick& t : yt) {
    const float y = sy_axis(t.pos);
    if (y < a.y - 1 || y > range_b + 1) continue;
    dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), grid_col, 1.0f);
    const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
    dl->AddText(ImVec2(a.x - ts.x - 4 * s, y - 0.5f * ts.y), weak_col, t.label.c_str());
  }
  if (has_zero) {
    // The zero band: a dashed line at its top, "0" on the axis.
    for (float x = a.x; x < b.x; x += 8 * s)
      dl->AddLine(ImVec2(x, range_b), ImVec2(std::min(x + 4 * s, b.x), range_b), weak_col, 1.0f);
    const ImVec2 ts = ImGui::CalcTextSize("0");
    dl->AddText(ImVec2(a.x - ts.x - 4 * s, zero_y - 0.5f * ts.y), weak_col, "0");
  }
  const int x_target = std::max(2, static_cast<int>((b.x - a.x) / (fh * 5)));
  float last_label_end = -1e30f;
  for (const AxisTick& t : axis_ticks(x_lo, x_hi, xs, x_target)) {
    const float x = static_cast<float>(a.x + (t.pos - x_lo) / (x_hi - x_lo) * (b.x - a.x));
    dl->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), grid_col, 1.0f);
    const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
    const float lx = std::clamp(x - 0.5f * ts.x, a.x - 2 * s, b.x - ts.x);
    if (lx < last_label_end + 4 * s)
      continue;  // log decades crowd at the right: skip, never overlap
    dl->AddText(ImVec2(lx, b.y + 2 * s), weak_col, t.label.c_str());
    last_label_end = lx + ts.x;
  }
  dl->AddRect(a, b, ImGui::GetColorU32(ImGuiCol_Border), 0.0f, 0, 1.0f);

  // Series, clipped to the frame.
  dl->PushClipRect(a, b, true);
  for (int k = 0; k < count; ++k) {
    const PlotSeries& se = series[k];
    int run = 0;  // points in the draw list's path (its buffer is reused: no allocation here)
    auto flush = [&] {
      if (run == 1) {
        const ImVec2 c = dl->_Path[0];
        dl->PathClear();
        dl->AddCircleFilled(c, 2 * s, se.color);
      } else if (run > 1) {
        dl->PathStroke(se.color, 0, se.thickness * s);
      }
      dl->PathClear();
      run = 0;
    };
    // Long series: per column of two pixels only its lowest and highest point, in the order they
    // came (a software rasterizer pays for every vertex; the picture is the same).
    const float col_w = 2.0f * s;
    float col = -1e30f;
    ImVec2 lo, hi;  // screen y grows downwards: lo has the largest y
    int lo_i = 0, hi_i = 0, in_col = 0;
    auto emit_col = [&] {
      if (in_col == 0) return;
      const bool lo_first = lo_i <= hi_i;
      dl->PathLineTo(lo_first ? lo : hi);
      ++run;
      if (lo_i != hi_i) {
        dl->PathLineTo(lo_first ? hi : lo);
        ++run;
      }
      in_col = 0;
    };
    for (int i = 0; i < se.count; ++i) {
      const double x = se.x[i], y = se.y[i];
      if (!std::isfinite(x) || !std::isfinite(y)) {
        emit_col();
        flush();
        col = -1e30f;
        continue;
      }
      const ImVec2 q(sx(x), sy(y));
      const float c = std::floor(q.x / col_w);
      if (c != col) {
        emit_col();
        col = c;
        lo = hi = q;
        lo_i = hi_i = i;
      }
      if (q.y > lo.y) {
        lo = q;
        lo_i = i;
      }
      if (q.y < hi.y) {
        hi = q;
        hi_i = i;
      }
      ++in_col;
    }
    emit_col();
    flush();
  }
  if (std::isfinite(spec.marker_x) && to_axis(spec.marker_x, xs) >= x_lo &&
      to_axis(spec.marker_x, xs) <= x_hi)
    dl->AddLine(ImVec2(sx(spec.marker_x), a.y), ImVec2(sx(spec.marker_x), b.y),
                IM_COL32(200, 30, 30, 200), 2 * s);
  dl->PopClipRect();

  // Legend, top-right inside the frame, within a corner (widgets.hpp corner_legend): in columns
  // when one is too tall, left out when the plot is too small (the hover readout names the series).
  {
    float lw = 0;
    int labelled = 0;
    for (int k = 0; k < count; ++k)
      if (series[k].label && series[k].label[0]) {
        lw = std::max(lw, ImGui::CalcTextSize(series[k].label).x);
        ++labelled;
      }
    const ImVec2 entry(lw + 24 * s, fh + 2 * s);
    const LegendBox box = corner_legend(a, b, entry, labelled, 2 * s);
    if (box.shown) {
      dl->AddRectFilled(box.min, box.max, ImGui::GetColorU32(ImGuiCol_WindowBg, 0.8f));
      int i = 0;
      for (int k = 0; k < count; ++k) {
        if (!series[k].label || !series[k].label[0]) continue;
        const float lx = box.min.x + 2 * s + static_cast<float>(i / box.rows) * entry.x + 2 * s;
        const float ly = box.min.y + 2 * s + static_cast<float>(i % box.rows) * entry.y;
        dl->AddLine(ImVec2(lx, ly + 0.5f * fh), ImVec2(lx + 14 * s, ly + 0.5f * fh),
                    series[k].color, 3 * s);
        dl->AddText(ImVec2(lx + 18 * s, ly), text_col, series[k].label);
        ++i;
      }
    }
  }

  // Hover readout: the logged point nearest the mouse (its x), and every series' value there.
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (hovered && !empty && m.x >= a.x && m.x <= b.x) {
    const double xv = from_axis(x_lo + (m.x - a.x) / (b.x - a.x) * (x_hi - x_lo), xs);
    int first = -1;
    for (int k = 0; k < count && first < 0; ++k)
      if (series[k].count > 0) first = k;
    auto nearest = [&](const PlotSeries& se) {
      const double* it = std::lower_bound(se.x, se.x + se.count, xv);
      int i = static_cast<int>(it - se.x);
      if (i >= se.count) i = se.count - 1;
      if (i > 0 && std::fabs(se.x[i - 1] - xv) < std::fabs(se.x[i] - xv)) --i;
      return i;
    };
    if (first >= 0) {
      const double x_at = series[first].x[nearest(series[first])];
      const float cx = sx(x_at);
      dl->AddLine(ImVec2(cx, a.y), ImVec2(cx, b.y), IM_COL32(60, 60, 60, 140), 1.0f);
      ImGui::BeginTooltip();
      ImGui::Text("%s %s", spec.x_label, compact(x_at).c_str());
      for (int k = 0; k < count; ++k) {
        const PlotSeries& se = series[k];
        if (se.count == 0) continue;
        const int i = nearest(se);
        dl->AddCircleFilled(ImVec2(sx(se.x[i]), std::clamp(sy(se.y[i]), a.y, b.y)), 3.5f * s,
                            se.color);
        ImGui::ColorButton("##c", ImGui::ColorConvertU32ToFloat4(se.color),
                           ImGuiColorEditFlags_NoTooltip, ImVec2(fh * 0.8f, fh * 0.8f));
        ImGui::SameLine();
        ImGui::Text("%s: %s%s", se.label, compact(se.y[i]).c_str(), spec.y_unit);
      }
      ImGui::EndTooltip();
    }
  }
  ImGui::PopID();
}

}  // namespace mlpviz::ui
