#!/usr/bin/env bash
# make_screenshots.sh: regenerates docs/screenshots/*.png with the app itself, at 1600x1000 under
# Xvfb (Mesa llvmpipe). The sessions (tests/gui/sessions/docs_*.json) limit the training speed so
# that each picture shows a run in progress.
#   tests/gui/make_screenshots.sh [path/to/mlpviz]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mlpviz=${1:-$root/build/gui/src/app/mlpviz}
out=$root/docs/screenshots
mkdir -p "$out"
# The app autosaves its session: keep that out of the real home.
MLPVIZ_STATE_DIR=$(mktemp -d)
export MLPVIZ_STATE_DIR
trap 'rm -rf "$MLPVIZ_STATE_DIR"' EXIT

shot() {  # name, session, steps, extra flags
  LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$mlpviz" "$here/sessions/$2" --screenshot-after "$3" --screenshot "$out/$1.png" --exit "${@:4}"
}
shot moons_training docs_moons.json 1500
shot dying_relu docs_dying_relu.json 1500
shot spiral3 docs_spiral3.json 5000
# Presentation size 150% (Ctrl +), as on a projector: the layout reflows around the view.
shot moons_150 docs_moons.json 1500 --ui-scale 1.5
# The backprop inspector on the worked example (seed 004), opened on its one point, paused.
LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$mlpviz" "$root/tests/gui/sessions/docs_worked_example.json" --paused --inspect 0 \
  --screenshot-after 0 --screenshot "$out/inspector_worked_example.png" --exit
# ... and after Step on this point (learning rate 0.5): every weight before and after.
LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$mlpviz" "$root/tests/gui/sessions/docs_worked_example.json" --paused --inspect 0 --inspect-step \
  --screenshot-after 0 --screenshot "$out/inspector_step.png" --exit
