// soak_test: ten million training samples on the Trainer thread while two readers take
// snapshots as fast as they can, as a GUI left open for an afternoon would.
//
// Asserts: the run reaches its stopping rule; every snapshot a reader sees is consistent
// (parameters fit the layout, versions and steps never go back) and keeps its history and
// timeline within kHistoryCapacity / kTimelineCapacity; resident memory grows by less than
// kMaxGrowthBytes between the end of the warm-up and the end of the run. The figures are printed
// for the record. Under AddressSanitizer the RSS bound is not checked (its quarantine holds freed
// memory on purpose) and the run is shortened; everything else is.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "train/trainer.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MLPVIZ_SOAK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define MLPVIZ_SOAK_SANITIZED 1
#endif
#endif

namespace mlpviz::train {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

#ifdef MLPVIZ_SOAK_SANITIZED
constexpr bool kSanitized = true;
constexpr std::int64_t kSamples = 1'000'000;
#else
constexpr bool kSanitized = false;
constexpr std::int64_t kSamples = 10'000'000;
#endif
constexpr int kBatch = 10;
constexpr std::int64_t kSteps = kSamples / kBatch;
constexpr std::int64_t kWarmupSteps = kSteps / 10;
constexpr long kMaxGrowthBytes = 20L * 1024 * 1024;
constexpr auto kTimeout = 120s;

// Resident set size in bytes (second field of /proc/self/statm, in pages).
long resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

// What a reader found wrong, if anything (written by that reader only).
struct ReaderLog {
  long reads = 0;
  std::string problem;
  std::size_t max_history = 0, max_timeline = 0;
};

void read_snapshots(const Trainer& t, const std::atomic<bool>& stop, ReaderLog& log) {
  std::uint64_t last_version = 0;
  std::int64_t last_step = 0;
  double checksum = 0.0;
  while (!stop.load(std::memory_order_relaxed)) {
    const std::shared_ptr<const Snapshot> s = t.snapshot();
    ++log.reads;
    // Touch the data a view would draw, so the reader really holds the snapshot for a while.
    for (float p : s->params) checksum += p;
    if (!s->history.empty()) checksum += s->history.back().train_loss;
    log.max_history = std::max(log.max_history, s->history.size());
    log.max_timeline = std::max(log.max_timeline, s->timeline.size());
    if (!log.problem.empty()) continue;
    if (static_cast<int>(s->params.size()) != s->layout.num_params)
      log.problem = "snapshot params do not fit the layout";
    else if (s->version < last_version)
      log.problem = "snapshot version went back";
    else if (s->step < last_step)
      log.problem = "snapshot step went back from " + std::to_string(last_step) + " to " + std::to_string(s->step);
    else if (s->history.size() > static_cast<std::size_t>(kHistoryCapacity))
      log.problem = "history holds " + std::to_string(s->history.size()) + " points";
    else if (s->timeline.size() > static_cast<std::size_t>(kTimelineCapacity))
      log.problem = "timeline holds " + std::to_string(s->timeline.size()) + " frames";
    last_version = s->version;
    last_step = s->step;
  }
  if (checksum == 0.12345) std::puts("");  // keeps the reads from being optimized away
}

TEST(Soak, TenMillionSamplesWithReadersKeepMemoryFlat) {
  Settings settings = default_settings();  // two moons, 2-[8,8]-1 tanh, Adam
  ASSERT_EQ(settings.optimizer.batch_size, kBatch);
  settings.stop = StopRule{StopRule::Kind::Steps, kSteps, 1, 0.0};
  settings.steps_per_second = 0.0;  // full speed (the window's default is paced)

  Trainer t(std::make_unique<Engine>(settings));
  std::atomic<bool> stop{false};
  ReaderLog logs[2];
  std::thread readers[2];
  for (int r = 0; r < 2; ++r) readers[r] = std::thread(read_snapshots, std::cref(t), std::cref(stop), std::ref(logs[r]));

  const auto t0 = Clock::now();
  t.post(cmd::Play{});
  long rss_warm = 0, rss_peak = 0;
  bool finished = false;
  while (Clock::now() - t0 < kTimeout) {
    const auto s = t.snapshot();
    if (rss_warm == 0 && s->step >= kWarmupSteps) rss_warm = resident_bytes();
    if (rss_warm != 0) rss_peak = std::max(rss_peak, resident_bytes());
    if (s->state == RunState::Finished || s->state == RunState::Diverged) {
      finished = s->state == RunState::Finished;
      break;
    }
    std::this_thread::sleep_for(5ms);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  const long rss_end = resident_bytes();
  stop = true;
  for (auto& r : readers) r.join();

  const auto s = t.snapshot();
  std::printf("soak: %lld steps (%lld samples) in %.2f s; RSS after warm-up %.1f MB, peak %.1f MB, "
              "end %.1f MB; reads %ld + %ld; history %zu (max %zu), timeline %zu (max %zu)%s\n",
              static_cast<long long>(s->step), static_cast<long long>(s->step * kBatch), seconds,
              rss_warm / 1048576.0, rss_peak / 1048576.0, rss_end / 1048576.0, logs[0].reads, logs[1].reads,
              s->history.size(), std::max(logs[0].max_history, logs[1].max_history), s->timeline.size(),
              std::max(logs[0].max_timeline, logs[1].max_timeline),
              kSanitized ? " [sanitizer build: shortened, RSS not checked]" : "");

  ASSERT_TRUE(finished) << "not finished after " << seconds << " s: state " << name(s->state) << " at step "
                        << s->step << " of " << kSteps << " (" << s->message << ")";
  EXPECT_EQ(s->step, kSteps);
  for (const ReaderLog& log : logs) {
    EXPECT_EQ(log.problem, "");
    EXPECT_GT(log.reads, 100);
    EXPECT_LE(log.max_history, static_cast<std::size_t>(kHistoryCapacity));
    EXPECT_LE(log.max_timeline, static_cast<std::size_t>(kTimelineCapacity));
  }
  EXPECT_GT(s->history.size(), 0u);
  EXPECT_GT(s->timeline.size(), 0u);
  ASSERT_GT(rss_warm, 0) << "no RSS sample after warm-up";
  if (!kSanitized) {
    EXPECT_LT(rss_end - rss_warm, kMaxGrowthBytes) << "resident memory grew from " << rss_warm << " to " << rss_end;
    EXPECT_LT(rss_peak - rss_warm, kMaxGrowthBytes) << "resident memory peaked at " << rss_peak;
  }
}

}  // namespace
}  // namespace mlpviz::train
