// field.vert: one full-screen triangle covering the viewport of the field being drawn.
// Passes the target rectangle in framebuffer pixels to field.frag, which maps pixel centres to
// data coordinates the same way core::GridSpec does.
uniform vec4 u_rect;  // x, y, width, height in framebuffer pixels
uniform int u_unit;   // unit shown in unit mode
flat out vec4 v_cell;
flat out int v_unit;

void main() {
  vec2 p = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2);  // (0,0) (2,0) (0,2)
  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
  v_cell = u_rect;
  v_unit = u_unit;
}
