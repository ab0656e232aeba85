#!/usr/bin/env bash
# One command: install what is missing, build, and open mlpviz on its default session
# (two moons, 2 hidden layers of 8 tanh units, training running). Extra arguments go to mlpviz.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target mlpviz
exec build/release/src/app/mlpviz "$@"
