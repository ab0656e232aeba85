#!/usr/bin/env bash
# Short libFuzzer runs on the session loader and the CSV importer (tests/fuzz/).
#
# Builds fuzz_session and fuzz_csv with clang (-fsanitize=fuzzer,address,undefined) in their own
# build folder, then runs both side by side for FUZZ_SECONDS each on a scratch copy of the seed
# corpora and regressions (the repository is never written to). Exits non-zero on any crash,
# sanitizer report, timeout or broken property, printing the saved input that triggered it.
#   FUZZ_SECONDS   seconds per target (default 60)
#   FUZZ_BUILD     build folder (default build/fuzz); crashing inputs are kept in FUZZ_BUILD/artifacts
#   FUZZ_CXX       compiler (default clang++-14, else clang++)
# Replay a crash: FUZZ_BUILD/tests/fuzz/fuzz_session PATH (or fuzz_csv PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD:-build/fuzz}
cxx=${FUZZ_CXX:-$(command -v clang++-14 || command -v clang++ || true)}
if [ -z "$cxx" ]; then
  echo "fuzz.sh: no clang++ found (scripts/setup.sh installs clang-14 and libclang-rt-14-dev)" >&2
  exit 1
fi

echo "fuzz.sh: building the fuzzers with $cxx in $build"
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMLPVIZ_FUZZ=ON \
  -DMLPVIZ_TESTS=OFF -DMLPVIZ_GUI=OFF -DMLPVIZ_BENCHMARKS=OFF -DMLPVIZ_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target mlpviz_fuzzers

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
artifacts="$PWD/$build/artifacts"
mkdir -p "$artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}:abort_on_error=1
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}:halt_on_error=1

# run NAME MAX_LEN: fuzzes tests/fuzz/corpus/NAME (+ regressions/NAME) for $seconds seconds.
run() {
  local name=$1 max_len=$2 dir="$scratch/$1"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp tests/fuzz/corpus/"$name"/* "$dir/corpus/"
  cp tests/fuzz/regressions/"$name"/* "$dir/corpus/" 2>/dev/null || true
  rm -f "$dir/corpus/.gitkeep"
  "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
    -rss_limit_mb=2048 -dict="tests/fuzz/$name.dict" -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/" "$dir/corpus" >"$dir/log" 2>&1
}

echo "fuzz.sh: fuzzing fuzz_session and fuzz_csv for ${seconds} s each"
run session 32768 & pid_session=$!
run csv 8192 & pid_csv=$!
status=0
for name in session csv; do
  pid_var="pid_$name"
  if wait "${!pid_var}"; then result=ok; else result=FAILED; status=1; fi
  dir="$scratch/$name"
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/log" | grep -o '[0-9]*$' || echo "?")
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$dir/log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$dir/log" | tail -1 || true)
  echo "fuzz_$name: $result: $execs runs, $rate/s, $cov, corpus $(ls "$dir/corpus" | wc -l) files"
  if [ "$result" = FAILED ]; then
    echo "----- fuzz_$name log (last 60 lines) -----"
    tail -n 60 "$dir/log"
    for f in "$dir"/artifacts/*; do
      [ -e "$f" ] || continue
      cp "$f" "$artifacts/$name-$(basename "$f")"
      echo "fuzz_$name: crashing input saved as $artifacts/$name-$(basename "$f")"
      echo "  replay: $build/tests/fuzz/fuzz_$name $artifacts/$name-$(basename "$f")"
    done
  fi
done
exit $status
