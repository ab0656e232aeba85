# gui_run_log: the window's run log holds every run it trained: the main run (a session that stops
# at 300 steps, at full speed) and its compared run (ReLU against tanh), logged once the compared run
# caught up with the main run's last step: two rows, the same steps, each with its own activation.
# Arguments (-D): MLPVIZ, WORK.
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/xvfb.cmake)
skip_without_xvfb()
set(dir "${WORK}/run_log")
file(REMOVE_RECURSE "${dir}")
file(MAKE_DIRECTORY "${dir}")
execute_process(COMMAND "${MLPVIZ}" train --steps 1 --save "${dir}/s.json" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "could not make the session: ${err}")
endif()
file(READ "${dir}/s.json" json)
string(JSON json SET "${json}" training stop kind "\"steps\"")
string(JSON json SET "${json}" training stop steps 300)
file(WRITE "${dir}/s.json" "${json}")
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env LIBGL_ALWAYS_SOFTWARE=1 MLPVIZ_STATE_DIR=${dir}/state XDG_CONFIG_HOME=${dir}/config
          ${XVFB_RUN} -a -s "-screen 0 1600x1000x24" "${MLPVIZ}" "${dir}/s.json" --width 1280 --height 800
          --recover keep --speed max --compare activation=relu --exit-after-frames 240 --run-log-csv "${dir}/log.csv"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0 OR NOT EXISTS "${dir}/log.csv")
  message(FATAL_ERROR "exit '${rc}' or no run log\n${out}${err}")
endif()
file(STRINGS "${dir}/log.csv" lines)
list(LENGTH lines n)
if(NOT n EQUAL 3)
  message(FATAL_ERROR "the run log has ${n} lines, expected a header and two runs:\n${lines}")
endif()
list(GET lines 1 main)
list(GET lines 2 compared)
foreach(row main compared)
  if(NOT "${${row}}" MATCHES ",300,[0-9]+,[^,]*,[^,]*,[^,]*,[^,]*,finished$")
    message(FATAL_ERROR "the ${row} run's row does not end finished at step 300: ${${row}}")
  endif()
endforeach()
if(NOT main MATCHES ",tanh," OR NOT compared MATCHES ",relu,")
  message(FATAL_ERROR "expected the main run tanh and the compared run relu:\n${main}\n${compared}")
endif()
