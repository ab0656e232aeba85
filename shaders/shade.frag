// shade.frag: the second pass of the boundary view: colours the raw values field.frag evaluated
// (mode 3) into u_raw0/u_raw1, read with linear filtering at this pass's resolution (the view's).
// When the values were evaluated at a lower resolution while training, the lines are still drawn
// crisp here, from the interpolated values. After net_common.glsl (with the variant's macros:
// constants for a generated shape) and field_colour.glsl.
uniform sampler2D u_raw0;    // logits 0-3, or (z, a) of a hidden unit
uniform sampler2D u_raw1;    // logits 4-5
uniform vec4 u_rect;         // viewport x, y, width, height
uniform vec4 u_raw_map;      // where the view's point t lies in the raw textures: t * xy + zw (the
                             // identity, unless they were evaluated for other bounds: panning)
uniform int u_focus_layer;   // < 0: output field; 0..L-1: a feature or hidden unit; L: an output
uniform int u_unit;
uniform float u_line_px;
uniform float u_level_step;
uniform int u_output_levels;
out vec4 frag;

void main() {
  vec2 t = (gl_FragCoord.xy - u_rect.xy) / u_rect.zw * u_raw_map.xy + u_raw_map.zw;
  vec4 r0 = texture(u_raw0, t);
  vec4 r1 = NET_K > 4 && u_focus_layer < 0 || NET_K > 4 && u_focus_layer >= NET_L ? texture(u_raw1, t) : vec4(0.0);
  float o[MAX_OUT] = float[MAX_OUT](r0.x, r0.y, r0.z, r0.w, r1.x, r1.y);
  vec3 col;
  if (u_focus_layer < 0) col = output_colour(o, u_line_px, u_output_levels != 0);
  else if (u_focus_layer >= NET_L) col = output_unit_colour(o, u_unit, u_level_step, u_line_px);
  else col = hidden_unit_colour(r0.x, r0.y, u_focus_layer, u_level_step, u_line_px);
  frag = vec4(col, 1.0);
}
