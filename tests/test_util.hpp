// test_util.hpp: small helpers shared by the tests.
#pragma once

#include <vector>

#include "core/data.hpp"
#include "core/mlp.hpp"
#include "train/engine.hpp"
#include "train/settings.hpp"

namespace mlpviz::test {

// Trains a fresh engine for `steps` steps and returns it with up-to-date metrics.
inline std::unique_ptr<train::Engine> trained(const train::Settings& s, long long steps) {
  auto e = std::make_unique<train::Engine>(s);
  for (long long i = 0; i < steps; ++i)
    if (!e->step()) break;
  e->update_metrics();
  return e;
}

}  // namespace mlpviz::test
