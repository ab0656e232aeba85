# xvfb.cmake: included by the GUI test scripts. skip_without_xvfb() finds xvfb-run (XVFB_RUN) or
# ends the calling script with the "SKIP: " line ctest's SKIP_REGULAR_EXPRESSION turns into a
# skipped test (a macro: its return() ends the caller).
# XVFB_RUN is then xvfb_run_retry.sh: xvfb-run, tried again when two parallel tests raced for one
# display number.
macro(skip_without_xvfb)
  find_program(XVFB_RUN xvfb-run)
  if(NOT XVFB_RUN)
    message("SKIP: xvfb-run not found (install xvfb and xauth)")
    return()
  endif()
  set(XVFB_RUN "${CMAKE_CURRENT_LIST_DIR}/xvfb_run_retry.sh")
endmacro()
