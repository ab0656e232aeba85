// field_colour.glsl: how the network's values become colours and lines, shared by the direct
// path (field.frag: thumbnails, full-resolution view) and the two-pass view (shade.frag colours
// values that field.frag evaluated, possibly at a lower resolution, and the GPU interpolated).
// After net_common.glsl. Lines come from screen-space derivatives of the values, so they are
// crisp at the resolution this shader runs at.

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

// The output field from the logits: binary P(class 1) on the diverging map, or the decided
// class's colour shaded by its probability; the boundary where the top logit changes; level
// curves every 0.1 of the probability.
vec3 output_colour(float o[MAX_OUT], float line_px, bool levels) {
  vec3 ink = u_palette[7].rgb;
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
  if (levels) col = mix(col, ink, 0.16 * level_coverage(level - 0.5, 0.1, max(1.0, 0.6 * line_px)));
  return mix(col, ink, 0.9 * line_coverage(edge, line_px));
}

// An output unit (layer NET_L): its probability (or value), from all the logits.
vec3 output_unit_colour(float o[MAX_OUT], int unit, float level_step, float line_px) {
  apply_output(o);
  float a = o[0];
  for (int k = 1; k < NET_K; ++k)
    if (k == unit) a = o[k];
  vec3 col = NET_K == 1 ? binary_field(a) : mix(u_palette[6].rgb, u_palette[unit % 6].rgb, 0.8 * clamp(a, 0.0, 1.0));
  return mix(col, u_palette[7].rgb, 0.30 * level_coverage(a, level_step, max(1.0, 0.6 * line_px)));
}

// A hidden unit (or a feature, layer 0): activation a on the diverging map (orange negative, blue
// positive), level curves every level_step, and its zero line z = 0.
vec3 hidden_unit_colour(float z, float a, int layer, float level_step, float line_px) {
  int kind = layer == 0 ? 0 : hidden_activation(layer - 1);
  float v = kind == 1 ? 2.0 * a - 1.0 : (kind == 2 ? a : tanh(clamp(a, -15.0, 15.0)));
  vec3 col = binary_field(0.5 + 0.5 * v);
  vec3 ink = u_palette[7].rgb;
  col = mix(col, ink, 0.30 * level_coverage(a, level_step, max(1.0, 0.6 * line_px)));
  return mix(col, ink, 0.85 * line_coverage(z, line_px));
}
