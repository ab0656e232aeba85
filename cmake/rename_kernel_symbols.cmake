# rename_kernel_symbols.cmake: OUT = the object IN with every symbol it defines renamed to
# <name>SUFFIX, except KEEP (see src/core/dispatch.hpp). Local, strong and weak alike: the kernels'
# template instances, Eigen's and the standard library's inline functions (weak, in COMDAT groups
# named after them) become private to this copy, so the linker never mixes them with the
# baseline's, and every function with AVX code carries the suffix (the package test checks the
# program for AVX instructions outside them). References to what IN does not define (libm, libstdc++, the rest of mlpviz) stay.
#   cmake -DIN=a.o -DOUT=b.o -DNM=nm -DOBJCOPY=objcopy -DKEEP=name -DSUFFIX=.avx2 -P rename_kernel_symbols.cmake
execute_process(COMMAND ${NM} --defined-only --format=posix ${IN}
                OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "rename_kernel_symbols: ${NM} ${IN} failed")
endif()
string(REPLACE "\n" ";" lines "${syms}")
set(map "")
set(kept 0)
foreach(line IN LISTS lines)
  string(REGEX MATCH "^([^ ]+) " _ "${line}")
  set(name "${CMAKE_MATCH_1}")
  if(name STREQUAL "")
    continue()
  elseif(name STREQUAL KEEP)
    set(kept 1)
  else()
    string(APPEND map "${name} ${name}${SUFFIX}\n")
  endif()
endforeach()
if(NOT kept)
  message(FATAL_ERROR "rename_kernel_symbols: ${IN} does not define ${KEEP}")
endif()
file(WRITE "${OUT}.map" "${map}")
execute_process(COMMAND ${OBJCOPY} --redefine-syms=${OUT}.map ${IN} ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "rename_kernel_symbols: ${OBJCOPY} failed")
endif()
