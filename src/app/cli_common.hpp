// cli_common.hpp: what every subcommand of the command line shares: the run flags (data,
// network, optimizer) and the session they build, the training loop with its stop flags, the
// metrics line, and the checked outputs.
//
// A subcommand lives in its own file (cli_<name>.cpp) as a function that registers it on the
// app and returns a Command; run_cli (cli.cpp) calls its `run` when it was parsed. Errors are
// thrown as UsageError (one line, exit 2); training that diverges exits 3.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "train/engine.hpp"
#include "train/session.hpp"

namespace mlpviz::app::cli {

inline constexpr int kExitUsage = 2;
inline constexpr int kExitDiverged = 3;

// A usage error: printed as "mlpviz: <message>", exit 2.
struct UsageError {
  std::string message;
};

// A subcommand defined in its own file: `app` is what CLI11 parsed, `run` does the work and
// returns the exit code (it may throw UsageError).
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// The flags that build a session: --session, the data, the network and the optimizer.
struct RunFlags {
  std::string session, train_csv, test_csv;
  std::string data, layers, activation, features, output, init, optimizer, schedule;
  int classes = 0, points = 0, batch = 0;
  double noise = 0, train_fraction = 0, lr = 0, l1 = 0, l2 = 0, bias_init = 0, init_gain = 1;
  bool random_bias = false;
  std::uint64_t data_seed = 0, weight_seed = 0;
  std::string lesson;   // --lesson NAME: the lesson's session (train/lesson.hpp) instead of --session
  int lesson_step = 1;  // --lesson-step K: the lesson at step K (its steps 2..K applied)
  std::map<std::string, CLI::Option*> opts;
  // Flags a subcommand sets as if the user gave them (the sweep's --layers and --activation per
  // cell), so that build_session treats them exactly as `train` would.
  std::set<std::string> set_by_command;
  bool given(const std::string& name) const {
    if (set_by_command.count(name) > 0) return true;
    auto it = opts.find(name);
    return it != opts.end() && it->second->count() > 0;
  }
};

// A seed is a whole number from 0 to 2^64 - 1; more is refused, not saturated.
extern const CLI::Validator kSeed;

void add_run_flags(CLI::App* app, RunFlags& f);
// Session from --session and the override flags; throws UsageError with one line.
train::Session build_session(const RunFlags& f);
std::vector<std::string> split_commas(const std::string& s);

// The stop flags of `train`: the first rule reached ends the run.
struct TrainFlags {
  long long steps = 0, epochs = 0;
  double target_loss = -1;
  std::string metrics_csv, save;
  long long log_every = 100;
  bool quiet = false;
};

// The engine's stop rules for these flags, on an engine at step `start`: --steps counts from
// there (default 1000 steps when no rule is given; 1000000 with --target-loss alone).
train::StopRules stop_rules(const TrainFlags& t, long long start);
// Trains the engine by the stopping flags (rows to csv when given); returns false on divergence.
bool train_loop(train::Engine& e, const TrainFlags& t, std::ostream* csv);
std::unique_ptr<train::Engine> make_engine(const train::Session& s);
// `--steps` before an output: trains first; false if training diverged.
bool pretrain(train::Engine& e, long long steps);
// Exit code once the output is written: 3 with the message when training diverged.
int exit_after_output(const train::Engine& e, bool trained_ok);
std::vector<double> params_of(const train::Engine& e);

// A loss as a number, or "not finite": never "-nan".
std::string loss_field(double v);
// "step N  epoch E  train loss L  acc A%  |  test loss ...".
void print_metrics(std::ostream& os, const train::Engine& e);

// ---- Output files -------------------------------------------------------------------------
// Every output a command writes is named by a flag. All are checked before any work starts (a
// usage error naming the flag and the path); at the end each is written on its own, so one that
// fails does not keep the others (or the final figures) from the user.
struct Output {
  std::string flag;  // "--save"
  std::string path;  // "-" is standard output
};

std::string output_target(const std::string& path);  // "-" -> /dev/stdout
std::string shown_path(const std::string& path);
bool writes_to_stdout(const Output& o);
bool same_file(const std::string& a, const std::string& b);
// Throws UsageError naming the flag and the path when an output cannot be written.
void check_outputs(const std::vector<Output>& outs);
// Writes one output; on failure says so (flag and path) and returns false.
bool write_output(const Output& o, std::string_view bytes);

// ---- Subcommands in their own files --------------------------------------------------------
Command add_sweep_command(CLI::App& app);  // cli_sweep.cpp
Command add_lessons_command(CLI::App& app);  // cli_lessons.cpp: `mlpviz lessons`
Command add_regions_command(CLI::App& app);  // cli_regions.cpp
Command add_hidden_command(CLI::App& app);   // cli_hidden.cpp
Command add_render_command(CLI::App& app);  // cli_render.cpp: figures, graphs, animations
Command add_inspect_command(CLI::App& app);  // cli_inspect.cpp

}  // namespace mlpviz::app::cli
