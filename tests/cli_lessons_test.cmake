# CLI test of the lessons: `mlpviz lessons` and `mlpviz train --lesson NAME [--lesson-step K]`.
# Variables: MLPVIZ (the executable), WORK (scratch folder). The lessons come from the source
# tree's assets/ (core::find_data_dir), or from MLPVIZ_DATA_DIR when the test sets it.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

include(${CMAKE_CURRENT_LIST_DIR}/cli_run.cmake)

set(ENV_ARGS "")
run(0 "lessons" --help)
run(0 "XOR needs a hidden layer" lessons)
foreach(name xor_hidden_layer feature_instead_of_layer width_changes_boundary logistic_vs_tanh_net
        softmax_spiral dying_relu saturating_tanh symmetry_problem vanishing_gradients space_folding
        optimizers_spiral)
  string(FIND "${last_out}" "${name}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "mlpviz lessons does not list ${name}:\n${last_out}")
  endif()
endforeach()
# Menu order: XOR (order 10) before the optimizers (order 110).
string(FIND "${last_out}" "xor_hidden_layer" xor_at)
string(FIND "${last_out}" "optimizers_spiral" opt_at)
if(NOT xor_at LESS opt_at)
  message(FATAL_ERROR "mlpviz lessons is not in menu order:\n${last_out}")
endif()

# A lesson runs headless for its stopping rule's steps; its steps apply in order.
run(0 "step 2000 " train --lesson xor_hidden_layer)
run(0 "acc 100.00%" train --lesson xor_hidden_layer --lesson-step 2)
run(0 "step 50 " train --lesson xor_hidden_layer --lesson-step 2 --steps 50)
run(0 "\"width\": 2" train --lesson xor_hidden_layer --lesson-step 2 --steps 1 --save -)
# Flags still override the lesson's settings.
run(0 "step 10 " train --lesson width_changes_boundary --lesson-step 6 --layers 3 --steps 10)

# Bad input: one line naming the flag and the value, exit 2.
run(2 "lesson 'nope' is not known: known lessons are " train --lesson nope)
run(2 "xor_hidden_layer" train --lesson nope)
run(2 "--lesson-step = 3 is out of range: lesson xor_hidden_layer has steps 1 to 2" train --lesson xor_hidden_layer --lesson-step 3)
run(2 "--lesson-step needs --lesson" train --lesson-step 2)
run(2 "--lesson and --session both name a session: give one" train --lesson xor_hidden_layer --session x.json)
run(2 "is not known" train --lesson ../xor_hidden_layer)

# A folder of broken lessons: the good ones are listed, each bad file is named (exit 1).
file(MAKE_DIRECTORY "${WORK}/data/lessons")
file(WRITE "${WORK}/data/lessons/broken.json" "{\"lesson\": 1, \"title\": 3}")
set(ENV_ARGS "MLPVIZ_DATA_DIR=${WORK}/data")
run(1 "broken.json: title: expected a string, got 3" lessons)
run(2 "broken.json: title: expected a string, got 3" train --lesson broken)
