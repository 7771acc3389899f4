#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine or an existing checkout:
#   1. scripts/setup.sh: packages and the product build (g++) in build/
#   2. the unit tests of that optimized g++ build (the data plane's on a real EAL too)
#   3. the suite of record in build-test/: clang with AddressSanitizer and
#      UndefinedBehaviorSanitizer, unit, CLI and daemon tests, and each libFuzzer target for
#      PALISADE_FUZZ_SECONDS (default 60)
# Extra arguments go to ctest, e.g. `scripts/test.sh -LE slow` leaves out the fuzz runs and
# `scripts/test.sh -L unit` runs only the unit tests. Exits non-zero on any failure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

scripts/setup.sh

echo "== unit tests, optimized g++ build"
build/bin/palisade_unit_tests --gtest_brief=1
build/bin/palisade_dataplane_tests --gtest_brief=1

echo "== sanitizer and fuzz build (clang-14, ASan + UBSan)"
fuzz_seconds=${PALISADE_FUZZ_SECONDS:-60}
if [ ! -f build-test/build.ninja ]; then
  CXX=clang++-14 cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DPALISADE_SANITIZE=ON -DPALISADE_FUZZ=ON -DPALISADE_BENCH=OFF >/dev/null
fi
cmake -S . -B build-test -DPALISADE_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
cmake --build build-test

echo "== ctest (sanitizers on)"
cd build-test
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --output-on-failure -j"$(nproc)" "$@"
