// data_dir.hpp: where mlpviz finds the files it ships (lessons, icons): the data folder.
//
// Searched in this order, the first folder that exists wins:
//   1. $MLPVIZ_DATA_DIR, when set (tests, portable copies);
//   2. <folder of the running executable>/../share/mlpviz (an install under any prefix, DESTDIR
//      or /opt: the binary finds its data relative to itself);
//   3. the source tree's assets/ folder (a build that was never installed).
// Its layout is the same in all three: lessons/*.json, ...
#pragma once

#include <filesystem>
#include <optional>

namespace mlpviz::core {

std::optional<std::filesystem::path> find_data_dir();

}  // namespace mlpviz::core
