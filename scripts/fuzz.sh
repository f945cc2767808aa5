#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a while:
#   journal: the journal's record reader, seeded with the damaged journals in tests/fuzz/corpus;
#   onnx:    the ONNX loader (and the CPU backend on what loads), seeded with the small models
#            tests/fuzz/onnx_seed_models.py writes (python3-onnx);
#   inferd:  the inference service's request decoders (infer and admin requests), seeded with
#            valid frames the target's seed mode writes.
# Usage: scripts/fuzz.sh [seconds per target] [journal|onnx|inferd|all]
# Exits non-zero when a fuzzer finds a crash; the reproducer is left in build/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
which="${2:-all}"
out=build/fuzz
mkdir -p "$out"

# Rebuilds $out/$1 from the remaining arguments (sources, then flags after --) when a source or
# a header in the watched folders is newer than it.
build() {
  local name="$1" watch="$2"
  shift 2
  local sources=() flags=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do sources+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  flags=("$@")
  if [ ! -x "$out/$name" ] || [ -n "$(find "${sources[@]}" $watch -newer "$out/$name" | head -1)" ]; then
    echo "fuzz: building $name with clang++"
    clang++ -std=c++20 -O1 -g -I. -fsanitize=fuzzer,address,undefined \
      -fno-sanitize-recover=undefined "${sources[@]}" "${flags[@]}" -o "$out/$name"
  fi
}

run() {
  local name="$1" corpus="$2" max_len="$3"
  echo "fuzz: running $name for ${seconds}s"
  "$out/$name" -max_total_time="$seconds" -max_len="$max_len" -print_final_stats=1 \
    -artifact_prefix="$out/$name-" "$corpus" 2>&1 | tail -n 12
}

if [ "$which" = all ] || [ "$which" = journal ]; then
  mkdir -p "$out/corpus"
  cp tests/fuzz/corpus/* "$out/corpus/"
  build journal_reader_fuzz "core/journal core/events core/model" \
    tests/fuzz/journal_reader_fuzz.cpp \
    core/journal/segment_scan.cpp core/journal/sha256_batch.cpp core/journal/chain_hash.cpp \
    core/journal/record_fields.cpp core/clock/calendar.cpp \
    core/events/codec.cpp core/events/event_names.cpp core/model/fixed_point.cpp \
    core/risk/risk_check_id.cpp core/risk/risk_limits.cpp -- -lcrypto
  run journal_reader_fuzz "$out/corpus" 65536
fi

if [ "$which" = all ] || [ "$which" = onnx ]; then
  mkdir -p "$out/onnx_corpus"
  /usr/bin/python3 tests/fuzz/onnx_seed_models.py "$out/onnx_corpus"
  build onnx_loader_fuzz "inference" \
    tests/fuzz/onnx_loader_fuzz.cpp inference/onnx/*.cpp inference/cpu/*.cpp -- \
    -DONNX_ML=1 -DONNX_NAMESPACE=onnx $(pkg-config --cflags eigen3) -lonnx_proto -lprotobuf
  run onnx_loader_fuzz "$out/onnx_corpus" 65536
fi

if [ "$which" = all ] || [ "$which" = inferd ]; then
  mkdir -p "$out/inferd_corpus"
  build inference_request_fuzz "inference/protocol" \
    tests/fuzz/inference_request_fuzz.cpp inference/protocol/*.cpp
  # Seeds: a valid infer request (64 floats, a version) and an admin load, written by printf.
  printf 'GJIF\001\000\001\000\001\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\003\001\000\000\001\000\000\000\002\000\000\000\000\000\000\000mlp1\000\000\200\077\000\000\000\100' \
    > "$out/inferd_corpus/seed-infer"
  printf 'GJIF\001\000\004\000\002\000\000\000\000\000\000\000\001\000\003\001\000\000\000\000mlp2' \
    > "$out/inferd_corpus/seed-admin"
  run inference_request_fuzz "$out/inferd_corpus" 4096
fi
