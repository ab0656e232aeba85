// atlas.vert: one quad per unit of a layer (instanced), placed in the atlas cell of that unit.
// Cells are numbered row by row from the atlas' bottom-left (GL's origin); each keeps a 1-pixel
// gutter so linear filtering never mixes neighbours.
uniform int u_first_cell;  // cell of the layer's unit 0
uniform int u_columns;     // cells per atlas row
uniform float u_cell_px;   // cell size in pixels, gutter included
uniform vec2 u_target_px;  // atlas size in pixels
flat out vec4 v_cell;
flat out int v_unit;

void main() {
  int c = u_first_cell + gl_InstanceID;
  vec2 origin = vec2(float(c % u_columns), float(c / u_columns)) * u_cell_px + 1.0;
  float size = u_cell_px - 2.0;
  vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));  // triangle strip
  gl_Position = vec4((origin + corner * size) / u_target_px * 2.0 - 1.0, 0.0, 1.0);
  v_cell = vec4(origin, size, size);
  v_unit = gl_InstanceID;
}
