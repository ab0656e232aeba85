// Never losing work: atomic saves survive a killed writer; autosave and recovery after an
// unclean exit.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "test_util.hpp"
#include "train/autosave.hpp"
#include "train/session.hpp"

namespace mlpviz::train {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("mlpviz_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

Session big_session(std::uint64_t seed) {
  Settings s = default_settings();
  s.data.points = 20000;  // a file of about 1.5 MB: writes take long enough to be interrupted
  s.weight_seed = seed;
  Engine e(s);
  return Session{e.settings(), e.data(), std::vector<double>(e.params().begin(), e.params().end()), e.progress()};
}

TEST(NeverLosingWork, KillingTheWriterLeavesTheOldFileIntact) {
  const fs::path dir = fresh_dir("kill");
  const std::string path = (dir / "s.json").string();
  const Session first = big_session(1);
  ASSERT_FALSE(save_session(path, first).has_value());
  const std::string text_a = to_json_text(first);
  const std::string text_b = to_json_text(big_session(2));
  for (int round = 0; round < 12; ++round) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {  // the writer: saves the other session over and over until killed
      for (;;) write_file_atomically(path, round % 2 ? text_a : text_b);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(3 + 7 * round));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    std::ifstream in(path, std::ios::binary);
    const std::string now((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_TRUE(now == text_a || now == text_b) << "round " << round << ": a torn file of " << now.size() << " bytes";
    ASSERT_TRUE(std::holds_alternative<Session>(load_session(path))) << "round " << round;
  }
  fs::remove_all(dir);
}

TEST(NeverLosingWork, AutosaveIsOfferedAfterAnUncleanExitOnly) {
  const fs::path dir = fresh_dir("autosave");
  Session s;
  s.settings = default_settings();
  s.data = generate(s.settings.data);
  s.data->points.push_back({0.25, -0.5, 1, false});  // a point the user drew

  {  // a clean run: nothing to recover
    Autosave a(dir);
    EXPECT_FALSE(a.recoverable().has_value());
    ASSERT_FALSE(a.begin().has_value());
    ASSERT_FALSE(a.save(s).has_value());
    a.end_cleanly();
    EXPECT_FALSE(Autosave(dir).recoverable().has_value());
  }
  {  // a run killed before it could end cleanly (a forked child that begins, saves, dies)
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      Autosave a(dir);
      a.begin();
      a.save(s);
      ::_exit(0);  // no end_cleanly(): as after a crash
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    Autosave next(dir);
    const auto rec = next.recoverable();
    ASSERT_TRUE(rec.has_value());
    auto loaded = load_session(rec->string());
    ASSERT_TRUE(std::holds_alternative<Session>(loaded));
    EXPECT_EQ(std::get<Session>(loaded).data->points.back(), (core::Point{0.25, -0.5, 1, false}));
  }
  {  // the marker of a live process (another open window) is not a crash
    std::ofstream(dir / "running.pid") << ::getppid() << "\n";
    EXPECT_FALSE(Autosave(dir).recoverable().has_value());
  }
  fs::remove_all(dir);
}

TEST(NeverLosingWork, UnwritableFolderTurnsAutosaveOffWithAMessage) {
  const fs::path file = fresh_dir("unwritable") / "not-a-dir";
  std::ofstream(file) << "x";
  Autosave a(file / "state");
  const auto err = a.begin();
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find("autosave is off"), std::string::npos);
  Session s;
  s.settings = default_settings();
  EXPECT_TRUE(a.save(s).has_value());
}

}  // namespace
}  // namespace mlpviz::train
