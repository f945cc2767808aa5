// Gemm and MatMul through cuBLASLt. A Gemm's bias (C, when it is one value per output feature)
// and ReLU run in cuBLASLt's epilogue; Tanh, Sigmoid and LeakyRelu, which cuBLASLt has no
// epilogue for, and a C that broadcasts otherwise, run in one kernel after it. Where cuBLASLt
// has no algorithm for an epilogue at some size, that size falls back to the kernel too.

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "inference/cuda/kernels.hpp"
#include "inference/cuda/lt_matmul.hpp"
#include "inference/cuda/steps.hpp"
#include "inference/onnx/broadcast.hpp"
#include "inference/onnx/model_error.hpp"

namespace guiju::inference::cuda {
namespace {

bool is_weight(const Graph& g, TensorId id) {
  return id != kNoTensor && g.tensor(id).kind == TensorKind::kWeight;
}

TensorId gemm_c(const Node& n) {
  return n.inputs.size() > 2 ? n.inputs[2] : kNoTensor;
}

// N, the Gemm's output features.
int64_t gemm_n(const Graph& g, const Node& n) {
  const Shape& bs = g.tensor(n.inputs[1]).shape;
  return std::get<GemmAttributes>(n.attributes).trans_b ? bs[0] : bs[1];
}

// A product planned for one batch size, and what finishes it after cuBLASLt (if anything).
struct Planned {
  size_t rows = 0;
  std::unique_ptr<LtMatmul> matmul;
  bool finish = false;
  BiasActivation epilogue;
  int64_t m = 0;
  int64_t n = 0;
};

const Planned& find(const std::vector<Planned>& plans, size_t rows) {
  for (const Planned& p : plans) {
    if (p.rows == rows) return p;
  }
  throw std::logic_error("a product queued for " + std::to_string(rows) +
                         " rows it was not planned for");
}

class GemmStep final : public Step {
 public:
  GemmStep(StepBuilder& b, const Node& n)
      : a_(b.operand(n.inputs[0])),
        b_(b.operand(n.inputs[1])),
        y_(b.operand(n.outputs[0])),
        at_(std::get<GemmAttributes>(n.attributes)),
        blas_(b.blas()),
        workspace_(b.workspace()),
        workspace_bytes_(b.workspace_bytes()) {
    const Graph& g = b.graph();
    const TensorId c = gemm_c(n);
    const auto nn = static_cast<size_t>(gemm_n(g, n));
    if (c != kNoTensor && gemm_c_is_bias(g, n)) {
      const std::vector<float>& cv = g.tensor(c).data;
      std::vector<float> bias(nn);
      for (size_t j = 0; j < nn; ++j) bias[j] = at_.beta * cv[cv.size() == 1 ? 0 : j];
      bias_ = b.upload(bias);
    } else if (c != kNoTensor) {
      c_ = b.operand(c);
      has_c_ = true;
    }
    finish_ = gemm_finishes_in_kernel(g, n);
    // cuBLASLt writes the scratch block when our kernel then writes the output elsewhere (its
    // staging buffer); otherwise the output, finished in place if need be.
    gemm_out_ = b.scratch() != nullptr ? b.scratch() : y_.data;
  }

  void prepare(size_t rows) override {
    const cpu::Dims da = a_.shape.at(rows);
    const cpu::Dims db = b_.shape.at(rows);
    MatmulShape s;
    s.trans_a = at_.trans_a;
    s.trans_b = at_.trans_b;
    s.m = static_cast<int64_t>(at_.trans_a ? da[1] : da[0]);
    s.k = static_cast<int64_t>(at_.trans_a ? da[0] : da[1]);
    s.n = static_cast<int64_t>(at_.trans_b ? db[0] : db[1]);
    MatmulOperands o{a_.data, b_.data, gemm_out_, bias_, at_.alpha, workspace_, workspace_bytes_};
    Planned p;
    p.rows = rows;
    p.m = s.m;
    p.n = s.n;
    p.epilogue.activation = at_.activation;
    p.epilogue.alpha = at_.activation_alpha;
    if (has_c_) {
      const cpu::Dims dc = c_.shape.at(rows);
      p.epilogue.c = c_.data;
      p.epilogue.c_rows = dc.rank == 2 ? static_cast<int64_t>(dc[0]) : 1;
      p.epilogue.c_cols = dc.rank >= 1 ? static_cast<int64_t>(dc[dc.rank - 1]) : 1;
      p.epilogue.beta = at_.beta;
    }
    const bool relu = at_.activation == Activation::kRelu;
    Epilogue e = Epilogue::kNone;
    if (bias_ != nullptr) {
      e = relu && !finish_ ? Epilogue::kReluBias : Epilogue::kBias;
    } else if (relu && !finish_) {
      e = Epilogue::kRelu;
    }
    p.matmul = LtMatmul::plan(blas_, s, e, o);
    p.finish = finish_;
    if (p.matmul == nullptr) {
      // No algorithm with that epilogue at this size: the plain product, then our kernel.
      p.matmul = LtMatmul::plan(blas_, s, Epilogue::kNone, o);
      p.finish = true;
      if (bias_ != nullptr) {
        p.epilogue.c = bias_;
        p.epilogue.c_rows = 1;
        p.epilogue.c_cols = s.n;
        p.epilogue.beta = 1.0F;
      }
    }
    plans_.push_back(std::move(p));
  }

  void enqueue(size_t rows, cudaStream_t stream) const override {
    const Planned& p = find(plans_, rows);
    p.matmul->enqueue(stream);
    if (p.finish) launch_bias_activation(gemm_out_, y_.data, p.m, p.n, p.epilogue, stream);
  }

 private:
  DeviceOperand a_;
  DeviceOperand b_;
  DeviceOperand y_;
  DeviceOperand c_;
  GemmAttributes at_;
  cublasLtHandle_t blas_;
  void* workspace_;
  size_t workspace_bytes_;
  const float* bias_ = nullptr;
  bool has_c_ = false;
  bool finish_ = false;
  float* gemm_out_ = nullptr;
  std::vector<Planned> plans_;
};

// MatMul with numpy semantics: 1-D operands promoted, leading dimensions broadcast. The leading
// dimensions become one strided batch (or, when the right operand repeats, rows of one product):
// each operand must either repeat as a whole or run through every leading index; a mix (A
// [2, 1, M, K] by B [1, 3, K, N]) is refused at load.
class MatMulStep final : public Step {
 public:
  MatMulStep(StepBuilder& b, const Node& n)
      : a_(b.operand(n.inputs[0])),
        b_(b.operand(n.inputs[1])),
        y_(b.operand(n.outputs[0])),
        blas_(b.blas()),
        workspace_(b.workspace()),
        workspace_bytes_(b.workspace_bytes()) {}

  void prepare(size_t rows) override {
    cpu::Dims da = a_.shape.at(rows);
    cpu::Dims db = b_.shape.at(rows);
    if (da.rank == 1) da = cpu::Dims{2, {1, da[0]}};
    if (db.rank == 1) db = cpu::Dims{2, {db[0], 1}};
    MatmulShape s;
    s.m = static_cast<int64_t>(da[da.rank - 2]);
    s.k = static_cast<int64_t>(da[da.rank - 1]);
    s.n = static_cast<int64_t>(db[db.rank - 1]);
    const size_t lead = std::max(da.rank, db.rank) - 2;
    const size_t skip_a = lead - (da.rank - 2);
    const size_t skip_b = lead - (db.rank - 2);
    int64_t count = 1;
    int64_t count_a = 1;
    int64_t count_b = 1;
    for (size_t i = 0; i < lead; ++i) {
      const auto xa = static_cast<int64_t>(i < skip_a ? 1 : da[i - skip_a]);
      const auto xb = static_cast<int64_t>(i < skip_b ? 1 : db[i - skip_b]);
      count *= std::max(xa, xb);
      count_a *= xa;
      count_b *= xb;
    }
    const bool a_repeats = count_a == 1;
    const bool b_repeats = count_b == 1;
    const bool a_full = count_a == count;
    const bool b_full = count_b == count;
    if (count > 1 && b_repeats) {
      s.m *= count;  // A's matrices lie one after another: rows of one product
    } else if (count > 1 && (a_full || a_repeats) && b_full) {
      if (count > INT32_MAX) throw ModelError("MatMul: more than 2^31 products in a batch");
      s.batch = static_cast<int32_t>(count);
      s.stride_a = a_repeats ? 0 : s.m * s.k;
      s.stride_b = s.k * s.n;
      s.stride_y = s.m * s.n;
    } else if (count > 1) {
      throw ModelError(
          "the leading dimensions of its operands broadcast in part (each operand must repeat "
          "as a whole or run through every leading index): not supported by the cuda backend; "
          "use backend: cpu");
    }
    const MatmulOperands o{a_.data, b_.data, y_.data, nullptr, 1.0F, workspace_, workspace_bytes_};
    Planned p;
    p.rows = rows;
    p.matmul = LtMatmul::plan(blas_, s, Epilogue::kNone, o);
    plans_.push_back(std::move(p));
  }

  void enqueue(size_t rows, cudaStream_t stream) const override {
    find(plans_, rows).matmul->enqueue(stream);
  }

 private:
  DeviceOperand a_;
  DeviceOperand b_;
  DeviceOperand y_;
  cublasLtHandle_t blas_;
  void* workspace_;
  size_t workspace_bytes_;
  std::vector<Planned> plans_;
};

}  // namespace

bool gemm_c_is_bias(const Graph& g, const Node& n) {
  const TensorId c = gemm_c(n);
  return is_weight(g, c) && broadcasts_to(g.tensor(c).shape, {1, gemm_n(g, n)});
}

bool gemm_finishes_in_kernel(const Graph& g, const Node& n) {
  const auto& at = std::get<GemmAttributes>(n.attributes);
  const bool activation_in_kernel = at.activation == Activation::kTanh ||
                                    at.activation == Activation::kSigmoid ||
                                    at.activation == Activation::kLeakyRelu;
  const bool c_in_kernel = gemm_c(n) != kNoTensor && !gemm_c_is_bias(g, n);
  return activation_in_kernel || c_in_kernel;
}

std::unique_ptr<Step> make_gemm_step(StepBuilder& b, const Node& n) {
  return std::make_unique<GemmStep>(b, n);
}

std::unique_ptr<Step> make_matmul_step(StepBuilder& b, const Node& n) {
  return std::make_unique<MatMulStep>(b, n);
}

}  // namespace guiju::inference::cuda
