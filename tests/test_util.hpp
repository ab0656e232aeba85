// test_util.hpp: small helpers shared by the tests.
#pragma once

#include <vector>

#include "core/data.hpp"
#include "core/mlp.hpp"
#include "train/engine.hpp"
#include "train/settings.hpp"

namespace mlpviz::test {

// The settings of the lecture notes' accuracy table (seed 004): tanh hidden layers, data seed 11,
// weight seed 5; shared by test_accuracy.cpp and the health monitor's no-false-alarm test.
inline train::Settings accuracy_table_settings(core::DataKind kind, int classes, std::vector<int> widths,
                                               double lr, int batch) {
  train::Settings s = train::default_settings();
  s.data.kind = kind;
  s.data.classes = classes;
  s.data.points = kind == core::DataKind::Spiral ? 300 : 500;
  s.data.noise = kind == core::DataKind::Spiral ? 0.05 : 0.1;
  s.data.seed = 11;
  s.net.widths = widths;
  s.net.activations.assign(widths.size(), core::Activation::Tanh);
  s.net.classes = classes;
  s.net.output = classes == 2 ? core::OutputKind::SigmoidBce : core::OutputKind::SoftmaxCe;
  s.optimizer.learning_rate = lr;
  s.optimizer.batch_size = batch;
  s.weight_seed = 5;
  return s;
}

// Trains a fresh engine for `steps` steps and returns it with up-to-date metrics.
inline std::unique_ptr<train::Engine> trained(const train::Settings& s, long long steps) {
  auto e = std::make_unique<train::Engine>(s);
  for (long long i = 0; i < steps; ++i)
    if (!e->step()) break;
  e->update_metrics();
  return e;
}

}  // namespace mlpviz::test
