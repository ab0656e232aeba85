# xvfb.cmake: included by the GUI test scripts. skip_without_xvfb() finds xvfb-run (XVFB_RUN) or
# ends the calling script with the "SKIP: " line ctest's SKIP_REGULAR_EXPRESSION turns into a
# skipped test (a macro: its return() ends the caller).
macro(skip_without_xvfb)
  find_program(XVFB_RUN xvfb-run)
  if(NOT XVFB_RUN)
    message("SKIP: xvfb-run not found (install xvfb and xauth)")
    return()
  endif()
endmacro()
