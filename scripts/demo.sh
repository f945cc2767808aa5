#!/usr/bin/env bash
# Sets everything up and runs the demo: a synthetic A-share day replayed through the engine with
# the sample strategy plugins against the simulated venue. No external data or service is needed.
# Prints the run summary and the path of the self-contained HTML report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DGUIJU_BUILD_TESTS=OFF -DGUIJU_BUILD_BENCHMARKS=OFF
./build/apps/guiju replay --config configs/demo.yaml --report reports/demo.html "$@"
