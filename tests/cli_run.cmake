# cli_run.cmake: run(EXPECT_CODE EXPECT_TEXT ARGS...) for the command-line tests (cmake -P): runs
# ${MLPVIZ} ARGS as a user would and fails unless it exits EXPECT_CODE with EXPECT_TEXT somewhere in
# its output, without crashing and without a message that names nothing. Sets last_out and last_err.
# CLI_RUN_TIMEOUT (seconds, default 120) bounds one run; ENV_ARGS (NAME=VALUE ...) sets its environment.
if(NOT DEFINED CLI_RUN_TIMEOUT)
  set(CLI_RUN_TIMEOUT 120)
endif()

function(run expect_code expect_text)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${ENV_ARGS} ${MLPVIZ} ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err
                  TIMEOUT ${CLI_RUN_TIMEOUT})
  if(NOT code EQUAL expect_code)
    message(FATAL_ERROR "mlpviz ${ARGN}: exit ${code}, expected ${expect_code}\nstdout: ${out}\nstderr: ${err}")
  endif()
  string(FIND "${out}${err}" "${expect_text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "mlpviz ${ARGN}: output lacks '${expect_text}'\nstdout: ${out}\nstderr: ${err}")
  endif()
  if("${err}" MATCHES "terminate called|Segmentation|Aborted|what\\(\\)")
    message(FATAL_ERROR "mlpviz ${ARGN}: crashed\n${err}")
  endif()
  if("${err}" MATCHES "mlpviz: :|: : ")  # a message with an empty name
    message(FATAL_ERROR "mlpviz ${ARGN}: a message names nothing\n${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
  set(last_err "${err}" PARENT_SCOPE)
endfunction()
