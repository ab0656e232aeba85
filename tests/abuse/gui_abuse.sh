#!/usr/bin/env bash
# The window under abuse: drives the real app with random input events (clicks, right-clicks,
# drags, wheel, keys, typing, resizes down to 1x1, minimize and restore under a real window
# manager, full screen) while training runs, then quits with Ctrl+Q. The app must stay alive
# throughout and exit with code 0. Runs inside an X display (see CMakeLists.txt: xvfb-run).
#   gui_abuse.sh APP WORKDIR [ACTIONS] [SEED]
set -u
app=$1 work=$2 actions=${3:-400} seed=${4:-1}
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
export MLPVIZ_STATE_DIR="$work/state"
fail() {
  echo "gui_abuse: FAIL: $*"
  echo "--- window: $(xwininfo -id "${wid:-0}" 2>/dev/null | grep -E 'Map State|Width|Height' | tr -s ' \n' ' ')"
  echo "--- WM_STATE: $(xprop -id "${wid:-0}" WM_STATE 2>/dev/null | tr '\n' ' ')"
  echo "--- process: $(ps -o stat=,time=,wchan= -p "${app_pid:-0}" 2>/dev/null)"
  echo "--- last actions: ${last_actions:-}"
  echo "--- app log ---"; tail -20 app.log
  kill -9 "${app_pid:-0}" "${wm_pid:-0}" 2>/dev/null; exit 1
}

# twm makes minimize/restore real (without a window manager iconify requests are ignored).
printf 'RandomPlacement\nNoTitle\nIconifyByUnmapping\n' > twmrc
twm -f twmrc >/dev/null 2>&1 &
wm_pid=$!
sleep 0.5

"$app" --exit-after-frames 10000000 > app.log 2>&1 &
app_pid=$!
wid=""
for _ in $(seq 1 100); do
  wid=$(xdotool search --onlyvisible --name '^mlpviz' 2>/dev/null | head -1)
  [ -n "$wid" ] && break
  kill -0 "$app_pid" 2>/dev/null || fail "the app exited before its window appeared"
  sleep 0.1
done
[ -n "$wid" ] || fail "no window appeared"
echo "gui_abuse: window $wid, $actions actions, seed $seed"

RANDOM=$seed
keys=(space s r n p f ctrl+plus ctrl+minus ctrl+0 Escape Tab Return BackSpace Delete Left Right Up Down
      ctrl+o Escape ctrl+s Escape F11 F11 1 0 Home End)
minimized=0 last_actions=""
geometry() {
  eval "$(xdotool getwindowgeometry --shell "$wid" 2>/dev/null)"
  W=${WIDTH:-1}; H=${HEIGHT:-1}
}
for i in $(seq 1 "$actions"); do
  kill -0 "$app_pid" 2>/dev/null || fail "the app died at action $i"
  geometry
  x=$((RANDOM % (W > 0 ? W : 1))); y=$((RANDOM % (H > 0 ? H : 1)))
  action=$((RANDOM % 14))
  last_actions="$(echo "$last_actions $action" | tr ' ' '\n' | tail -12 | tr '\n' ' ')"
  case $action in
    0|1|2) xdotool mousemove --window "$wid" "$x" "$y" click 1 ;;
    3)     xdotool mousemove --window "$wid" "$x" "$y" click 3 ;;
    4)     xdotool mousemove --window "$wid" "$x" "$y" mousedown 1 mousemove_relative -- $((RANDOM % 300 - 150)) $((RANDOM % 300 - 150)) mouseup 1 ;;
    5)     xdotool mousemove --window "$wid" "$x" "$y" mousedown 2 mousemove_relative -- $((RANDOM % 200 - 100)) $((RANDOM % 200 - 100)) mouseup 2 ;;
    6)     xdotool mousemove --window "$wid" "$x" "$y" click --repeat $((1 + RANDOM % 5)) $((4 + RANDOM % 2)) ;;
    7|8)   xdotool mousemove --window "$wid" "$x" "$y" key "${keys[$((RANDOM % ${#keys[@]}))]}" ;;
    9)     xdotool mousemove --window "$wid" "$x" "$y" type --delay 1 "x1,0.5;-9e9 ok" ;;
    10)    sizes=("1 1" "2 300" "300 2" "120 90" "640 400" "1600 1000" "2500 1800")
           xdotool windowsize "$wid" ${sizes[$((RANDOM % ${#sizes[@]}))]} ;;
    11)    xdotool windowminimize "$wid"; minimized=$((minimized + 1)); sleep 0.3
           kill -0 "$app_pid" 2>/dev/null || fail "the app died while minimized (action $i)"
           xdotool windowmap "$wid" ;;
    12)    xdotool windowsize "$wid" 1600 1000 ;;
    13)    sleep 0.2 ;;
  esac
  sleep 0.01
done
kill -0 "$app_pid" 2>/dev/null || fail "the app died at the end of the abuse"

# Restore a normal window, leave any modal, and quit as a user would.
xdotool windowmap "$wid" 2>/dev/null; xdotool windowsize "$wid" 1600 1000
sleep 0.5
xdotool mousemove --window "$wid" 800 500 key Escape
sleep 0.3
xdotool key ctrl+q
for _ in $(seq 1 200); do
  kill -0 "$app_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$app_pid" 2>/dev/null; then fail "the app did not quit within 20 s of Ctrl+Q"; fi
wait "$app_pid"; code=$?
kill "$wm_pid" 2>/dev/null
[ "$code" -eq 0 ] || fail "exit code $code"
grep -Ei "assert|terminate called|segmentation|GL error" app.log && fail "the log reports a problem"
echo "gui_abuse: ok: $actions actions ($minimized minimize/restore cycles), clean exit"
