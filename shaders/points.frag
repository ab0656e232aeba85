// points.frag: training points filled, test points hollow (a ring in the class colour), both
// outlined in dark ink; misclassified points get a further dark ring with a light gap.
// Output is premultiplied alpha (blend ONE, ONE_MINUS_SRC_ALPHA).
uniform float u_radius_px;
uniform float u_ring_px;
uniform float u_outline_px;
flat in vec3 v_color;
flat in int v_test;
flat in int v_wrong;
flat in float v_size;
out vec4 frag;

// Coverage of the annulus r0 <= d <= r1 with a one-pixel soft edge.
float band(float d, float r0, float r1) {
  return clamp(d - r0 + 0.5, 0.0, 1.0) * clamp(r1 - d + 0.5, 0.0, 1.0);
}

void main() {
  float d = length(gl_PointCoord - 0.5) * v_size;  // pixels from the centre
  vec3 ink = vec3(0.08, 0.08, 0.10);
  float r = u_radius_px;
  vec4 c = vec4(0.0);
  // Fill (train) or ring (test), then the outline, then the misclassification ring.
  float inner = v_test == 1 ? max(r - max(2.0, 0.42 * r), 0.0) : -1.0;
  float fill = band(d, inner, r - u_outline_px);
  c = mix(c, vec4(v_color, 1.0), fill);
  c = mix(c, vec4(ink, 1.0), band(d, r - u_outline_px, r));
  if (v_test == 1) c = mix(c, vec4(0.9 * ink, 0.9), 0.8 * band(d, inner - 0.6 * u_outline_px, inner));
  if (v_wrong == 1) {
    c = mix(c, vec4(0.85, 0.85, 0.85, 0.85), band(d, r, r + u_ring_px));
    c = mix(c, vec4(ink, 1.0), band(d, r + u_ring_px, r + 2.0 * u_ring_px));
  }
  if (c.a <= 0.0) discard;
  frag = c;
}
