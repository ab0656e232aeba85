// gui_automation.cpp: what tests and README screenshots use: capture after N training steps,
// the shader-vs-CPU check of the boundary view, and frame-time statistics.
//
// The view check (GuiOptions::cpu_grid_path) renders the main view's exact rectangle (its size in
// framebuffer pixels and its plane bounds) once more in the shader's "class id" mode and compares
// every pixel with core::evaluate_grid on the same snapshot parameters, sampled at the same pixel
// centres. It also counts the thumbnails: hidden units, atlas cells drawn, thumbnails shown.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>

#include "app/gui_app.hpp"
#include "app/render_png.hpp"
#include "core/evaluate.hpp"
#include "render/capture.hpp"
#include "train/session.hpp"

namespace mlpviz::app {
namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out + "\"";
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t i = static_cast<std::size_t>(std::clamp(q * (v.size() - 1), 0.0, static_cast<double>(v.size() - 1)) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// Text that runs outside its widget, found in what ImGui drew this frame: a glyph quad outside
// the clip rectangle of its draw command (the window, child or plot it belongs to), or one ImGui
// trimmed on the CPU to a widget's frame (a button or field too small for its label). Only
// windows that cannot scroll in that direction count: text scrolled out of sight is not cut.
struct ClippedText {
  std::string window, text;
  ImVec4 glyph;  // the first cut glyph
  ImVec4 clip;   // the rectangle it was drawn into
};

std::vector<ClippedText> find_clipped_text() {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  // Every glyph's UV rectangle, keyed by each corner (a glyph trimmed on one side keeps the other).
  std::map<std::pair<float, float>, const ImFontGlyph*> by_corner;
  for (const ImFont* f : atlas->Fonts)
    for (const ImFontGlyph& gl : f->Glyphs) {
      if (!gl.Visible) continue;
      by_corner[{gl.U0, gl.V0}] = &gl;
      by_corner[{gl.U1, gl.V1}] = &gl;
    }
  const float texel = 0.5f / static_cast<float>(std::max(atlas->TexWidth, 1));
  std::vector<ClippedText> found;
  for (const ImGuiWindow* w : g.Windows) {
    if (!w->WasActive || w->Hidden || !w->DrawList) continue;
    const ImDrawList& dl = *w->DrawList;
    std::string run;  // the text of the current line, to name what was cut
    float run_y = -1e9f, run_x = -1e9f;
    bool run_cut = false;
    ImVec4 first_cut{}, first_clip{};
    auto flush = [&] {
      if (run_cut) found.push_back({w->Name, run, first_cut, first_clip});
      run.clear();
      run_cut = false;
    };
    for (const ImDrawCmd& cmd : dl.CmdBuffer) {
      if (cmd.UserCallback || cmd.TextureId != atlas->TexID) continue;
      for (unsigned int e = 0; e + 2 < cmd.ElemCount; e += 3) {
        const ImDrawVert& v0 = dl.VtxBuffer[static_cast<int>(
            cmd.VtxOffset + dl.IdxBuffer[static_cast<int>(cmd.IdxOffset + e)])];
        const ImDrawVert& v1 = dl.VtxBuffer[static_cast<int>(
            cmd.VtxOffset + dl.IdxBuffer[static_cast<int>(cmd.IdxOffset + e + 1)])];
        const ImDrawVert& v2 = dl.VtxBuffer[static_cast<int>(
            cmd.VtxOffset + dl.IdxBuffer[static_cast<int>(cmd.IdxOffset + e + 2)])];
        // A glyph quad's first triangle: top-left, top-right, bottom-right.
        if (v0.pos.y != v1.pos.y || v1.pos.x != v2.pos.x || v0.uv.y != v1.uv.y ||
            v1.uv.x != v2.uv.x)
          continue;
        auto it = by_corner.find({v0.uv.x, v0.uv.y});
        if (it == by_corner.end()) it = by_corner.find({v2.uv.x, v2.uv.y});
        if (it == by_corner.end()) continue;  // a shape, or a line drawn from the atlas
        const ImFontGlyph& gl = *it->second;
        const ImVec4& c = cmd.ClipRect;
        // Trimmed where it meets the edge of a window that scrolls that way: scrolled, not cut.
        const bool at_x = v0.pos.x <= c.x + 0.5f || v2.pos.x >= c.z - 0.5f;
        const bool at_y = v0.pos.y <= c.y + 0.5f || v2.pos.y >= c.w - 0.5f;
        const bool trimmed_x =
            std::fabs(v0.uv.x - gl.U0) > texel || std::fabs(v2.uv.x - gl.U1) > texel;
        const bool trimmed_y =
            std::fabs(v0.uv.y - gl.V0) > texel || std::fabs(v2.uv.y - gl.V1) > texel;
        const bool trimmed =
            (trimmed_x && !(at_x && w->ScrollbarX)) || (trimmed_y && !(at_y && w->ScrollbarY));
        // A glyph's quad has a texel or so of blank margin: 1.5 pixels over the edge cut nothing.
        const float m = 1.5f / std::max(ImGui::GetIO().DisplayFramebufferScale.x, 0.25f);
        const bool out_x = v0.pos.x < c.x - m || v2.pos.x > c.z + m;
        const bool out_y = v0.pos.y < c.y - m || v2.pos.y > c.w + m;
        const bool cut = trimmed || (out_x && !w->ScrollbarX) || (out_y && !w->ScrollbarY);
        if (std::fabs(v0.pos.y - run_y) > 2.0f || v0.pos.x < run_x) flush();
        run_y = v0.pos.y;
        run_x = v0.pos.x;
        run += gl.Codepoint < 0x80 ? static_cast<char>(gl.Codepoint) : '?';  // enough to name it
        if (cut && !run_cut) {
          run_cut = true;
          first_cut = ImVec4(v0.pos.x, v0.pos.y, v2.pos.x, v2.pos.y);
          first_clip = c;
        }
      }
    }
    flush();
  }
  return found;
}

// The process's threads now (Linux: /proc/self/status), or -1.
int process_threads() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
  return -1;
}

}  // namespace

bool App::write_layout_report(const ui::FrameOutput& out, int fb_w, int fb_h) {
  if (opt_.layout_report_path.empty()) return true;
  const ImGuiIO& io = ImGui::GetIO();
  const ui::LayoutRecord& r = ui_.layout_record;
  // Thumbnails that overlap: every pair (500 units: 125,000 comparisons, once).
  long long overlaps = 0;
  std::string first_overlap;
  const std::vector<ImVec4>& n = r.graph_nodes;
  for (std::size_t i = 0; i < n.size(); ++i)
    for (std::size_t j = i + 1; j < n.size(); ++j)
      if (n[i].x < n[j].z && n[j].x < n[i].z && n[i].y < n[j].w && n[j].y < n[i].w) {
        if (overlaps++ == 0)
          first_overlap = "nodes " + std::to_string(i) + " and " + std::to_string(j);
      }
  float min_node = n.empty() ? 0.0f : 1e9f;
  for (const ImVec4& q : n) min_node = std::min(min_node, std::min(q.z - q.x, q.w - q.y));
  const std::vector<ClippedText> clipped = find_clipped_text();
  // Windows (areas, children) whose content is wider than they are: a sideways scroll.
  std::vector<std::string> sideways;
  for (const ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
    if (w->WasActive && !w->Hidden && w->ScrollMax.x > 0.5f) sideways.emplace_back(w->Name);
  auto rect = [](const ImVec4& q) {
    std::ostringstream o;
    o << "[" << q.x << ", " << q.y << ", " << q.z << ", " << q.w << "]";
    return o.str();
  };
  // Areas in whole ImGui units squared, for integer comparisons in the test scripts.
  auto area = [](const ImVec4& q) {
    return std::llround(std::max(0.0f, q.z - q.x) * std::max(0.0f, q.w - q.y));
  };
  std::ostringstream os;
  os.precision(7);
  os << "{\n  \"window_area\": " << std::llround(io.DisplaySize.x * io.DisplaySize.y)
     << ",\n  \"view_area\": " << area(r.view) << ",\n  \"view_panel_area\": " << area(r.view_panel)
     << ",\n  \"legend_area\": " << area(r.legend) << ",\n  \"window\": [" << io.DisplaySize.x
     << ", " << io.DisplaySize.y << "],\n  \"framebuffer\": [" << fb_w << ", " << fb_h
     << "],\n  \"presentation_scale\": " << presentation_scale()
     << ",\n  \"ui_scale\": " << ui_scale_ << ",\n  \"font_px\": " << built_font_px_
     << ",\n  \"stacked\": " << (r.stacked ? "true" : "false")
     << ",\n  \"controls_shown\": " << (r.controls_shown ? "true" : "false")
     << ",\n  \"view\": " << rect(r.view) << ",\n  \"view_panel\": " << rect(r.view_panel)
     << ",\n  \"view_px\": [" << out.view_width_px << ", " << out.view_height_px << "]"
     << ",\n  \"legend\": " << rect(r.legend) << ",\n  \"speed_slider\": " << rect(r.speed_slider)
     << ",\n  \"points_field\": " << rect(r.points_field)
     << ",\n  \"graph_nodes\": " << n.size()
     << ",\n  \"graph_node_min_size\": " << min_node << ",\n  \"graph_overlaps\": " << overlaps
     << ",\n  \"graph_first_overlap\": " << json_string(first_overlap)
     << ",\n  \"sideways_scroll\": [";
  for (std::size_t i = 0; i < sideways.size(); ++i) os << (i ? ", " : "") << json_string(sideways[i]);
  os << "],\n  \"clipped_text\": [";
  for (std::size_t i = 0; i < clipped.size(); ++i)
    os << (i ? ",\n    " : "\n    ") << "{\"window\": " << json_string(clipped[i].window)
       << ", \"text\": " << json_string(clipped[i].text)
       << ", \"glyph\": " << rect(clipped[i].glyph) << ", \"clip\": " << rect(clipped[i].clip)
       << "}";
  os << "]\n}\n";
  if (auto err = train::write_file_atomically(opt_.layout_report_path, os.str())) {
    std::fprintf(stderr, "mlpviz: %s\n", err->c_str());
    return false;
  }
  std::printf(
      "mlpviz: layout check: view %dx%d px, %zu clipped text runs, %lld overlapping thumbnails of "
      "%zu\n",
      out.view_width_px, out.view_height_px, clipped.size(), overlaps, n.size());
  std::fflush(stdout);
  return true;
}

bool App::screenshot_due(const train::Snapshot& s) const {
  if (opt_.screenshot_after_steps < 0 || captured_) return false;
  if (frames_ < 20) return false;  // ImGui sizes its windows over the first frames; the rate settles
  if (s.step >= opt_.screenshot_after_steps) return true;
  // Training stopped short of the step (paused, finished, diverged): capture what there is once
  // nothing has changed for a while, instead of waiting forever.
  return s.state != train::RunState::Running && frames_ - last_version_frame_ > 30;
}

bool App::capture(const train::Snapshot& s, const ui::FrameOutput& out, int fb_w, int fb_h,
                  const std::string& path) {
  const std::vector<unsigned char> rgb = render::read_back_buffer(fb_w, fb_h);
  if (auto err = write_png(path, fb_w, fb_h, rgb)) {
    std::fprintf(stderr, "mlpviz: screenshot failed: %s\n", err->c_str());
    notice("screenshot failed: " + *err, true);
    return false;
  }
  std::printf("mlpviz: screenshot at step %lld (%dx%d) written to %s\n", static_cast<long long>(s.step), fb_w, fb_h,
              path.c_str());
  std::fflush(stdout);
  notice("screenshot saved to " + path, false);
  return path != opt_.screenshot_path || write_layout_report(out, fb_w, fb_h);
}

bool App::write_view_check(const train::Snapshot& s, const ui::FrameOutput& out) {
  if (opt_.cpu_grid_path.empty()) return true;
  const int w = out.view_width_px, h = out.view_height_px;
  const render::Bounds b{out.view_rect.x_min, out.view_rect.x_max, out.view_rect.y_min, out.view_rect.y_max};
  const std::vector<std::uint8_t> gpu = main_view().class_ids(w, h, b);
  long long agree = 0;
  long long agree_unknocked = 0;  // with knocked-out units: the shader against the CPU without them
  const long long pixels = gpu.empty() ? 0 : static_cast<long long>(w) * h;
  std::vector<long long> per_class(static_cast<std::size_t>(core::kMaxClasses), 0);  // shader's pixels per class
  if (!gpu.empty()) {
    const core::GridSpec g = b.grid(w, h);
    std::vector<float> cpu;
    core::Workspace<float> ws;
    core::evaluate_grid<float>(s.layout, s.settings.net.features, s.params.data(), g, cpu, ws);
    const int K = s.layout.sizes.back();
    // A knock-out must change the picture for the check to prove the shader honours it.
    std::vector<float> plain;
    if (!s.layout.knocked_out.empty()) {
      core::Layout unknocked = s.layout;
      unknocked.knocked_out.clear();
      core::evaluate_grid<float>(unknocked, s.settings.net.features, s.params.data(), g, plain, ws);
    }
    const auto class_at = [K](const std::vector<float>& v, long long i) {
      int cls = 0;
      if (K == 1) {
        cls = v[static_cast<std::size_t>(i)] > 0.5f ? 1 : 0;
      } else {
        const float* o = &v[static_cast<std::size_t>(i) * K];
        for (int k = 1; k < K; ++k)
          if (o[k] > o[cls]) cls = k;
      }
      return cls;
    };
    for (long long i = 0; i < pixels; ++i) {
      const int cls = class_at(cpu, i);
      const int g = gpu[static_cast<std::size_t>(i)];
      agree += g == cls ? 1 : 0;
      agree_unknocked += plain.empty() ? (g == cls ? 1 : 0) : (g == class_at(plain, i) ? 1 : 0);
      if (g < core::kMaxClasses) ++per_class[static_cast<std::size_t>(g)];
    }
  }
  const int hidden = s.layout.num_hidden_units();
  const int first_hidden = s.layout.sizes.front();
  const int atlas_drawn = main_view().count_drawn_cells(first_hidden, hidden);
  std::vector<std::string> acts;
  for (int l = 0; l + 1 < s.layout.depth(); ++l) acts.emplace_back(core::name(s.layout.layers[static_cast<std::size_t>(l)].act));
  std::ostringstream os;
  os.precision(9);
  os << "{\n  \"pixels\": " << pixels << ",\n  \"agree\": " << agree
     << ",\n  \"fraction\": " << (pixels > 0 ? static_cast<double>(agree) / static_cast<double>(pixels) : 0.0)
     << ",\n  \"pixels_per_class\": [";
  for (std::size_t k = 0; k < per_class.size(); ++k) os << (k ? ", " : "") << per_class[k];
  os << "],\n  \"width\": " << w << ",\n  \"height\": " << h << ",\n  \"bounds\": [" << b.x_min << ", " << b.x_max
     << ", " << b.y_min << ", " << b.y_max << "],\n  \"field\": " << json_string(main_view().status())
     << ",\n  \"gpu_field\": " << (main_view().gpu_field() ? "true" : "false") << ",\n  \"step\": " << s.step
     << ",\n  \"classes\": " << s.settings.net.classes << ",\n  \"outputs\": " << s.layout.sizes.back()
     << ",\n  \"activations\": [";
  for (std::size_t i = 0; i < acts.size(); ++i) os << (i ? ", " : "") << json_string(acts[i]);
  os << "],\n  \"dead_units\": " << s.metrics.dead_units << ",\n  \"train_accuracy\": " << s.metrics.train_accuracy
     << ",\n  \"hidden_units\": " << hidden << ",\n  \"atlas_thumbnails_drawn\": " << atlas_drawn
     << ",\n  \"graph_thumbnails_shown\": " << out.thumbnails_drawn << ",\n  \"gl_error\": "
     << json_string(main_view().gl_error()) << ",\n  \"knocked_out\": " << core::count_knocked_out(s.layout.knocked_out)
     << ",\n  \"agree_without_knock_out\": " << agree_unknocked << "\n}\n";
  if (auto err = train::write_file_atomically(opt_.cpu_grid_path, os.str())) {
    std::fprintf(stderr, "mlpviz: %s\n", err->c_str());
    return false;
  }
  std::printf("mlpviz: view check: %lld of %lld pixels agree (%.4f); %d of %d hidden units have thumbnails\n", agree,
              pixels, pixels > 0 ? static_cast<double>(agree) / static_cast<double>(pixels) : 0.0, atlas_drawn, hidden);
  std::fflush(stdout);
  return true;
}

void App::record_frame(Clock::time_point start, Clock::time_point work_done, const train::Snapshot& s) {
  const Clock::time_point now = Clock::now();
  if (stats_.first == Clock::time_point{}) stats_.first = start;
  if (stats_.last != Clock::time_point{}) {
    const double interval = std::chrono::duration<double, std::milli>(start - stats_.last).count();
    if (stats_.interval_ms.size() < 1000000) stats_.interval_ms.push_back(interval);
    // Frame rate shown: over the last 30 frames.
    const std::size_t n = std::min<std::size_t>(stats_.interval_ms.size(), 30);
    const double sum = std::accumulate(stats_.interval_ms.end() - static_cast<std::ptrdiff_t>(n), stats_.interval_ms.end(), 0.0);
    fps_ = sum > 0 ? 1000.0 * static_cast<double>(n) / sum : 0.0;
  }
  stats_.last = start;
  const double busy = std::chrono::duration<double, std::milli>(work_done - start).count();
  if (stats_.busy_ms.size() < 1000000) stats_.busy_ms.push_back(busy);
  frame_ms_ = busy;
  if (s.state == train::RunState::Running && s.samples_per_second > 0) {
    stats_.samples_per_second_sum += s.samples_per_second;
    ++stats_.samples_per_second_count;
  }
  (void)now;
}

void App::automate_switch(const train::Snapshot& s) {
  for (const GuiOptions::NetSwitch& sw : opt_.switch_nets)
    if (sw.frame == frames_) {
      core::NetSpec net = s.settings.net;
      const core::Activation act = net.activations.empty() ? core::Activation::Tanh : net.activations.back();
      net.widths = sw.widths;
      net.activations.resize(sw.widths.size(), act);
      std::vector<train::Command> cmds;
      cmds.emplace_back(train::cmd::SetNet{net});
      trainer().post(std::move(cmds));
      std::printf("mlpviz: switch to %zu hidden layers posted at frame %lld\n", sw.widths.size(),
                  static_cast<long long>(frames_));
      std::fflush(stdout);
      SwitchRecord r;
      r.posted = frames_;
      r.widths = sw.widths;
      switches_.push_back(std::move(r));
    }
  if (switches_.empty()) return;
  SwitchRecord& r = switches_.back();
  const std::vector<int> hidden(s.layout.sizes.begin() + 1, s.layout.sizes.end() - 1);
  if (hidden != r.widths) return;
  if (r.net_frame < 0) {
    r.net_frame = frames_;
    r.gpu = main_view().gpu_field();
    r.model_gpu = main_view().field_choice().path == render::FieldPath::Gpu;
    r.predicted_gpu_ms_min = main_view().field_choice().gpu_ms_min;
    r.predicted_cpu_ms = main_view().field_choice().cpu_ms_full;
    r.field = main_view().status();
  }
  if (r.field_frame < 0 && main_view().field_sizes() == s.layout.sizes) r.field_frame = frames_;
  int nodes = 0;
  for (int k : s.layout.sizes) nodes += k;
  if (r.atlas_frame < 0 && main_view().atlas_sizes() == s.layout.sizes && main_view().atlas_cells_rendered() == nodes)
    r.atlas_frame = frames_;
}

bool App::write_frame_stats() const {
  const std::vector<double>& v = stats_.interval_ms;
  const double mean = v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  const std::vector<double>& b = stats_.busy_ms;
  const double busy_mean = b.empty() ? 0.0 : std::accumulate(b.begin(), b.end(), 0.0) / static_cast<double>(b.size());
  int fw = 0, fh = 0;
  glfwGetFramebufferSize(window_, &fw, &fh);
  std::ostringstream os;
  os.precision(6);
  os << "{\n  \"frames\": " << frames_ << ",\n  \"mean_ms\": " << mean << ",\n  \"p50_ms\": " << percentile(v, 0.5)
     << ",\n  \"p95_ms\": " << percentile(v, 0.95) << ",\n  \"max_ms\": " << (v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()))
     << ",\n  \"max_frame\": " << (v.empty() ? 0 : std::max_element(v.begin(), v.end()) - v.begin() + 1)
     << ",\n  \"fps\": " << (mean > 0 ? 1000.0 / mean : 0.0) << ",\n  \"busy_mean_ms\": " << busy_mean
     << ",\n  \"busy_p95_ms\": " << percentile(b, 0.95) << ",\n  \"frame_cap_fps\": 60"
     << ",\n  \"trainer_samples_per_second\": "
     << (stats_.samples_per_second_count > 0 ? stats_.samples_per_second_sum / stats_.samples_per_second_count : 0.0)
     << ",\n  \"framebuffer\": [" << fw << ", " << fh << "],\n  \"field\": " << json_string(main_view().status())
     << ",\n  \"gpu_ms_mean\": {\"field\": "
     << (main_view().field_gpu_count ? main_view().field_gpu_ms_sum / main_view().field_gpu_count : 0.0)
     << ", \"atlas\": " << (main_view().atlas().gpu_count ? main_view().atlas().gpu_ms_sum / main_view().atlas().gpu_count : 0.0)
     << ", \"ui\": " << (stats_.ui_n ? stats_.ui_ms / stats_.ui_n : 0.0)
     << ", \"view_shading\": "
     << (main_view().compose_gpu_count ? main_view().compose_gpu_ms_sum / main_view().compose_gpu_count : 0.0) << "}"
     << ",\n  \"field_gpu_renders\": " << main_view().field_gpu_renders
     << ",\n  \"cpu_ms_mean\": {\"field\": "
     << (main_view().field_cpu_count ? main_view().field_cpu_ms_sum / main_view().field_cpu_count : 0.0)
     << ", \"atlas\": " << (main_view().atlas().cpu_count ? main_view().atlas().cpu_ms_sum / main_view().atlas().cpu_count : 0.0)
     << "}"
     << ",\n  \"gpu_timings\": {\"field\": " << main_view().field_gpu_count << ", \"atlas\": " << main_view().atlas().gpu_count
     << ", \"ui\": " << stats_.ui_n << ", \"cpu_field\": " << main_view().field_cpu_count
     << ", \"cpu_atlas\": " << main_view().atlas().cpu_count << "}"
     << ",\n  \"cost_model\": {\"gpu_generic_macs_per_ms\": " << main_view().field_case().gpu_generic_macs_per_ms
     << ", \"cpu_ms_per_pixel\": " << main_view().field_case().cpu.ms_per_pixel
     << ", \"cpu_macs_per_ms\": " << main_view().field_case().cpu.macs_per_ms
     << ", \"compile_ms_predicted\": " << main_view().field_case().compile_ms
     << ", \"parallel_shader_compile\": " << (main_view().parallel_shader_compile() ? "true" : "false") << "}"
     << ",\n  \"gl_error\": " << json_string(main_view().gl_error())
     << ",\n  \"window_title\": " << json_string(title_) << ",\n  \"points\": "
     << (trainer().snapshot()->data ? trainer().snapshot()->data->points.size() : 0)
     << ",\n  \"recent_files\": " << recent_.paths.size()
     << ",\n  \"run_steps\": [";
  // Each run's step (run 1 first), the pool that steps them all, and the process's threads now.
  for (std::size_t i = 0; i < runs_.size(); ++i) {
    const auto snap = runs_[i].snapshot();
    os << (i ? ", " : "") << (snap ? snap->step : -1);
  }
  os << "],\n  \"pool\": {\"max_threads\": " << pool_->max_threads() << ", \"workers\": " << pool_->threads_started()
     << "},\n  \"cpu_field_worker\": " << (render_ctx_->worker_started() ? 1 : 0)
     << ",\n  \"sweep_threads\": " << (sweep_.active() ? 1 : 0)  // its painter
     << ",\n  \"process_threads\": " << process_threads()
     << ",\n  \"switches\": [";
  // Frame n (1-based) lasted interval_ms[n - 1]: the worst frame from a switch's post to one frame
  // after both its field and its thumbnails showed (or to the end of the run).
  double switches_max = 0.0;
  for (std::size_t i = 0; i < switches_.size(); ++i) {
    const SwitchRecord& r = switches_[i];
    const long long shown = std::max(r.field_frame, r.atlas_frame);
    const long long last = r.field_frame < 0 || r.atlas_frame < 0 ? static_cast<long long>(v.size()) : shown + 1;
    double worst = 0.0;
    for (long long f = r.posted; f <= last && f - 1 < static_cast<long long>(v.size()); ++f)
      worst = std::max(worst, v[static_cast<std::size_t>(f - 1)]);
    switches_max = std::max(switches_max, worst);
    os << (i ? "," : "") << "\n    {\"posted_frame\": " << r.posted << ", \"widths\": [";
    for (std::size_t k = 0; k < r.widths.size(); ++k) os << (k ? ", " : "") << r.widths[k];
    os << "], \"net_frame\": " << r.net_frame << ", \"field_frame\": " << r.field_frame
       << ", \"atlas_frame\": " << r.atlas_frame << ", \"gpu_field\": " << (r.gpu ? "true" : "false")
       << ", \"model_gpu\": " << (r.model_gpu ? "true" : "false") << ", \"predicted_gpu_ms_at_min_scale\": "
       << r.predicted_gpu_ms_min << ", \"predicted_cpu_ms\": " << r.predicted_cpu_ms << ", \"max_frame_ms\": " << worst
       << ", \"field\": " << json_string(r.field) << "}";
  }
  os << "\n  ],\n  \"switch_max_ms\": " << switches_max << "\n}\n";
  if (auto err = train::write_file_atomically(opt_.frame_stats_path, os.str())) {
    std::fprintf(stderr, "mlpviz: %s\n", err->c_str());
    return false;
  }
  return true;
}

}  // namespace mlpviz::app
