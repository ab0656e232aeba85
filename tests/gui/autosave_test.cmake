# autosave_test.cmake: crash recovery of the window (src/app/gui_autosave.cpp, train/autosave.hpp).
#   1. the app runs on a session with a 1 s autosave interval (MLPVIZ_AUTOSAVE_SECONDS) in a
#      private state folder (MLPVIZ_STATE_DIR) and is killed with SIGKILL after a few seconds:
#      the autosave file and the running marker must remain;
#   2. the app starts again on the same folder with no session file: it must exit 0, say on
#      stderr that it recovered the autosaved session, and remove the marker on its clean exit.
# Arguments (-D): MLPVIZ, SESSION, WORK, NAME.
cmake_minimum_required(VERSION 3.25)

find_program(XVFB_RUN xvfb-run)
find_program(TIMEOUT timeout)
if(NOT XVFB_RUN OR NOT TIMEOUT)
  message("SKIP: xvfb-run or timeout not found (install xvfb, xauth and coreutils)")
  return()
endif()

set(state "${WORK}/${NAME}-state")
file(REMOVE_RECURSE "${state}")
file(MAKE_DIRECTORY "${state}")
set(env LIBGL_ALWAYS_SOFTWARE=1 MLPVIZ_STATE_DIR=${state} MLPVIZ_AUTOSAVE_SECONDS=1)

# 1. Killed without a chance to clean up: SIGKILL to the app only (--foreground: timeout itself
#    stays to reap it; a zombie would still count as a live window).
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${env} ${XVFB_RUN} -a -s "-screen 0 1600x1000x24"
          ${TIMEOUT} --foreground -s KILL 8 "${MLPVIZ}" "${SESSION}" --width 800 --height 500
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(rc EQUAL 0)
  message(FATAL_ERROR "${NAME}: the first run exited by itself; it should have been killed\nstderr:\n${err}")
endif()
if(NOT EXISTS "${state}/autosave.json")
  message(FATAL_ERROR "${NAME}: no autosave in ${state} after the killed run (rc ${rc})\nstderr:\n${err}")
endif()
if(NOT EXISTS "${state}/running.pid")
  message(FATAL_ERROR "${NAME}: the killed run left no running marker\nstderr:\n${err}")
endif()

# 2. The next start recovers it and exits cleanly.
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${env} ${XVFB_RUN} -a -s "-screen 0 1600x1000x24"
          "${MLPVIZ}" --width 800 --height 500 --screenshot-after 1 --screenshot "${WORK}/${NAME}.png" --exit
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NAME}: the recovering run exited with '${rc}' (expected 0)\nstderr:\n${err}")
endif()
# xvfb-run sends the app's stderr to its stdout: look in both.
string(FIND "${out}${err}" "mlpviz: recovered the session autosaved before the last unclean exit" at)
if(at LESS 0)
  message(FATAL_ERROR "${NAME}: the second run did not recover the autosave\noutput:\n${out}${err}")
endif()
if(EXISTS "${state}/running.pid")
  message(FATAL_ERROR "${NAME}: the running marker remains after a clean exit")
endif()
message("${NAME}: ok (killed run autosaved; next start recovered it and exited cleanly)")
