// blit.frag: copies a texture over the viewport (field at reduced resolution -> view, filtered).
uniform sampler2D u_image;
uniform vec4 u_rect;  // viewport x, y, width, height
out vec4 frag;

void main() { frag = texture(u_image, (gl_FragCoord.xy - u_rect.xy) / u_rect.zw); }
