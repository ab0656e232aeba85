# CLI test: runs mlpviz as a user would and checks exit codes, outputs and messages.
# Variables: MLPVIZ (the executable), DATA (tests/data), WORK (scratch folder).
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

include(${CMAKE_CURRENT_LIST_DIR}/cli_run.cmake)

# Help documents every command and the loss convention.
run(0 "Loss convention" --help)
foreach(cmd train render dump grad)
  run(0 "${cmd}" ${cmd} --help)
endforeach()
# The window's pace flag is documented, and a bad value is refused before any window opens.
run(0 "--speed" --help)
run(2 "--speed = fast is out of range: allowed 1 to 1000000 steps per second, or max" --speed fast)
run(2 "--speed = 0 is out of range" --speed 0)
# The input tests' long frame, refused before any window opens when malformed.
run(2 "--stall-frame 5: expected FRAME:MS with FRAME >= 1 and MS from 1 to 60000" --stall-frame 5)
run(2 "--stall-frame 0:100: expected FRAME:MS" --stall-frame 0:100)
run(2 "--stall-frame 3:99999: expected FRAME:MS" --stall-frame 3:99999)
run(2 "--stall-frame 3:1x: expected FRAME:MS" --stall-frame 3:1x)
# Compare's flag: documented; a bad change is refused, naming the part, before any window opens.
run(0 "--compare" --help)
run(2 "--compare activation=relux: unknown activation 'relux'" --compare activation=relux)
run(2 "--compare width=65: width '65' is out of range" --compare width=65)
run(2 "--compare lr=0: lr '0' is out of range" --compare lr=0)
run(2 "--compare depth: 'depth' has no '='" --compare depth)
run(2 "--compare colour=red: unknown key 'colour'" --compare colour=red)
run(2 "at most three compared networks" --compare width=2 --compare width=4 --compare width=16 --compare width=32)
# The capture's session save (compared runs included): documented; a folder that does not exist is
# refused before any window opens.
run(0 "--save-session" --help)
run(2 "--save-session /no/such/dir/s.json: the folder /no/such/dir does not exist" --save-session /no/such/dir/s.json)

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
run(0 "step 2100 " train --session ${WORK}/s.json --steps 100)  # resumes at the saved step 2000

# A session's comparison goes through `train --save`: each compared run trained to the main run's
# step and saved with it. Two entries written by hand (no parameters: they start from their weight
# seed): the main run's own settings, and the same with another learning rate. The first must then
# hold exactly the parameters of a fresh run trained as many steps.
file(READ ${WORK}/s.json base)
foreach(key network optimizer training)
  string(JSON ${key} GET "${base}" ${key})
endforeach()
string(JSON other_optimizer SET "${optimizer}" learning_rate 0.05)
set(same "{\"network\": ${network}, \"optimizer\": ${optimizer}, \"training\": ${training}}")
set(other "{\"network\": ${network}, \"optimizer\": ${other_optimizer}, \"training\": ${training}}")
string(JSON compared_session SET "${base}" compared "[${same}, ${other}]")
file(WRITE ${WORK}/compared.json "${compared_session}")
run(0 "2 compared networks were trained to step 2100 as well" train --session ${WORK}/compared.json --steps 100
    --save ${WORK}/compared_out.json)
run(0 "step 2100 " train --steps 2100 --save ${WORK}/fresh.json)
file(READ ${WORK}/compared_out.json out_json)
file(READ ${WORK}/fresh.json fresh_json)
string(JSON n LENGTH "${out_json}" compared)
string(JSON main_step GET "${out_json}" progress step)
if(NOT n EQUAL 2 OR NOT main_step EQUAL 2100)
  message(FATAL_ERROR "train --save kept ${n} compared runs (expected 2), main run at step ${main_step} (expected 2100)")
endif()
foreach(i 0 1)
  string(JSON step GET "${out_json}" compared ${i} progress step)
  if(NOT step EQUAL 2100)
    message(FATAL_ERROR "compared[${i}] saved at step ${step}, expected the main run's 2100")
  endif()
endforeach()
string(JSON same_params GET "${out_json}" compared 0 parameters)
string(JSON other_params GET "${out_json}" compared 1 parameters)
string(JSON fresh_params GET "${fresh_json}" parameters)
if(NOT same_params STREQUAL fresh_params)
  message(FATAL_ERROR "compared[0] (the main run's settings from its seed, 2100 steps) differs from a fresh run of 2100 steps")
endif()
if(same_params STREQUAL other_params)
  message(FATAL_ERROR "compared[1] (another learning rate) has compared[0]'s parameters")
endif()
run(0 "step 2200 " train --session ${WORK}/compared_out.json --steps 100)  # the saved file loads again

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
run(2 "--data-seed: 0x10 is out of range: allowed 0 to 18446744073709551615" train --data-seed 0x10)  # never read as hexadecimal
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

# The health monitor, as the CLI prints it (exit code unchanged): zero initialization keeps the
# units of a layer identical and the loss at chance; the note names the cause, not the learning rate.
run(0 "the units of hidden layer 1 are identical (zero initialization)" train --init zeros --activation relu --steps 1500)
if(last_err MATCHES "learning rate")
  message(FATAL_ERROR "zero init blamed on the learning rate: ${last_err}")
endif()
# Loaded weights whose forward pass overflows (8 identity layers, every parameter 1e5: within the
# loader's range): exit 3 naming the weights, no "-nan" printed as a loss, no step blamed.
run(0 "step 1" train --layers 16,16,16,16,16,16,16,16 --activation identity --steps 1 --save ${WORK}/overflow.json)
file(READ ${WORK}/overflow.json session)
string(FIND "${session}" "\"parameters\"" p_begin)
string(FIND "${session}" "\"progress\"" p_end)  # the key after "parameters" (sorted keys)
if(p_end EQUAL -1)
  string(FIND "${session}" "\"training\"" p_end)
endif()
math(EXPR p_len "${p_end} - ${p_begin}")
string(SUBSTRING "${session}" 0 ${p_begin} head)
string(SUBSTRING "${session}" ${p_begin} ${p_len} params)
string(SUBSTRING "${session}" ${p_end} -1 tail)
string(REGEX REPLACE "-?[0-9]+\\.[0-9]+(e[-+]?[0-9]+)?" "100000.0" params "${params}")
file(WRITE ${WORK}/overflow.json "${head}${params}${tail}")
run(3 "the loaded weights give a non-finite loss" train --session ${WORK}/overflow.json --steps 10)
if("${last_out}${last_err}" MATCHES "nan|lower the learning rate")
  message(FATAL_ERROR "overflowing loaded weights: ${last_out}${last_err}")
endif()

# ---- Outputs: checked before the work, written one by one, only what we own ----
# A missing folder for one output: exit 2 at once, naming the flag and the path; nothing trained,
# nothing written.
run(2 "--metrics-csv /no/such/dir/m.csv: the folder /no/such/dir does not exist"
    train --steps 2000 --metrics-csv /no/such/dir/m.csv --save ${WORK}/never.json)
if(EXISTS ${WORK}/never.json OR "${last_out}" MATCHES "train loss")
  message(FATAL_ERROR "outputs are checked before training: ${last_out}")
endif()
run(2 "--out ${WORK}: is a folder" render --out ${WORK})
# An empty file name (passed directly: a function's ARGN drops empty arguments).
execute_process(COMMAND ${MLPVIZ} train --steps 1 --save "" RESULT_VARIABLE code ERROR_VARIABLE err)
if(NOT code EQUAL 2 OR NOT err MATCHES "--save '': an empty file name")
  message(FATAL_ERROR "--save '': exit ${code}: ${err}")
endif()
execute_process(COMMAND ${MLPVIZ} render --out "" RESULT_VARIABLE code ERROR_VARIABLE err)
if(NOT code EQUAL 2 OR NOT err MATCHES "--out '': an empty file name")
  message(FATAL_ERROR "--out '': exit ${code}: ${err}")
endif()
run(2 "--metrics-csv and --save both name" train --steps 1 --metrics-csv ${WORK}/same.json --save ${WORK}/same.json)
# One output failing at the end (a full device passes the check) does not stop the others or the
# figures; exit 2 naming the flag and the path; the device is still a device.
run(2 "--metrics-csv: /dev/full: write failed (No space left on device)"
    train --steps 50 --metrics-csv /dev/full --save ${WORK}/kept.json)
if(NOT last_out MATCHES "step 50 .*train loss")
  message(FATAL_ERROR "the final figures were not printed: ${last_out}")
endif()
# kept.json was written: it loads, and training resumes from its step 50 (--steps counts from there).
run(0 "step 101 " train --session ${WORK}/kept.json --steps 51)
run(2 "--out: /dev/full: write failed (No space left on device)" dump --out /dev/full)
execute_process(COMMAND test -c /dev/full RESULT_VARIABLE not_char)
if(NOT not_char EQUAL 0)
  message(FATAL_ERROR "/dev/full is no longer a character device")
endif()
# Standard output: '-' and /dev/stdout write to it (never replace it).
run(0 "\"W\"" dump --layers 2 --out -)
run(0 "\"W\"" dump --layers 2 --out /dev/stdout)
run(0 "step,epoch,train_loss" train --steps 10 --metrics-csv -)
if(NOT last_err MATCHES "step 10 .*train loss" OR last_out MATCHES "train loss")
  message(FATAL_ERROR "with --metrics-csv -, the figures go to stderr: ${last_out} / ${last_err}")
endif()
# A FIFO is written in place (a reader runs alongside) and stays a FIFO.
execute_process(COMMAND mkfifo ${WORK}/out.fifo)
execute_process(COMMAND ${MLPVIZ} dump --layers 2 --out ${WORK}/out.fifo COMMAND cat ${WORK}/out.fifo
                RESULTS_VARIABLE codes OUTPUT_VARIABLE fifo_out TIMEOUT 60)
execute_process(COMMAND test -p ${WORK}/out.fifo RESULT_VARIABLE not_fifo)
if(NOT codes STREQUAL "0;0" OR NOT fifo_out MATCHES "\"W\"" OR NOT not_fifo EQUAL 0)
  message(FATAL_ERROR "dump into a FIFO: exit ${codes}, read '${fifo_out}', still a FIFO: ${not_fifo}")
endif()
# A saved session behind a symbolic link: the target is replaced, the link stays, 0600 stays.
file(COPY_FILE ${WORK}/kept.json ${WORK}/private.json)
file(CHMOD ${WORK}/private.json PERMISSIONS OWNER_READ OWNER_WRITE)
file(CREATE_LINK private.json ${WORK}/link.json SYMBOLIC)
run(0 "step 3 " train --steps 3 --save ${WORK}/link.json)
execute_process(COMMAND stat -c %a ${WORK}/private.json OUTPUT_VARIABLE mode OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT IS_SYMLINK ${WORK}/link.json OR NOT mode STREQUAL "600")
  message(FATAL_ERROR "save through a link: link kept ${IS_SYMLINK}, mode ${mode} (expected 600)")
endif()
run(0 "step 7 " train --session ${WORK}/private.json --steps 4)  # the linked target holds the 3-step run: it resumes from step 3

# ---- Inputs read as written ----
# A first row of quoted numbers is data: three classes, so the output layer has three rows.
file(WRITE ${WORK}/quoted.csv "\"0.9\",\"0.9\",\"2\"\n0.1,0.1,0\n-0.5,0.2,1\n0.3,-0.4,0\n")
run(0 "\"W\"" dump --train-csv ${WORK}/quoted.csv --layers none)
string(JSON out_rows LENGTH "${last_out}" 0 W)
if(NOT out_rows EQUAL 3 OR last_err MATCHES "header")
  message(FATAL_ERROR "quoted first row: ${out_rows} output rows (expected 3); ${last_err}")
endif()
# A header is skipped, and the user is told.
file(WRITE ${WORK}/header.csv "x1,x2,label\n0.9,0.9,1\n0.1,0.1,0\n")
run(0 "header.csv: line 1: 'x1,x2,label' read as a header (column names) and skipped"
    train --train-csv ${WORK}/header.csv --steps 5)
# Bytes from the file are escaped: an ANSI escape and a NUL reach the terminal as text.
execute_process(COMMAND printf "0,0,0\\n\\033[31mred\\000,1,2\\n" OUTPUT_FILE ${WORK}/control.csv)
run(2 "control.csv: line 2: expected three numbers x1,x2,label, got '\\x1b[31mred\\x00,1,2'"
    train --train-csv ${WORK}/control.csv)
string(ASCII 27 esc)
string(FIND "${last_err}" "${esc}" raw_esc)
if(NOT raw_esc EQUAL -1)
  message(FATAL_ERROR "a raw escape byte reached stderr: ${last_err}")
endif()
# A flag the user gave is never replaced: incompatible flags name both.
run(2 "--output sigmoid_bce needs 2 classes, the data has 6" train --data spiral --classes 6 --output sigmoid_bce)
run(0 "train loss" train --data spiral --classes 6 --steps 5)   # the default output adapts
run(2 "--points and --train-csv" train --train-csv ${WORK}/header.csv --points 50)
run(2 "--data and --train-csv" train --train-csv ${WORK}/header.csv --data moons)
run(0 "train loss" train --train-csv ${WORK}/header.csv --data custom --steps 2)
run(2 "--activation relu: the network has no hidden layer" train --layers none --activation relu)
run(2 "--layers: '' is not a width" train --layers 8,)
file(WRITE ${WORK}/custom.csv "0.5,0.5,0\n-0.5,-0.5,1\n0.5,-0.5,0\n-0.5,0.5,1\n")
run(0 "" train --train-csv ${WORK}/custom.csv --steps 2 --save ${WORK}/custom.json)
run(2 "--noise and --session" train --session ${WORK}/custom.json --noise 0.2)
run(0 "train loss" train --session ${WORK}/custom.json --classes 3 --steps 2)
run(0 "its trained weights are not used" train --session ${WORK}/custom.json --layers 3 --steps 2)
message(STATUS "cli: all checks passed")
