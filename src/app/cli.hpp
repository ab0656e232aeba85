// cli.hpp: the command line: `mlpviz [session.json]` opens the window; `train`, `render`, `dump`
// and `grad` work headless. Errors are one line on stderr and a non-zero exit code:
//   2 bad flags or files (also an output that could not be written, after the others were
//   written and the figures printed), 3 training diverged, 1 anything else.
#pragma once

namespace mlpviz::app {

int run_cli(int argc, char** argv);

}  // namespace mlpviz::app
