// The window's desktop manners without a window (app/desktop.hpp): the Recent files list
// (bounded, no duplicates, written atomically, a bad file tolerated), what counts as an unsaved
// change, the window title, and what a dropped file is.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/desktop.hpp"
#include "train/engine.hpp"
#include "train/settings.hpp"

namespace mlpviz {
namespace {

namespace fs = std::filesystem;
using app::RecentFiles;

fs::path scratch(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("mlpviz_desktop_test_" + std::to_string(::getpid())) / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(RecentFiles, NewestFirstBoundedWithoutDuplicates) {
  RecentFiles r;
  for (int i = 0; i < 15; ++i) r.add("/s/" + std::to_string(i) + ".json");
  ASSERT_EQ(r.paths.size(), app::kMaxRecent);
  EXPECT_EQ(r.paths.front(), "/s/14.json");
  EXPECT_EQ(r.paths.back(), "/s/5.json");  // the five oldest dropped
  r.add("/s/9.json");                     // again: moved to the front, not listed twice
  EXPECT_EQ(r.paths.front(), "/s/9.json");
  EXPECT_EQ(std::count(r.paths.begin(), r.paths.end(), "/s/9.json"), 1);
  EXPECT_EQ(r.paths.size(), app::kMaxRecent);
  r.add("/s/./x/../9.json");  // the same file spelled otherwise
  EXPECT_EQ(std::count(r.paths.begin(), r.paths.end(), "/s/9.json"), 1);
  r.add("/s/bad\nname.json");  // cannot be one line: not recorded
  EXPECT_EQ(r.paths.front(), "/s/9.json");
  r.remove("/s/9.json");
  EXPECT_EQ(r.paths.front(), "/s/14.json");
}

TEST(RecentFiles, RelativePathsAreMadeAbsolute) {
  RecentFiles r;
  r.add("some.json");
  ASSERT_EQ(r.paths.size(), 1u);
  EXPECT_EQ(r.paths[0], (fs::current_path() / "some.json").string());
}

TEST(RecentFiles, SavedAtomicallyAndReadBack) {
  const fs::path d = scratch("save");
  const std::string file = (d / "cfg" / "mlpviz" / "recent-files").string();  // folders made on save
  RecentFiles r;
  r.add("/a.json");
  r.add("/b.csv");
  ASSERT_FALSE(app::save_recent(file, r));
  EXPECT_EQ(app::load_recent(file).paths, r.paths);
  // Atomic: the old file's inode is replaced, not rewritten in place, and no temporary remains.
  struct stat before {};
  ASSERT_EQ(::stat(file.c_str(), &before), 0);
  r.add("/c.json");
  ASSERT_FALSE(app::save_recent(file, r));
  struct stat after {};
  ASSERT_EQ(::stat(file.c_str(), &after), 0);
  EXPECT_NE(before.st_ino, after.st_ino);
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(fs::path(file).parent_path())) ++entries;
  EXPECT_EQ(entries, 1);
  EXPECT_EQ(app::load_recent(file).paths.front(), "/c.json");
}

TEST(RecentFiles, BadFileTolerated) {
  const fs::path d = scratch("bad");
  EXPECT_TRUE(app::load_recent((d / "missing").string()).paths.empty());
  EXPECT_TRUE(app::load_recent(d.string()).paths.empty());  // a folder
  {
    std::ofstream f(d / "junk", std::ios::binary);
    f << "relative/path.json\n\n/ok.json\r\n/ok.json\n" << std::string(3, '\0') << "\n"
      << std::string("/x\0y\n", 5) << "/second.json";
    for (int i = 0; i < 30; ++i) f << "\n/more" << i << ".json";
  }
  const RecentFiles r = app::load_recent((d / "junk").string());
  ASSERT_GE(r.paths.size(), 2u);
  EXPECT_EQ(r.paths[0], "/ok.json");       // CRLF read, duplicate skipped, relative skipped
  EXPECT_EQ(r.paths[1], "/second.json");
  EXPECT_EQ(r.paths.size(), app::kMaxRecent);
  {
    std::ofstream f(d / "huge", std::ios::binary);
    f << std::string(200 * 1024, 'x');
  }
  EXPECT_TRUE(app::load_recent((d / "huge").string()).paths.empty());
}

TEST(RecentFiles, ConfigFolderFromXdg) {
  ::setenv("XDG_CONFIG_HOME", "/tmp/cfg-test", 1);
  EXPECT_EQ(app::recent_files_path(), "/tmp/cfg-test/mlpviz/recent-files");
  ::setenv("XDG_CONFIG_HOME", "relative", 1);  // not absolute: ignored, as the XDG spec says
  ::setenv("HOME", "/home/t", 1);
  EXPECT_EQ(app::recent_files_path(), "/home/t/.config/mlpviz/recent-files");
  ::unsetenv("XDG_CONFIG_HOME");
}

train::Settings small_settings() {
  train::Settings s = train::default_settings();
  s.data.points = 40;
  s.net.widths = {3};
  s.net.activations = {core::Activation::Tanh};
  return s;
}

// The comparison is part of the saved work: a compared run opened, closed or published since the
// save (its commands and steps) is a change; the snapshot of the frame before the save is not.
TEST(UnsavedChanges, ComparedRunsCount) {
  const std::vector<app::ComparedMark> saved{{1, 10}, {2, 7}};
  EXPECT_FALSE(app::compared_changed(saved, saved));
  EXPECT_FALSE(app::compared_changed({}, {}));
  EXPECT_FALSE(app::compared_changed(saved, {{1, 9}, {2, 7}}));  // loaded before the save
  EXPECT_TRUE(app::compared_changed(saved, {{1, 11}, {2, 7}}));   // published since
  EXPECT_TRUE(app::compared_changed(saved, {{1, 10}}));           // one closed
  EXPECT_TRUE(app::compared_changed(saved, {{1, 10}, {2, 7}, {3, 1}}));  // one opened
  EXPECT_TRUE(app::compared_changed(saved, {{1, 10}, {3, 7}}));   // another run in its place
  EXPECT_TRUE(app::compared_changed({}, {{1, 1}}));               // Compare opened on a saved session
}

TEST(UnsavedChanges, WhatCountsAsAChange) {
  train::Engine e(small_settings());
  auto snap = [&] { return *e.make_snapshot(1); };
  const app::SavedMark mark = app::mark_of(snap());
  EXPECT_FALSE(app::has_unsaved_changes(mark, snap()));

  // Not changes: the pace, running or pausing.
  ASSERT_FALSE(e.apply(train::cmd::SetSpeed{7}));
  ASSERT_FALSE(e.apply(train::cmd::Play{}));
  ASSERT_FALSE(e.apply(train::cmd::Pause{}));
  EXPECT_FALSE(app::has_unsaved_changes(mark, snap()));

  // Training is a change (new weights, a new step).
  ASSERT_TRUE(e.step());
  EXPECT_TRUE(app::has_unsaved_changes(mark, snap()));
  // Reset to the same initial weights at step 0: back to what was saved.
  ASSERT_FALSE(e.apply(train::cmd::Reset{false}));
  EXPECT_FALSE(app::has_unsaved_changes(mark, snap()));

  // An edited weight, same step.
  ASSERT_FALSE(e.apply(train::cmd::SetParam{0, 0.123}));
  EXPECT_TRUE(app::has_unsaved_changes(mark, snap()));
  ASSERT_FALSE(e.apply(train::cmd::Reset{false}));
  EXPECT_FALSE(app::has_unsaved_changes(mark, snap()));

  // A setting (the learning rate) and the points.
  {
    train::Engine f(small_settings());
    core::OptimizerSpec o = f.settings().optimizer;
    o.learning_rate = 0.5;
    ASSERT_FALSE(f.apply(train::cmd::SetOptimizer{o}));
    EXPECT_TRUE(app::has_unsaved_changes(mark, *f.make_snapshot(1)));
  }
  {
    train::Engine f(small_settings());
    ASSERT_FALSE(f.apply(train::cmd::AddPoint{0.1, 0.2, 1}));
    EXPECT_TRUE(app::has_unsaved_changes(mark, *f.make_snapshot(1)));
  }
  // Equal points in another object: no change.
  {
    train::Engine f(small_settings());
    EXPECT_FALSE(app::has_unsaved_changes(mark, *f.make_snapshot(1)));
  }
  // After a save, the new mark is the reference.
  ASSERT_TRUE(e.step());
  const app::SavedMark saved = app::mark_of(snap());
  EXPECT_FALSE(app::has_unsaved_changes(saved, snap()));
}

TEST(WindowTitle, NameAndMark) {
  EXPECT_EQ(app::window_title("", false), "mlpviz - untitled");
  EXPECT_EQ(app::window_title("/x/moons.json", true), "mlpviz - moons.json *");
  EXPECT_EQ(app::window_title("moons.json", false), "mlpviz - moons.json");
}

TEST(Drop, KindByExtension) {
  EXPECT_EQ(app::drop_kind("/a/b.json"), app::DropKind::Session);
  EXPECT_EQ(app::drop_kind("/a/B.JSON"), app::DropKind::Session);
  EXPECT_EQ(app::drop_kind("/a/p.csv"), app::DropKind::Csv);
  EXPECT_EQ(app::drop_kind("/a/p.png"), app::DropKind::Unknown);
  EXPECT_EQ(app::drop_kind("/a/noext"), app::DropKind::Unknown);
}

}  // namespace
}  // namespace mlpviz
