#include "core/data_dir.hpp"

#include <cstdlib>
#include <system_error>

namespace mlpviz::core {

namespace fs = std::filesystem;

std::optional<fs::path> find_data_dir() {
  std::error_code ec;
  if (const char* env = std::getenv("MLPVIZ_DATA_DIR"); env && *env) {
    if (fs::is_directory(env, ec)) return fs::path(env);
  }
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "mlpviz";
    if (fs::is_directory(installed, ec)) return installed;
  }
#ifdef MLPVIZ_SOURCE_ASSETS_DIR
  if (fs::is_directory(MLPVIZ_SOURCE_ASSETS_DIR, ec)) return fs::path(MLPVIZ_SOURCE_ASSETS_DIR);
#endif
  return std::nullopt;
}

}  // namespace mlpviz::core
