# desktop_test.cmake: files dropped onto the window (through --drop, the same queue GLFW's drop
# callback fills), the Recent files list they leave in XDG_CONFIG_HOME, the window title with the
# unsaved mark, and that an automated run with unsaved changes still exits without asking.
#   a session (.json) opens, points (.csv) are imported, anything else is refused with a notice.
# Arguments (-D): MLPVIZ, SESSION, WORK.
cmake_minimum_required(VERSION 3.25)

include(${CMAKE_CURRENT_LIST_DIR}/xvfb.cmake)
skip_without_xvfb()
set(dir "${WORK}/desktop")
file(REMOVE_RECURSE "${dir}")
file(MAKE_DIRECTORY "${dir}")
file(WRITE "${dir}/pts.csv" "x1,x2,label\n0.5,0.5,1\n-0.5,0.5,0\n0.3,-0.2,1\n")
get_filename_component(session_name "${SESSION}" NAME)
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env LIBGL_ALWAYS_SOFTWARE=1 MLPVIZ_STATE_DIR=${dir}/state XDG_CONFIG_HOME=${dir}/cfg
          ${XVFB_RUN} -a -s "-screen 0 1600x1000x24" "${MLPVIZ}" --width 1200 --height 800
          --drop "${SESSION}" --drop "${dir}/pts.csv" --drop "${dir}/picture.png"
          --exit-after-frames 30 --frame-stats "${dir}/stats.json"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 150)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "desktop: the app exited with '${rc}' (expected 0: automation never asks)\nstderr:\n${err}")
endif()
file(READ "${dir}/stats.json" json)
string(JSON title GET "${json}" window_title)
# The dropped session's name, marked changed: the CSV replaced its points.
if(NOT title STREQUAL "mlpviz - ${session_name} *")
  message(FATAL_ERROR "desktop: window title '${title}', expected 'mlpviz - ${session_name} *'")
endif()
string(JSON points GET "${json}" points)
if(NOT points EQUAL 3)
  message(FATAL_ERROR "desktop: ${points} points after dropping a CSV of 3")
endif()
file(STRINGS "${dir}/cfg/mlpviz/recent-files" recent)
list(LENGTH recent n)
list(GET recent 0 newest)
if(NOT n EQUAL 2 OR NOT newest STREQUAL "${dir}/pts.csv")
  message(FATAL_ERROR "desktop: recent files '${recent}', expected the CSV then the session")
endif()
message("desktop: ok: '${title}', ${points} points, recent files: ${recent}")

# "Export figure..." from the window (--export-figure does what its Export buttons do): a PNG at
# 2x of the view, whose plot is the view's size, so both sides are even; and a GIF of the
# timeline's stored steps.
foreach(ext png gif)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env LIBGL_ALWAYS_SOFTWARE=1 MLPVIZ_STATE_DIR=${dir}/state XDG_CONFIG_HOME=${dir}/cfg
            ${XVFB_RUN} -a -s "-screen 0 1600x1000x24" "${MLPVIZ}" "${SESSION}" --width 1000 --height 640
            --screenshot-after 100 --screenshot "${dir}/shot-${ext}.png" --export-figure "${dir}/figure.${ext}" --exit
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 150)
  if(NOT rc EQUAL 0 OR NOT EXISTS "${dir}/figure.${ext}")
    message(FATAL_ERROR "desktop: --export-figure figure.${ext}: exit '${rc}'\nstderr:\n${err}")
  endif()
  file(READ "${dir}/figure.${ext}" head LIMIT 24 HEX)
  if(ext STREQUAL "png")
    string(SUBSTRING "${head}" 0 16 magic)
    string(SUBSTRING "${head}" 32 8 w_hex)
    string(SUBSTRING "${head}" 40 8 h_hex)
    math(EXPR w "0x${w_hex}")
    math(EXPR h "0x${h_hex}")
    math(EXPR w_odd "${w} % 2")
    math(EXPR h_odd "${h} % 2")
    if(NOT magic STREQUAL "89504e470d0a1a0a" OR w LESS 400 OR w_odd OR h_odd)
      message(FATAL_ERROR "desktop: figure.png is not a 2x figure (${head}: ${w} x ${h})")
    endif()
    message("desktop: exported figure.png ${w} x ${h}")
  else()
    string(SUBSTRING "${head}" 0 12 magic)
    if(NOT magic STREQUAL "474946383961")  # GIF89a
      message(FATAL_ERROR "desktop: figure.gif is not a GIF (${head})")
    endif()
    message("desktop: exported figure.gif")
  endif()
endforeach()
