#!/usr/bin/env bash
# input_switch_test.sh: input made while the network switches to the largest one is not lost.
# Run inside an X display (input_switch_test.cmake starts it with xvfb-run). A real mouse, through
# X, GLFW and ImGui (xdotool): the moment the app posts the switch from 2-[8,8]-1 to 2-[64 x 8]-1
# (--switch-net, which prints "switch ... posted"), the speed slider is pressed (during the
# switch's first frames), dragged to its left end (1 step/s) and released, at a hand's pace. Then Ctrl+S saves the session to the file the window opened, and Ctrl+Q closes it.
#   input_switch_test.sh MLPVIZ SESSION REPORT_JSON LOG
# SESSION: a copy the app may overwrite; REPORT_JSON: a layout report of the same window (where the
# speed slider is). Exit 0 when the drag was delivered (the caller checks the saved session).
set -u
mlpviz=$1 session=$2 report=$3 log=$4

# The speed slider's rectangle [x0, y0, x1, y1] in window pixels, from the layout report.
rect=$(tr -d '\n ' < "$report" | sed -n 's/.*"speed_slider":\[\([^]]*\)\].*/\1/p')
IFS=, read -r x0 y0 x1 y1 <<< "$rect"
if [ -z "${y1:-}" ]; then echo "no speed slider in $report"; exit 1; fi
y=$(awk -v a="$y0" -v b="$y1" 'BEGIN { printf "%d", (a + b) / 2 }')
xs=$(awk -v a="$x0" -v b="$x1" 'BEGIN { printf "%d", a + 0.6 * (b - a) }')
xe=$(awk -v a="$x0" 'BEGIN { printf "%d", a - 40 }')  # past the left end: 1 step/s

big=64,64,64,64,64,64,64,64
"$mlpviz" "$session" --width 1600 --height 1000 --switch-net 60:$big --exit-after-frames 100000 \
  > "$log" 2>&1 &
app=$!
# The window takes the keyboard focus (no window manager here): ImGui 1.86's GLFW backend reads
# the mouse position only while its window is focused.
for _ in $(seq 600); do
  wid=$(xdotool search --name '^mlpviz$' 2> /dev/null | head -1)
  [ -n "$wid" ] && break
  sleep 0.1
done
[ -n "$wid" ] && xdotool windowfocus --sync "$wid"
# Wait for the post (at most 120 s: the first frames compile shaders on a software rasterizer).
for _ in $(seq 1200); do
  grep -q "posted at frame" "$log" && break
  kill -0 $app 2> /dev/null || break
  sleep 0.1
done
if ! grep -q "posted at frame" "$log"; then
  echo "the switch was never posted"
  kill $app 2> /dev/null
  exit 1
fi
# The window has no manager: it sits at (0, 0) of the screen, so window pixels are screen pixels.
# A hand's pace: each stage held half a second, so that frames (about 0.1 s on an idle 2-core
# machine during the switch, 0.3 s under heavy load) fall between them. ImGui 1.86 samples the
# mouse once per frame: a whole drag inside one frame would arrive as a click at its end point.
xdotool mousemove "$xs" "$y" mousedown 1 sleep 0.5 \
  mousemove $(( (xs + xe) / 2 )) "$y" sleep 0.5 mousemove "$xe" "$y" sleep 0.5 mouseup 1 \
  mousemove 1500 980
echo "drag sent after: $(grep 'posted at frame' "$log")"
# Let the new settings reach the trainer and a snapshot, then save and quit.
sleep 2
before=$(stat -c %Y "$session")
xdotool key ctrl+s
for _ in $(seq 300); do
  [ "$(stat -c %Y "$session")" != "$before" ] && grep -q '"steps_per_second"' "$session" && break
  sleep 0.1
done
sleep 0.5
xdotool key ctrl+q
for _ in $(seq 300); do
  kill -0 $app 2> /dev/null || break
  sleep 0.1
done
kill $app 2> /dev/null
wait $app
rc=$?
echo "app exit code $rc"
exit 0
