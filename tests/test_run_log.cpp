// The run log (train/run_log.hpp): a row per finished run, RFC 4180 CSV read back by an
// independent parser, sorting by any column.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "train/engine.hpp"
#include "train/run_log.hpp"

namespace mlpviz::train {
namespace {

// RFC 4180, written from the RFC's grammar (not from csv_field): records end in CRLF; a field is
// either plain or quoted, with "" standing for " inside quotes.
std::vector<std::vector<std::string>> parse_rfc4180(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, in_quotes = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        field += c;
      }
    } else if (c == '"' && field.empty() && !quoted) {
      in_quotes = quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
      quoted = false;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(field);
      field.clear();
      quoted = false;
      rows.emplace_back();
      ++i;
    } else {
      EXPECT_NE(c, '\n') << "a bare LF outside quotes";
      field += c;
    }
  }
  EXPECT_TRUE(field.empty() && rows.back().empty()) << "the last record ends in CRLF";
  rows.pop_back();
  return rows;
}

std::unique_ptr<Engine> trained(std::vector<int> widths, std::vector<core::Activation> acts, int steps) {
  Settings s = default_settings();
  s.net.widths = std::move(widths);
  s.net.activations = std::move(acts);
  auto e = std::make_unique<Engine>(s);
  for (int i = 0; i < steps; ++i) EXPECT_TRUE(e->step());
  e->update_metrics();
  return e;
}

TEST(RunLog, CsvFieldsQuoteAsRfc4180Says) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("8,8"), "\"8,8\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
}

TEST(RunLog, RowsReadBackWithTheRunsFigures) {
  RunLog log;
  const auto a = trained({8, 8}, {core::Activation::Tanh, core::Activation::Tanh}, 200);
  const auto b = trained({4, 3}, {core::Activation::Relu, core::Activation::Tanh}, 50);
  log.append(log_entry(*a, "2026-12-02T10:00:00Z"));
  log.append(log_entry(*b, "2026-12-02T10:00:01Z"));
  const auto rows = parse_rfc4180(log.to_csv());
  ASSERT_EQ(rows.size(), 3u);
  const auto& cols = run_log_columns();
  ASSERT_EQ(rows[0], cols);
  const auto at = [&](const std::vector<std::string>& row, const std::string& name) {
    for (std::size_t c = 0; c < cols.size(); ++c)
      if (cols[c] == name) return row.at(c);
    ADD_FAILURE() << "no column " << name;
    return std::string();
  };
  for (std::size_t r = 1; r < rows.size(); ++r) EXPECT_EQ(rows[r].size(), cols.size());
  EXPECT_EQ(at(rows[1], "time"), "2026-12-02T10:00:00Z");
  EXPECT_EQ(at(rows[1], "data"), "moons");
  EXPECT_EQ(at(rows[1], "widths"), "8,8");
  EXPECT_EQ(at(rows[1], "depth"), "2");
  EXPECT_EQ(at(rows[1], "activation"), "tanh");
  // 2 inputs, 8, 8, 1 output: (2*8 + 8) + (8*8 + 8) + (8 + 1), counted by hand.
  EXPECT_EQ(at(rows[1], "parameters"), "105");
  EXPECT_EQ(at(rows[1], "optimizer"), "adam");
  EXPECT_EQ(at(rows[1], "learning_rate"), "0.01");
  EXPECT_EQ(at(rows[1], "batch"), "10");
  EXPECT_EQ(at(rows[1], "steps"), "200");
  EXPECT_EQ(at(rows[1], "epochs"), "7");  // 280 points, batch 10: 28 steps an epoch
  EXPECT_EQ(at(rows[1], "status"), "paused");
  EXPECT_NEAR(std::strtod(at(rows[1], "test_accuracy").c_str(), nullptr), a->metrics().test_accuracy, 1e-8);
  EXPECT_NEAR(std::strtod(at(rows[1], "train_loss").c_str(), nullptr), a->metrics().train_loss,
              1e-8 * a->metrics().train_loss);
  EXPECT_EQ(at(rows[2], "widths"), "4,3");
  EXPECT_EQ(at(rows[2], "activation"), "relu,tanh") << "one name per layer when they differ";
  // (2*4 + 4) + (4*3 + 3) + (3 + 1)
  EXPECT_EQ(at(rows[2], "parameters"), "31");
}

TEST(RunLog, SortsByAnyColumnNumbersAsNumbersNoTestPointsLast) {
  RunLog log;
  const auto add = [&](int steps, double test_acc, std::string time) {
    RunLogEntry e;
    e.steps = steps;
    e.test_accuracy = test_acc;
    e.time = std::move(time);
    log.append(e);
  };
  add(1000, 0.9, "b");
  add(200, NAN, "c");  // no test points
  add(30, 0.95, "a");
  add(1000, 0.8, "d");
  const std::size_t steps = 14, test_acc = 19, time = 0;
  ASSERT_EQ(run_log_columns()[steps], "steps");
  ASSERT_EQ(run_log_columns()[test_acc], "test_accuracy");
  EXPECT_EQ(log.sorted(steps, false), (std::vector<std::size_t>{2, 1, 0, 3})) << "30 < 200 < 1000 (ties in order)";
  EXPECT_EQ(log.sorted(steps, true), (std::vector<std::size_t>{0, 3, 1, 2}));
  EXPECT_EQ(log.sorted(test_acc, true), (std::vector<std::size_t>{2, 0, 3, 1}));
  EXPECT_EQ(log.sorted(test_acc, false), (std::vector<std::size_t>{3, 0, 2, 1}));
  EXPECT_EQ(log.sorted(time, false), (std::vector<std::size_t>{2, 0, 1, 3}));
}

TEST(RunWatcher, LogsEachRunOnceWhenItEndsOrIsReplaced) {
  RunWatcher w;
  int a = 0, b = 0;  // two trainers' identities
  std::uint64_t version = 0;
  Engine e(default_settings());
  const auto see = [&](const void* source) { return w.observe(e.make_snapshot(++version), source); };
  ASSERT_FALSE(e.apply(cmd::SetStop{{StopRule::Kind::Steps, 30, 1, 0}}).has_value());
  ASSERT_FALSE(e.apply(cmd::Play{}).has_value());
  EXPECT_FALSE(see(&a)) << "step 0";
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(e.step());
  EXPECT_FALSE(see(&a)) << "running";
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(e.step());
  e.update_metrics();
  ASSERT_EQ(e.finish_if_done(), StopReason::Steps);
  const auto finished = see(&a);
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->steps, 30);
  EXPECT_EQ(finished->status, "finished");
  EXPECT_EQ(finished->test_accuracy, e.metrics().test_accuracy);
  EXPECT_FALSE(see(&a)) << "logged once";
  // A new run replaces the logged one: nothing more to log.
  ASSERT_FALSE(e.apply(cmd::SetWeightSeed{7}).has_value());
  EXPECT_FALSE(see(&a));
  // A run that took steps and is replaced without finishing: its last snapshot is logged.
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(e.step());
  EXPECT_FALSE(see(&a));
  core::NetSpec net = e.settings().net;
  net.widths = {3};
  net.activations = {core::Activation::Relu};
  ASSERT_FALSE(e.apply(cmd::SetNet{net}).has_value());
  const auto replaced = see(&a);
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->steps, 5);
  EXPECT_EQ(replaced->status, "paused");
  EXPECT_EQ(replaced->widths, (std::vector<int>{8, 8})) << "the old run's network";
  EXPECT_EQ(replaced->weight_seed, 7u);
  // A new trainer (e.g. a session opened) ends the current run too.
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(e.step());
  EXPECT_FALSE(see(&a));
  const auto other = see(&b);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->steps, 4);
  EXPECT_EQ(other->widths, (std::vector<int>{3}));
}

}  // namespace
}  // namespace mlpviz::train
