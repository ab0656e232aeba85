# make_manpage.cmake: mlpviz.1(.gz) from the program's own help, with help2man.
#   cmake -DMLPVIZ=<binary> -DHELP2MAN=<help2man> -DOUT=<dir>/mlpviz.1 -P make_manpage.cmake
# help2man reads `mlpviz --help` and `--version`; the subcommands it lists (whatever they are when
# this runs) get a COMMANDS section with their own --help, and FILES/ENVIRONMENT say where the data
# folder is. Writes OUT and OUT.gz (gzip -9n: reproducible).
foreach(v MLPVIZ HELP2MAN OUT)
  if(NOT ${v})
    message(FATAL_ERROR "make_manpage.cmake: -D${v}= is missing")
  endif()
endforeach()

# roff-safe text: backslashes, and lines that would start with a request character.
function(roff_escape text out)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

execute_process(COMMAND ${MLPVIZ} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "make_manpage.cmake: ${MLPVIZ} --help failed (${rc})")
endif()
# The subcommands: the indented names under "Subcommands:", up to the next blank line.
string(REGEX MATCH "\nSubcommands:\n([^\n]+\n)+" block "${help}")
string(REGEX MATCHALL "\n  [a-z][a-z0-9_-]*" names "${block}")

set(inc "[COMMANDS]\n")
foreach(n IN LISTS names)
  string(STRIP "${n}" n)
  execute_process(COMMAND ${MLPVIZ} ${n} --help OUTPUT_VARIABLE sub RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "make_manpage.cmake: ${MLPVIZ} ${n} --help failed (${rc})")
  endif()
  string(REGEX REPLACE "\nLoss convention.*" "\n" sub "${sub}")  # the footer: once, below
  roff_escape("${sub}" sub)
  string(APPEND inc ".SS \"mlpviz ${n}\"\n.nf\n${sub}.fi\n")
endforeach()
# The --help footer (the loss convention) as its own section, kept verbatim.
string(REGEX MATCH "Loss convention[^\n]*\n(.*)" footer "${help}")
roff_escape("${CMAKE_MATCH_1}" footer)
string(APPEND inc "[LOSS CONVENTION]\nUsed by \\fBtrain\\fR, \\fBgrad\\fR and the window.\n.nf\n${footer}.fi\n")
string(APPEND inc [=[
[FILES]
.TP
.I <prefix>/share/mlpviz/
The data folder (lessons), found relative to the program: \fI<folder of mlpviz>/../share/mlpviz\fR,
so an install under any prefix works.
[ENVIRONMENT]
.TP
.B MLPVIZ_DATA_DIR
Use this data folder instead of the installed one.
]=])

get_filename_component(dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${dir}")
file(WRITE "${OUT}.include" "${inc}")
# help2man reflows the main --help; the footer (in the section above) would come out mangled, so
# help2man runs a wrapper whose --help stops before it.
file(WRITE "${OUT}.wrapper" "#!/bin/sh\nif [ \"$1\" = --help ]; then \"${MLPVIZ}\" --help | sed '/^Loss convention/,$d'; else exec \"${MLPVIZ}\" \"$@\"; fi\n")
file(CHMOD "${OUT}.wrapper" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
execute_process(COMMAND ${HELP2MAN} --no-info --no-discard-stderr
                        "--name=watch a multilayer perceptron learn"
                        --section=1 "--include=${OUT}.include" --output=${OUT} ${OUT}.wrapper
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "make_manpage.cmake: help2man failed (${rc})")
endif()
execute_process(COMMAND gzip -9nf -k "${OUT}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "make_manpage.cmake: gzip failed (${rc})")
endif()
