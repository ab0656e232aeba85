// field.frag: the network over the input plane, one evaluation per pixel (after net_common.glsl
// and a forward-pass variant: net_generic.glsl or a shader generated for the network's shape).
//
// Modes: 0 output field: binary: P(class 1) on the diverging map of core::binary_field; K classes:
//          the decided class's colour shaded by its probability (core::multiclass_field). The
//          decision boundary is an anti-aliased line found with screen-space derivatives.
//        1 one unit (layer u_focus_layer, unit v_unit; layer 0 = an input feature): its activation on
//          the diverging map (orange negative, blue positive) with level curves every
//          u_level_step and its zero line z = 0.
//        2 class ids for tests: red = decided class / 255.
uniform int u_mode;
uniform int u_focus_layer;   // unit mode: 0 features, 1..L-1 hidden, L outputs
uniform vec4 u_bounds;       // x_min, x_max, y_min, y_max of the data plane shown
uniform float u_line_px;     // boundary / zero line width in pixels (presentation scale included)
uniform float u_level_step;  // unit mode: activation between level curves
uniform int u_output_levels; // output mode: level curves of the probability every 0.1
flat in vec4 v_cell;
flat in int v_unit;
out vec4 frag;

vec3 binary_field(float p1) {  // core::binary_field
  float c = clamp(2.0 * p1 - 1.0, -1.0, 1.0);
  vec3 side = c < 0.0 ? u_palette[0].rgb : u_palette[1].rgb;
  return mix(u_palette[6].rgb, side, 0.75 * pow(abs(c), 0.8));
}

vec3 multiclass_field(int k, float pmax, int classes) {  // core::multiclass_field
  float inv = 1.0 / float(classes);
  float t = clamp((pmax - inv) / (1.0 - inv), 0.0, 1.0);
  return mix(u_palette[6].rgb, u_palette[k % 6].rgb, 0.2 + 0.55 * t);
}

// Coverage of a line where v = 0, `width` pixels wide, from v's screen-space gradient.
float line_coverage(float v, float width) {
  float g = fwidth(v);
  if (g < 1e-12) return 0.0;
  float d = abs(v) / g;
  return 1.0 - smoothstep(0.5 * width - 0.5, 0.5 * width + 0.5, d);
}

// Coverage of level curves of v every `step`.
float level_coverage(float v, float step, float width) {
  float f = v / step;
  float g = fwidth(f);
  if (g < 1e-6 || g > 0.25) return 0.0;  // flat (dead) regions, or curves too dense to read
  float d = abs(fract(f + 0.5) - 0.5) / g;
  // Fade curves out as they crowd together (under about 8 pixels apart).
  return (1.0 - smoothstep(0.5 * width - 0.5, 0.5 * width + 0.5, d)) * (1.0 - smoothstep(0.08, 0.25, g));
}

void main() {
  vec2 t = (gl_FragCoord.xy - v_cell.xy) / v_cell.zw;
  vec2 x = vec2(mix(u_bounds.x, u_bounds.y, t.x), mix(u_bounds.z, u_bounds.w, t.y));
  vec3 ink = u_palette[7].rgb;
  float o[MAX_OUT];

  if (u_mode == 1) {
    int layer = clamp(u_focus_layer, 0, NET_L);
    float z, a;
    vec3 col;
    if (layer == NET_L) {  // an output unit: its probability (or value)
      net_logits(x, o);
      z = o[0];
      apply_output(o);
      a = o[0];
      for (int k = 1; k < NET_K; ++k)
        if (k == v_unit) a = o[k];
      col = NET_K == 1 ? binary_field(a) : mix(u_palette[6].rgb, u_palette[v_unit % 6].rgb, 0.8 * clamp(a, 0.0, 1.0));
    } else {
      net_unit(x, layer, v_unit, z, a);
      int kind = layer == 0 ? 0 : hidden_activation(layer - 1);
      float v = kind == 1 ? 2.0 * a - 1.0 : (kind == 2 ? a : tanh(clamp(a, -15.0, 15.0)));
      col = binary_field(0.5 + 0.5 * v);
    }
    float levels = level_coverage(a, u_level_step, max(1.0, 0.6 * u_line_px));
    col = mix(col, ink, 0.30 * levels);
    if (layer < NET_L) col = mix(col, ink, 0.85 * line_coverage(z, u_line_px));
    frag = vec4(col, 1.0);
    return;
  }

  net_logits(x, o);
  // Logit margin for the boundary line: linear-ish in x, so its gradient gives a steady width.
  float edge;
  if (NET_K == 1) {
    edge = (NET_OUTPUT == 0 || NET_OUTPUT == 2) ? o[0] : o[0] - 0.5;
  } else {
    int b = 0;
    for (int k = 1; k < NET_K; ++k)
      if (o[k] > o[b]) b = k;
    float second = -3.0e38;
    for (int k = 0; k < NET_K; ++k)
      if (k != b) second = max(second, o[k]);
    edge = o[b] - second;
  }
  apply_output(o);
  int cls = decided_class(o);
  if (u_mode == 2) {
    frag = vec4(float(cls) / 255.0, 0.0, 0.0, 1.0);
    return;
  }
  vec3 col;
  float level;
  if (NET_K == 1) {
    col = binary_field(o[0]);
    level = o[0];
  } else {
    float sum = 0.0, top = 0.0;
    for (int k = 0; k < NET_K; ++k) {
      sum += max(o[k], 0.0);
      if (k == cls) top = o[k];
    }
    float pmax = sum > 0.0 ? top / sum : 1.0;
    col = multiclass_field(cls, pmax, max(2, u_net.w));
    level = pmax;
  }
  if (u_output_levels != 0) col = mix(col, ink, 0.16 * level_coverage(level - 0.5, 0.1, max(1.0, 0.6 * u_line_px)));
  col = mix(col, ink, 0.9 * line_coverage(edge, u_line_px));
  frag = vec4(col, 1.0);
}
