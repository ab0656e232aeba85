// The CPU worker that evaluates big networks for the window (render/field_worker.hpp), without a
// window: its raw values must be the engine's Z and A at the pixel centres, in GL row order; its
// thumbnails must land in their atlas cells; a newer view job must cancel a cancellable one.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/data.hpp"
#include "core/evaluate.hpp"
#include "render/cpu_field.hpp"
#include "render/field_worker.hpp"

namespace mlpviz::render {
namespace {

std::shared_ptr<const FieldNet> make_net(std::vector<int> widths, core::Activation act, core::OutputKind out,
                                         int classes, std::uint64_t seed) {
  core::NetSpec spec;
  spec.widths = widths;
  spec.activations.assign(widths.size(), act);
  spec.output = out;
  spec.classes = classes;
  auto net = std::make_shared<FieldNet>();
  net->layout = core::Layout::from_spec(spec);
  std::vector<double> p;
  core::initialize(spec, net->layout, seed, p);
  net->params.assign(p.begin(), p.end());
  net->features = spec.features;
  net->key = seed;
  return net;
}

// The engine's forward pass at one pixel centre of `g` (row 0 at the top).
void reference(const FieldNet& net, const core::GridSpec& g, int col, int row, core::Workspace<float>& ws) {
  const double x1 = g.x_at(col), x2 = g.y_at(row);
  core::MatX<float> X;
  core::build_features<float>(net.features, &x1, &x2, 1, X);
  core::forward<float>(net.layout, net.params.data(), X, ws);
}

TEST(FieldWorker, RawValuesAreTheEnginesLogitsInGlRowOrder) {
  const auto net = make_net({5, 3}, core::Activation::Tanh, core::OutputKind::SoftmaxCe, 6, 7);
  ViewJob job;
  job.net = net;
  job.grid = {7, 5, -1.5, 2.0, -1.0, 0.5};
  ViewResult r;
  core::Workspace<float> ws, ref;
  ASSERT_TRUE(run_view_job(job, r, ws));
  ASSERT_EQ(r.raw0.size(), 7u * 5u * 4u);
  ASSERT_EQ(r.raw1.size(), 7u * 5u * 4u);  // six outputs: logits 4-5 in the second texture
  const int L = net->layout.depth();
  for (int row = 0; row < 5; ++row)
    for (int col = 0; col < 7; ++col) {
      reference(*net, job.grid, col, row, ref);
      const std::size_t t = (static_cast<std::size_t>(4 - row) * 7 + col) * 4;  // bottom row first
      for (int k = 0; k < 6; ++k) {
        const float got = k < 4 ? r.raw0[t + k] : r.raw1[t + k - 4];
        EXPECT_NEAR(got, ref.Z[static_cast<std::size_t>(L)](k, 0), 1e-5f) << "pixel " << col << "," << row << " logit " << k;
      }
    }
}

TEST(FieldWorker, RawValuesOfAHiddenUnitAndAFeature) {
  const auto net = make_net({4, 4}, core::Activation::Relu, core::OutputKind::SigmoidBce, 2, 3);
  core::Workspace<float> ws, ref;
  for (const auto& [layer, unit] : {std::pair{2, 3}, std::pair{0, 1}}) {
    ViewJob job;
    job.net = net;
    job.grid = {6, 4, -2.0, 2.0, -2.0, 2.0};
    job.layer = layer;
    job.unit = unit;
    ViewResult r;
    ASSERT_TRUE(run_view_job(job, r, ws));
    EXPECT_TRUE(r.raw1.empty());
    for (int row = 0; row < 4; ++row)
      for (int col = 0; col < 6; ++col) {
        reference(*net, job.grid, col, row, ref);
        const std::size_t t = (static_cast<std::size_t>(3 - row) * 6 + col) * 4;
        const float a = ref.A[static_cast<std::size_t>(layer)](unit, 0);
        const float z = layer == 0 ? a : ref.Z[static_cast<std::size_t>(layer)](unit, 0);
        EXPECT_NEAR(r.raw0[t], z, 1e-5f);
        EXPECT_NEAR(r.raw0[t + 1], a, 1e-5f);
      }
  }
}

TEST(FieldWorker, EveryThumbnailLandsInItsCell) {
  const auto net = make_net({3, 5}, core::Activation::Tanh, core::OutputKind::SigmoidBce, 2, 11);
  const int nodes = 2 + 3 + 5 + 1;
  AtlasJob job;
  job.net = net;
  job.cell_px = 12;
  job.columns = 4;
  job.width = job.columns * job.cell_px;
  job.height = (nodes + job.columns - 1) / job.columns * job.cell_px;
  job.grid = {10, 10, -2.0, 2.0, -2.0, 2.0};
  job.level_steps = {0.5f, 0.2f, 0.2f, 0.1f};
  AtlasResult r;
  core::Workspace<float> ws;
  run_atlas_job(job, r, ws);
  ASSERT_EQ(r.rgba.size(), static_cast<std::size_t>(job.width) * job.height * 4);
  // Cell c's image equals unit_rgba of that unit's activations; gutters stay transparent.
  std::vector<double> x1, x2;
  for (int p = 0; p < 100; ++p) {
    x1.push_back(job.grid.x_at(p % 10));
    x2.push_back(job.grid.y_at(p / 10));
  }
  int c = 0;
  for (int l = 0; l <= net->layout.depth(); ++l) {
    core::MatX<float> A;
    core::layer_activations<float>(net->layout, net->features, net->params.data(), x1.data(), x2.data(), 100, l, A, ws);
    const core::Activation act = l == 0 ? core::Activation::Identity : net->layout.layers[static_cast<std::size_t>(l - 1)].act;
    for (int u = 0; u < A.rows(); ++u, ++c) {
      std::vector<std::uint8_t> expect(10 * 10 * 4);
      unit_rgba(A.data() + u, static_cast<std::size_t>(A.rows()), 10, 10, act, l == net->layout.depth(), false, u,
                job.level_steps[static_cast<std::size_t>(l)], expect.data(), 10 * 4);
      const int x0 = (c % job.columns) * job.cell_px + 1, y0 = (c / job.columns) * job.cell_px + 1;
      for (int y = 0; y < 10; ++y)
        for (int x = 0; x < 10; ++x)
          for (int ch = 0; ch < 4; ++ch)
            ASSERT_EQ(r.rgba[(static_cast<std::size_t>(y0 + y) * job.width + x0 + x) * 4 + ch],
                      expect[(static_cast<std::size_t>(y) * 10 + x) * 4 + ch])
                << "cell " << c << " pixel " << x << "," << y;
      EXPECT_EQ(r.rgba[(static_cast<std::size_t>(y0 - 1) * job.width + x0 - 1) * 4 + 3], 0) << "gutter of cell " << c;
    }
  }
  EXPECT_EQ(c, nodes);
}

TEST(FieldWorker, ClassesAreTheEnginesDecisionsForEveryPoint) {
  const auto net = make_net({6}, core::Activation::Tanh, core::OutputKind::SoftmaxCe, 3, 17);
  core::Dataset d = core::generate(core::DataSpec{core::DataKind::Spiral, 3, 9000, 0.2, 0.7, 4});
  auto x1 = std::make_shared<std::vector<double>>(), x2 = std::make_shared<std::vector<double>>();
  for (const core::Point& p : d.points) {
    x1->push_back(p.x1);
    x2->push_back(p.x2);
  }
  ASSERT_GT(x1->size(), 4096u);  // more than one chunk
  core::Workspace<float> ws;
  core::MatX<float> out;
  core::layer_activations<float>(net->layout, net->features, net->params.data(), x1->data(), x2->data(),
                                 static_cast<int>(x1->size()), net->layout.depth(), out, ws);
  std::vector<int> expect;
  core::predict_classes<float>(out, expect);
  FieldWorker worker;
  worker.submit_classes({net, x1, x2, 42});
  const auto t0 = std::chrono::steady_clock::now();
  std::optional<ClassesResult> r;
  while (!(r = worker.take_classes()) && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60))
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->job.data_version, 42u);
  EXPECT_EQ(r->classes, expect);
  std::vector<int> seen(3, 0);
  for (int c : r->classes) ++seen[static_cast<std::size_t>(c)];
  EXPECT_GT(*std::min_element(seen.begin(), seen.end()), 0) << "a boundary to compare across";
}

TEST(FieldWorker, ANewerViewJobCancelsAStillOne) {
  FieldWorker worker;
  const auto big = make_net({64, 64, 64, 64, 64, 64, 64, 64}, core::Activation::Relu, core::OutputKind::SigmoidBce, 2, 5);
  ViewJob slow;
  slow.net = big;
  slow.grid = {1200, 1000, -2, 2, -2, 2};  // about 40 G multiply-adds: seconds
  slow.cancellable = true;
  const std::uint64_t first = worker.submit_view(slow);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ViewJob quick = slow;
  quick.grid = {8, 8, -2, 2, -2, 2};
  quick.cancellable = false;
  const std::uint64_t second = worker.submit_view(quick);
  EXPECT_GT(second, first);
  const auto t0 = std::chrono::steady_clock::now();
  std::optional<ViewResult> r;
  while (!(r = worker.take_view()) && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->job.serial, second);  // the slow job never delivered
  EXPECT_EQ(r->job.grid.width, 8);
  EXPECT_FALSE(worker.view_busy());
  EXPECT_FALSE(worker.take_view().has_value());
}


// One worker serves every view of a context: each client has its own slots, so a view's job
// neither replaces nor cancels another view's, and each result goes back to the view that asked.
TEST(FieldWorker, ClientsKeepTheirOwnSlots) {
  FieldWorker worker;
  const auto a = make_net({4}, core::Activation::Tanh, core::OutputKind::SigmoidBce, 2, 11);
  const auto b = make_net({6, 3}, core::Activation::Relu, core::OutputKind::SigmoidBce, 2, 12);
  ViewJob ja;
  ja.net = a;
  ja.grid = {9, 7, -2, 2, -2, 2};
  ja.cancellable = true;  // a newer job of another client must not cancel it
  ja.client = 1;
  ViewJob jb = ja;
  jb.net = b;
  jb.grid = {5, 3, -1, 1, -1, 1};
  jb.client = 2;
  const std::uint64_t sa = worker.submit_view(ja);
  const std::uint64_t sb = worker.submit_view(jb);
  std::optional<ViewResult> ra, rb;
  const auto t0 = std::chrono::steady_clock::now();
  while ((!ra || !rb) && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60)) {
    if (!ra) ra = worker.take_view(1);
    if (!rb) rb = worker.take_view(2);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_TRUE(ra.has_value());
  ASSERT_TRUE(rb.has_value());
  EXPECT_EQ(ra->job.serial, sa);
  EXPECT_EQ(rb->job.serial, sb);
  EXPECT_EQ(ra->job.net->key, 11u);
  EXPECT_EQ(rb->job.net->key, 12u);
  EXPECT_EQ(ra->raw0.size(), 9u * 7u * 4u);
  EXPECT_EQ(rb->raw0.size(), 5u * 3u * 4u);
  EXPECT_FALSE(worker.take_view(0).has_value());  // nothing for a client that asked nothing
  EXPECT_FALSE(worker.view_busy(1));
  EXPECT_FALSE(worker.view_busy(2));
  // A view that goes: its unread result is dropped, so a new view given its id never sees it.
  worker.submit_view(ja);
  while (worker.view_busy(1)) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  worker.forget(1);
  EXPECT_FALSE(worker.take_view(1).has_value());
}

}  // namespace
}  // namespace mlpviz::render
