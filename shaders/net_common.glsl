// net_common.glsl: what every network shader shares, after "#version 330 core", the defines
// MAX_LAYERS and MAX_WIDTH (from core/spec.hpp via render/net_block.hpp) and the variant's macros
// NET_L (weight layers), NET_K (output units) and NET_OUTPUT (core::OutputKind id): constants in a
// shader generated for one network shape (render/net_codegen.cpp), uniform reads in the generic
// one (net_generic.glsl). Mirrors core/mlp.hpp.

layout(std140) uniform NetBlock {
  ivec4 u_layer[MAX_LAYERS];  // layer l+1: in, out, w_offset, b_offset
  ivec4 u_act[3];             // activation id of layer l+1 at [l / 4][l % 4]
  ivec4 u_net;                // depth L, feature mask, output kind, classes
  vec4 u_alpha;               // leaky ReLU slope, ELU alpha
  vec4 u_palette[8];          // class colours 0-5, background (6), line colour (7)
  uvec4 u_knock[KNOCK_ROWS];  // knocked-out hidden units: see knocked_out()
};

#define MAX_OUT 6  // core::kMaxClasses

int hidden_activation(int l) { return u_act[l >> 2][l & 3]; }  // l = 0 for layer 1

// Unit j (0-based) of hidden layer l (1-based) is knocked out: its activation is held at 0
// (core/knock_out.hpp; render/net_block.hpp packs the bits).
bool knocked_out(int l, int j) {
  int w = 2 * (l - 1) + (j >> 5);
  return ((u_knock[w >> 2][w & 3] >> uint(j & 31)) & 1u) != 0u;
}

float activate(int kind, float z) {  // core::Activation ids
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

// Output layer: logits -> probabilities (sigmoid, softmax) or values (linear), in place.
void apply_output(inout float o[MAX_OUT]) {
  if (NET_OUTPUT == 1) {  // softmax, shifted by the maximum for stability
    float m = o[0];
    for (int k = 1; k < NET_K; ++k) m = max(m, o[k]);
    float sum = 0.0;
    for (int k = 0; k < NET_K; ++k) {
      o[k] = exp(o[k] - m);
      sum += o[k];
    }
    for (int k = 0; k < NET_K; ++k) o[k] /= sum;
  } else if (NET_OUTPUT == 0 || NET_OUTPUT == 2) {
    for (int k = 0; k < NET_K; ++k) o[k] = 1.0 / (1.0 + exp(-o[k]));
  }
}

// Class decided by the outputs: threshold 0.5 for one unit, else the first maximum
// (core::predict_classes).
int decided_class(float o[MAX_OUT]) {
  if (NET_K == 1) return o[0] > 0.5 ? 1 : 0;
  int best = 0;
  for (int k = 1; k < NET_K; ++k)
    if (o[k] > o[best]) best = k;
  return best;
}

// Provided by the variant:
//   void net_logits(vec2 x, out float o[MAX_OUT]);  the output layer's pre-activations
//   void net_unit(vec2 x, int layer, int unit, out float z, out float a);
//        unit of layer 1..NET_L-1 (z its pre-activation, a its activation) or feature (layer 0)
