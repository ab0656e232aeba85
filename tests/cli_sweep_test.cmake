# `mlpviz sweep`: each cell equals `mlpviz train` with the same flags bit for bit (weights and
# figures), on two threads; the equal-parameter mode's widths; the PNG's size; bad lists.
# Variables: MLPVIZ (the executable), WORK (scratch folder).
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/cells")

set(CLI_RUN_TIMEOUT 300)
include(${CMAKE_CURRENT_LIST_DIR}/cli_run.cmake)

# The row of the run log CSV whose widths, depth and activation are given: its last four numbers
# (train loss, test loss, train accuracy, test accuracy) as a list.
function(cell_figures csv widths depth activation out_var)
  file(STRINGS "${csv}" lines)
  foreach(line IN LISTS lines)
    string(REPLACE "\r" "" line "${line}")
    if(line MATCHES ",${widths},${depth},${activation},")
      string(REGEX MATCH ",([^,]+),([^,]+),([^,]+),([^,]+),[a-z]+$" _ "${line}")
      set(${out_var} "${CMAKE_MATCH_1};${CMAKE_MATCH_2};${CMAKE_MATCH_3};${CMAKE_MATCH_4}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "no row ${widths},${depth},${activation} in ${csv}")
endfunction()

run(0 "--equal-params" sweep --help)
run(0 "sweep" --help)

# A 2 x 2 x 2 sweep on two threads with non-default data and optimizer flags.
set(common --data circles --noise 0.15 --points 300 --lr 0.03 --batch 7 --weight-seed 9 --optimizer adam)
run(0 "8 cells" sweep ${common} --widths 3,8 --depths 1,2 --activations tanh,relu --steps 400 --threads 2
    --csv ${WORK}/runs.csv --out ${WORK}/grid.png --save-cells ${WORK}/cells --cell-size 96)
file(STRINGS ${WORK}/runs.csv csv_lines)
list(LENGTH csv_lines n)
if(NOT n EQUAL 9)
  message(FATAL_ERROR "the run log has ${n} lines, expected a header and 8 cells")
endif()
list(GET csv_lines 0 header)
string(REPLACE "\r" "" header "${header}")
if(NOT header STREQUAL "time,data,points,noise,data_seed,train_points,widths,depth,activation,parameters,optimizer,learning_rate,batch,weight_seed,steps,epochs,train_loss,test_loss,train_accuracy,test_accuracy,status")
  message(FATAL_ERROR "run log header: ${header}")
endif()

# Each of these cells against `train` with the same flags and --layers/--activation.
foreach(cell "3;1;tanh;3" "8,8;2;relu;8_8" "3,3;2;tanh;3_3" "8;1;relu;8")
  list(GET cell 0 layers)
  list(GET cell 1 depth)
  list(GET cell 2 act)
  list(GET cell 3 tag)
  string(REGEX MATCH "^[0-9]+" width "${layers}")
  run(0 "train loss" train ${common} --layers ${layers} --activation ${act} --steps 400
      --metrics-csv ${WORK}/m_${tag}_${act}.csv --save ${WORK}/t_${tag}_${act}.json)
  file(SHA256 ${WORK}/t_${tag}_${act}.json want)
  file(SHA256 ${WORK}/cells/cell_${depth}x${width}_${act}.json got)
  if(NOT want STREQUAL got)
    message(FATAL_ERROR "cell ${depth}x${width} ${act}: its saved session differs from `train --save`")
  endif()
  file(STRINGS ${WORK}/m_${tag}_${act}.csv m_lines)
  list(GET m_lines -1 last)
  string(REGEX MATCH "^400,[^,]+,(.*)$" _ "${last}")
  string(REPLACE "," ";" want_figures "${CMAKE_MATCH_1}")
  if(layers MATCHES ",")
    set(quoted "\"${layers}\"")
  else()
    set(quoted "${layers}")
  endif()
  cell_figures(${WORK}/runs.csv "${quoted}" ${depth} ${act} got_figures)
  if(NOT "${want_figures}" STREQUAL "${got_figures}")
    message(FATAL_ERROR "cell ${depth}x${width} ${act}: figures ${got_figures}, `train` says ${want_figures}")
  endif()
endforeach()

# The PNG: 2 columns of widths, 4 rows (2 depths x 2 activations) of 96-pixel cells at least.
file(READ ${WORK}/grid.png png_head LIMIT 24 HEX)
string(SUBSTRING "${png_head}" 0 16 magic)
string(SUBSTRING "${png_head}" 32 8 w_hex)
string(SUBSTRING "${png_head}" 40 8 h_hex)
math(EXPR png_w "0x${w_hex}")
math(EXPR png_h "0x${h_hex}")
if(NOT magic STREQUAL "89504e470d0a1a0a" OR png_w LESS 192 OR png_h LESS 384)
  message(FATAL_ERROR "grid PNG: ${magic}, ${png_w} x ${png_h}")
endif()

# Equal parameter budget: 2 inputs, one sigmoid output, d layers of w units have
# 4w + 1 + (d-1)(w^2 + w) parameters; nearest 100: w = 25 (101), 8 (105), 6 (109).
run(0 "3 cells" sweep --equal-params 100 --depths 1,2,3 --steps 20 --csv ${WORK}/equal.csv)
foreach(row "25,1,tanh,101" "\"8,8\",2,tanh,105" "\"6,6,6\",3,tanh,109")
  file(STRINGS ${WORK}/equal.csv hit REGEX ",${row},")
  if(NOT hit)
    message(FATAL_ERROR "equal-params: no row ${row}")
  endif()
endforeach()

# The CSV on standard output; the figures then go to standard error.
run(0 "time,data," sweep --widths 2 --depths 1 --steps 10 --csv -)

# A diverging cell: exit 3, the others and the outputs still written.
run(3 "diverged" sweep --widths 8 --depths 2 --activations relu --lr 10 --steps 200 --csv ${WORK}/div.csv)
file(STRINGS ${WORK}/div.csv div REGEX ",diverged")
if(NOT div)
  message(FATAL_ERROR "the diverged cell's row does not say so")
endif()

# Bad lists and flags: exit 2, naming the flag, the value and the allowed range.
run(2 "--widths: 'x' is not a whole number: allowed 1 to 64, separated by commas" sweep --widths 2,x)
run(2 "--widths: 0 is out of range: allowed 1 to 64" sweep --widths 0,2)
run(2 "--widths: 65 is out of range: allowed 1 to 64" sweep --widths 65)
run(2 "--widths = '2,,4': an empty item: allowed 1 to 64" sweep --widths 2,,4)
run(2 "--widths: 4 is given twice" sweep --widths 4,4)
run(2 "--depths: 9 is out of range: allowed 1 to 8" sweep --depths 1,9)
run(2 "--activations: 'foo' is not known: allowed identity" sweep --activations tanh,foo)
run(2 "give one or the other" sweep --widths 2 --equal-params 50)
run(2 "allowed at most 100" sweep --widths 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34 --depths 1,2,3)
run(2 "--save-cells ${WORK}/nowhere: not a directory" sweep --save-cells ${WORK}/nowhere)
run(2 "--threads" sweep --threads 0)
run(2 "--layers" sweep --layers 4)
run(2 "--out and --csv both name" sweep --out ${WORK}/same --csv ${WORK}/same)
