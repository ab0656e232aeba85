# lessons_test.cmake: the window opens every lesson (`mlpviz --lesson NAME`) under Xvfb, at its
# first and its last step, draws a few dozen frames with the lesson panel shown, and exits 0.
# Arguments (-D): MLPVIZ, WORK.
cmake_minimum_required(VERSION 3.25)
find_program(XVFB_RUN xvfb-run)
if(NOT XVFB_RUN)
  message("SKIP: xvfb-run not found (install xvfb and xauth)")
  return()
endif()
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
  # Its last step, from the listing's "(steps 1-K)".
  string(REGEX MATCH "${name} [^\n]*\\(steps 1-([0-9]+)\\)" _ "${listing}")
  set(steps 1)
  if(CMAKE_MATCH_1)
    set(steps 1 ${CMAKE_MATCH_1})
  endif()
  foreach(step ${steps})
    execute_process(
      COMMAND ${CMAKE_COMMAND} -E env MLPVIZ_STATE_DIR=${WORK}/lessons-state LIBGL_ALWAYS_SOFTWARE=1
              ${XVFB_RUN} -a -s "-screen 0 1600x1000x24"
              "${MLPVIZ}" --lesson ${name} --lesson-step ${step} --exit-after-frames 40 --recover keep
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "mlpviz --lesson ${name} --lesson-step ${step}: exit ${rc}\n${out}\n${err}")
    endif()
    message("lesson ${name} step ${step}: ok")
  endforeach()
endforeach()
# A bad lesson name is refused before any window opens.
execute_process(COMMAND "${MLPVIZ}" --lesson nope RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "known lessons are")
  message(FATAL_ERROR "mlpviz --lesson nope: exit ${rc}: ${err}")
endif()
