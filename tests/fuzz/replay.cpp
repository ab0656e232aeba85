// replay: runs every file of the fuzz corpora and regressions through the fuzzers' checks.
//
// Part of the ordinary build (no clang, no libFuzzer): tests/fuzz/corpus/{session,csv}/ and
// tests/fuzz/regressions/{session,csv}/ go through check_session / check_csv from checks.hpp.
// A file that crashes here crashes the fuzzer too; replay it there for the sanitizer's report.
// File names carry an expectation: ok_* must be accepted, bad_* must be rejected (with a
// message); any other name (e.g. an input libFuzzer saved) must only not break a property.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "checks.hpp"

namespace mlpviz::fuzz {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename() != ".gitkeep") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs one file through check and its name's expectation.
template <class Check>
void replay_file(const fs::path& p, Check check) {
  SCOPED_TRACE(p.string());
  const std::string bytes = read_bytes(p);
  const Outcome o = check(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  EXPECT_FALSE(o.failure) << *o.failure;
  const std::string name = p.filename().string();
  if (name.starts_with("ok_")) {
    EXPECT_TRUE(o.accepted) << "expected the loader to accept it";
  } else if (name.starts_with("bad_")) {
    EXPECT_FALSE(o.accepted) << "expected the loader to reject it";
  }
}

// The seed corpora: one test per folder (a hundred small files, milliseconds).
TEST(FuzzReplay, SessionCorpus) {
  const auto files = files_in(fs::path(MLPVIZ_FUZZ_DIR) / "corpus/session");
  EXPECT_GE(files.size(), 20u);
  for (const fs::path& p : files) replay_file(p, check_session);
}

TEST(FuzzReplay, CsvCorpus) {
  const auto files = files_in(fs::path(MLPVIZ_FUZZ_DIR) / "corpus/csv");
  EXPECT_GE(files.size(), 10u);
  for (const fs::path& p : files) replay_file(p, check_csv);
}

// Inputs that once broke a check (see tests/fuzz/README.md): one test each, so a crash names its
// file and spares the others.
struct Regression {
  std::string kind;  // "session" or "csv"
  fs::path path;
};
void PrintTo(const Regression& r, std::ostream* os) { *os << r.kind << "/" << r.path.filename().string(); }

std::vector<Regression> regressions() {
  std::vector<Regression> out;
  for (const char* kind : {"session", "csv"})
    for (const fs::path& p : files_in(fs::path(MLPVIZ_FUZZ_DIR) / "regressions" / kind)) out.push_back({kind, p});
  return out;
}

class FuzzRegression : public testing::TestWithParam<Regression> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FuzzRegression);

TEST_P(FuzzRegression, PassesTheFuzzerChecks) {
  const Regression& r = GetParam();
  std::printf("replaying %s\n", r.path.string().c_str());
  std::fflush(stdout);
  if (r.kind == "session") replay_file(r.path, check_session);
  else replay_file(r.path, check_csv);
}

INSTANTIATE_TEST_SUITE_P(Files, FuzzRegression, testing::ValuesIn(regressions()),
                         [](const testing::TestParamInfo<Regression>& info) {
                           std::string name = info.param.kind + "_" + info.param.path.stem().string();
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace mlpviz::fuzz
