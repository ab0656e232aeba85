// net.glsl: the network's forward pass, shared by the field, atlas and point shaders.
//
// Prepended after "#version 330 core" and the defines MAX_LAYERS and MAX_WIDTH (from
// core/spec.hpp via render/net_block.hpp). Mirrors core/mlp.hpp: the flat parameter buffer holds,
// per layer l = 1..L, W[l] (out x in, column-major) then b[l]; hidden activations by
// core::Activation id; the output layer's non-linearity by core::OutputKind.

layout(std140) uniform NetBlock {
  ivec4 u_layer[MAX_LAYERS];  // layer l+1: in, out, w_offset, b_offset
  ivec4 u_act[3];             // activation id of layer l+1 at [l / 4][l % 4]
  ivec4 u_net;                // depth L, feature mask, output kind, classes
  vec4 u_alpha;               // leaky ReLU slope, ELU alpha
  vec4 u_palette[8];          // class colours 0-5, background (6), line colour (7)
};
uniform samplerBuffer u_params;  // R32F, one texel per parameter

float g_a[MAX_WIDTH];  // activations of the last layer computed (features before the first)
float g_z[MAX_WIDTH];  // its pre-activations

float param(int i) { return texelFetch(u_params, i).r; }
int hidden_activation(int l) { return u_act[l >> 2][l & 3]; }  // l = 0 for layer 1

float activate(int kind, float z) {
  if (kind == 1) return 1.0 / (1.0 + exp(-z));                        // sigmoid
  if (kind == 2) return tanh(clamp(z, -15.0, 15.0));                  // tanh (clamped: drivers build it from exp)
  if (kind == 3) return max(z, 0.0);                                  // ReLU
  if (kind == 4) return z >= 0.0 ? z : u_alpha.x * z;                 // leaky ReLU
  if (kind == 5) return z > 0.0 ? z : u_alpha.y * (exp(min(z, 0.0)) - 1.0);  // ELU
  if (kind == 6) return max(z, 0.0) + log(1.0 + exp(-abs(z)));        // softplus
  if (kind == 7) return z / (1.0 + exp(-z));                          // swish
  if (kind == 8) return abs(z);                                       // abs
  return z;                                                           // identity
}

float feature(int bit, vec2 x) {  // core::Feature order
  if (bit == 0) return x.x;
  if (bit == 1) return x.y;
  if (bit == 2) return x.x * x.x;
  if (bit == 3) return x.y * x.y;
  if (bit == 4) return x.x * x.y;
  if (bit == 5) return sin(x.x);
  return sin(x.y);
}

void load_features(vec2 x) {
  int n = 0;
  for (int b = 0; b < 7; ++b)
    if (((u_net.y >> b) & 1) != 0) {
      g_a[n] = feature(b, x);
      g_z[n] = g_a[n];
      ++n;
    }
}

// Runs layers 1..upto (upto <= L). Afterwards g_z holds layer upto's pre-activations and g_a its
// activations; for the output layer g_a holds the logits (see apply_output).
void forward(vec2 x, int upto) {
  load_features(x);
  for (int l = 0; l < upto; ++l) {
    ivec4 ly = u_layer[l];
    for (int j = 0; j < ly.y; ++j) {
      float s = param(ly.w + j);
      for (int i = 0; i < ly.x; ++i) s += param(ly.z + i * ly.y + j) * g_a[i];
      g_z[j] = s;
    }
    int kind = l + 1 < u_net.x ? hidden_activation(l) : 0;
    for (int j = 0; j < ly.y; ++j) g_a[j] = activate(kind, g_z[j]);
  }
}

// Output layer: logits in g_a -> probabilities (sigmoid, softmax) or values (linear), in place.
void apply_output() {
  int K = u_layer[u_net.x - 1].y;
  int kind = u_net.z;
  if (kind == 1) {  // softmax, shifted by the maximum for stability
    float m = g_a[0];
    for (int k = 1; k < K; ++k) m = max(m, g_a[k]);
    float sum = 0.0;
    for (int k = 0; k < K; ++k) {
      g_a[k] = exp(g_a[k] - m);
      sum += g_a[k];
    }
    for (int k = 0; k < K; ++k) g_a[k] /= sum;
  } else if (kind == 0 || kind == 2) {
    for (int k = 0; k < K; ++k) g_a[k] = 1.0 / (1.0 + exp(-g_a[k]));
  }
}

// Class decided by the outputs in g_a (after apply_output): threshold 0.5 for one unit, else the
// first maximum (core::predict_classes).
int decided_class() {
  int K = u_layer[u_net.x - 1].y;
  if (K == 1) return g_a[0] > 0.5 ? 1 : 0;
  int best = 0;
  for (int k = 1; k < K; ++k)
    if (g_a[k] > g_a[best]) best = k;
  return best;
}
