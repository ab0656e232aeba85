// Never losing work: atomic saves survive a killed writer; one autosave per window, claimed with
// flock(), recovered after any unclean exit and never overwritten or removed without the user's say.
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

// The autosave (train/autosave.hpp): one file per window, claimed with flock(); recovered after
// any unclean end; never overwritten or removed without the user's say.

// A child process that begins an autosave in `dir`, saves `s` and then sleeps until it is killed:
// a live window. The parent reads its autosave's path from a pipe once the save is on disk.
struct LiveWindow {
  pid_t pid = -1;
  fs::path session;
};

LiveWindow start_window(const fs::path& dir, const Session& s) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    Autosave a(dir);
    std::string msg = "x";
    if (!a.begin() && !a.save(s)) msg = a.session_path().string();
    msg += "\n";
    if (::write(fds[1], msg.data(), msg.size()) < 0) ::_exit(1);
    for (;;) ::pause();  // until SIGKILL
  }
  ::close(fds[1]);
  LiveWindow w;
  w.pid = child;
  std::string path;
  char c = 0;
  while (::read(fds[0], &c, 1) == 1 && c != '\n') path += c;
  ::close(fds[0]);
  w.session = path;
  return w;
}

void kill_window(LiveWindow& w) {
  ::kill(w.pid, SIGKILL);
  int status = 0;
  ::waitpid(w.pid, &status, 0);
  w.pid = -1;
}

Session session_with_point(double x) {
  Session s;
  s.settings = default_settings();
  s.data = generate(s.settings.data);
  s.data->points.push_back({x, -0.5, 1, false});  // a point the user drew
  return s;
}

double last_point_x(const fs::path& p) {
  auto loaded = load_session(p.string());
  if (!std::holds_alternative<Session>(loaded)) return -99;
  return std::get<Session>(loaded).data->points.back().x1;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int count_files(const fs::path& dir, const std::string& ext) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ext && e.path().filename().string().rfind("autosave-", 0) == 0) ++n;
  return n;
}

TEST(Autosave, CleanRunLeavesNothingToRecover) {
  const fs::path dir = fresh_dir("as_clean");
  Autosave a(dir);
  EXPECT_TRUE(a.claim_recoverable().offered.empty());
  ASSERT_FALSE(a.begin().has_value());
  ASSERT_FALSE(a.save(session_with_point(0.25)).has_value());
  EXPECT_TRUE(fs::exists(a.session_path()));
  EXPECT_TRUE(fs::exists(a.lock_path()));
  a.end_cleanly();
  EXPECT_FALSE(fs::exists(a.session_path()));
  EXPECT_FALSE(fs::exists(a.lock_path()));
  EXPECT_TRUE(Autosave(dir).claim_recoverable().offered.empty());
  fs::remove_all(dir);
}

TEST(Autosave, LiveWindowIsNotRecoverableAndAKilledOneIs) {
  const fs::path dir = fresh_dir("as_kill");
  LiveWindow w = start_window(dir, session_with_point(0.25));
  ASSERT_GT(w.pid, 0);
  ASSERT_TRUE(fs::exists(w.session)) << w.session;
  // Its lock is held by a live process: another window must not offer it.
  EXPECT_TRUE(Autosave(dir).claim_recoverable().offered.empty());
  kill_window(w);  // SIGKILL: no chance to clean up; the kernel drops the lock
  Autosave next(dir);
  RecoveryScan scan = next.claim_recoverable();
  ASSERT_EQ(scan.offered.size(), 1u);
  EXPECT_EQ(scan.offered[0].session_path(), w.session);
  EXPECT_EQ(last_point_x(scan.offered[0].session_path()), 0.25);
  // While this window holds the claim (offering it), a third start does not offer it too.
  EXPECT_TRUE(Autosave(dir).claim_recoverable().offered.empty());
  fs::remove_all(dir);
}

TEST(Autosave, TwoWindowsInOneFolderDoNotInterfere) {
  const fs::path dir = fresh_dir("as_two");
  LiveWindow other = start_window(dir, session_with_point(0.75));
  ASSERT_TRUE(fs::exists(other.session));
  {
    Autosave mine(dir);
    ASSERT_FALSE(mine.begin().has_value());
    ASSERT_FALSE(mine.save(session_with_point(0.25)).has_value());
    EXPECT_NE(mine.session_path(), other.session);
    EXPECT_EQ(last_point_x(other.session), 0.75);  // not written over
    mine.end_cleanly();  // removes its own files only
    EXPECT_FALSE(fs::exists(mine.session_path()));
  }
  EXPECT_TRUE(fs::exists(other.session));
  EXPECT_TRUE(Autosave(dir).claim_recoverable().offered.empty());  // the other is still running
  kill_window(other);
  RecoveryScan scan = Autosave(dir).claim_recoverable();
  ASSERT_EQ(scan.offered.size(), 1u);
  EXPECT_EQ(last_point_x(scan.offered[0].session_path()), 0.75);
  fs::remove_all(dir);
}

TEST(Autosave, AStaleAutosaveIsNeverOverwrittenAndStaysUntilTheUserSays) {
  const fs::path dir = fresh_dir("as_stale");
  LiveWindow dead = start_window(dir, session_with_point(0.5));
  kill_window(dead);
  // A minute old: "newest first" below must not hang on the file system's timestamp resolution.
  fs::last_write_time(dead.session, fs::file_time_type::clock::now() - std::chrono::minutes(1));
  const std::string before = read_all(dead.session);
  const auto mtime = fs::last_write_time(dead.session);

  {  // a new window starts, the user keeps the offer for later, works and crashes
    Autosave a(dir);
    RecoveryScan scan = a.claim_recoverable();
    ASSERT_EQ(scan.offered.size(), 1u);
    ASSERT_FALSE(a.begin().has_value());
    for (int i = 0; i < 3; ++i) ASSERT_FALSE(a.save(session_with_point(0.1 * i)).has_value());
    scan.offered[0].keep();
    EXPECT_NE(a.session_path(), dead.session);
  }  // no end_cleanly(): as after a crash
  EXPECT_EQ(read_all(dead.session), before);
  EXPECT_EQ(fs::last_write_time(dead.session), mtime);

  {  // the next start offers both, newest first; a clean run never touches them
    Autosave b(dir);
    RecoveryScan scan = b.claim_recoverable();
    ASSERT_EQ(scan.offered.size(), 2u);
    EXPECT_GE(scan.offered[0].saved_at(), scan.offered[1].saved_at());
    EXPECT_EQ(scan.offered[1].session_path(), dead.session);
    ASSERT_FALSE(b.begin().has_value());
    ASSERT_FALSE(b.save(session_with_point(0.9)).has_value());
    b.end_cleanly();
  }  // the claims end: kept for later
  EXPECT_EQ(read_all(dead.session), before);

  {  // discard is the user's say: only that one goes
    RecoveryScan scan = Autosave(dir).claim_recoverable();
    ASSERT_EQ(scan.offered.size(), 2u);
    ASSERT_FALSE(scan.offered[1].discard().has_value());
    EXPECT_FALSE(fs::exists(dead.session));
    EXPECT_TRUE(fs::exists(scan.offered[0].session_path()));
  }
  EXPECT_EQ(Autosave(dir).claim_recoverable().offered.size(), 1u);
  fs::remove_all(dir);
}

TEST(Autosave, AReusedProcessNumberNeitherHidesNorFakesAWindow) {
  // The old marker held a PID; here a live process's number (our parent's) sits in running.pid
  // beside an old-format autosave.json. The autosave is offered anyway (migration, once).
  const fs::path dir = fresh_dir("as_legacy");
  const Session s = session_with_point(0.625);
  ASSERT_FALSE(save_session((dir / "autosave.json").string(), s).has_value());
  std::ofstream(dir / "running.pid") << ::getppid() << "\n";
  const std::string text = read_all(dir / "autosave.json");
  {
    RecoveryScan scan = Autosave(dir).claim_recoverable();
    ASSERT_EQ(scan.offered.size(), 1u);
    EXPECT_EQ(read_all(scan.offered[0].session_path()), text);
    EXPECT_FALSE(fs::exists(dir / "autosave.json"));  // renamed into the new form
    EXPECT_FALSE(fs::exists(dir / "running.pid"));
    scan.offered[0].keep();
  }
  {  // kept for later: offered again, now as an ordinary autosave
    RecoveryScan scan = Autosave(dir).claim_recoverable();
    ASSERT_EQ(scan.offered.size(), 1u);
    EXPECT_EQ(last_point_x(scan.offered[0].session_path()), 0.625);
    // A new window in the folder writes its own file, never the migrated one.
    Autosave a(dir);
    ASSERT_FALSE(a.begin().has_value());
    ASSERT_FALSE(a.save(session_with_point(0.0)).has_value());
    EXPECT_EQ(read_all(scan.offered[0].session_path()), text);
    a.end_cleanly();
    ASSERT_FALSE(scan.offered[0].discard().has_value());
  }
  EXPECT_TRUE(Autosave(dir).claim_recoverable().offered.empty());
  EXPECT_EQ(count_files(dir, ".json"), 0);
  fs::remove_all(dir);
}

TEST(Autosave, OnlyTheNewestAreListedAndNoneIsDeleted) {
  const fs::path dir = fresh_dir("as_many");
  const int n = Autosave::kMaxOffered + 4;
  const std::string text = to_json_text(session_with_point(0.5));
  const auto now = fs::file_time_type::clock::now();
  for (int i = 0; i < n; ++i) {  // crashed windows' autosaves (no lock held), i minutes old
    const fs::path p = dir / ("autosave-test" + std::to_string(i) + ".json");
    std::ofstream(p) << text;
    fs::last_write_time(p, now - std::chrono::minutes(i));
  }
  RecoveryScan scan = Autosave(dir).claim_recoverable();
  ASSERT_EQ(static_cast<int>(scan.offered.size()), Autosave::kMaxOffered);
  EXPECT_EQ(scan.not_listed, n - Autosave::kMaxOffered);
  for (int i = 0; i < Autosave::kMaxOffered; ++i)  // newest first
    EXPECT_EQ(scan.offered[i].session_path().filename().string(), "autosave-test" + std::to_string(i) + ".json");
  EXPECT_EQ(count_files(dir, ".json"), n);
  fs::remove_all(dir);
}

TEST(Autosave, ALockFileWithoutWorkIsTidiedOnlyWhenItsWindowIsGone) {
  const fs::path dir = fresh_dir("as_orphan");
  {  // a window killed before its first save: a lock file, no autosave
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      Autosave a(dir);
      ::_exit(a.begin() ? 1 : 0);  // exits without end_cleanly()
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_EQ(WEXITSTATUS(status), 0);
  }
  Autosave live(dir);
  ASSERT_FALSE(live.begin().has_value());  // a live window that has not saved yet
  EXPECT_EQ(count_files(dir, ".lock"), 2);
  RecoveryScan scan = Autosave(dir).claim_recoverable();
  EXPECT_TRUE(scan.offered.empty());
  EXPECT_EQ(count_files(dir, ".lock"), 1);  // the dead window's lock went, the live one's stays
  EXPECT_TRUE(fs::exists(live.lock_path()));
  live.end_cleanly();
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
