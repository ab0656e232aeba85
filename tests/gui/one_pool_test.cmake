# one_pool_test.cmake: the window steps every network on its one pool of workers, never a thread
# per network. The same window trains, at full speed, its network alone, then with three compared
# networks and a six-cell sweep: every run is stepped, the pool never has more workers than its
# limit (the cores less the window's), and the process gains no thread but the pool's extra workers,
# the sweep's painter and the shared CPU field worker (each reported by --frame-stats).
# Arguments (-D): MLPVIZ, WORK.
cmake_minimum_required(VERSION 3.25)

include(${CMAKE_CURRENT_LIST_DIR}/xvfb.cmake)
skip_without_xvfb()
set(dir "${WORK}/one_pool")
file(REMOVE_RECURSE "${dir}")
file(MAKE_DIRECTORY "${dir}")

function(run_window tag)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env LIBGL_ALWAYS_SOFTWARE=1 MLPVIZ_STATE_DIR=${dir}/state-${tag}
            ${XVFB_RUN} -a -s "-screen 0 1600x1000x24" "${MLPVIZ}" --width 1200 --height 800 --speed max
            --recover keep ${ARGN} --exit-after-frames 90 --frame-stats "${dir}/${tag}.json"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 150)
  if(NOT rc EQUAL 0 OR NOT EXISTS "${dir}/${tag}.json")
    message(FATAL_ERROR "one pool (${tag}): the app exited with '${rc}'\n${out}${err}")
  endif()
  file(READ "${dir}/${tag}.json" json)
  set(json "${json}" PARENT_SCOPE)
endfunction()

# Reads the counts the window reported into <tag>_threads, <tag>_workers, <tag>_max, <tag>_field,
# <tag>_painter, <tag>_runs.
function(read_counts tag json)
  string(JSON threads GET "${json}" process_threads)
  string(JSON workers GET "${json}" pool workers)
  string(JSON max GET "${json}" pool max_threads)
  string(JSON field GET "${json}" cpu_field_worker)
  string(JSON painter GET "${json}" sweep_threads)
  string(JSON runs LENGTH "${json}" run_steps)
  if(threads LESS 1)
    message(FATAL_ERROR "one pool (${tag}): no thread count reported")
  endif()
  if(workers GREATER max OR workers LESS 1)
    message(FATAL_ERROR "one pool (${tag}): ${workers} workers for a pool of at most ${max}")
  endif()
  math(EXPR last "${runs} - 1")
  foreach(i RANGE ${last})
    string(JSON step GET "${json}" run_steps ${i})
    if(NOT step GREATER 0)
      message(FATAL_ERROR "one pool (${tag}): run ${i} was never stepped (step ${step}):\n${json}")
    endif()
  endforeach()
  foreach(v threads workers max field painter runs)
    set(${tag}_${v} ${${v}} PARENT_SCOPE)
  endforeach()
endfunction()

run_window(alone)
read_counts(alone "${json}")
run_window(many --compare activation=relu --compare width=16 --compare optimizer=sgd,lr=0.1
           --sweep 2,4,8:1,2:1000000)
read_counts(many "${json}")
if(NOT alone_runs EQUAL 1 OR NOT many_runs EQUAL 4 OR NOT many_painter EQUAL 1)
  message(FATAL_ERROR "one pool: ${alone_runs} and ${many_runs} runs, sweep painter ${many_painter} (expected 1, 4 and 1)")
endif()
math(EXPR allowed "${alone_threads} + (${many_workers} - ${alone_workers}) + ${many_painter} + (${many_field} - ${alone_field})")
if(many_threads GREATER allowed)
  message(FATAL_ERROR "one pool: ${many_threads} threads with 4 networks and a sweep, ${alone_threads} with one: "
                      "more than the pool's extra workers (${alone_workers} -> ${many_workers}), the sweep's painter and the "
                      "field worker (${alone_field} -> ${many_field}) allow (${allowed})")
endif()
message("one pool: ok: ${alone_threads} threads alone, ${many_threads} with 3 compared networks and a 6-cell sweep "
        "(pool ${many_workers} of ${many_max} workers, painter ${many_painter}, field worker ${many_field})")
