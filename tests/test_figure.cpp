// Figures for slides (app/figure.hpp) and `mlpviz render`'s figure options and animations: image
// sizes, what --no-points changes, a unit's picture against the boundary's, the colours on each
// side of a trained XOR boundary, and the GIF's frames (decoded with giflib's DGifSlurp).
#include <gif_lib.h>
#include <gtest/gtest.h>
#include <stb/stb_image.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

#include "app/figure.hpp"
#include "app/render_png.hpp"
#include "core/palette.hpp"
#include "train/engine.hpp"
#include "train/settings.hpp"

namespace mlpviz {
namespace {

namespace fs = std::filesystem;
using app::FigureOptions;
using app::Image;

train::Settings xor_settings() {
  train::Settings s = train::default_settings();
  s.data.kind = core::DataKind::Xor;
  s.data.classes = 2;
  s.data.points = 200;
  s.data.noise = 0.1;
  s.net.widths = {8};
  s.net.activations = {core::Activation::Tanh};
  s.net.classes = 2;
  s.net.output = core::OutputKind::SigmoidBce;
  return s;
}

std::unique_ptr<train::Engine> trained(long long steps) {
  auto e = std::make_unique<train::Engine>(xor_settings());
  for (long long i = 0; i < steps; ++i) EXPECT_TRUE(e->step());
  return e;
}

Image draw(const train::Engine& e, const FigureOptions& o, const app::TextPainter& text) {
  const core::GridSpec view = app::fit_view(e.data(), o.plot_w, o.plot_h);
  return app::render_figure(text, e.layout(), e.settings().net.features, e.params(), e.data(), view, o);
}

const unsigned char* pixel(const Image& img, int x, int y) {
  return &img.rgb[(static_cast<std::size_t>(y) * img.width + x) * 3];
}

// Runs the mlpviz binary; returns its exit code, its output (stdout and stderr) in `out`.
int run_mlpviz(const std::string& args, std::string* out = nullptr) {
  const std::string cmd = std::string(MLPVIZ_EXE) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  std::string text;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p)) text += buf;
  const int status = pclose(p);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

fs::path test_root() { return fs::temp_directory_path() / ("mlpviz_figure_test_" + std::to_string(::getpid())); }

// Removes the test's files at the end.
class CleanUp : public ::testing::Environment {
 public:
  void TearDown() override { fs::remove_all(test_root()); }
};
const auto* const kCleanUp = ::testing::AddGlobalTestEnvironment(new CleanUp);

fs::path work_dir(const std::string& name) {
  fs::path d = test_root() / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(Figure, SizesScaleWithEverythingIn) {
  const auto e = trained(0);
  const app::TextPainter text;
  FigureOptions o;
  o.plot_w = o.plot_h = 96;
  for (int s : {1, 2, 4}) {
    o.scale = s;
    o.axes = o.legend = true;
    const Image full = draw(*e, o, text);
    EXPECT_EQ(full.width, s * (96 + app::kAxesLeft + app::kAxesRight + app::kLegendWidth));
    EXPECT_EQ(full.height, s * (96 + app::kAxesTop + app::kAxesBottom));
    o.axes = o.legend = false;
    const Image bare = draw(*e, o, text);
    EXPECT_EQ(bare.width, 96 * s);  // the plot alone
    EXPECT_EQ(bare.height, 96 * s);
    const Image graph = app::render_graph(text, e->layout(), e->settings().net.features, e->params(),
                                          app::fit_view(e->data(), 96, 96), o);
    EXPECT_EQ(graph.width, 96 * s);
    EXPECT_EQ(graph.height, 96 * s);
  }
}

TEST(Figure, NoPointsChangesOnlyPointPixels) {
  const auto e = trained(100);
  const app::TextPainter text;
  FigureOptions o;
  o.plot_w = o.plot_h = 200;
  o.scale = 2;
  const Image with = draw(*e, o, text);
  o.points = false;
  const Image without = draw(*e, o, text);
  ASSERT_EQ(with.width, without.width);
  ASSERT_EQ(with.height, without.height);
  // Where each point lands in the image (the plot's corner plus the view's mapping).
  const core::GridSpec view = app::fit_view(e->data(), o.plot_w, o.plot_h);
  const double sx = o.plot_w * o.scale / (view.x_max - view.x_min), sy = o.plot_h * o.scale / (view.y_max - view.y_min);
  const double r = std::max(3.0, o.plot_w / 110.0) * o.scale + 2;  // the drawn radius and its soft edge
  int changed = 0, stray = 0;
  for (int y = 0; y < with.height; ++y)
    for (int x = 0; x < with.width; ++x) {
      const unsigned char *a = pixel(with, x, y), *b = pixel(without, x, y);
      if (a[0] == b[0] && a[1] == b[1] && a[2] == b[2]) continue;
      ++changed;
      bool near_point = false;
      for (const core::Point& p : e->data().points) {
        const double px = app::plot_left(o) + (p.x1 - view.x_min) * sx, py = app::plot_top(o) + (view.y_max - p.x2) * sy;
        if (std::hypot(x + 0.5 - px, y + 0.5 - py) <= r) {
          near_point = true;
          break;
        }
      }
      stray += !near_point;
    }
  EXPECT_GT(changed, 1000);
  EXPECT_EQ(stray, 0) << "pixels changed by --no-points away from every point";
}

TEST(Figure, UnitDiffersFromBoundary) {
  const auto e = trained(200);
  const app::TextPainter text;
  FigureOptions o;
  o.plot_w = o.plot_h = 96;
  o.axes = o.legend = o.points = false;
  const Image boundary = draw(*e, o, text);
  o.unit_layer = 1;
  o.unit_index = 0;
  const Image unit = draw(*e, o, text);
  o.unit_index = 1;
  const Image unit1 = draw(*e, o, text);
  ASSERT_EQ(boundary.rgb.size(), unit.rgb.size());
  int differ = 0, differ_units = 0;
  for (std::size_t i = 0; i < unit.rgb.size(); i += 3) {
    differ += std::abs(unit.rgb[i] - boundary.rgb[i]) + std::abs(unit.rgb[i + 2] - boundary.rgb[i + 2]) > 30;
    differ_units += std::abs(unit.rgb[i] - unit1.rgb[i]) + std::abs(unit.rgb[i + 2] - unit1.rgb[i + 2]) > 30;
  }
  EXPECT_GT(differ, 96 * 96 / 10);
  EXPECT_GT(differ_units, 96 * 96 / 10);
}

// XOR labels class 1 where x1*x2 > 0 (data.cpp), and the binary map paints class 1 blue and
// class 0 orange: after training, the first and third quadrants are blue, the others orange.
TEST(Figure, TrainedXorColoursEachSide) {
  const auto e = trained(1500);
  e->update_metrics();
  ASSERT_GT(e->metrics().train_accuracy, 0.95);
  const app::TextPainter text;
  FigureOptions o;
  o.plot_w = o.plot_h = 160;
  o.points = false;
  const Image img = draw(*e, o, text);
  const core::GridSpec view = app::fit_view(e->data(), o.plot_w, o.plot_h);
  const auto at = [&](double x1, double x2) {
    const int x = app::plot_left(o) + static_cast<int>((x1 - view.x_min) / (view.x_max - view.x_min) * o.plot_w);
    const int y = app::plot_top(o) + static_cast<int>((view.y_max - x2) / (view.y_max - view.y_min) * o.plot_h);
    return pixel(img, x, y);
  };
  const auto blue = core::kClassColors[1], orange = core::kClassColors[0];
  for (auto [x1, x2, cls] : {std::tuple{0.7, 0.7, 1}, std::tuple{-0.7, -0.7, 1}, std::tuple{-0.7, 0.7, 0}, std::tuple{0.7, -0.7, 0}}) {
    const unsigned char* p = at(x1, x2);
    const core::Rgb want = cls == 1 ? blue : orange;
    // The confident field is the class colour mixed 75% into the background (palette.hpp).
    const core::Rgb full = core::mix(core::kBackground, want, 0.75f);
    SCOPED_TRACE("at (" + std::to_string(x1) + ", " + std::to_string(x2) + ")");
    EXPECT_NEAR(p[0], full.r * 255, 20);
    EXPECT_NEAR(p[1], full.g * 255, 20);
    EXPECT_NEAR(p[2], full.b * 255, 20);
  }
}

TEST(Figure, UnitIndicesAreChecked) {
  const auto e = trained(0);
  EXPECT_FALSE(app::check_unit(e->layout(), 1, 7));
  EXPECT_FALSE(app::check_unit(e->layout(), 0, 1));
  EXPECT_FALSE(app::check_unit(e->layout(), 2, 0));
  EXPECT_TRUE(app::check_unit(e->layout(), 1, 8));
  EXPECT_TRUE(app::check_unit(e->layout(), 3, 0));
  EXPECT_TRUE(app::check_unit(e->layout(), -1, 0));
}

TEST(RenderCli, ScaleAndFlagsGiveTheDocumentedSize) {
  const fs::path d = work_dir("size");
  ASSERT_EQ(run_mlpviz("render --data xor --size 64 --scale 2 --no-axes --no-legend --out " + (d / "a.png").string()), 0);
  int w = 0, h = 0, c = 0;
  ASSERT_TRUE(stbi_info((d / "a.png").c_str(), &w, &h, &c));
  EXPECT_EQ(w, 128);
  EXPECT_EQ(h, 128);
  ASSERT_EQ(run_mlpviz("render --data xor --size 64 --scale 4 --unit 1:3 --out " + (d / "b.png").string()), 0);
  ASSERT_TRUE(stbi_info((d / "b.png").c_str(), &w, &h, &c));
  EXPECT_EQ(w, 4 * (64 + app::kAxesLeft + app::kAxesRight + app::kLegendWidth));
  EXPECT_EQ(h, 4 * (64 + app::kAxesTop + app::kAxesBottom));
  ASSERT_EQ(run_mlpviz("render --data xor --size 64 --graph --no-legend --out " + (d / "g.png").string()), 0);
  ASSERT_TRUE(stbi_info((d / "g.png").c_str(), &w, &h, &c));
  EXPECT_EQ(w, 64);
}

TEST(RenderCli, BadFigureOptionsNameTheFlag) {
  std::string out;
  EXPECT_EQ(run_mlpviz("render --data xor --unit 5:0 --out /tmp/never.png", &out), 2);
  EXPECT_NE(out.find("--unit 5:0: layer 5 is out of range: allowed 0"), std::string::npos) << out;
  EXPECT_EQ(run_mlpviz("render --data xor --unit 1:8 --out /tmp/never.png", &out), 2);
  EXPECT_NE(out.find("units 0 to 7"), std::string::npos) << out;
  EXPECT_EQ(run_mlpviz("render --data xor --unit one --out /tmp/never.png", &out), 2);
  EXPECT_NE(out.find("--unit one: no ':'"), std::string::npos) << out;
  EXPECT_EQ(run_mlpviz("render --data xor --scale 3 --out /tmp/never.png", &out), 2);
  EXPECT_NE(out.find("--scale"), std::string::npos) << out;
  EXPECT_EQ(run_mlpviz("render --data xor --size 4096 --scale 4 --out /tmp/never.png", &out), 2);
  EXPECT_NE(out.find("allowed at most 8192"), std::string::npos) << out;
  EXPECT_EQ(run_mlpviz("render --data xor --animate --out /tmp/never.gif", &out), 2);
  EXPECT_NE(out.find("--animate needs --steps"), std::string::npos) << out;
  EXPECT_EQ(run_mlpviz("render --data xor --animate --steps 10 --out /tmp/never.png", &out), 2);
  EXPECT_NE(out.find("name a .gif file, or a folder"), std::string::npos) << out;
  EXPECT_EQ(run_mlpviz("render --data xor --every 5 --out /tmp/never.png", &out), 2);
  EXPECT_NE(out.find("--every applies to --animate"), std::string::npos) << out;
  EXPECT_EQ(run_mlpviz("render --data xor --animate --steps 100000 --every 1 --out /tmp/never.gif", &out), 2);
  EXPECT_NE(out.find("allowed at most 1000"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists("/tmp/never.png"));
  EXPECT_FALSE(fs::exists("/tmp/never.gif"));
}

// Frames: one at step 0 and one every K steps (N/K + 1), plus the last step when K does not
// divide N; each frame the figure's size; consecutive frames differ while the boundary moves.
TEST(RenderCli, AnimatedGifFrames) {
  const fs::path d = work_dir("gif");
  const std::string gif = (d / "training.gif").string();
  // A high learning rate moves the boundary visibly between early frames.
  ASSERT_EQ(run_mlpviz("render --data xor --layers 4 --lr 0.1 --animate --steps 40 --every 10 --size 64 --no-legend --out " + gif), 0);
  int err = 0;
  GifFileType* g = DGifOpenFileName(gif.c_str(), &err);
  ASSERT_NE(g, nullptr) << GifErrorString(err);
  ASSERT_EQ(DGifSlurp(g), GIF_OK) << GifErrorString(g->Error);
  FigureOptions o;
  o.plot_w = o.plot_h = 64;
  o.legend = false;
  EXPECT_EQ(g->ImageCount, 40 / 10 + 1);
  EXPECT_EQ(g->SWidth, app::figure_width(o));
  EXPECT_EQ(g->SHeight, app::figure_height(o));
  for (int i = 0; i < g->ImageCount; ++i) {
    EXPECT_EQ(g->SavedImages[i].ImageDesc.Width, g->SWidth);
    EXPECT_EQ(g->SavedImages[i].ImageDesc.Height, g->SHeight);
  }
  const std::size_t n = static_cast<std::size_t>(g->SWidth) * g->SHeight;
  for (int i = 1; i < g->ImageCount; ++i) {
    const GifByteType *a = g->SavedImages[i - 1].RasterBits, *b = g->SavedImages[i].RasterBits;
    std::size_t differ = 0;
    for (std::size_t k = 0; k < n; ++k) differ += a[k] != b[k];
    EXPECT_GT(differ, n / 100) << "frames " << i - 1 << " and " << i << " are (nearly) the same";
  }
  DGifCloseFile(g, &err);

  // K not dividing N: the last step gets a frame too.
  ASSERT_EQ(run_mlpviz("render --data xor --animate --steps 25 --every 10 --size 32 --out " + gif), 0);
  g = DGifOpenFileName(gif.c_str(), &err);
  ASSERT_NE(g, nullptr);
  ASSERT_EQ(DGifSlurp(g), GIF_OK);
  EXPECT_EQ(g->ImageCount, 25 / 10 + 1 + 1);
  DGifCloseFile(g, &err);
}

TEST(RenderCli, NumberedPngSequence) {
  const fs::path d = work_dir("frames");
  const fs::path out = d / "frames";
  ASSERT_EQ(run_mlpviz("render --data xor --animate --steps 30 --every 10 --size 48 --no-axes --no-legend --out " +
                       out.string() + "/"), 0);
  int count = 0;
  for (const auto& entry : fs::directory_iterator(out)) {
    ++count;
    int w = 0, h = 0, c = 0;
    ASSERT_TRUE(stbi_info(entry.path().c_str(), &w, &h, &c));
    EXPECT_EQ(w, 48);
    EXPECT_EQ(h, 48);
  }
  EXPECT_EQ(count, 4);
  EXPECT_TRUE(fs::exists(out / "frame_0000.png"));
  EXPECT_TRUE(fs::exists(out / "frame_0003.png"));
}

}  // namespace
}  // namespace mlpviz
