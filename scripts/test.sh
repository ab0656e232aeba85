#!/usr/bin/env bash
# One command: install what is missing, build everything and run the whole test suite:
#   1. release build: unit tests, CLI tests, GUI tests under Xvfb (ctest)
#   2. AddressSanitizer + UndefinedBehaviorSanitizer build of the headless suite
#   3. ThreadSanitizer build: the concurrency tests (trainer, field worker, pool, lockstep, the
#      sweep window's pool, painter thread and image hand-off)
#   4. short libFuzzer runs on the session loader and the CSV importer (scripts/fuzz.sh)
# Any failure or sanitizer report fails the run. Set MLPVIZ_QUICK=1 to run only stage 1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc)
t0=$(date +%s)
stage() { echo; echo "=== mlpviz tests: $* ($(( $(date +%s) - t0 )) s elapsed) ==="; }

stage "release build and suite"
cmake --preset release >/dev/null
cmake --build --preset release -j"$jobs"
ctest --preset release -j"$jobs"

if [ "${MLPVIZ_QUICK:-0}" != "1" ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  stage "AddressSanitizer + UndefinedBehaviorSanitizer"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j"$jobs"
  ctest --preset asan -j"$jobs"

  stage "ThreadSanitizer (trainer, field worker, pool, lockstep and sweep window concurrency)"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j"$jobs" --target mlpviz_tests mlpviz_field_worker_test mlpviz_pool_test mlpviz_sweep_work_test
  ctest --preset tsan -j"$jobs" -R 'Trainer\.|FieldWorker\.|Pool\.|Lockstep\.|SweepWork\.'

  if [ -x scripts/fuzz.sh ]; then
    stage "fuzzing"
    scripts/fuzz.sh
  fi
fi
stage "all passed"
