#!/usr/bin/env bash
# One command: install what is missing, build everything and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
start=$(date +%s)
cmake --preset release
cmake --build --preset release -j"$(nproc)"
ctest --preset release -j"$(nproc)"
echo "mlpviz tests: release suite finished in $(( $(date +%s) - start )) s"
