#!/usr/bin/env bash
# xvfb_run_retry.sh ARGS...: `xvfb-run ARGS...`, tried again (3 tries in all) when the X server was
# not there for the program. Two `xvfb-run -a` started at the same moment by parallel tests can
# pick the same display number: one's Xvfb then fails to start, or its program cannot open the
# display. Any other outcome, success or failure, is the program's own: its standard output and
# error (kept until it ends) and its exit code pass through unchanged.
set -u
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
rc=0
for try in 1 2 3; do
  xvfb-run "$@" > "$out" 2> "$err"
  rc=$?
  if [ "$try" -lt 3 ] && grep -qE "Failed to open display|Xvfb failed to start" "$err"; then
    echo "xvfb_run_retry: the program found no X display (try $try of 3); trying again" >&2
    sleep "$try"
    continue
  fi
  break
done
cat "$out"
cat "$err" >&2
exit "$rc"
