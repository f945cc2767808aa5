// libFuzzer target for the ONNX loader: any bytes, read as a model file, must either load into a
// graph or be refused with a ModelError; never a crash, an out-of-bounds access, undefined
// behaviour (built with ASan and UBSan) or an allocation beyond the load limits (the limits are
// tightened here so that a finding shows up as an out-of-memory report). Every graph that loads
// is also planned by the CPU backend and run once at batch 1. Run by scripts/fuzz.sh.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "inference/cpu/cpu_executor.hpp"
#include "inference/onnx/model_error.hpp"
#include "inference/onnx/onnx_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace guiju::inference;
  LoadLimits limits;
  limits.max_file_bytes = size_t{1} << 20;
  limits.max_tensor_elements = size_t{1} << 20;
  limits.max_weight_elements = size_t{1} << 22;
  limits.max_nodes = 1000;
  try {
    Graph graph = parse_onnx(std::as_bytes(std::span(data, size)), "fuzz.onnx", limits);
    ModelInfo info;
    info.max_batch = 2;
    cpu::CpuExecutor executor(std::move(graph), info);
    std::vector<std::vector<float>> in;
    std::vector<std::vector<float>> out;
    std::vector<const float*> ip;
    std::vector<float*> op;
    for (const TensorInfo& t : executor.info().inputs) in.emplace_back(t.row_elements(), 0.5F);
    for (const TensorInfo& t : executor.info().outputs) out.emplace_back(t.row_elements());
    for (auto& v : in) ip.push_back(v.data());
    for (auto& v : out) op.push_back(v.data());
    executor.run(Batch{1, ip, op});
  } catch (const ModelError&) {
    return 0;  // refused, as it should be
  }
  return 0;
}
