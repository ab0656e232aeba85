# inspect_window_test.cmake: the real window on the worked example, opened in inspect mode on its
# point, pressing Step on this point once (--inspect-step), captures a screenshot and exits 0.
# Variables: MLPVIZ, SESSION, WORK.
include(${CMAKE_CURRENT_LIST_DIR}/xvfb.cmake)
skip_without_xvfb()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/state")
set(ENV{MLPVIZ_STATE_DIR} "${WORK}/state")
set(ENV{LIBGL_ALWAYS_SOFTWARE} 1)
execute_process(COMMAND ${XVFB_RUN} -a -s "-screen 0 1600x1000x24" "${MLPVIZ}" "${SESSION}" --paused --inspect 0
                        --inspect-step --screenshot-after 0 --screenshot "${WORK}/inspect.png" --exit
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mlpviz --inspect 0 --inspect-step: exit ${rc}\n${out}\n${err}")
endif()
file(READ "${WORK}/inspect.png" head LIMIT 8 HEX)
if(NOT head STREQUAL "89504e470d0a1a0a")
  message(FATAL_ERROR "no PNG written: ${out}\n${err}")
endif()
