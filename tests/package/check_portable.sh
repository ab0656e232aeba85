#!/usr/bin/env bash
# The program runs on every x86-64 CPU: no AVX instruction (VEX/EVEX-encoded, or a ymm/zmm
# register) outside the AVX2 kernels that dispatch.hpp calls only on CPUs that have AVX2 + FMA
# (their symbols end in .avx2, cmake/rename_kernel_symbols.cmake). Needs the unstripped binary.
# Usage: check_portable.sh BINARY [dispatch]   (dispatch: the AVX2 kernels must be there too)
set -uo pipefail
bin=$1 want_avx2=${2:-}
objdump -d --no-show-raw-insn "$bin" | awk -v want_avx2="$want_avx2" '
  /^[0-9a-f]+ <.*>:$/ { fn = $2; next }
  /^ +[0-9a-f]+:\t/ {
    split($0, f, "\t"); insn = f[2]; split(insn, w, " "); m = w[1]
    avx = (m ~ /^v/ && m !~ /^verr|^verw/) || insn ~ /%[yz]mm/
    if (avx) { n_all++; if (fn ~ /\.avx2/) n_ok++; else if (!(fn in bad)) { bad[fn] = insn; n_bad++ } }
  }
  END {
    for (g in bad) print "AVX outside the dispatched kernels: " g " (" bad[g] ")"
    printf "AVX instructions: %d, all in .avx2 kernels: %s\n", n_all, (n_bad ? "no" : "yes")
    if (n_bad || (want_avx2 && n_ok == 0)) exit 1
  }'
