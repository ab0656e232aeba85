#include "core/knock_out.hpp"

#include <bit>

namespace mlpviz::core {
namespace {

void normalize(UnitMask& m) {
  while (!m.empty() && m.back() == 0) m.pop_back();
}

}  // namespace

bool is_knocked_out(const UnitMask& m, int layer, int unit) {
  if (layer < 1 || layer > static_cast<int>(m.size()) || unit < 0 || unit >= 64) return false;
  return (m[static_cast<std::size_t>(layer - 1)] >> unit) & 1u;
}

void set_knocked_out(UnitMask& m, int layer, int unit, bool off) {
  if (layer < 1 || layer > kMaxHiddenLayers || unit < 0 || unit >= 64) return;
  const auto l = static_cast<std::size_t>(layer - 1);
  if (m.size() <= l) m.resize(l + 1, 0);
  const std::uint64_t bit = std::uint64_t{1} << unit;
  m[l] = off ? (m[l] | bit) : (m[l] & ~bit);
  normalize(m);
}

int count_knocked_out(const UnitMask& m) {
  int n = 0;
  for (std::uint64_t w : m) n += std::popcount(w);
  return n;
}

UnitMask fit_knock_out(const UnitMask& m, const NetSpec& net) {
  UnitMask out;
  for (std::size_t l = 0; l < m.size() && l < net.widths.size(); ++l) {
    const int w = net.widths[l];
    const std::uint64_t keep = w >= 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << w) - 1);
    out.push_back(m[l] & keep);
  }
  normalize(out);
  return out;
}

std::optional<std::string> validate_knock_out(const UnitMask& m, const NetSpec& net) {
  for (std::size_t l = 0; l < m.size(); ++l)
    for (int j = 0; j < 64; ++j)
      if ((m[l] >> j) & 1u) {
        const int layer = static_cast<int>(l) + 1;
        if (l >= net.widths.size())
          return "network.knocked_out: layer " + std::to_string(layer) +
                 " is out of range: allowed hidden layers 1 to " + std::to_string(net.widths.size());
        if (j >= net.widths[l])
          return "network.knocked_out: layer " + std::to_string(layer) + " unit " +
                 std::to_string(j + 1) + " is out of range: allowed units 1 to " +
                 std::to_string(net.widths[l]);
      }
  if (!m.empty() && m.back() == 0) return std::string("network.knocked_out: not normalized");
  return std::nullopt;
}

}  // namespace mlpviz::core
