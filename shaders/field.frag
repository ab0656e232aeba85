// field.frag: the network over the input plane, one evaluation per pixel. Assembled after
// net_common.glsl, a forward-pass variant (net_generic.glsl or a shader generated for the
// network's shape) and field_colour.glsl.
//
// Modes: 0 output field, coloured (field_colour.glsl: output_colour)
//        1 one unit (layer u_focus_layer, unit v_unit; 0 = a feature, NET_L = an output), coloured
//        2 class ids for tests: red = decided class / 255
//        3 raw values for shade.frag: logits 0-3 in frag and 4-5 in frag_extra (output field or
//          an output unit), or (z, a) of a hidden unit in frag
uniform int u_mode;
uniform int u_focus_layer;   // unit modes: 0 features, 1..L-1 hidden, L outputs; < 0 output field
uniform vec4 u_bounds;       // x_min, x_max, y_min, y_max of the data plane shown
uniform float u_line_px;     // boundary / zero line width in pixels (presentation scale included)
uniform float u_level_step;  // unit mode: activation between level curves
uniform int u_output_levels; // output mode: level curves of the probability every 0.1
flat in vec4 v_cell;
flat in int v_unit;
layout(location = 0) out vec4 frag;
layout(location = 1) out vec4 frag_extra;

void main() {
  vec2 t = (gl_FragCoord.xy - v_cell.xy) / v_cell.zw;
  vec2 x = vec2(mix(u_bounds.x, u_bounds.y, t.x), mix(u_bounds.z, u_bounds.w, t.y));
  float o[MAX_OUT];
  frag_extra = vec4(0.0);
  int layer = u_focus_layer < 0 ? NET_L : min(u_focus_layer, NET_L);
  bool hidden = u_focus_layer >= 0 && layer < NET_L;

  if (u_mode == 1 || u_mode == 3) {
    if (hidden) {
      float z, a;
      net_unit(x, layer, v_unit, z, a);
      frag = u_mode == 3 ? vec4(z, a, 0.0, 0.0) : vec4(hidden_unit_colour(z, a, layer, u_level_step, u_line_px), 1.0);
      return;
    }
    net_logits(x, o);
    if (u_mode == 3) {
      frag = vec4(o[0], o[1], o[2], o[3]);
      frag_extra = vec4(o[4], o[5], 0.0, 0.0);
    } else {
      frag = vec4(output_unit_colour(o, v_unit, u_level_step, u_line_px), 1.0);
    }
    return;
  }
  net_logits(x, o);
  if (u_mode == 2) {
    apply_output(o);
    frag = vec4(float(decided_class(o)) / 255.0, 0.0, 0.0, 1.0);
    return;
  }
  frag = vec4(output_colour(o, u_line_px, u_output_levels != 0), 1.0);
}
