// fuzz_session: libFuzzer target for the session loader (train::from_json_text).
// Properties checked on every input are in checks.hpp (check_session); scripts/fuzz.sh runs it.
#include <cstdio>
#include <cstdlib>

#include "checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mlpviz::fuzz::Outcome o = mlpviz::fuzz::check_session(data, size);
  if (o.failure) {
    std::fprintf(stderr, "fuzz_session: %s\n", o.failure->c_str());
    std::abort();
  }
  return 0;
}
