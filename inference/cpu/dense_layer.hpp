#pragma once
// y = activation(x W + b) for rows of x: the Gemm (and MatMul by a constant matrix) of the CPU
// backend, and the input and recurrent products of GRU and LSTM.
//
// Mechanical sympathy: at batch 1 a dense layer is a matrix-vector product: every weight is
// loaded once and used once, so the kernel is bound by loads and FMAs issued per cycle, with the
// weights streaming from L2. The weights are packed at load into panels of 64 outputs by all
// inputs, in the order the kernel reads them: one sequential stream the hardware prefetcher
// follows, every load a whole aligned vector feeding one FMA, several independent FMA chains in
// registers (enough to cover the FMA latency), the bias loaded as the accumulators' start.
// Layers with fewer outputs than a vector (a final score) are packed by output instead and
// computed as dot products. The instruction set is chosen once at load from what the CPU has
// (AVX-512, AVX2 with FMA, or a portable version the compiler vectorises for the build's
// baseline), so one binary runs everywhere and is fast where it can be.

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include "inference/cpu/aligned_buffer.hpp"
#include "inference/onnx/graph.hpp"

namespace guiju::inference::cpu {

enum class Isa : uint8_t { kPortable, kAvx2, kAvx512 };
// The best this CPU runs: kAvx512 when it has AVX-512F (with AVX2 and FMA), kAvx2 when it has
// AVX2 and FMA. GUIJU_INFERENCE_ISA=avx2 or =portable in the environment caps it, for hosts
// where 512-bit instructions lower the core's clock (Intel before Ice Lake).
Isa best_isa();
// Whether this CPU runs `isa`.
bool supports(Isa isa);
std::string_view isa_name(Isa isa);

class DenseLayer {
 public:
  // `weight(k, n)`: the weight of input k for output n. `bias`: one per output, or empty.
  DenseLayer(size_t inputs, size_t outputs, const std::function<float(size_t, size_t)>& weight,
             const std::vector<float>& bias, Activation activation = Activation::kNone,
             float activation_alpha = 0.0F, Isa isa = best_isa());

  // `rows` rows of `inputs` floats in, `rows` rows of `outputs` floats out (y must not overlap x).
  // Allocates nothing.
  void run(const float* x, size_t rows, float* y) const;

  size_t inputs() const { return inputs_; }
  size_t outputs() const { return outputs_; }
  Isa isa() const { return isa_; }

 private:
  void run_row(const float* x, float* y) const;

  size_t inputs_;
  size_t outputs_;
  Activation activation_;
  float activation_alpha_;
  Isa isa_;
  size_t lanes_;        // floats per vector of the chosen ISA
  size_t panel_;        // outputs per panel
  bool dot_;            // outputs < lanes: packed by output, as dot products
  size_t row_stride_;   // dot: each output's weights, padded to whole vectors
  AlignedBuffer bias_;  // padded to whole panels
  AlignedBuffer packed_;
};

}  // namespace guiju::inference::cpu
