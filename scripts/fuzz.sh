#!/usr/bin/env bash
# Builds the journal reader's libFuzzer target with clang (ASan + UBSan) and runs it for a while,
# seeded with the damaged journals in tests/fuzz/corpus. Usage: scripts/fuzz.sh [seconds]
# Exits non-zero when the fuzzer finds a crash; the reproducer is left in build/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
out=build/fuzz
mkdir -p "$out/corpus"
cp tests/fuzz/corpus/* "$out/corpus/"

sources=(
  tests/fuzz/journal_reader_fuzz.cpp
  core/journal/segment_scan.cpp core/journal/sha256_batch.cpp core/journal/chain_hash.cpp
  core/journal/record_fields.cpp core/clock/calendar.cpp
  core/events/codec.cpp core/events/event_names.cpp core/model/fixed_point.cpp
  core/risk/risk_check_id.cpp core/risk/risk_limits.cpp
)
if [ ! -x "$out/journal_reader_fuzz" ] || [ -n "$(find "${sources[@]}" core/journal core/events core/model -newer "$out/journal_reader_fuzz" | head -1)" ]; then
  echo "fuzz: building journal_reader_fuzz with clang++"
  clang++ -std=c++20 -O1 -g -I. -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined "${sources[@]}" -lcrypto -o "$out/journal_reader_fuzz"
fi
echo "fuzz: running journal_reader_fuzz for ${seconds}s"
"$out/journal_reader_fuzz" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 \
  -artifact_prefix="$out/" "$out/corpus" 2>&1 | tail -n 12
