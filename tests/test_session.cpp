// Session files: round trip, every kind of invalid file rejected with the field named, atomic save.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_util.hpp"
#include "train/session.hpp"

namespace mlpviz::train {
namespace {

using nlohmann::json;

Session trained_session() {
  Settings s = default_settings();
  s.optimizer.l1 = 0.001;
  s.stop = {StopRule::Kind::Epochs, 10, 25, 0.02};
  auto e = test::trained(s, 300);
  return Session{e->settings(), e->data(), std::vector<double>(e->params().begin(), e->params().end()),
                 e->progress()};
}

TEST(Session, RoundTripIsExact) {
  const Session a = trained_session();
  const auto r = from_json_text(to_json_text(a));
  ASSERT_TRUE(std::holds_alternative<Session>(r)) << std::get<LoadError>(r).message;
  const Session& b = std::get<Session>(r);
  EXPECT_EQ(a.settings, b.settings);
  ASSERT_TRUE(b.data.has_value());
  EXPECT_EQ(*a.data, *b.data);
  ASSERT_TRUE(b.params.has_value());
  EXPECT_EQ(*a.params, *b.params);
  // And the loaded session continues exactly where the saved one was.
  Engine e1(a.settings, a.data, a.params), e2(b.settings, b.data, b.params);
  for (int i = 0; i < 100; ++i) {
    e1.step();
    e2.step();
  }
  EXPECT_EQ(e1.params(), e2.params());
}

// A saved session keeps its curves: the step, the epoch and every logged point (to the 7
// significant digits a float holds), and an engine started from it shows them.
TEST(Session, ProgressRoundTrips) {
  const Session a = trained_session();
  ASSERT_TRUE(a.progress.has_value());
  ASSERT_EQ(a.progress->step, 300);
  ASSERT_GT(a.progress->history.size(), 100u);
  const auto r = from_json_text(to_json_text(a));
  ASSERT_TRUE(std::holds_alternative<Session>(r)) << std::get<LoadError>(r).message;
  const Session& b = std::get<Session>(r);
  ASSERT_TRUE(b.progress.has_value());
  EXPECT_EQ(b.progress->step, a.progress->step);
  EXPECT_EQ(b.progress->epoch, a.progress->epoch);
  ASSERT_EQ(b.progress->history.size(), a.progress->history.size());
  const int layers = static_cast<int>(a.settings.net.widths.size()) + 1;
  for (std::size_t i = 0; i < a.progress->history.size(); ++i) {
    const HistoryPoint &p = a.progress->history[i], &q = b.progress->history[i];
    EXPECT_EQ(p.step, q.step);
    EXPECT_NEAR(p.epoch, q.epoch, 1e-6 * (1 + p.epoch));
    EXPECT_NEAR(p.train_loss, q.train_loss, 1e-6f * p.train_loss);
    EXPECT_NEAR(p.test_accuracy, q.test_accuracy, 1e-6f);
    EXPECT_EQ(p.dead_units, q.dead_units);
    for (int l = 0; l < layers; ++l) EXPECT_NEAR(p.grad_norm[l], q.grad_norm[l], 1e-6f * p.grad_norm[l]);
  }
  Engine e(b.settings, b.data, b.params, b.progress);
  EXPECT_EQ(e.step_count(), 300);
  const auto snap = e.make_snapshot(1);
  // The saved points, then one of the loaded weights at the saved step (unless one was logged there).
  ASSERT_GE(snap->history.size(), a.progress->history.size());
  ASSERT_LE(snap->history.size(), a.progress->history.size() + 1);
  EXPECT_EQ(snap->history.back().step, 300);
  EXPECT_EQ(snap->history.front().step, 0);
  EXPECT_NEAR(snap->history.front().train_loss, a.progress->history.front().train_loss,
              1e-6f * a.progress->history.front().train_loss);

  // A session written before progress was saved still loads (from step 0, as before).
  json j = json::parse(to_json_text(a));
  j.erase("progress");
  const auto old = from_json_text(j.dump());
  ASSERT_TRUE(std::holds_alternative<Session>(old)) << std::get<LoadError>(old).message;
  EXPECT_FALSE(std::get<Session>(old).progress.has_value());
}

TEST(Session, MinimalSessionWithoutDataOrParameters) {
  Session a;
  a.settings = default_settings();
  const auto r = from_json_text(to_json_text(a));
  ASSERT_TRUE(std::holds_alternative<Session>(r));
  EXPECT_FALSE(std::get<Session>(r).data.has_value());
  EXPECT_FALSE(std::get<Session>(r).params.has_value());
}

struct Mutation {
  const char* label;
  std::function<void(json&)> apply;
  const char* expect;
};

void PrintTo(const Mutation& m, std::ostream* os) { *os << m.label; }

class InvalidSession : public testing::TestWithParam<Mutation> {};

TEST_P(InvalidSession, IsRejectedWithTheFieldNamed) {
  json j = json::parse(to_json_text(trained_session()));
  GetParam().apply(j);
  const auto r = from_json_text(j.dump());
  ASSERT_TRUE(std::holds_alternative<LoadError>(r)) << "accepted: " << GetParam().label;
  const std::string& msg = std::get<LoadError>(r).message;
  EXPECT_NE(msg.find(GetParam().expect), std::string::npos) << "message: " << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line";
}

std::vector<Mutation> mutations() {
  return {
      {"version missing", [](json& j) { j.erase("version"); }, "version: missing"},
      {"newer version", [](json& j) { j["version"] = 2; }, "version = 2: written by a newer mlpviz"},
      {"version as string", [](json& j) { j["version"] = "1"; }, "version: expected an integer, got string"},
      {"wrong format", [](json& j) { j["format"] = "other"; }, "not an mlpviz session"},
      {"unknown root field", [](json& j) { j["colour"] = 1; }, "colour: unknown field"},
      {"unknown nested field", [](json& j) { j["network"]["dropout"] = 0.5; }, "network.dropout: unknown field"},
      {"unknown data kind", [](json& j) { j["data"]["kind"] = "banana"; }, "data.kind = \"banana\" is not known: allowed xor, moons"},
      {"too many points", [](json& j) { j["data"]["points"] = 1000000; }, "data.points = 1000000 is out of range: allowed 0 to 100000"},
      {"negative noise", [](json& j) { j["data"]["noise"] = -0.5; }, "data.noise = -0.5 is out of range"},
      {"noise as string", [](json& j) { j["data"]["noise"] = "low"; }, "data.noise: expected a number, got string"},
      {"negative seed", [](json& j) { j["data"]["seed"] = -3; }, "data.seed: expected a non-negative integer"},
      {"too deep", [](json& j) { j["network"]["layers"] = json::array(); for (int i = 0; i < 9; ++i) j["network"]["layers"].push_back({{"width", 4}, {"activation", "relu"}}); }, "network.layers: 9 hidden layers is out of range: allowed 0 to 8"},
      {"width 0", [](json& j) { j["network"]["layers"][0]["width"] = 0; }, "network.layers[0].width = 0 is out of range: allowed 1 to 64"},
      {"width 65", [](json& j) { j["network"]["layers"][1]["width"] = 65; }, "network.layers[1].width = 65 is out of range: allowed 1 to 64"},
      {"width as string", [](json& j) { j["network"]["layers"][0]["width"] = "8"; }, "network.layers[0].width: expected an integer, got string"},
      {"width fractional", [](json& j) { j["network"]["layers"][0]["width"] = 2.5; }, "network.layers[0].width: expected an integer"},
      {"unknown activation", [](json& j) { j["network"]["layers"][1]["activation"] = "sigmoidal"; }, "network.layers[1].activation = \"sigmoidal\" is not known"},
      {"no features", [](json& j) { j["network"]["features"] = json::array(); }, "network.features"},
      {"unknown feature", [](json& j) { j["network"]["features"] = {"x3"}; }, "network.features[0] = \"x3\" is not known"},
      {"classes mismatch", [](json& j) { j["network"]["classes"] = 3; j["network"]["output"] = "softmax_ce"; }, "network.classes = 3"},
      {"bce with 3 classes", [](json& j) { j["network"]["classes"] = 3; }, "sigmoid_bce needs 2 classes"},
      {"zero learning rate", [](json& j) { j["optimizer"]["learning_rate"] = 0; }, "optimizer.learning_rate = 0 is out of range: allowed 1e-06 to 10"},
      {"huge learning rate", [](json& j) { j["optimizer"]["learning_rate"] = 1e6; }, "optimizer.learning_rate = 1000000.0 is out of range"},
      {"batch 0", [](json& j) { j["optimizer"]["batch_size"] = 0; }, "optimizer.batch_size = 0 is out of range"},
      {"unknown optimizer", [](json& j) { j["optimizer"]["kind"] = "lbfgs"; }, "optimizer.kind = \"lbfgs\" is not known: allowed sgd"},
      {"missing optimizer field", [](json& j) { j["optimizer"].erase("beta2"); }, "optimizer.beta2: missing"},
      {"unknown stop kind", [](json& j) { j["training"]["stop"]["kind"] = "sometimes"; }, "training.stop.kind = \"sometimes\" is not known"},
      {"sample arity", [](json& j) { j["data"]["samples"][0] = {0.1, 0.2}; }, "data.samples[0]: expected [x1, x2, label, is_test]"},
      {"sample label", [](json& j) { j["data"]["samples"][3][2] = 5; }, "data.samples[3][2] = 5 is out of range"},
      {"sample coordinate", [](json& j) { j["data"]["samples"][1][0] = "NaN"; }, "data.samples[1][0]: expected a number, got string"},
      {"sample huge", [](json& j) { j["data"]["samples"][1][1] = 1e300; }, "data.samples[1][1] = 1e+300 is out of range"},
      {"sample test flag", [](json& j) { j["data"]["samples"][2][3] = 1; }, "data.samples[2][3]: expected true (test) or false (train)"},
      {"parameter layers", [](json& j) { j["parameters"].erase(0); }, "parameters: 2 layers given, the network has 3"},
      {"parameter rows", [](json& j) { j["parameters"][0]["W"].erase(0); }, "parameters[0].W: 7 rows, expected 8"},
      {"parameter null", [](json& j) { j["parameters"][1]["b"][2] = nullptr; }, "parameters[1].b[2]: expected a number, got null"},
      {"parameter row length", [](json& j) { j["parameters"][2]["W"][0] = {1.0}; }, "parameters[2].W[0]: expected 8 numbers"},
      {"data as array", [](json& j) { j["data"] = json::array(); }, "data: expected an object, got array"},
      {"progress without parameters", [](json& j) { j.erase("parameters"); }, "progress: given without parameters"},
      {"progress step negative", [](json& j) { j["progress"]["step"] = -1; }, "progress.step = -1 is out of range"},
      {"history missing", [](json& j) { j["progress"].erase("history"); }, "progress.history: missing"},
      {"history column short", [](json& j) { j["progress"]["history"]["test_loss"].erase(0); }, "progress.history.test_loss: "},
      {"history steps decrease", [](json& j) { j["progress"]["history"]["step"][5] = 2; }, "progress.history.step[5] = 2 is out of range"},
      {"history past the step", [](json& j) { j["progress"]["step"] = 3; }, "(steps increase and end at progress.step)"},
      {"history accuracy over 1", [](json& j) { j["progress"]["history"]["train_accuracy"][4] = 1.5; }, "progress.history.train_accuracy[4] = 1.5 is out of range: allowed 0 to 1"},
      {"history negative loss", [](json& j) { j["progress"]["history"]["train_loss"][0] = -0.1; }, "progress.history.train_loss[0] = -0.1 is out of range"},
      {"history loss as string", [](json& j) { j["progress"]["history"]["train_loss"][1] = "low"; }, "progress.history.train_loss[1]: expected a number or null, got string"},
      {"history grad layers", [](json& j) { j["progress"]["history"]["grad_norm"][2] = {1.0}; }, "progress.history.grad_norm[2]: expected 3 numbers (one per layer)"},
      {"history too long", [](json& j) { auto& h = j["progress"]["history"]; for (auto& [k, v] : h.items()) { json big = json::array(); for (int i = 0; i < 3000; ++i) big.push_back(v[0]); v = big; } }, "progress.history.step: 3000 points is more than the allowed 2048"},
      {"history unknown column", [](json& j) { j["progress"]["history"]["lr"] = json::array(); }, "progress.history.lr: unknown field"},
  };
}

INSTANTIATE_TEST_SUITE_P(Files, InvalidSession, testing::ValuesIn(mutations()), [](const auto& info) {
  std::string s = info.param.label;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
});

TEST(Session, NotJsonAndEmptyFilesAreRejected) {
  for (const char* text : {"", "{", "[1,2]", "null", "{\"format\": \"mlpviz-session\"}"}) {
    const auto r = from_json_text(text);
    ASSERT_TRUE(std::holds_alternative<LoadError>(r)) << text;
    EXPECT_FALSE(std::get<LoadError>(r).message.empty());
  }
}

TEST(Session, SaveIsAtomicAndLoadNamesThePath) {
  const auto dir = std::filesystem::temp_directory_path() / ("mlpviz_session_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "s.json").string();
  const Session a = trained_session();
  ASSERT_FALSE(save_session(path, a).has_value());
  Session b = a;
  b.settings.weight_seed = 77;
  ASSERT_FALSE(save_session(path, b).has_value());  // replaces the file
  auto r = load_session(path);
  ASSERT_TRUE(std::holds_alternative<Session>(r));
  EXPECT_EQ(std::get<Session>(r).settings.weight_seed, 77u);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) files += entry.is_regular_file();
  EXPECT_EQ(files, 1) << "no temporary file left behind";
  // A writer killed mid-save left a temporary file: the next save removes it once it is stale,
  // never one that may belong to a save in progress.
  const auto stale = dir / ".s.json.tmp-AbC123", fresh = dir / ".s.json.tmp-XyZ789", other = dir / ".t.json.tmp-AbC123";
  for (const auto& p : {stale, fresh, other}) std::ofstream(p) << "{";
  const auto old = std::filesystem::file_time_type::clock::now() - std::chrono::hours(2);
  std::filesystem::last_write_time(stale, old);
  std::filesystem::last_write_time(other, old);
  ASSERT_FALSE(save_session(path, b).has_value());
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_TRUE(std::filesystem::exists(fresh)) << "a temporary file minutes old may be a save in progress";
  EXPECT_TRUE(std::filesystem::exists(other)) << "another file's temporaries are not this save's business";
  std::filesystem::remove(fresh);
  std::filesystem::remove(other);
  // A save that cannot happen leaves the old file as it was.
  EXPECT_TRUE(save_session((dir / "missing-dir" / "s.json").string(), a).has_value());
  { std::ofstream(dir / "bad.json") << "{\"format\": \"mlpviz-session\", \"version\": 1}"; }
  auto bad = load_session((dir / "bad.json").string());
  ASSERT_TRUE(std::holds_alternative<LoadError>(bad));
  EXPECT_NE(std::get<LoadError>(bad).message.find("bad.json: data: missing"), std::string::npos)
      << std::get<LoadError>(bad).message;
  auto missing = load_session((dir / "nope.json").string());
  ASSERT_TRUE(std::holds_alternative<LoadError>(missing));
  EXPECT_NE(std::get<LoadError>(missing).message.find("nope.json: cannot read"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mlpviz::train
