# CLI test of `mlpviz regions` and `mlpviz hidden`: counts, images and refusals as a user sees them.
# Variables: MLPVIZ (the executable), DATA (tests/data), WORK (scratch folder).
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

include(${CMAKE_CURRENT_LIST_DIR}/cli_run.cmake)

run(0 "linear regions" regions --help)
run(0 "principal components" hidden --help)

# Seed 003's folding: 3 layers of 2 abs units, each folding [0,1] by the tent map |2a - 1|, cut
# [-1,1]^2 into (2^3)^2 = 64 squares (worked out by hand; the kinks sit at multiples of 1/8).
run(0 "regions 64\npieces 64\nbox -1 1 -1 1\ngrid 400 x 400" regions --session ${DATA}/abs_folding3.json --box -1,1,-1,1 --resolution 400)
# Even 16 cells per side find them: the kinks fall on cell edges, every square holds a centre.
run(0 "regions 64" regions --session ${DATA}/abs_folding3.json --box -1,1,-1,1 --resolution 16)
# One fold less in a box that only holds x1 in [0, 1]: (the kinks at 0.25, 0.5, 0.75) 4 x 8.
run(0 "regions 32" regions --session ${DATA}/abs_folding3.json --box 0.001,1,-1,1 --resolution 400)
# A linear network has one region.
run(0 "regions 1" regions --data moons --layers 8,8 --activation identity)

# The count over training: a row at the start and every 100 steps; the last row is the count
# `regions --steps 300` gives for the same run.
run(0 "step,regions,pieces\n0," regions --data moons --layers 8,8 --activation relu --steps 300 --every 100 --resolution 200)
string(REGEX MATCHALL "[0-9]+,[0-9]+,[0-9]+" rows "${last_out}")
list(LENGTH rows n)
if(NOT n EQUAL 4)
  message(FATAL_ERROR "regions --every: ${n} rows, expected 4 (steps 0, 100, 200, 300)\n${last_out}")
endif()
list(GET rows 3 final)
string(REGEX MATCH "^300,([0-9]+)," _ "${final}")
set(over_training ${CMAKE_MATCH_1})
run(0 "regions ${over_training}\n" regions --data moons --layers 8,8 --activation relu --steps 300 --resolution 200)

# Refusals name the field, the value and what is allowed.
run(2 "hidden layer 1's activation tanh is not piecewise linear: linear regions need relu, leaky_relu, abs or identity"
    regions --data moons --layers 8 --activation tanh)
run(2 "feature x1^2 is not linear in the plane" regions --data circles --layers 4 --activation relu --features x1,x2,x1^2)
run(2 "--box = 1,0,0,1: empty box" regions --box 1,0,0,1)
run(2 "--box = a,1,0,1: 'a' is not a number" regions --box a,1,0,1)
run(2 "--box = 0,1,0: not four numbers" regions --box 0,1,0)
run(2 "--resolution" regions --resolution 8)

# hidden: a PNG, PCA's variances, and refusals.
run(0 "" hidden --data circles --layers 8,2 --steps 500 --layer 2 --out ${WORK}/h.png --size 96)
file(READ ${WORK}/h.png png_head LIMIT 8 HEX)
if(NOT png_head STREQUAL "89504e470d0a1a0a")
  message(FATAL_ERROR "hidden did not write a PNG: ${png_head}")
endif()
run(0 "pca variance" hidden --data moons --layers 8,8 --activation relu --layer 1 --pca --out ${WORK}/p.png --size 64)
run(2 "--layer/--units: layer = 3 is out of range: allowed 0 (the inputs) to 2 (the last hidden layer)"
    hidden --data moons --layers 8,8 --layer 3 --out ${WORK}/x.png)
run(2 "unit = 8 is out of range: allowed 0 to 7" hidden --data moons --layers 8 --layer 1 --units 0,8 --out ${WORK}/x.png)
run(2 "the two axes must be different units" hidden --data moons --layers 8 --layer 1 --units 2,2 --out ${WORK}/x.png)
run(2 "--units = 1: expected I,J" hidden --data moons --layers 8 --layer 1 --units 1 --out ${WORK}/x.png)
run(2 "excludes" hidden --data moons --layers 8 --layer 1 --units 0,1 --pca --out ${WORK}/x.png)
run(2 "--out" hidden --data moons --layers 8 --layer 1 --out ${WORK}/no/such/dir/x.png)
if(EXISTS ${WORK}/x.png)
  message(FATAL_ERROR "a refused hidden command wrote its output")
endif()
