// Data generators (balance, noise, determinism, split), features and CSV.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>

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

}  // namespace
}  // namespace mlpviz::core
