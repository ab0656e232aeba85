# CLI test: runs mlpviz as a user would and checks exit codes, outputs and messages.
# Variables: MLPVIZ (the executable), DATA (tests/data), WORK (scratch folder).
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(run expect_code expect_text)
  execute_process(COMMAND ${MLPVIZ} ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err
                  TIMEOUT 120)
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
  set(last_out "${out}" PARENT_SCOPE)
  set(last_err "${err}" PARENT_SCOPE)
endfunction()

# Help documents every command and the loss convention.
run(0 "Loss convention" --help)
foreach(cmd train render dump grad)
  run(0 "${cmd}" ${cmd} --help)
endforeach()

# train: final figures, metrics CSV, saved session that loads again.
run(0 "train loss" train --steps 2000 --metrics-csv ${WORK}/m.csv --save ${WORK}/s.json)
string(REGEX MATCH "acc ([0-9.]+)%" _ "${last_out}")
if(CMAKE_MATCH_1 LESS 95)
  message(FATAL_ERROR "default moons trained to only ${CMAKE_MATCH_1}%: ${last_out}")
endif()
file(STRINGS ${WORK}/m.csv csv_lines)
list(LENGTH csv_lines n)
if(n LESS 20)
  message(FATAL_ERROR "metrics CSV has ${n} lines")
endif()
list(GET csv_lines 0 header)
if(NOT header STREQUAL "step,epoch,train_loss,test_loss,train_accuracy,test_accuracy")
  message(FATAL_ERROR "metrics CSV header: ${header}")
endif()
run(0 "step 100 " train --session ${WORK}/s.json --steps 100)

# CSV data in, and a 3-class run.
run(0 "train loss" train --train-csv ${DATA}/xor_train.csv --test-csv ${DATA}/xor_test.csv --layers 4 --steps 500)
run(0 "train loss" train --data spiral --classes 3 --layers 16,16 --activation relu --steps 300)

# render writes a PNG.
run(0 "" render --session ${WORK}/s.json --out ${WORK}/b.png --size 64)
file(READ ${WORK}/b.png png_head LIMIT 8 HEX)
if(NOT png_head STREQUAL "89504e470d0a1a0a")
  message(FATAL_ERROR "render did not write a PNG (${png_head})")
endif()

# dump and grad: JSON with the documented shapes.
run(0 "\"W\"" dump --layers 3 --steps 10)
string(JSON nlayers LENGTH "${last_out}")
string(JSON rows LENGTH "${last_out}" 0 W)
string(JSON cols LENGTH "${last_out}" 0 W 0)
string(JSON act GET "${last_out}" 0 activation)
if(NOT nlayers EQUAL 2 OR NOT rows EQUAL 3 OR NOT cols EQUAL 2 OR NOT act STREQUAL "tanh")
  message(FATAL_ERROR "dump shapes: ${nlayers} layers, W ${rows}x${cols}, ${act}")
endif()
run(0 "\"dW\"" grad --session ${WORK}/s.json)
string(JSON loss GET "${last_out}" loss)
string(JSON drows LENGTH "${last_out}" gradients 1 dW)
if(NOT drows EQUAL 8)
  message(FATAL_ERROR "grad dW of layer 2 has ${drows} rows")
endif()

# Bad flags and files: exit 2 and one line naming the problem; never a crash.
run(2 "network.widths[0] = 65 is out of range: allowed 1 to 64" train --layers 65)
run(2 "network.depth = 9" train --layers 1,1,1,1,1,1,1,1,1)
run(2 "optimizer.learning_rate = 0 is out of range" train --lr 0)
run(2 "optimizer.batch_size = 0" train --batch 0)
run(2 "data.noise = -1 is out of range" train --noise -1)
run(2 "--weight-seed: 99999999999999999999999 is out of range: allowed 0 to 18446744073709551615"
    train --weight-seed 99999999999999999999999)
run(2 "--data-seed: -5 is out of range: allowed 0 to 18446744073709551615" train --data-seed -5)
run(2 "data.points = 200000 is out of range" train --points 200000)
run(2 "--activation = 'relu6' is not known" train --activation relu6)
run(2 "--layers: 'x' is not a width" train --layers x)
run(2 "nope.json: cannot read" train --session ${WORK}/nope.json)
run(2 "bad_nan.csv: line 4: x1 and x2 must be finite" train --train-csv ${DATA}/bad_nan.csv)
run(2 "empty.csv: no points" train --train-csv ${DATA}/empty.csv)
run(2 "The following argument was not expected" train --frobnicate)
run(2 "--out is required" render)
file(WRITE ${WORK}/broken.json "{\"format\": \"mlpviz-session\", \"version\": 1, \"data\": 3}")
run(2 "data: expected an object" train --session ${WORK}/broken.json)

# Divergence: exit 3 with the step and the advice.
run(3 "lower the learning rate" train --activation relu --output linear_mse --optimizer sgd --lr 10 --steps 2000)
# A loss explosion with no overflow (ReLU at lr 10 with the default Adam) is divergence too.
run(3 "the loss rose to" train --activation relu --lr 10 --steps 2000)
if(NOT last_err MATCHES "diverged at step [0-9]+: .*over 100x.*lower the learning rate \\(weights kept from step [0-9]+\\)")
  message(FATAL_ERROR "relu at lr 10 with Adam: ${last_err}")
endif()
# With plain SGD it does not blow up but kills a layer: exit 0 with a note.
run(0 "is dead: the network can no longer learn" train --activation relu --lr 10 --optimizer sgd --steps 2000)
message(STATUS "cli: all checks passed")
