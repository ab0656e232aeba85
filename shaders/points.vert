// points.vert: one point sprite per data point. With NET_IN_SHADER the network is evaluated here
// (net_common.glsl and a forward-pass variant) to find misclassified points; otherwise the CPU's verdict comes in the flags.
layout(location = 0) in vec4 a_point;          // x1, x2, label, flags (1: test point, 2: misclassified per the CPU)
uniform vec4 u_bounds;     // x_min, x_max, y_min, y_max
uniform float u_radius_px; // point radius
uniform float u_ring_px;   // width of the misclassification ring (and its gap)
uniform int u_show;        // 1: training points, 2: test points
flat out vec3 v_color;
flat out int v_test;
flat out int v_wrong;
flat out float v_size;
#ifndef NET_IN_SHADER
uniform vec4 u_palette_cpu[6];  // class colours (net.glsl's block is absent in this variant)
#endif

void main() {
  int label = int(a_point.z + 0.5);
  int flags = int(a_point.w + 0.5);
  v_test = flags & 1;
  int shown = v_test == 1 ? 2 : 1;
#ifdef NET_IN_SHADER
  float o[MAX_OUT];
  net_logits(a_point.xy, o);
  apply_output(o);
  v_wrong = decided_class(o) != label ? 1 : 0;
  v_color = u_palette[label % 6].rgb;
#else
  v_wrong = (flags & 2) != 0 ? 1 : 0;
  v_color = u_palette_cpu[label % 6].rgb;
#endif
  vec2 t = (a_point.xy - u_bounds.xz) / (u_bounds.yw - u_bounds.xz);
  gl_Position = (u_show & shown) != 0 ? vec4(t * 2.0 - 1.0, 0.0, 1.0) : vec4(-10.0, -10.0, 0.0, 1.0);
  v_size = 2.0 * (u_radius_px + 2.0 * u_ring_px) + 2.0;
  gl_PointSize = v_size;
}
