// view_common.hpp: what a network's view (render/renderer.hpp) and its thumbnail atlas
// (render/atlas.hpp) share: rectangles of the input plane, the GL buffers the view's network
// lives in, and the rule that spreads a view update's costly passes over frames.
#pragma once

#include "core/evaluate.hpp"
#include "render/gl.hpp"

namespace mlpviz::render {

// A rectangle of the input plane, in data units.
struct Bounds {
  double x_min = -2.0, x_max = 2.0, y_min = -2.0, y_max = 2.0;
  bool operator==(const Bounds&) const = default;
  // The CPU grid sampling the same pixel centres as a w x h view of these bounds.
  core::GridSpec grid(int w, int h) const { return {w, h, x_min, x_max, y_min, y_max}; }
};

// The view's network on the GPU: NetBlock (the shape), the generated programs' ParamBlock and
// the generic programs' parameter texture. bind() binds them where the network programs read
// them.
struct NetBuffers {
  GLuint net_ubo = 0, param_ubo = 0, param_texture = 0;
  void bind() const;
};

// While training, the three costly passes of a view update (the thumbnails, the field's
// evaluation, the view's shading) run on different frames when each was last measured at this
// many milliseconds or more: on a software rasterizer (llvmpipe: about 3.6, 3.0 and 5.2 ms) each
// then fits in the frame's slack under the 60 fps cap instead of all three making one long frame
// (BENCHMARKS.md, "Spreading a view update over frames"). A hardware GPU's passes take a fraction
// of a millisecond: nothing waits. The picture follows one or two frames later, never less often.
inline constexpr double kSpreadMinMs = 1.0;

// One view's spreading state, shared by its passes and its atlas (UI thread).
struct FrameSpread {
  double costly_pass_at = -1e9;  // the frame (its now_s) that ran a costly pass
  bool compose_waiting = false;  // the view's composition waits for the next frame
  // Whether a pass last measured at pass_ms should wait for the next frame: it is costly, and a
  // costly pass ran in this frame already (each frame calls with one now_s).
  bool wait(double pass_ms, double now_s) const { return pass_ms >= kSpreadMinMs && costly_pass_at == now_s; }
  // A pass last measured at pass_ms ran in this frame: costly ones make the others wait.
  void ran(double pass_ms, double now_s) {
    if (pass_ms >= kSpreadMinMs) costly_pass_at = now_s;
  }
};

}  // namespace mlpviz::render
