// fuzz_csv: libFuzzer target for the CSV importer (core::read_csv).
// Properties checked on every input are in checks.hpp (check_csv); scripts/fuzz.sh runs it.
#include <cstdio>
#include <cstdlib>

#include "checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mlpviz::fuzz::Outcome o = mlpviz::fuzz::check_csv(data, size);
  if (o.failure) {
    std::fprintf(stderr, "fuzz_csv: %s\n", o.failure->c_str());
    std::abort();
  }
  return 0;
}
