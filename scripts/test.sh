#!/usr/bin/env bash
# Sets everything up, runs the fuzz target for a short while, then the whole test suite (unit,
# integration, end-to-end) under CTest.
# Benchmarks are built too, so a change that breaks them fails here; they are run by hand
# (bench/README.md), except a short run of engine_load_bench at a low rate (label load).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DGUIJU_BUILD_TESTS=ON -DGUIJU_BUILD_BENCHMARKS=ON
# The libFuzzer targets, briefly: the journal reader, seeded with the damaged journals in the
# tests, and the ONNX loader, seeded with small models.
bash scripts/fuzz.sh 20 all
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 300
