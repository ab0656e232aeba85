# input_switch_test.cmake: input during a network switch is not lost (issue 8: a slider drag made
# while the window froze on a switch to 8 layers of 64 units was lost). Drives the real app with a
# real mouse (xdotool, through X, GLFW and ImGui; tests/gui/input_switch_test.sh), twice, each
# time on a fresh copy of the default session: the speed slider is dragged from 60% of its width
# to past its left end as the switch to 2-[64 x 8]-1 is posted,
#   hand: at a hand's pace (the press, the drag and the release in different frames);
#   fast: all at once, inside one long frame (the switch's frame, made to stall for 3 s with
#         --stall-frame): ImGui 1.86 alone saw that as one click off the slider; the window's
#         input queue hands the press, the path and the release to ImGui frame by frame;
#         in the same long frame, 123 is typed into the data's Points field (Ctrl+click, 123,
#         Enter), which must be the saved number of points;
# then Ctrl+S saves the session. Checks, from each saved file: the pace is 1 step/s (the drag
# arrived, the slider's value changed from the default 50), the network is 8 x 64 (the switch
# happened) and the saved file is the one the window opened (the key arrived). Never timings.
# Arguments (-D): MLPVIZ, WORK, SCRIPT (input_switch_test.sh).
cmake_minimum_required(VERSION 3.25)

include(${CMAKE_CURRENT_LIST_DIR}/xvfb.cmake)
skip_without_xvfb()
find_program(XDOTOOL xdotool)
find_program(BASH bash)
if(NOT XDOTOOL OR NOT BASH)
  message("SKIP: xdotool or bash not found (scripts/setup.sh installs them)")
  return()
endif()
file(MAKE_DIRECTORY "${WORK}")
set(session "${WORK}/input_switch.json")
set(report "${WORK}/input_switch_layout.json")
set(state "${WORK}/input_switch-state")
file(REMOVE "${session}" "${report}")
file(REMOVE_RECURSE "${state}" "${state}-hand" "${state}-fast")

# The default session (moons, 2-[8,8]-1 tanh) at the default pace of 50 steps/s.
execute_process(COMMAND "${MLPVIZ}" train --steps 1 --save "${session}"
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "input_switch: making the session failed (${rc}): ${err}")
endif()
file(READ "${session}" json)
string(JSON sps GET "${json}" training steps_per_second)
if(NOT sps EQUAL 50)
  message(FATAL_ERROR "input_switch: the session's pace is ${sps}, expected the default 50")
endif()

# Where the speed slider is in this window (a paused run with a layout report).
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env LIBGL_ALWAYS_SOFTWARE=1 MLPVIZ_STATE_DIR=${state}
          ${XVFB_RUN} -a -s "-screen 0 1600x1000x24" "${MLPVIZ}" "${session}" --paused --width 1600
          --height 1000 --screenshot-after 0 --screenshot "${WORK}/input_switch.png"
          --layout-report "${report}" --exit
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0 OR NOT EXISTS "${report}")
  message(FATAL_ERROR "input_switch: the layout run exited with '${rc}' and no report\n${err}")
endif()

# The switch, the drag during it, the save: at a hand's pace, then all inside one long frame.
foreach(mode hand fast)
  set(copy "${WORK}/input_switch_${mode}.json")
  set(log "${WORK}/input_switch_${mode}_app.log")
  file(REMOVE "${copy}" "${log}")
  file(COPY_FILE "${session}" "${copy}")
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env LIBGL_ALWAYS_SOFTWARE=1 MLPVIZ_STATE_DIR=${state}-${mode}
            ${XVFB_RUN} -a -s "-screen 0 1600x1000x24" "${BASH}" "${SCRIPT}" "${MLPVIZ}" "${copy}"
            "${report}" "${log}" ${mode}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 240)
  set(app_log "")
  if(EXISTS "${log}")
    file(READ "${log}" app_log)
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "input_switch (${mode}): the driver failed (${rc})\n${out}\n${err}\napp:\n${app_log}")
  endif()
  message("${out}")

  file(READ "${copy}" json)
  string(JSON sps GET "${json}" training steps_per_second)
  string(JSON n_layers LENGTH "${json}" network layers)
  string(JSON width0 GET "${json}" network layers 0 width)
  if(NOT n_layers EQUAL 8 OR NOT width0 EQUAL 64)
    message(FATAL_ERROR "input_switch (${mode}): the saved network has ${n_layers} layers of ${width0}, expected 8 of 64 "
                        "(the switch or the Ctrl+S save did not happen)\n${out}\napp:\n${app_log}")
  endif()
  if(NOT sps EQUAL 1)
    message(FATAL_ERROR "input_switch (${mode}): the saved pace is ${sps} steps/s, expected 1: the drag on the speed "
                        "slider made during the switch was lost\n${out}\napp:\n${app_log}")
  endif()
  message("input_switch (${mode}): the drag made during the switch to 8 x 64 applied (1 step/s), the session saved")
  if(mode STREQUAL "fast")
    string(JSON points GET "${json}" data points)
    if(NOT points EQUAL 123)
      message(FATAL_ERROR "input_switch (fast): the saved data have ${points} points, expected 123: the value typed "
                          "into Points (Ctrl+click, 123, Enter) inside the long frame was lost\n${out}\napp:\n${app_log}")
    endif()
    message("input_switch (fast): the value typed into Points inside the same long frame applied (123 points)")
  endif()
endforeach()
