# lessons_test.cmake: the window opens every lesson (`mlpviz --lesson NAME`) under Xvfb as the
# Lessons menu does (step 1), one at its last step, and one in classroom mode; each draws a few
# frames with the lesson panel shown and exits 0.
# Arguments (-D): MLPVIZ, WORK.
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/xvfb.cmake)
skip_without_xvfb()
file(MAKE_DIRECTORY "${WORK}/lessons-state")
execute_process(COMMAND "${MLPVIZ}" lessons RESULT_VARIABLE rc OUTPUT_VARIABLE listing ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mlpviz lessons: exit ${rc}\n${err}")
endif()
string(REGEX MATCHALL "(^|\n)[a-z0-9_-]+" names "${listing}")
list(LENGTH names n)
if(n LESS 11)
  message(FATAL_ERROR "only ${n} lessons listed:\n${listing}")
endif()
foreach(line ${names})
  string(STRIP "${line}" name)
  set(steps 1)
  if(name STREQUAL "width_changes_boundary")
    set(steps 1 6)  # and its last step (32 units)
  endif()
  foreach(step ${steps})
    execute_process(
      COMMAND ${CMAKE_COMMAND} -E env MLPVIZ_STATE_DIR=${WORK}/lessons-state LIBGL_ALWAYS_SOFTWARE=1
              ${XVFB_RUN} -a -s "-screen 0 1600x1000x24"
              "${MLPVIZ}" --lesson ${name} --lesson-step ${step} --exit-after-frames 10 --recover keep
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "mlpviz --lesson ${name} --lesson-step ${step}: exit ${rc}\n${out}\n${err}")
    endif()
    message("lesson ${name} step ${step}: ok")
  endforeach()
endforeach()
# Classroom mode from the start (the lesson's own view: graph and curves, run and training
# controls), with its screenshot.
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env MLPVIZ_STATE_DIR=${WORK}/lessons-state LIBGL_ALWAYS_SOFTWARE=1
          ${XVFB_RUN} -a -s "-screen 0 1600x1000x24"
          "${MLPVIZ}" --lesson dying_relu --classroom --screenshot-after 50 --screenshot ${WORK}/lesson_classroom.png
          --exit --recover keep
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 90)
if(NOT rc EQUAL 0 OR NOT EXISTS ${WORK}/lesson_classroom.png)
  message(FATAL_ERROR "mlpviz --lesson dying_relu --classroom: exit ${rc}\n${out}\n${err}")
endif()
# A bad lesson name is refused before any window opens.
execute_process(COMMAND "${MLPVIZ}" --lesson nope RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "known lessons are")
  message(FATAL_ERROR "mlpviz --lesson nope: exit ${rc}: ${err}")
endif()
