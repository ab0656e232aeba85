// palette.hpp: the colours of classes and of the binary colour map, shared by the CPU renderer
// and the GPU shaders (which receive them as uniforms), so both paths paint the same picture.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>

namespace mlpviz::core {

struct Rgb {
  float r, g, b;
};

// Class colours: orange and blue first (the binary pair, readable for red-green colour blindness),
// then green, purple, brown, pink.
inline constexpr std::array<Rgb, 6> kClassColors = {{
    {0.961f, 0.576f, 0.133f},  // 0 orange
    {0.129f, 0.443f, 0.710f},  // 1 blue
    {0.180f, 0.620f, 0.290f},  // 2 green
    {0.560f, 0.310f, 0.690f},  // 3 purple
    {0.600f, 0.380f, 0.220f},  // 4 brown
    {0.890f, 0.370f, 0.640f},  // 5 pink
}};

inline constexpr Rgb kBackground = {0.97f, 0.97f, 0.97f};

inline Rgb mix(Rgb a, Rgb b, float t) {
  return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}

// Field colour for the probability of class 1 in a binary problem: orange at 0, near-white at
// 0.5, blue at 1 (diverging), lightened so that points stay visible on top.
inline Rgb binary_field(float p1) {
  const float c = std::clamp(2.0f * p1 - 1.0f, -1.0f, 1.0f);  // confidence in [-1, 1]
  const Rgb side = c < 0 ? kClassColors[0] : kClassColors[1];
  return mix(kBackground, side, 0.75f * std::pow(std::abs(c), 0.8f));
}

// Field colour for K classes: the argmax class colour, shaded by its probability
// (1/K = background, 1 = full colour).
inline Rgb multiclass_field(int k, float pmax, int classes) {
  const float t = std::clamp((pmax - 1.0f / classes) / (1.0f - 1.0f / classes), 0.0f, 1.0f);
  return mix(kBackground, kClassColors[k % 6], 0.2f + 0.55f * t);
}

}  // namespace mlpviz::core
