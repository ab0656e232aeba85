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
# The headless sweep's grid (CPU render, no window): 3 depths x 5 widths on moons.
"$mlpviz" sweep --data moons --widths 2,4,8,16,32 --depths 1,2,3 --steps 3000 --out "$out/sweep_moons.png"
# Through the layers (Hidden space window, playing) on the space-folding lesson's two abs units.
LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1600x1000x24" "$mlpviz" --lesson space_folding --lesson-step 2 \
  --speed max --show hidden-layers --screenshot-after 3000 --screenshot "$out/hidden_layers.png" --exit
# The same sweep in the window (View > Sweep), filled in while the main network trains.
shot sweep_window docs_moons.json 600 --sweep 2,4,8,16,32:1,2,3:3000
# The z histograms window on the dying-ReLU run (View > z histograms).
shot histograms_dying_relu docs_dying_relu.json 1500 --histograms
# A trained moons network (3,000 steps, tests/gui/sessions/docs_knock_out.json) with unit 7 of
# layer 1 and unit 3 of layer 2 knocked out, opened paused.
shot knock_out docs_knock_out.json 3000 --paused
# A lesson with its text beside the view (Lessons menu; here `--lesson`): width 4 on the circles.
LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$mlpviz" --lesson width_changes_boundary --lesson-step 3 --screenshot-after 2500 \
  --screenshot "$out/lesson_width.png" --exit
# Compare: ReLU against tanh on the moons session, both captured at the same step.
shot compare_relu_tanh docs_moons.json 1500 --compare activation=relu
# The linear regions of a deep ReLU net (4 x 12 on circles), one colour per activation pattern.
shot regions_relu docs_regions_relu.json 1500 --show regions
# The hidden space of a spiral net (16, 16, 2 tanh units) at 3,000 steps: its last 2 units have
# unrolled the spiral, and the output's line separates the classes there.
shot hidden_spiral docs_hidden_spiral.json 3000 --show hidden
# Figures for slides, drawn by `mlpviz render` on the CPU (the window's File > Export figure...
# draws the same): a boundary figure, the network graph, and a GIF of training (kept under 1 MB).
"$mlpviz" render --data xor --layers 8 --steps 1500 --out "$out/figure_xor.png"
"$mlpviz" render --data xor --layers 8 --steps 1500 --graph --size 480 --out "$out/figure_graph.png"
"$mlpviz" render --data moons --animate --steps 600 --every 20 --size 240 --frame-ms 120 --out "$out/training.gif"
# The backprop inspector on the worked example (seed 004), opened on its one point, paused.
LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$mlpviz" "$root/tests/gui/sessions/docs_worked_example.json" --paused --inspect 0 \
  --screenshot-after 0 --screenshot "$out/inspector_worked_example.png" --exit
# ... and after Step on this point (learning rate 0.5): every weight before and after.
LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$mlpviz" "$root/tests/gui/sessions/docs_worked_example.json" --paused --inspect 0 --inspect-step \
  --screenshot-after 0 --screenshot "$out/inspector_step.png" --exit
