// net_generic.glsl: the forward pass for any network within core's limits: loops over the layer
// sizes of NetBlock, parameters from a texture buffer (R32F, one texel per parameter). Used when
// the network is too big for a shader generated for its shape (render/net_codegen.cpp).
// Expects net_common.glsl before it and, before that:
//   #define NET_L (u_net.x)
//   #define NET_K (u_layer[u_net.x - 1].y)
//   #define NET_OUTPUT (u_net.z)
uniform samplerBuffer u_params;

float g_a[MAX_WIDTH];  // activations of the last layer computed (features before the first)
float g_z[MAX_WIDTH];  // its pre-activations

float param(int i) { return texelFetch(u_params, i).r; }

void load_features(vec2 x) {
  int n = 0;
  for (int b = 0; b < 7; ++b)
    if (((u_net.y >> b) & 1) != 0) {
      g_a[n] = feature(b, x);
      g_z[n] = g_a[n];
      ++n;
    }
}

// Layers 1..upto: per layer W (out x in, column-major) then b in the flat buffer.
void forward(vec2 x, int upto) {
  load_features(x);
  for (int l = 0; l < upto; ++l) {
    ivec4 ly = u_layer[l];
    for (int j = 0; j < ly.y; ++j) {
      float s = param(ly.w + j);
      for (int i = 0; i < ly.x; ++i) s += param(ly.z + i * ly.y + j) * g_a[i];
      g_z[j] = s;
    }
    bool hidden = l + 1 < u_net.x;
    int kind = hidden ? hidden_activation(l) : 0;
    for (int j = 0; j < ly.y; ++j) g_a[j] = hidden && knocked_out(l + 1, j) ? 0.0 : activate(kind, g_z[j]);
  }
}

void net_logits(vec2 x, out float o[MAX_OUT]) {
  forward(x, NET_L);
  for (int k = 0; k < MAX_OUT; ++k) o[k] = k < NET_K ? g_a[k] : 0.0;
}

void net_unit(vec2 x, int layer, int unit, out float z, out float a) {
  if (layer == 0) load_features(x);
  else forward(x, layer);
  z = g_z[unit];
  a = g_a[unit];
}
