# compare_session_test.cmake: compared runs are never lost (src/app/gui_compare.cpp, session
# "compared"): saved, reopened, opened over another run, closed by a session without them, and
# recovered after a crash, in the real window under Xvfb.
#   1. save: the default network compared with ReLU and width 16, trained past 300 steps, saved
#      by --save-session at the capture (every run at one step): the file holds both compared runs
#      at the main run's step, with their own settings;
#   2. reopen (the session on the command line, a new process, paused): the comparison is back, its
#      three runs at the saved step with their differences named (the compare check), and saved
#      again the compared runs have the same parameters, step and settings as in the first file;
#   3. open over another run (--drop, as File > Open and a dropped file): the same comparison;
#   4. a session without compared runs dropped over the comparison closes it (the view check, not
#      the compare check, and a saved-again file without "compared"), and the view shows it;
#   5. crash recovery: a comparing window killed with SIGKILL after its autosaves (1 s apart): the
#      autosave holds the compared run, and --recover open brings the comparison back.
# Arguments (-D): MLPVIZ, OLD (a session without compared runs), WORK, NAME.
cmake_minimum_required(VERSION 3.25)

include(${CMAKE_CURRENT_LIST_DIR}/xvfb.cmake)
skip_without_xvfb()
find_program(TIMEOUT timeout)
find_program(SH sh)
if(NOT TIMEOUT OR NOT SH)
  message("SKIP: timeout or sh not found (install coreutils)")
  return()
endif()
set(dir "${WORK}/${NAME}")
file(REMOVE_RECURSE "${dir}")
file(MAKE_DIRECTORY "${dir}")
set(xvfb ${XVFB_RUN} -a -s "-screen 0 1600x1000x24")

# Runs the window with ARGN in state folder STATE; fails on a non-zero exit.
function(run_window label state)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env LIBGL_ALWAYS_SOFTWARE=1 MLPVIZ_STATE_DIR=${dir}/${state} MLPVIZ_FIELD=gpu
            ${xvfb} "${MLPVIZ}" --width 1600 --height 1000 ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 150)
  message("${label}:\n${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NAME}: ${label}: the app exited with '${rc}' (expected 0)\nstderr:\n${err}")
  endif()
endfunction()

# The compare check REPORT shows the main run and the compared runs named in EXPECT (';'-separated
# differences) all at step STEP.
function(expect_comparison label report step expect)
  file(READ "${report}" json)
  string(JSON n ERROR_VARIABLE no_runs LENGTH "${json}" runs)
  if(no_runs)
    message(FATAL_ERROR "${NAME}: ${label}: no comparison in the window (the view check was written)\n${json}")
  endif()
  list(LENGTH expect n_compared)
  math(EXPR n_expected "${n_compared} + 1")
  if(NOT n EQUAL n_expected)
    message(FATAL_ERROR "${NAME}: ${label}: ${n} runs, expected ${n_expected}\n${json}")
  endif()
  foreach(k RANGE 0 ${n_compared})
    string(JSON s GET "${json}" runs ${k} step)
    if(NOT s EQUAL step)
      message(FATAL_ERROR "${NAME}: ${label}: run ${k} at step ${s}, expected the saved step ${step}\n${json}")
    endif()
    if(k GREATER 0)
      math(EXPR i "${k} - 1")
      list(GET expect ${i} want)
      string(JSON diff GET "${json}" runs ${k} difference)
      string(JSON differs GET "${json}" runs ${k} differs_from_run1)
      if(NOT diff STREQUAL want)
        message(FATAL_ERROR "${NAME}: ${label}: run ${k} named '${diff}', expected '${want}'\n${json}")
      endif()
      if(differs EQUAL 0)
        message(FATAL_ERROR "${NAME}: ${label}: run ${k}'s view is run 1's pixel for pixel\n${json}")
      endif()
    endif()
  endforeach()
endfunction()

# Each compared run of session B has the parameters, step and settings it has in session A.
function(expect_same_compared label a b)
  file(READ "${a}" ja)
  file(READ "${b}" jb)
  string(JSON na LENGTH "${ja}" compared)
  string(JSON nb ERROR_VARIABLE none LENGTH "${jb}" compared)
  if(none OR NOT na EQUAL nb)
    message(FATAL_ERROR "${NAME}: ${label}: ${b} has '${nb}' compared runs, ${a} has ${na}")
  endif()
  math(EXPR last "${na} - 1")
  foreach(k RANGE ${last})
    foreach(key parameters network optimizer training)
      string(JSON va GET "${ja}" compared ${k} ${key})
      string(JSON vb GET "${jb}" compared ${k} ${key})
      if(NOT va STREQUAL vb)
        message(FATAL_ERROR "${NAME}: ${label}: compared[${k}].${key} differs between ${a} and ${b}")
      endif()
    endforeach()
    string(JSON sa GET "${ja}" compared ${k} progress step)
    string(JSON sb GET "${jb}" compared ${k} progress step)
    if(NOT sa EQUAL sb)
      message(FATAL_ERROR "${NAME}: ${label}: compared[${k}] at step ${sb}, saved at ${sa}")
    endif()
  endforeach()
endfunction()

# A session's text holds `expected` compared runs.
function(expect_compared_count what json expected)
  string(JSON n ERROR_VARIABLE none LENGTH "${json}" compared)
  if(none OR NOT n EQUAL expected)
    message(FATAL_ERROR "${NAME}: ${what} holds '${n}' compared runs, expected ${expected}\n${none}")
  endif()
endfunction()

# 1. Compare, train, save.
set(saved "${dir}/saved.json")
run_window("1. save" state1 --speed 2000 --compare activation=relu --compare width=16 --screenshot-after 300
           --screenshot "${dir}/1.png" --exit --save-session "${saved}")
file(READ "${saved}" json)
expect_compared_count("1. save: the saved session" "${json}" 2)
string(JSON step GET "${json}" progress step)
if(step LESS 300)
  message(FATAL_ERROR "${NAME}: 1. save: saved at step ${step}, before the capture's 300")
endif()
foreach(k 0 1)
  string(JSON s GET "${json}" compared ${k} progress step)
  if(NOT s EQUAL step)
    message(FATAL_ERROR "${NAME}: 1. save: compared[${k}] saved at step ${s}, the main run at ${step}")
  endif()
endforeach()
string(JSON act GET "${json}" compared 0 network layers 0 activation)
string(JSON width GET "${json}" compared 1 network layers 0 width)
if(NOT act STREQUAL "relu" OR NOT width EQUAL 16)
  message(FATAL_ERROR "${NAME}: 1. save: compared runs saved with activation ${act} and width ${width}")
endif()

# 2. Reopened in a new process: the same comparison, at the saved step and parameters.
set(expect "relu vs tanh;width 16 vs 8")
run_window("2. reopen" state2 "${saved}" --paused --screenshot-after 0 --screenshot "${dir}/2.png"
           --cpu-grid "${dir}/2.json" --save-session "${dir}/2-saved.json" --exit)
expect_comparison("2. reopen" "${dir}/2.json" ${step} "${expect}")
expect_same_compared("2. reopen" "${saved}" "${dir}/2-saved.json")

# 3. Opened over another run, as a dropped file or File > Open.
run_window("3. open" state3 "${OLD}" --paused --drop "${saved}" --screenshot-after 0 --screenshot "${dir}/3.png"
           --cpu-grid "${dir}/3.json" --save-session "${dir}/3-saved.json" --exit)
expect_comparison("3. open" "${dir}/3.json" ${step} "${expect}")
expect_same_compared("3. open" "${saved}" "${dir}/3-saved.json")

# 4. A session without compared runs closes the comparison.
run_window("4. close" state4 "${saved}" --paused --drop "${OLD}" --screenshot-after 0 --screenshot "${dir}/4.png"
           --cpu-grid "${dir}/4.json" --save-session "${dir}/4-saved.json" --exit)
file(READ "${dir}/4.json" json)
string(JSON n ERROR_VARIABLE no_runs LENGTH "${json}" runs)
if(NOT no_runs)
  message(FATAL_ERROR "${NAME}: 4. close: the comparison stayed open over a session without compared runs\n${json}")
endif()
# The main view shows the opened network, not the one before it (the new trainer counts its
# versions from the start again).
string(JSON pixels GET "${json}" pixels)
string(JSON agree GET "${json}" agree)
math(EXPR lhs "${agree} * 1000")
math(EXPR rhs "${pixels} * 995")
if(pixels LESS 10000 OR lhs LESS rhs)
  message(FATAL_ERROR "${NAME}: 4. close: the view agrees with the opened network on ${agree} of ${pixels} pixels\n${json}")
endif()
file(READ "${dir}/4-saved.json" json)
string(JSON n ERROR_VARIABLE none LENGTH "${json}" compared)
if(NOT none)
  message(FATAL_ERROR "${NAME}: 4. close: the session saved after it still holds ${n} compared runs")
endif()

# 5. Crash recovery: killed while comparing, recovered with the comparison.
set(state5 "${dir}/state5")
file(MAKE_DIRECTORY "${state5}")
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env LIBGL_ALWAYS_SOFTWARE=1 MLPVIZ_STATE_DIR=${state5} MLPVIZ_AUTOSAVE_SECONDS=1
          ${xvfb} ${TIMEOUT} --foreground -s KILL 10 "${MLPVIZ}" --width 800 --height 500 --compare activation=relu
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
file(GLOB autosaves "${state5}/autosave-*.json")
list(LENGTH autosaves n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "${NAME}: 5. crash: ${n} autosaves after the kill, expected 1 (exit '${rc}')\n${out}${err}")
endif()
file(READ "${autosaves}" json)
expect_compared_count("5. crash: the autosave" "${json}" 1)
string(JSON step GET "${json}" progress step)
run_window("5. recover" state5 --recover open --paused --screenshot-after 0 --screenshot "${dir}/5.png"
           --cpu-grid "${dir}/5.json" --exit)
expect_comparison("5. recover" "${dir}/5.json" ${step} "relu vs tanh")

message("${NAME}: ok (saved, reopened, opened, closed and recovered with the compared runs)")
