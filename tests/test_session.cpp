// Session files: round trip, every kind of invalid file rejected with the field named, atomic save.
// The file layer under them (core/file_io.hpp): what the writer may touch, bounded reads, escaping.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <cmath>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

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

// A run with no test split logs accuracies over no points (not finite): its curves are saved as
// null and load back (a session saved from clicked-in training points only must reopen).
TEST(Session, ProgressWithoutATestSplitRoundTrips) {
  Settings s = default_settings();
  s.data.train_fraction = 1.0;
  auto e = test::trained(s, 50);
  const Session a{e->settings(), e->data(), std::vector<double>(e->params().begin(), e->params().end()),
                  e->progress()};
  ASSERT_TRUE(a.progress.has_value());
  ASSERT_FALSE(a.progress->history.empty());
  ASSERT_FALSE(std::isfinite(a.progress->history.back().test_accuracy)) << "the case this test is for";
  const auto r = from_json_text(to_json_text(a));
  ASSERT_TRUE(std::holds_alternative<Session>(r)) << std::get<LoadError>(r).message;
  const Session& b = std::get<Session>(r);
  ASSERT_TRUE(b.progress.has_value());
  EXPECT_FALSE(std::isfinite(b.progress->history.back().test_accuracy));
  EXPECT_NEAR(b.progress->history.back().train_accuracy, a.progress->history.back().train_accuracy, 1e-6f);
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

// The loader's message for `base` changed by `m`, or nullopt when it accepted the file.
std::optional<std::string> refusal(const Session& base, const Mutation& m) {
  json j = json::parse(to_json_text(base));
  m.apply(j);
  const auto r = from_json_text(j.dump());
  if (!std::holds_alternative<LoadError>(r)) return std::nullopt;
  return std::get<LoadError>(r).message;
}

class InvalidSession : public testing::TestWithParam<Mutation> {};

TEST_P(InvalidSession, IsRejectedWithTheFieldNamed) {
  const std::optional<std::string> refused = refusal(trained_session(), GetParam());
  ASSERT_TRUE(refused) << "accepted: " << GetParam().label;
  const std::string& msg = *refused;
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

// Compare: a session with compared runs (ReLU and SGD beside the main tanh/Adam run, on its data),
// each trained on its own. What a save holds of them (train::compared_of).
Session compared_session() {
  Session a = trained_session();
  Settings relu = a.settings;
  std::fill(relu.net.activations.begin(), relu.net.activations.end(), core::Activation::Relu);
  Settings sgd = a.settings;
  sgd.optimizer.kind = core::OptimizerKind::Sgd;
  sgd.optimizer.learning_rate = 0.1;
  sgd.net.widths = {16};
  sgd.net.activations = {core::Activation::Tanh};
  for (const Settings& s : {relu, sgd}) {
    Engine e(s, *a.data);
    for (int i = 0; i < 300; ++i) e.step();
    e.update_metrics();
    a.compared.push_back(compared_of(*e.make_snapshot(1)));
  }
  return a;
}

TEST(Session, ComparedRunsRoundTrip) {
  const Session a = compared_session();
  ASSERT_EQ(a.compared.size(), 2u);
  const std::string text = to_json_text(a);
  const auto r = from_json_text(text);
  ASSERT_TRUE(std::holds_alternative<Session>(r)) << std::get<LoadError>(r).message;
  const Session& b = std::get<Session>(r);
  EXPECT_EQ(a.settings, b.settings);
  EXPECT_EQ(*a.params, *b.params);
  ASSERT_EQ(b.compared.size(), 2u);
  for (std::size_t k = 0; k < 2; ++k) {
    const ComparedRunSave &x = a.compared[k], &y = b.compared[k];
    EXPECT_EQ(x.settings, y.settings) << "compared run " << k;  // data settings too: the main run's
    ASSERT_TRUE(y.params.has_value());
    EXPECT_EQ(*x.params, *y.params) << "compared run " << k;
    ASSERT_TRUE(y.progress.has_value());
    EXPECT_EQ(y.progress->step, 300);
    EXPECT_EQ(x.progress->epoch, y.progress->epoch);
    ASSERT_EQ(x.progress->history.size(), y.progress->history.size());
    for (std::size_t i = 0; i < x.progress->history.size(); ++i) {
      const HistoryPoint &p = x.progress->history[i], &q = y.progress->history[i];
      EXPECT_EQ(p.step, q.step);
      EXPECT_NEAR(p.train_loss, q.train_loss, 1e-6f * p.train_loss);
      EXPECT_NEAR(p.test_accuracy, q.test_accuracy, 1e-6f);
    }
    // An engine on the main run's points takes the compared run up where it was.
    Engine e(y.settings, b.data, y.params, y.progress);
    EXPECT_EQ(e.step_count(), 300);
  }
  EXPECT_EQ(describe_difference(b.settings, b.compared[0].settings), "relu vs tanh");
  // The points are stored once: no entry has data, and the text holds one "samples".
  const json j = json::parse(text);
  for (const json& e : j["compared"]) EXPECT_FALSE(e.contains("data"));
  EXPECT_EQ(text.find("\"samples\""), text.rfind("\"samples\""));
  // Written again, the loaded session is the same text.
  EXPECT_EQ(to_json_text(b), text);
}

// A session without compared runs writes no "compared" key, so files stay as they were; an old
// file (written before the key existed) loads with none.
TEST(Session, OldFilesWithoutComparedRunsLoad) {
  EXPECT_FALSE(json::parse(to_json_text(trained_session())).contains("compared"));
  const auto r = load_session(std::string(MLPVIZ_TEST_DATA) + "/abs_folding3.json");
  ASSERT_TRUE(std::holds_alternative<Session>(r)) << std::get<LoadError>(r).message;
  EXPECT_TRUE(std::get<Session>(r).compared.empty());
  EXPECT_TRUE(std::get<Session>(r).params.has_value());
}

// A compared run may be given by its settings alone (a lecture's file written by hand): it starts
// from its weight seed, as a main run without parameters does.
TEST(Session, AComparedRunWithoutParametersLoads) {
  json j = json::parse(to_json_text(compared_session()));
  j["compared"][1].erase("progress");
  j["compared"][1].erase("parameters");
  const auto r = from_json_text(j.dump());
  ASSERT_TRUE(std::holds_alternative<Session>(r)) << std::get<LoadError>(r).message;
  const Session& b = std::get<Session>(r);
  ASSERT_EQ(b.compared.size(), 2u);
  EXPECT_FALSE(b.compared[1].params.has_value());
  EXPECT_FALSE(b.compared[1].progress.has_value());
  EXPECT_EQ(b.compared[1].settings.optimizer.kind, core::OptimizerKind::Sgd);
}

class InvalidComparedRun : public testing::TestWithParam<Mutation> {};

// A bad entry refuses the whole file (no Session comes back) with the entry and field named.
TEST_P(InvalidComparedRun, RefusesTheFileNamingTheEntryAndField) {
  const std::optional<std::string> refused = refusal(compared_session(), GetParam());
  ASSERT_TRUE(refused) << "accepted: " << GetParam().label;
  const std::string& msg = *refused;
  EXPECT_EQ(msg.rfind(GetParam().expect, 0), 0u) << "message: " << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line";
}

std::vector<Mutation> compared_mutations() {
  return {
      {"learning rate", [](json& j) { j["compared"][1]["optimizer"]["learning_rate"] = 50; }, "compared[1].optimizer.learning_rate = 50 is out of range: allowed 1e-06 to 10"},
      {"activation", [](json& j) { j["compared"][0]["network"]["layers"][0]["activation"] = "relux"; }, "compared[0].network.layers[0].activation = \"relux\" is not known"},
      {"width", [](json& j) { j["compared"][1]["network"]["layers"][0]["width"] = 65; }, "compared[1].network.layers[0].width = 65 is out of range"},
      {"classes", [](json& j) { j["compared"][0]["network"]["classes"] = 3; j["compared"][0]["network"]["output"] = "softmax_ce"; }, "compared[0].network.classes = 3"},
      {"missing optimizer", [](json& j) { j["compared"][1].erase("optimizer"); }, "compared[1].optimizer: missing"},
      {"parameters of another shape", [](json& j) { j["compared"][1]["parameters"] = j["compared"][0]["parameters"]; }, "compared[1].parameters: 3 layers given, the network has 2"},
      {"parameter value", [](json& j) { j["compared"][0]["parameters"][1]["b"][0] = "x"; }, "compared[0].parameters[1].b[0]: expected a number, got string"},
      {"progress without parameters", [](json& j) { j["compared"][0].erase("parameters"); }, "compared[0].progress: given without parameters"},
      {"history", [](json& j) { j["compared"][1]["progress"]["history"]["train_accuracy"][2] = 2; }, "compared[1].progress.history.train_accuracy[2] = 2 is out of range"},
      {"stop", [](json& j) { j["compared"][0]["training"]["stop"]["kind"] = "later"; }, "compared[0].training.stop.kind = \"later\" is not known"},
      {"unknown field", [](json& j) { j["compared"][1]["colour"] = "red"; }, "compared[1].colour: unknown field"},
      {"its own data", [](json& j) { j["compared"][0]["data"] = j["data"]; }, "compared[0].data: a compared run trains on the main run's data"},
      {"entry not an object", [](json& j) { j["compared"][1] = 5; }, "compared[1]: expected an object, got integer"},
      {"not an array", [](json& j) { j["compared"] = json::object(); }, "compared: expected an array, got object"},
      {"four runs", [](json& j) { for (int i = 0; i < 2; ++i) j["compared"].push_back(j["compared"][0]); }, "compared: 4 runs is more than the allowed 3"},
  };
}

INSTANTIATE_TEST_SUITE_P(Files, InvalidComparedRun, testing::ValuesIn(compared_mutations()), [](const auto& info) {
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


// ---- The file layer (core/file_io.hpp) -----------------------------------------------------
// Device nodes are tested through paths that resolve to them or through FIFOs in a temporary
// folder; the only real node touched is /dev/full, written (every write fails with ENOSPC) and
// then checked to be a character device still.

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& tag)
      : path(fs::temp_directory_path() / ("mlpviz_" + tag + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode;
}

int entries(const fs::path& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

// SIGPIPE ignored while a test feeds a pipe whose reader stops early (the feeder sees EPIPE).
struct IgnoreSigpipe {
  struct sigaction old {};
  IgnoreSigpipe() {
    struct sigaction sa {};
    sa.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &sa, &old);
  }
  ~IgnoreSigpipe() { ::sigaction(SIGPIPE, &old, nullptr); }
};

// Feeds a FIFO with `unit` repeated until the reader goes away; counts the bytes it got in.
struct EndlessFeeder {
  std::atomic<std::int64_t> written{0};
  int pipe_capacity = 0;
  std::thread thread;
  EndlessFeeder(const std::string& fifo, std::string unit) {
    thread = std::thread([this, fifo, unit = std::move(unit)] {
      const int fd = ::open(fifo.c_str(), O_WRONLY);  // waits for the reader
      if (fd < 0) return;
      pipe_capacity = ::fcntl(fd, F_GETPIPE_SZ);
      std::string chunk;
      while (chunk.size() < 4096) chunk += unit;
      while (true) {
        const ssize_t w = ::write(fd, chunk.data(), chunk.size());
        if (w <= 0) break;  // EPIPE: the reader closed
        written += w;
      }
      ::close(fd);
    });
  }
  ~EndlessFeeder() {
    if (thread.joinable()) thread.join();
  }
};

TEST(FileWrite, SymbolicLinkIsFollowedAndStaysALink) {
  TempDir d("write_link");
  ASSERT_FALSE(core::write_file_atomically(d / "real.json", "old").has_value());
  fs::create_symlink("real.json", d / "link.json");  // relative, as users make them
  ASSERT_FALSE(core::write_file_atomically(d / "link.json", "new").has_value());
  EXPECT_TRUE(S_ISLNK(mode_of(d / "link.json"))) << "the link was replaced by a file";
  EXPECT_EQ(slurp(d / "real.json"), "new") << "the linked file must be the one replaced";
  // A chain of links, and a dangling link: the final target is written (created when missing).
  fs::create_symlink(d / "link.json", d / "link2.json");
  ASSERT_FALSE(core::write_file_atomically(d / "link2.json", "newer").has_value());
  EXPECT_EQ(slurp(d / "real.json"), "newer");
  fs::create_symlink("created.json", d / "dangling.json");
  ASSERT_FALSE(core::write_file_atomically(d / "dangling.json", "made").has_value());
  EXPECT_TRUE(S_ISLNK(mode_of(d / "dangling.json")));
  EXPECT_EQ(slurp(d / "created.json"), "made");
  EXPECT_EQ(entries(d.path), 5) << "no temporary file left behind";
}

TEST(FileWrite, AnExistingFileKeepsItsModeAndOwner) {
  TempDir d("write_mode");
  const std::string path = d / "private.json";
  ASSERT_FALSE(core::write_file_atomically(path, "secret v1").has_value());
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  const bool root = ::geteuid() == 0;
  if (root) {
    ASSERT_EQ(::chown(path.c_str(), 4242, 4343), 0);  // someone else's file, saved by root
  }
  ASSERT_FALSE(save_session(path, trained_session()).has_value());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u) << "a private session must stay private";
  if (root) {
    EXPECT_EQ(st.st_uid, 4242u);
    EXPECT_EQ(st.st_gid, 4343u);
  }
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  ASSERT_FALSE(core::write_file_atomically(path, "v3").has_value());
  EXPECT_EQ(mode_of(path) & 07777, 0640u);
}

TEST(FileWrite, NewFilesGetTheModeTheUmaskAllows) {
  TempDir d("write_umask");
  const mode_t old = ::umask(027);
  const auto a = core::write_file_atomically(d / "a.json", "x");
  ::umask(0);
  const auto b = core::write_file_atomically(d / "b.json", "x");
  ::umask(077);
  const auto c = core::write_file_atomically(d / "c.json", "x");
  ::umask(old);
  ASSERT_FALSE(a.has_value() || b.has_value() || c.has_value());
  EXPECT_EQ(mode_of(d / "a.json") & 07777, 0640u);
  EXPECT_EQ(mode_of(d / "b.json") & 07777, 0666u) << "not a hard-coded 0644";
  EXPECT_EQ(mode_of(d / "c.json") & 07777, 0600u);
}

TEST(FileWrite, AFifoIsWrittenInPlaceNeverReplaced) {
  TempDir d("write_fifo");
  const std::string fifo = d / "out.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = slurp(fifo); });
  const std::string text(200000, 'z');  // more than a pipe holds: the writer waits for the reader
  const auto err = core::write_file_atomically(fifo, text);
  reader.join();
  EXPECT_FALSE(err.has_value()) << *err;
  EXPECT_EQ(got, text);
  EXPECT_TRUE(S_ISFIFO(mode_of(fifo))) << "the FIFO was replaced";
  EXPECT_EQ(entries(d.path), 1) << "no temporary file for a FIFO";
}

TEST(FileWrite, AFullDeviceIsAnErrorNamingThePathAndStaysADevice) {
  TempDir d("write_full");
  // Through a link in our folder, so a writer that replaced what it found would replace the link.
  fs::create_symlink("/dev/full", d / "full");
  for (const std::string& path : {std::string("/dev/full"), d / "full"}) {
    const auto err = core::write_file_atomically(path, "some bytes");
    ASSERT_TRUE(err.has_value()) << path;
    EXPECT_EQ(err->rfind(path + ": ", 0), 0u) << *err;
    EXPECT_NE(err->find("No space left on device"), std::string::npos) << *err;
  }
  EXPECT_TRUE(S_ISCHR(mode_of("/dev/full"))) << "/dev/full is no longer a character device";
  EXPECT_TRUE(S_ISLNK(mode_of(d / "full")));
  EXPECT_EQ(entries(d.path), 1);
}

TEST(FileWrite, DescriptorPathsWriteToTheOpenDescriptor) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string path = "/dev/fd/" + std::to_string(fds[1]);
  EXPECT_EQ(core::descriptor_path(path), fds[1]);
  EXPECT_EQ(core::descriptor_path("/dev/stdout"), 1);
  EXPECT_EQ(core::descriptor_path("/proc/self/fd/2"), 2);
  EXPECT_EQ(core::descriptor_path("/dev/fd/x"), -1);
  EXPECT_FALSE(core::check_output_path(path).has_value());
  ASSERT_FALSE(core::write_file_atomically(path, "through the pipe").has_value());
  ::close(fds[1]);
  char buf[64] = {};
  const ssize_t n = ::read(fds[0], buf, sizeof buf);
  ::close(fds[0]);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0), "through the pipe");
}

TEST(FileWrite, FoldersAndEmptyNamesAreRefusedWithAName) {
  TempDir d("write_refuse");
  const auto folder = core::write_file_atomically(d.path.string(), "x");
  ASSERT_TRUE(folder.has_value());
  EXPECT_NE(folder->find(d.path.string() + ": is a folder"), std::string::npos) << *folder;
  const auto empty = core::write_file_atomically("", "x");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->rfind("an empty file name", 0), 0u) << *empty;
  const auto missing = core::write_file_atomically(d / "no/such/x.json", "x");
  ASSERT_TRUE(missing.has_value());
  EXPECT_NE(missing->find("no/such/x.json: cannot create a temporary file"), std::string::npos) << *missing;
}

TEST(FileWrite, OutputPathsAreCheckedWithoutWriting) {
  TempDir d("check_out");
  EXPECT_FALSE(core::check_output_path(d / "new.json").has_value());
  EXPECT_FALSE(fs::exists(d / "new.json")) << "a check writes nothing";
  const auto missing = core::check_output_path(d / "no/such/new.json");
  ASSERT_TRUE(missing.has_value());
  EXPECT_NE(missing->find("does not exist"), std::string::npos) << *missing;
  EXPECT_NE(core::check_output_path(d.path.string()).value_or("").find("is a folder"), std::string::npos);
  EXPECT_NE(core::check_output_path("").value_or("").find("an empty file name"), std::string::npos);
  ASSERT_EQ(::mkfifo((d / "p").c_str(), 0600), 0);
  EXPECT_FALSE(core::check_output_path(d / "p").has_value()) << "a FIFO is checked, not opened";
  { std::ofstream(d / "file") << "x"; }
  const auto under_file = core::check_output_path(d / "file/x.json");
  ASSERT_TRUE(under_file.has_value());
}

TEST(BoundedRead, APipeThatNeverEndsIsRefusedAtTheLimit) {
  TempDir d("read_pipe");
  IgnoreSigpipe ignore;
  const std::string fifo = d / "in.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  constexpr std::int64_t kLimit = 100000;
  std::int64_t fed = 0, capacity = 0;
  {
    EndlessFeeder feeder(fifo, "0123456789");
    const auto r = core::read_file_bounded(fifo, kLimit);
    ASSERT_TRUE(std::holds_alternative<core::ReadError>(r));
    EXPECT_EQ(std::get<core::ReadError>(r).message, fifo + ": file is larger than 100000 bytes");
    feeder.thread.join();
    fed = feeder.written;
    capacity = feeder.pipe_capacity;
  }
  // The reader took limit + 1 bytes and closed: what the feeder got in beyond that sat in the
  // pipe's buffer (or the chunk being written) and was never read.
  EXPECT_GT(fed, kLimit);
  EXPECT_LE(fed, kLimit + 1 + capacity + 4096) << "read past the limit";
}

TEST(BoundedRead, ASessionFromAPipeThatNeverEndsIsRefusedAt32Mb) {
  TempDir d("read_session_pipe");
  IgnoreSigpipe ignore;
  const std::string fifo = d / "s.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EndlessFeeder feeder(fifo, "[");
  const auto r = load_session(fifo);
  ASSERT_TRUE(std::holds_alternative<LoadError>(r));
  EXPECT_EQ(std::get<LoadError>(r).message, fifo + ": file is larger than 32 MB");
  feeder.thread.join();
  EXPECT_LE(feeder.written.load(), kMaxSessionBytes + 1 + feeder.pipe_capacity + 4096);
}

TEST(BoundedRead, ARegularFileIsReadWholeUpToTheLimit) {
  TempDir d("read_regular");
  { std::ofstream(d / "ten") << "0123456789"; }
  const auto ok = core::read_file_bounded(d / "ten", 10);
  ASSERT_TRUE(std::holds_alternative<std::string>(ok));
  EXPECT_EQ(std::get<std::string>(ok), "0123456789");
  const auto big = core::read_file_bounded(d / "ten", 9);
  ASSERT_TRUE(std::holds_alternative<core::ReadError>(big));
  EXPECT_NE(std::get<core::ReadError>(big).message.find("larger than 9 bytes"), std::string::npos);
  const auto folder = core::read_file_bounded(d.path.string(), 10);
  ASSERT_TRUE(std::holds_alternative<core::ReadError>(folder));
  EXPECT_NE(std::get<core::ReadError>(folder).message.find("cannot read (Is a directory)"), std::string::npos);
}

TEST(Printable, FileBytesCannotReachTheTerminalRaw) {
  EXPECT_EQ(core::printable("ab\x1b[31mc", 40), "ab\\x1b[31mc");
  EXPECT_EQ(core::printable(std::string("a\x1b]0;title\x07\0z", 13), 40), "a\\x1b]0;title\\x07\\x00z");
  EXPECT_EQ(core::printable("caf\xc3\xa9 \xe2\x82\xac", 40), "caf\xc3\xa9 \xe2\x82\xac") << "UTF-8 text passes";
  EXPECT_EQ(core::printable("\xc2\x9b" "31m", 40), "\\xc2\\x9b31m") << "a C1 control (CSI) is escaped";
  EXPECT_EQ(core::printable("\xff\xc3", 40), "\\xff\\xc3") << "invalid or cut UTF-8 is escaped";
  EXPECT_EQ(core::printable("\xc0\xaf", 40), "\\xc0\\xaf") << "an overlong form is escaped";
  EXPECT_EQ(core::printable(std::string(50, 'x'), 40), std::string(40, 'x') + "...");
  // The session loader uses the same escaping.
  const auto r = from_json_text("{\"format\": \"\\u001b[2J\"}");
  ASSERT_TRUE(std::holds_alternative<LoadError>(r));
  EXPECT_EQ(std::get<LoadError>(r).message.find('\x1b'), std::string::npos);
  EXPECT_NE(std::get<LoadError>(r).message.find("\\x1b[2J"), std::string::npos) << std::get<LoadError>(r).message;
}

}  // namespace
}  // namespace mlpviz::train
