#!/usr/bin/env bash
# input_switch_test.sh: input made while the network switches to the largest one is not lost.
# Run inside an X display (input_switch_test.cmake starts it with xvfb-run). A real mouse, through
# X, GLFW and ImGui (xdotool), on the speed slider, from 60% of its width to past its left end
# (1 step/s), in one of two ways:
#   hand: the moment the app posts the switch from 2-[8,8]-1 to 2-[64 x 8]-1 (--switch-net, which
#         prints "switch ... posted"), the slider is pressed (during the switch's first frames),
#         dragged and released at a hand's pace (each stage held half a second: several frames).
#   fast: the frame that posts the switch then stalls for 3 s (--stall-frame, which prints
#         "frame ... stalls"); the whole press, drag and release are sent at once during the stall,
#         so they all reach the window inside that one long frame (the freeze of issue 8). ImGui
#         1.86 alone saw that as one click where the drag ended, off the slider: the drag was lost.
#         The window's input queue (src/app/input_queue.hpp) hands it out over several frames.
#         In the same long frame, a value is typed into the data's Points field (Ctrl+click,
#         "123", Enter): Ctrl must be down with the click, the text and Enter must arrive in order.
# Then (after the stall, when there is one) Ctrl+S saves the session to the file the window
# opened, and Ctrl+Q closes it.
#   input_switch_test.sh MLPVIZ SESSION REPORT_JSON LOG MODE
# SESSION: a copy the app may overwrite; REPORT_JSON: a layout report of the same window (where the
# speed slider is); MODE: hand or fast. Exit 0 when the drag was sent (the caller checks the saved
# session).
set -u
mlpviz=$1 session=$2 report=$3 log=$4 mode=${5:-hand}
case $mode in hand|fast) ;; *) echo "unknown mode '$mode' (hand or fast)"; exit 1 ;; esac

# The speed slider's rectangle [x0, y0, x1, y1] in window pixels, from the layout report.
rect=$(tr -d '\n ' < "$report" | sed -n 's/.*"speed_slider":\[\([^]]*\)\].*/\1/p')
IFS=, read -r x0 y0 x1 y1 <<< "$rect"
if [ -z "${y1:-}" ]; then echo "no speed slider in $report"; exit 1; fi
y=$(awk -v a="$y0" -v b="$y1" 'BEGIN { printf "%d", (a + b) / 2 }')
# The data's Points field (fast mode types into it).
prect=$(tr -d '\n ' < "$report" | sed -n 's/.*"points_field":\[\([^]]*\)\].*/\1/p')
IFS=, read -r px0 py0 px1 py1 <<< "$prect"
if [ -z "${py1:-}" ]; then echo "no points field in $report"; exit 1; fi
px=$(awk -v a="$px0" -v b="$px1" 'BEGIN { printf "%d", (a + b) / 2 }')
py=$(awk -v a="$py0" -v b="$py1" 'BEGIN { printf "%d", (a + b) / 2 }')
xs=$(awk -v a="$x0" -v b="$x1" 'BEGIN { printf "%d", a + 0.6 * (b - a) }')
xe=$(awk -v a="$x0" 'BEGIN { printf "%d", a - 40 }')  # past the left end: 1 step/s

big=64,64,64,64,64,64,64,64
stall=()
mark="posted at frame"
if [ "$mode" = fast ]; then
  stall=(--stall-frame 60:3000)
  mark="stalls for"
fi
"$mlpviz" "$session" --width 1600 --height 1000 --switch-net 60:$big "${stall[@]}" \
  --exit-after-frames 100000 > "$log" 2>&1 &
app=$!
# The window takes the keyboard focus (no window manager here), for Ctrl+S and Ctrl+Q.
for _ in $(seq 600); do
  wid=$(xdotool search --name '^mlpviz$' 2> /dev/null | head -1)
  [ -n "$wid" ] && break
  sleep 0.1
done
[ -n "$wid" ] && xdotool windowfocus --sync "$wid"
# Wait for the post, or the stall (at most 120 s: the first frames compile shaders on a software
# rasterizer).
for _ in $(seq 2400); do
  grep -q "$mark" "$log" && break
  kill -0 $app 2> /dev/null || break
  sleep 0.05
done
if ! grep -q "$mark" "$log"; then
  echo "the app never printed '$mark'"
  grep "Failed to open display" "$log" >&2  # for xvfb_run_retry.sh: no X server for the app
  kill $app 2> /dev/null
  exit 1
fi
# The window has no manager: it sits at (0, 0) of the screen, so window pixels are screen pixels.
# A hand's pace: each stage held half a second, so that frames (about 0.1 s on an idle 2-core
# machine during the switch, 0.3 s under heavy load) fall between them.
if [ "$mode" = hand ]; then
  xdotool mousemove "$xs" "$y" mousedown 1 sleep 0.5 \
    mousemove $(( (xs + xe) / 2 )) "$y" sleep 0.5 mousemove "$xe" "$y" sleep 0.5 mouseup 1 \
    mousemove 1500 980
  echo "drag sent at a hand's pace after: $(grep "$mark" "$log")"
else
  # All at once, inside the stalled frame: no sleeps (xdotool sends them in a few milliseconds,
  # the typing 12 ms a key). Then, still inside it: Ctrl+click on Points, type 123, Enter.
  xdotool mousemove "$xs" "$y" mousedown 1 mousemove $(( (xs + xe) / 2 )) "$y" mousemove "$xe" "$y" \
    mouseup 1 mousemove "$px" "$py" keydown ctrl click 1 keyup ctrl type 123
  xdotool key Return mousemove 1500 980
  echo "drag, Ctrl+click and typing sent at once during: $(grep "$mark" "$log")"
  sleep 3  # the stall ends before the save
fi
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
