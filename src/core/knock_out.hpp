// knock_out.hpp: hidden units switched off by the user ("knock a unit out": which units matter).
//
// A knocked-out unit's activation is held at 0 whatever its input: a[l]_j = 0 on every point, in
// the forward pass (core::forward), so the units it feeds see nothing from it, and in the backward
// pass, where its delta dL/dz[l]_j is 0, so it passes no gradient down and its incoming weights
// and bias get none. Its z is still computed (the histograms leave it out). Training goes on with
// the unit off, as dropout at p = 1 for that unit: its incoming and outgoing weights receive no
// gradient from the data; regularization (L1, L2, AdamW's decay) and the optimizer's momentum act
// on them as on any weight whose data gradient is 0. Switching it back on continues the run.
//
// Representation: one 64-bit word per hidden layer (core::kMaxWidth = 64), bit j = unit j
// (0-based) of hidden layer l at index l - 1. Normalized: no trailing zero words, so "none" is the
// empty vector (and two masks meaning the same are equal).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/spec.hpp"

namespace mlpviz::core {

using UnitMask = std::vector<std::uint64_t>;
static_assert(kMaxWidth <= 64, "UnitMask holds one 64-bit word per hidden layer");

// layer: hidden layer 1..depth (the notes' l); unit: 0-based. False outside the mask.
bool is_knocked_out(const UnitMask& m, int layer, int unit);
// Sets or clears one unit (layer >= 1, 0 <= unit < 64; others are ignored); keeps m normalized.
void set_knocked_out(UnitMask& m, int layer, int unit, bool off);
int count_knocked_out(const UnitMask& m);
// The units of m that exist in `net` (a new shape keeps the knock-outs of units it still has).
UnitMask fit_knock_out(const UnitMask& m, const NetSpec& net);
// nullopt when every unit of m exists in net and m is normalized; else one line naming the unit
// ("network.knocked_out: layer 3 unit 2 ... allowed ...").
std::optional<std::string> validate_knock_out(const UnitMask& m, const NetSpec& net);

}  // namespace mlpviz::core
