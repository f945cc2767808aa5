#!/usr/bin/env bash
# The CUDA backend's checks on a machine with an NVIDIA GPU, in one go, from the repository root
# of a fresh copy: a Release build with GUIJU_CUDA=ON in build-device/ (the CUDA tests and the
# CUDA benchmark only), the CUDA tests, PyTorch's baseline on the same GPU, and the benchmark.
# Everything they print goes into $OUT (default ./device-out), with the machine's description;
# $OUT/summary.txt says what passed, failed, skipped or ran out of time.
#
#   OUT=/some/dir bash scripts/device-check.sh
#
# Needs cmake, ninja, g++, the project's build dependencies (scripts/install-deps.sh) and the
# CUDA toolkit in /usr/local/cuda; PyTorch with CUDA for the parity test and the baseline: the
# first of $GUIJU_PYTHON, python3, /usr/bin/python3 that imports torch and sees a GPU. Finishes
# within DEVICE_CHECK_SECONDS (default 510): each step gets what is left, up to its own cap.
# Exits 0 when every step passed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

OUT="${OUT:-./device-out}"
BUILD="${BUILD:-build-device}"
DEADLINE="${DEVICE_CHECK_SECONDS:-510}"
JOBS="${JOBS:-16}"
mkdir -p "$OUT" || exit 1
OUT="$(cd "$OUT" && pwd)"
SUMMARY="$OUT/summary.txt"
: >"$SUMMARY"
failures=0

say() {
  printf '[device-check %3ds] %s\n' "$SECONDS" "$*"
}

record() {
  printf '%-28s %s\n' "$1" "$2" | tee -a "$SUMMARY"
}

# Seconds a step may take: its cap, or what is left before the deadline (keeping 10 s for the
# summary), whichever is less; 0 when nothing is left.
budget() {
  local cap="$1" left
  left=$((DEADLINE - SECONDS - 10))
  if ((left < 5)); then
    echo 0
  elif ((left < cap)); then
    echo "$left"
  else
    echo "$cap"
  fi
}

# run_step NAME CAP LOG COMMAND...: runs COMMAND under a time limit, its output in LOG.
run_step() {
  local name="$1" cap="$2" log="$3" limit rc
  shift 3
  limit="$(budget "$cap")"
  if ((limit == 0)); then
    record "$name" "NOT RUN (out of time)"
    failures=$((failures + 1))
    return 1
  fi
  say "$name (up to ${limit}s) -> $log"
  timeout --kill-after=5 "$limit" "$@" >"$log" 2>&1
  rc=$?
  if ((rc == 0)); then
    return 0
  fi
  if ((rc == 124 || rc == 137)); then
    record "$name" "TIMED OUT after ${limit}s (see $(basename "$log"))"
  else
    record "$name" "FAILED, exit $rc (see $(basename "$log"))"
  fi
  tail -n 30 "$log"
  failures=$((failures + 1))
  return "$rc"
}

say "output in $OUT"

# --- the tools ---------------------------------------------------------------------------------
missing=()
for tool in cmake ninja g++ timeout; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
NVCC=/usr/local/cuda/bin/nvcc
[[ -x "$NVCC" ]] || missing+=("$NVCC")
if ((${#missing[@]} > 0)); then
  record "tools" "MISSING: ${missing[*]} (install the build dependencies: scripts/install-deps.sh, and the CUDA toolkit)"
  exit 1
fi

PYTHON=""
for candidate in "${GUIJU_PYTHON:-}" python3 /usr/bin/python3; do
  [[ -n "$candidate" ]] || continue
  if command -v "$candidate" >/dev/null 2>&1 &&
    timeout 60 "$candidate" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' \
      >/dev/null 2>&1; then
    PYTHON="$(command -v "$candidate")"
    break
  fi
done

# --- the machine -------------------------------------------------------------------------------
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "host kernel: $(uname -srm)"
  echo "cpus: $(nproc)"
  grep -m1 'model name' /proc/cpuinfo || true
  echo
  echo "nvidia-smi -L:"
  nvidia-smi -L 2>&1 || echo "(nvidia-smi failed)"
  echo
  nvidia-smi 2>&1 || true
  echo
  "$NVCC" --version 2>&1 | tail -n 2
  cmake --version | head -n 1
  echo "ninja $(ninja --version)"
  g++ --version | head -n 1
  if [[ -n "$PYTHON" ]]; then
    "$PYTHON" -c 'import torch; print("python", __import__("sys").version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))' 2>&1
  else
    echo "no Python with torch and a CUDA device (tried \$GUIJU_PYTHON, python3, /usr/bin/python3)"
  fi
  if command -v git >/dev/null 2>&1 && git rev-parse HEAD >/dev/null 2>&1; then
    echo "commit: $(git rev-parse HEAD)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (with local changes)')"
  fi
} >"$OUT/device.txt" 2>&1
cat "$OUT/device.txt"
record "python with torch+cuda" "${PYTHON:-none: the parity test and the PyTorch baseline will skip}"
# With a GPU listed, a CUDA test that skips has not tested anything: that counts as a failure.
gpus="$(nvidia-smi -L 2>/dev/null | grep -c '^GPU ' || true)"
record "gpus listed" "${gpus:-0}"

# --- configure and build -----------------------------------------------------------------------
cmake_args=(-S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGUIJU_CUDA=ON
  -DGUIJU_BUILD_TESTS=ON -DGUIJU_BUILD_BENCHMARKS=ON)
[[ -n "$PYTHON" ]] && cmake_args+=("-DGUIJU_PYTHON=$PYTHON")
if ! run_step "configure" 120 "$OUT/configure.log" cmake "${cmake_args[@]}"; then
  say "configure failed: nothing to run"
  exit 1
fi
record "configure" "ok"

tests=(cuda_backend_test cuda_executor_test cuda_allocation_test cuda_torch_parity_test)
build_start=$SECONDS
if ! run_step "build" 360 "$OUT/build.log" ninja -C "$BUILD" -j "$JOBS" "${tests[@]}" inference_cuda_bench; then
  say "build failed: nothing to run"
  exit 1
fi
record "build" "ok in $((SECONDS - build_start))s (ninja -j $JOBS)"

# --- tests -------------------------------------------------------------------------------------
export GUIJU_PYTHON="${PYTHON:-/usr/bin/python3}"
for t in "${tests[@]}"; do
  cap=90
  [[ "$t" == cuda_torch_parity_test ]] && cap=180
  if run_step "$t" "$cap" "$OUT/$t.txt" "$BUILD/tests/$t" --gtest_color=no; then
    passed="$(grep -Eo '\[  PASSED  \] [0-9]+' "$OUT/$t.txt" | grep -Eo '[0-9]+$' || echo 0)"
    skipped="$(grep -Eo '\[  SKIPPED \] [0-9]+ test' "$OUT/$t.txt" | grep -Eo '[0-9]+' || echo 0)"
    # Skips that are right on a GPU machine: the backend test's "not built in" and "no device".
    expected=0
    [[ "$t" == cuda_backend_test ]] && expected=2
    [[ "$t" == cuda_torch_parity_test && -z "$PYTHON" ]] && expected=2
    if ((${gpus:-0} > 0 && ${skipped:-0} > expected)); then
      record "$t" "FAILED: passed ${passed:-0}, but ${skipped} skipped on a machine with a GPU"
      grep -A1 'Skipped$' "$OUT/$t.txt" | head -n 20
      failures=$((failures + 1))
    else
      record "$t" "passed ${passed:-0}, skipped ${skipped:-0}"
    fi
  fi
done

# --- benchmarks --------------------------------------------------------------------------------
torch_args=()
if [[ -n "$PYTHON" ]]; then
  if run_step "torch baseline" 120 "$OUT/torch-baseline.txt" \
    "$PYTHON" bench/inference_torch_cuda_baseline.py --samples 20000 --batches 256,65536; then
    record "torch baseline" "ok"
  fi
  torch_args=(--torch-output "$OUT/torch-baseline.txt")
else
  record "torch baseline" "SKIPPED: no Python with torch and a CUDA device"
  torch_args=(--no-torch)
fi
if run_step "inference_cuda_bench" 120 "$OUT/cuda-bench.txt" \
  "$BUILD/bench/inference_cuda_bench" --samples 100000 "${torch_args[@]}"; then
  record "inference_cuda_bench" "ok"
  grep -E 'TARGET|PyTorch|guiju batch|batch [0-9]+, inferences|from the' "$OUT/cuda-bench.txt" |
    tee -a "$SUMMARY"
fi

say "done in ${SECONDS}s: $failures step(s) failed; $OUT/summary.txt:"
cat "$SUMMARY"
((failures == 0))
