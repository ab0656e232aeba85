# autosave_test.cmake: crash recovery of the window (src/app/gui_autosave.cpp, train/autosave.hpp).
# One state folder (MLPVIZ_STATE_DIR), a 1 s autosave interval (MLPVIZ_AUTOSAVE_SECONDS):
#   1. two windows share the folder: K (moons) is killed with SIGKILL after 8 s, C (spiral) exits
#      cleanly meanwhile. C must not offer K's autosave (K is alive), C's clean exit must remove
#      only its own autosave: exactly one autosave remains, K's (moons);
#   2. a window started WITH a session on its command line (default --recover ask) must offer it,
#      exit 0, and leave it byte for byte as it was (never answered: kept);
#   3. a window with a session on its command line and --recover open must recover it (moons,
#      not the named spiral): killed after 8 s, its own autosave holds the moons work and the
#      recovered file is gone (adopted once its own autosave held the work);
#   4. --recover keep offers nothing and keeps everything; a clean run with --recover open then
#      ends the adopted work with its own: the folder holds no autosave.
# Arguments (-D): MLPVIZ, SESSION (moons), SESSION2 (spiral), WORK, NAME.
cmake_minimum_required(VERSION 3.25)

find_program(XVFB_RUN xvfb-run)
find_program(TIMEOUT timeout)
find_program(SH sh)
if(NOT XVFB_RUN OR NOT TIMEOUT OR NOT SH)
  message("SKIP: xvfb-run, timeout or sh not found (install xvfb, xauth and coreutils)")
  return()
endif()

set(state "${WORK}/${NAME}-state")
file(REMOVE_RECURSE "${state}")
file(MAKE_DIRECTORY "${state}")
set(env LIBGL_ALWAYS_SOFTWARE=1 MLPVIZ_STATE_DIR=${state} MLPVIZ_AUTOSAVE_SECONDS=1)
set(xvfb ${XVFB_RUN} -a -s "-screen 0 1600x1000x24")
set(small --width 800 --height 500)

# The autosaves in the folder (sets <var> to the list of paths).
function(autosaves var)
  file(GLOB found "${state}/autosave-*.json")
  set(${var} "${found}" PARENT_SCOPE)
endfunction()

function(expect_count n what)
  autosaves(found)
  list(LENGTH found got)
  if(NOT got EQUAL n)
    message(FATAL_ERROR "${NAME}: ${what}: expected ${n} autosave(s) in ${state}, found ${got}: ${found}\n${ARGN}")
  endif()
endfunction()

# 1. Two windows in one folder, one killed (SIGKILL to the app only: timeout --foreground stays to
#    reap it), one closing cleanly after 150 frames while the other runs. One X server for both.
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${env} ${xvfb} ${SH} -c
          "\"$0\" --foreground -s KILL 8 \"$1\" \"$2\" --width 800 --height 500 & k=$!; sleep 1; \"$1\" \"$3\" --width 800 --height 500 --exit-after-frames 150; echo \"clean-exit=$?\"; wait $k; echo \"killed-exit=$?\""
          ${TIMEOUT} "${MLPVIZ}" "${SESSION}" "${SESSION2}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 90)
set(log "output:\n${out}${err}")
if(NOT "${out}${err}" MATCHES "clean-exit=0")
  message(FATAL_ERROR "${NAME}: the window that should close cleanly did not exit 0\n${log}")
endif()
if("${out}${err}" MATCHES "killed-exit=0")
  message(FATAL_ERROR "${NAME}: the window that should be killed exited by itself\n${log}")
endif()
if("${out}${err}" MATCHES "offering")
  message(FATAL_ERROR "${NAME}: a window offered the autosave of a window that was still running\n${log}")
endif()
expect_count(1 "after one window was killed and the other closed cleanly" "${log}")
autosaves(killed)
file(READ "${killed}" text)
if(NOT text MATCHES "\"kind\": \"moons\"")
  message(FATAL_ERROR "${NAME}: the autosave left is not the killed (moons) window's: ${killed}")
endif()
file(SHA256 "${killed}" killed_hash)

# 2. Started with a session named: the recovery is still offered, and nothing is touched.
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${env} ${xvfb} "${MLPVIZ}" "${SESSION2}" ${small}
          --screenshot-after 1 --screenshot "${WORK}/${NAME}-offer.png" --exit
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
set(log "output:\n${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NAME}: the run with a session named exited with '${rc}' (expected 0)\n${log}")
endif()
# xvfb-run sends the app's stderr to its stdout: look in both.
if(NOT "${out}${err}" MATCHES "mlpviz: offering 1 autosave of a window that did not close cleanly")
  message(FATAL_ERROR "${NAME}: a start with a session on its command line did not offer the autosave\n${log}")
endif()
expect_count(1 "after the offer was left unanswered" "${log}")
if(NOT EXISTS "${killed}")
  message(FATAL_ERROR "${NAME}: the unanswered autosave ${killed} was removed\n${log}")
endif()
file(SHA256 "${killed}" hash)
if(NOT hash STREQUAL killed_hash)
  message(FATAL_ERROR "${NAME}: the unanswered autosave ${killed} was written over\n${log}")
endif()

# 3. --recover open with a session named: the window shows the recovered (moons) work. Killed
#    after it autosaved, its own autosave must hold moons, and the recovered file must be gone.
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${env} ${xvfb}
          ${TIMEOUT} --foreground -s KILL 8 "${MLPVIZ}" "${SESSION2}" ${small} --recover open
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
set(log "output:\n${out}${err}")
if(NOT "${out}${err}" MATCHES "mlpviz: recovered the unsaved work of a window that did not close cleanly")
  message(FATAL_ERROR "${NAME}: --recover open did not recover the autosave\n${log}")
endif()
if(EXISTS "${killed}")
  message(FATAL_ERROR "${NAME}: the recovered autosave ${killed} remains although the window autosaved the work\n${log}")
endif()
expect_count(1 "after the recovering window was killed" "${log}")
autosaves(own)
file(READ "${own}" text)
if(NOT text MATCHES "\"kind\": \"moons\"")
  message(FATAL_ERROR "${NAME}: the recovering window did not show the recovered work (its autosave ${own} is not moons)")
endif()

# 4. --recover keep: nothing offered, nothing removed; then a clean --recover open run.
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${env} ${xvfb} "${MLPVIZ}" ${small} --recover keep --exit-after-frames 5
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
set(log "output:\n${out}${err}")
if(NOT rc EQUAL 0 OR NOT "${out}${err}" MATCHES "mlpviz: kept for later: 1 autosave")
  message(FATAL_ERROR "${NAME}: --recover keep: exit '${rc}', or no 'kept for later' line\n${log}")
endif()
expect_count(1 "after --recover keep" "${log}")
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${env} ${xvfb} "${MLPVIZ}" ${small} --recover open --exit-after-frames 5
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
set(log "output:\n${out}${err}")
if(NOT rc EQUAL 0 OR NOT "${out}${err}" MATCHES "mlpviz: recovered the unsaved work")
  message(FATAL_ERROR "${NAME}: the last run: exit '${rc}', or nothing recovered\n${log}")
endif()
expect_count(0 "after a clean exit of the window that opened the last autosave" "${log}")
message("${NAME}: ok (two windows in one folder, offer with a session named, recovery, keep, clean end)")
