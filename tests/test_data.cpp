// Data generators (balance, noise, determinism, split), features and CSV.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include "core/data.hpp"

namespace mlpviz::core {
namespace {

DataSpec spec(DataKind k, int classes = 2, int points = 600, double noise = 0.1) {
  DataSpec s;
  s.kind = k;
  s.classes = classes;
  s.points = points;
  s.noise = noise;
  s.seed = 3;
  return s;
}

}  // namespace
void PrintTo(DataKind k, std::ostream* os) { *os << name(k); }
namespace {

class EveryKind : public testing::TestWithParam<std::tuple<DataKind, int>> {};

TEST_P(EveryKind, CountsBalanceSplitAndDeterminism) {
  const auto [kind, classes] = GetParam();
  const DataSpec s = spec(kind, classes);
  ASSERT_FALSE(validate(s).has_value());
  const Dataset a = generate(s), b = generate(s);
  EXPECT_EQ(a, b) << "same seed, same data";
  DataSpec other = s;
  other.seed = 4;
  EXPECT_NE(a, generate(other)) << "another seed, other data";
  ASSERT_EQ(static_cast<int>(a.points.size()), s.points);
  EXPECT_EQ(a.classes, classes);
  std::map<int, int> per_class;
  for (const Point& p : a.points) {
    ++per_class[p.label];
    EXPECT_TRUE(std::isfinite(p.x1) && std::isfinite(p.x2));
    EXPECT_LT(std::abs(p.x1), 2.5);
    EXPECT_LT(std::abs(p.x2), 2.5);
  }
  ASSERT_EQ(static_cast<int>(per_class.size()), classes);
  for (auto [label, n] : per_class) {
    const double expected = static_cast<double>(s.points) / classes;
    // Exact balance by construction, except checkerboard (uniform points): within 15%.
    if (kind == DataKind::Checkerboard) EXPECT_NEAR(n, expected, 0.15 * expected) << "class " << label;
    else EXPECT_NEAR(n, expected, 1.0) << "class " << label;
  }
  EXPECT_NEAR(a.count(false), std::lround(0.7 * s.points), 1);
  EXPECT_EQ(a.count(false) + a.count(true), s.points);
}

INSTANTIATE_TEST_SUITE_P(
    Generators, EveryKind,
    testing::Values(std::tuple{DataKind::Xor, 2}, std::tuple{DataKind::Moons, 2},
                    std::tuple{DataKind::Circles, 2}, std::tuple{DataKind::Spiral, 2},
                    std::tuple{DataKind::Spiral, 6}, std::tuple{DataKind::Blobs, 3},
                    std::tuple{DataKind::Blobs, 6}, std::tuple{DataKind::Checkerboard, 2}));

TEST(Generators, NoiseZeroGivesExactShapes) {
  const Dataset c = generate(spec(DataKind::Circles, 2, 200, 0.0));
  for (const Point& p : c.points)
    EXPECT_NEAR(std::hypot(p.x1, p.x2), p.label == 0 ? 1.0 : 0.5, 1e-12);
  const Dataset x = generate(spec(DataKind::Xor, 2, 200, 0.0));
  for (const Point& p : x.points) EXPECT_EQ(p.label, p.x1 * p.x2 > 0 ? 1 : 0);
}

TEST(Generators, NoiseSpreadsPointsByItsStandardDeviation) {
  // Circles: the radial deviation's RMS tracks the noise (Gaussian in x and y: about noise).
  for (double noise : {0.05, 0.2}) {
    const Dataset c = generate(spec(DataKind::Circles, 2, 4000, noise));
    double ss = 0;
    for (const Point& p : c.points) {
      const double dr = std::hypot(p.x1, p.x2) - (p.label == 0 ? 1.0 : 0.5);
      ss += dr * dr;
    }
    EXPECT_NEAR(std::sqrt(ss / c.points.size()), noise, 0.25 * noise);
  }
}

TEST(Generators, CustomIsEmptyAndValidationNamesTheField) {
  EXPECT_TRUE(generate(spec(DataKind::Custom, 3, 0)).points.empty());
  auto e = validate(spec(DataKind::Moons, 3));
  ASSERT_TRUE(e.has_value());
  EXPECT_NE(e->find("data.classes"), std::string::npos) << *e;
  DataSpec bad = spec(DataKind::Moons);
  bad.noise = -1;
  EXPECT_NE(validate(bad).value_or("").find("data.noise"), std::string::npos);
  bad = spec(DataKind::Moons, 2, 100001);
  EXPECT_NE(validate(bad).value_or("").find("data.points"), std::string::npos);
}

TEST(Features, OrderAndValues) {
  const double x1[] = {0.5}, x2[] = {-2.0};
  MatX<double> X;
  build_features<double>(kX1 | kX2 | kX1Sq | kX2Sq | kX1X2 | kSinX1 | kSinX2, x1, x2, 1, X);
  ASSERT_EQ(X.rows(), 7);
  EXPECT_DOUBLE_EQ(X(0, 0), 0.5);
  EXPECT_DOUBLE_EQ(X(1, 0), -2.0);
  EXPECT_DOUBLE_EQ(X(2, 0), 0.25);
  EXPECT_DOUBLE_EQ(X(3, 0), 4.0);
  EXPECT_DOUBLE_EQ(X(4, 0), -1.0);
  EXPECT_DOUBLE_EQ(X(5, 0), std::sin(0.5));
  EXPECT_DOUBLE_EQ(X(6, 0), std::sin(-2.0));
  build_features<double>(kX1X2, x1, x2, 1, X);
  ASSERT_EQ(X.rows(), 1);
  EXPECT_DOUBLE_EQ(X(0, 0), -1.0);
}

TEST(Csv, RoundTripKeepsEveryDigit) {
  const Dataset d = generate(spec(DataKind::Spiral, 4, 100));
  std::ostringstream os;
  write_csv(os, d.points);
  std::istringstream is(os.str());
  std::vector<Point> back;
  ASSERT_FALSE(read_csv(is, false, back).has_value());
  ASSERT_EQ(back.size(), d.points.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(back[i].x1, d.points[i].x1);
    EXPECT_EQ(back[i].x2, d.points[i].x2);
    EXPECT_EQ(back[i].label, d.points[i].label);
  }
}

struct BadCsv {
  const char* text;
  const char* expect;  // part of the message
};

void PrintTo(const BadCsv& b, std::ostream* os) { *os << "'" << b.expect << "'"; }

class CsvRejects : public testing::TestWithParam<BadCsv> {};

TEST_P(CsvRejects, WithALineNumberAndReason) {
  std::istringstream is(GetParam().text);
  std::vector<Point> out = {{9, 9, 1, false}};
  const auto err = read_csv(is, false, out);
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find(GetParam().expect), std::string::npos) << *err;
  EXPECT_EQ(out.size(), 1u) << "nothing half-applied";
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, CsvRejects,
    testing::Values(BadCsv{"", "no points"}, BadCsv{"x1,x2,label\n", "no points"},
                    BadCsv{"1,2,0\nnan,1,0\n", "line 2: x1 and x2 must be finite"},
                    BadCsv{"1,inf,0\n", "finite"}, BadCsv{"1,2,7\n", "label must be an integer from 0 to 5"},
                    BadCsv{"1,2,0.5\n", "label must be an integer"}, BadCsv{"1,2,-1\n", "label"},
                    BadCsv{"1,2\n", "line 1: expected three numbers"},
                    BadCsv{"1,2,0,4\n", "expected three numbers"},
                    BadCsv{"1,2,0\nhello,world,0\n", "line 2"}, BadCsv{"1e9,0,0\n", "-1e6 to 1e6"}));

TEST(Csv, HeaderCommentsAndBlankLinesAreAccepted) {
  std::istringstream is("x1,x2,label\n# a comment\n\n0.5, -1 ,1\n 2,3,0 # trailing\n");
  std::vector<Point> out;
  ASSERT_FALSE(read_csv(is, true, out).has_value());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], (Point{0.5, -1, 1, true}));
  EXPECT_EQ(out[1], (Point{2, 3, 0, true}));
}

TEST(Csv, TooManyRowsIsRejected) {
  std::string text;
  for (int i = 0; i <= kMaxPoints; ++i) text += "0,0,0\n";
  std::istringstream is(text);
  std::vector<Point> out;
  const auto err = read_csv(is, false, out);
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find("more than 100000 points"), std::string::npos) << *err;
}

TEST(Csv, MissingFileNamesThePath) {
  std::vector<Point> out;
  const auto err = read_csv_file("/nonexistent/points.csv", false, out);
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find("/nonexistent/points.csv"), std::string::npos);
}


TEST(Csv, AQuotedNumberIsANumber) {
  // The case: a first row of quoted numbers was taken for a header, losing a class.
  std::istringstream is("\"0.9\",\"0.9\",\"2\"\n0.1,0.1,0\n 0.2 , \"0.3\" ,1\n");
  std::vector<Point> out;
  std::string note = "stale";
  ASSERT_FALSE(read_csv(is, false, out, &note).has_value());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], (Point{0.9, 0.9, 2, false}));
  EXPECT_EQ(out[2], (Point{0.2, 0.3, 1, false}));
  EXPECT_EQ(note, "") << "no header, nothing to say";
}

TEST(Csv, QuotingFollowsRfc4180) {
  std::vector<Point> out;
  std::string note;
  // A quoted header with a comma and an escaped quote inside is still one name per column.
  ASSERT_FALSE(read_csv_text("\"x, first\",\"x \"\"2\"\"\",label # names\n1,2,1\n", false, out, &note).has_value());
  EXPECT_EQ(out.size(), 1u);
  EXPECT_NE(note.find("header"), std::string::npos);
  // '#' inside quotes is text, not a comment: this row has three fields, the first not a number.
  auto e = read_csv_text("1,2,0\n\"1#\",2,0\n", false, out);
  ASSERT_TRUE(e.has_value());
  EXPECT_NE(e->find("line 2: expected three numbers"), std::string::npos) << *e;
  e = read_csv_text("1,2,0\n\"1,2,0\n", false, out);
  ASSERT_TRUE(e.has_value());
  EXPECT_NE(e->find("line 2: the quote at column 1 is never closed"), std::string::npos) << *e;
  e = read_csv_text("\"1\"x,2,0\n", false, out);
  ASSERT_TRUE(e.has_value());
  EXPECT_NE(e->find("line 1: text after the closing quote"), std::string::npos) << *e;
}

TEST(Csv, AHeaderIsOnlyAFirstRowThatIsNotDataAndSkippingItIsSaid) {
  std::vector<Point> out;
  std::string note;
  ASSERT_FALSE(read_csv_text("# exported\n\nx1,x2,label\n1,2,1\n", false, out, &note).has_value());
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(note, "line 3: 'x1,x2,label' read as a header (column names) and skipped");
  // Not a header: a row with a number in it, a header-like row after data, a second header.
  for (const char* text : {"1,2,label\n1,2,1\n", "1,2,1\nx1,x2,label\n", "a,b,c\nx1,x2,label\n1,2,0\n",
                           "0x10,0.2,0\n1,2,0\n"}) {
    const auto e = read_csv_text(text, false, out);
    ASSERT_TRUE(e.has_value()) << text;
    EXPECT_NE(e->find("expected three numbers"), std::string::npos) << *e;
  }
}

TEST(Csv, FileBytesAreEscapedInMessages) {
  std::vector<Point> out;
  const std::string text("0,0,0\n\x1b[31mred\x1b]0;pwned\x07,\0,1\n", 30);
  const auto e = read_csv_text(text, false, out);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->find('\x1b'), std::string::npos) << "a raw escape reached the message";
  EXPECT_EQ(e->find('\x07'), std::string::npos);
  EXPECT_EQ(e->find('\0'), std::string::npos) << "a NUL hides the rest of the message";
  EXPECT_NE(e->find("line 2: expected three numbers x1,x2,label, got '\\x1b[31mred\\x1b]0;pwned\\x07,\\x00,1'"),
            std::string::npos)
      << *e;
  // The header note escapes too.
  std::string note;
  ASSERT_FALSE(read_csv_text("x\x1b[2J,y,label\n1,2,0\n", false, out, &note).has_value());
  EXPECT_EQ(note.find('\x1b'), std::string::npos);
  EXPECT_NE(note.find("x\\x1b[2J,y,label"), std::string::npos) << note;
}

TEST(Csv, AFileFromAPipeThatNeverEndsIsRefusedAtTheLimit) {
  // A pipe (or a file that grows while it is read) cannot pass the 16 MB limit: reading stops
  // at limit + 1 bytes whatever the size said.
  const auto dir = std::filesystem::temp_directory_path() / ("mlpviz_csv_pipe_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string fifo = (dir / "points.csv").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  struct sigaction ignore {}, old {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old);
  std::int64_t fed = 0;
  int capacity = 0;
  std::thread feeder([&] {
    const int fd = ::open(fifo.c_str(), O_WRONLY);
    if (fd < 0) return;
    capacity = ::fcntl(fd, F_GETPIPE_SZ);
    std::string chunk;
    while (chunk.size() < 4096) chunk += "0.5,-0.5,1\n";
    for (ssize_t w; (w = ::write(fd, chunk.data(), chunk.size())) > 0;) fed += w;
    ::close(fd);
  });
  std::vector<Point> out;
  const auto e = read_csv_file(fifo, false, out);
  feeder.join();
  ::sigaction(SIGPIPE, &old, nullptr);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(*e, fifo + ": file is larger than 16 MB");
  EXPECT_LE(fed, kMaxCsvBytes + 1 + capacity + 4096) << "read past the limit";
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace mlpviz::core
