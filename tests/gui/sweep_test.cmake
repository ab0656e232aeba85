# gui_sweep: the window's Sweep (View > Sweep, started here by --sweep as its form would) trains
# the same networks as `mlpviz sweep` with the same lists: every cell's run-log row (shape,
# parameters, steps, losses, accuracies) equals the command's, apart from the time; its exported
# grid is the command's picture size. A malformed --sweep is refused naming the field.
# Arguments (-D): MLPVIZ, WORK.
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/xvfb.cmake)
skip_without_xvfb()
set(dir "${WORK}/sweep")
file(REMOVE_RECURSE "${dir}")
file(MAKE_DIRECTORY "${dir}")
set(env LIBGL_ALWAYS_SOFTWARE=1 MLPVIZ_STATE_DIR=${dir}/state XDG_CONFIG_HOME=${dir}/config)

execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${env} ${XVFB_RUN} -a -s "-screen 0 1600x1000x24" "${MLPVIZ}" --width 1280 --height 800
          --recover keep --sweep 2,8:1,2:400 --sweep-csv "${dir}/window.csv" --sweep-png "${dir}/window.png"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 150)
if(NOT rc EQUAL 0 OR NOT EXISTS "${dir}/window.csv")
  message(FATAL_ERROR "the window's sweep: exit '${rc}', or no CSV\n${out}${err}")
endif()
execute_process(COMMAND "${MLPVIZ}" sweep --widths 2,8 --depths 1,2 --steps 400 --csv "${dir}/cli.csv"
                        --out "${dir}/cli.png"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mlpviz sweep exited '${rc}'\n${out}${err}")
endif()

# Rows without their first field (the time), sorted: the window logs cells as they finish.
function(rows_of file var)
  file(STRINGS "${file}" lines)
  list(POP_FRONT lines header)
  set(rows "")
  foreach(l IN LISTS lines)
    string(FIND "${l}" "," comma)  # (REGEX REPLACE would strip every field: it is global)
    math(EXPR comma "${comma} + 1")
    string(SUBSTRING "${l}" ${comma} -1 l)
    list(APPEND rows "${l}")
  endforeach()
  list(SORT rows)
  set(${var} "${rows}" PARENT_SCOPE)
endfunction()
rows_of("${dir}/window.csv" window_rows)
rows_of("${dir}/cli.csv" cli_rows)
list(LENGTH window_rows n)
if(NOT n EQUAL 4)
  message(FATAL_ERROR "the window's sweep logged ${n} cells, expected 4:\n${window_rows}")
endif()
if(NOT window_rows STREQUAL cli_rows)
  message(FATAL_ERROR "the window's cells differ from `mlpviz sweep`:\nwindow: ${window_rows}\ncommand: ${cli_rows}")
endif()

# The exported grid: a PNG the size of the command's (same cells, cell size and labels).
foreach(f window cli)
  file(READ "${dir}/${f}.png" head LIMIT 24 HEX)
  string(SUBSTRING "${head}" 0 16 magic)
  string(SUBSTRING "${head}" 32 16 size_${f})
  if(NOT magic STREQUAL "89504e470d0a1a0a")
    message(FATAL_ERROR "${f}.png is not a PNG")
  endif()
endforeach()
if(NOT size_window STREQUAL size_cli)
  message(FATAL_ERROR "the window's grid is ${size_window} (hex width, height), the command's ${size_cli}")
endif()

execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${env} ${XVFB_RUN} -a -s "-screen 0 1600x1000x24" "${MLPVIZ}" --width 800 --height 500
          --recover keep --sweep 2,x:1:10
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 2 OR NOT "${out}${err}" MATCHES "Widths: 'x' is not a whole number: allowed 1 to 64")
  message(FATAL_ERROR "--sweep 2,x:1:10: exit '${rc}' (expected 2 and the field named)\n${out}${err}")
endif()
