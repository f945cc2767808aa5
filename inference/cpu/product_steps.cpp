// Gemm and MatMul. By a constant matrix (a Linear layer: the common case and the hot path) they
// run on the packed DenseLayer with bias and activation fused; otherwise Eigen multiplies the
// row-major tensors in place.

#include <Eigen/Core>

#include <algorithm>
#include <vector>

#include "inference/cpu/activations.hpp"
#include "inference/cpu/dense_layer.hpp"
#include "inference/cpu/steps.hpp"
#include "inference/onnx/broadcast.hpp"

namespace guiju::inference::cpu {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;
using MatrixMap = Eigen::Map<RowMatrix>;

Eigen::Index idx(size_t n) {
  return static_cast<Eigen::Index>(n);
}

// x [rows, K] -> y [rows, N] through a packed layer; the rows are what the input holds.
class DenseStep final : public Step {
 public:
  DenseStep(Operand x, Operand y, DenseLayer layer) : x_(x), y_(y), layer_(std::move(layer)) {}
  void run(const RunContext& c) const override {
    const size_t rows = x_.shape.at(c.rows).elements() / layer_.inputs();
    layer_.run(x_.at.read(c), rows, y_.at.write(c));
  }

 private:
  Operand x_;
  Operand y_;
  DenseLayer layer_;
};

// The general Gemm: any operand computed, transposes, C broadcast in two dimensions.
class GemmStep final : public Step {
 public:
  GemmStep(const Node& n, StepBuilder& b)
      : a_(b.operand(n.inputs[0])),
        b_(b.operand(n.inputs[1])),
        y_(b.operand(n.outputs[0])),
        attributes_(std::get<GemmAttributes>(n.attributes)) {
    if (n.inputs.size() > 2 && n.inputs[2] != kNoTensor) {
      c_ = b.operand(n.inputs[2]);
      has_c_ = true;
    }
  }
  void run(const RunContext& c) const override {
    const Dims da = a_.shape.at(c.rows);
    const Dims db = b_.shape.at(c.rows);
    const Dims dy = y_.shape.at(c.rows);
    const ConstMatrixMap a(a_.at.read(c), idx(da[0]), idx(da[1]));
    const ConstMatrixMap b(b_.at.read(c), idx(db[0]), idx(db[1]));
    MatrixMap y(y_.at.write(c), idx(dy[0]), idx(dy[1]));
    const float alpha = attributes_.alpha;
    if (attributes_.trans_a && attributes_.trans_b) {
      y.noalias() = alpha * a.transpose() * b.transpose();
    } else if (attributes_.trans_a) {
      y.noalias() = alpha * a.transpose() * b;
    } else if (attributes_.trans_b) {
      y.noalias() = alpha * a * b.transpose();
    } else {
      y.noalias() = alpha * a * b;
    }
    if (has_c_) {
      // C broadcasts to [M, N] in one direction: a dimension of 1 (or a missing one) repeats.
      const Dims dc = c_.shape.at(c.rows);
      const size_t rows_c = dc.rank == 2 ? dc[0] : 1;
      const size_t cols_c = dc.rank >= 1 ? dc[dc.rank - 1] : 1;
      const float* cv = c_.at.read(c);
      for (size_t i = 0; i < dy[0]; ++i) {
        for (size_t j = 0; j < dy[1]; ++j) {
          y(idx(i), idx(j)) +=
              attributes_.beta * cv[(rows_c == 1 ? 0 : i) * cols_c + (cols_c == 1 ? 0 : j)];
        }
      }
    }
    apply_activation(attributes_.activation, attributes_.activation_alpha, y.data(), dy.elements());
  }

 private:
  Operand a_;
  Operand b_;
  Operand c_;
  Operand y_;
  GemmAttributes attributes_;
  bool has_c_ = false;
};

// MatMul with numpy semantics: leading dimensions broadcast, 1-D operands promoted.
class MatMulStep final : public Step {
 public:
  MatMulStep(const Node& n, StepBuilder& b)
      : a_(b.operand(n.inputs[0])), b_(b.operand(n.inputs[1])), y_(b.operand(n.outputs[0])) {}
  void run(const RunContext& c) const override {
    Dims da = a_.shape.at(c.rows);
    Dims db = b_.shape.at(c.rows);
    // Promote 1-D operands to matrices: [K] -> [1, K] on the left, [K] -> [K, 1] on the right.
    if (da.rank == 1) da = Dims{2, {1, da[0]}};
    if (db.rank == 1) db = Dims{2, {db[0], 1}};
    const size_t m = da[da.rank - 2];
    const size_t k = da[da.rank - 1];
    const size_t nn = db[db.rank - 1];
    // The leading dimensions, aligned from the right (a missing one is 1), and each operand's
    // step between matrices along them (0 where it broadcasts).
    const size_t lead = std::max(da.rank, db.rank) - 2;
    const size_t skip_a = lead - (da.rank - 2);
    const size_t skip_b = lead - (db.rank - 2);
    std::array<size_t, kMaxRank> dims{};
    std::array<size_t, kMaxRank> sa{};
    std::array<size_t, kMaxRank> sb{};
    size_t stride_a = m * k;
    size_t stride_b = k * nn;
    size_t count = 1;
    for (size_t i = lead; i-- > 0;) {
      const size_t xa = i < skip_a ? 1 : da[i - skip_a];
      const size_t xb = i < skip_b ? 1 : db[i - skip_b];
      dims[i] = std::max(xa, xb);
      sa[i] = xa == 1 ? 0 : stride_a;
      sb[i] = xb == 1 ? 0 : stride_b;
      stride_a *= xa;
      stride_b *= xb;
      count *= dims[i];
    }
    const float* pa = a_.at.read(c);
    const float* pb = b_.at.read(c);
    float* py = y_.at.write(c);
    std::array<size_t, kMaxRank> at{};
    size_t oa = 0;
    size_t ob = 0;
    for (size_t it = 0; it < count; ++it) {
      const ConstMatrixMap a(pa + oa, idx(m), idx(k));
      const ConstMatrixMap b(pb + ob, idx(k), idx(nn));
      MatrixMap y(py + it * m * nn, idx(m), idx(nn));
      y.noalias() = a * b;
      // The next leading index (an odometer), each operand's offset moved along.
      for (size_t i = lead; i-- > 0;) {
        oa += sa[i];
        ob += sb[i];
        if (++at[i] < dims[i]) break;
        oa -= sa[i] * dims[i];
        ob -= sb[i] * dims[i];
        at[i] = 0;
      }
    }
  }

 private:
  Operand a_;
  Operand b_;
  Operand y_;
};

bool is_weight(const Graph& g, TensorId id) {
  return id != kNoTensor && g.tensor(id).kind == TensorKind::kWeight;
}

}  // namespace

std::unique_ptr<Step> make_gemm_step(StepBuilder& b, const Node& n) {
  const Graph& g = b.graph();
  const auto& at = std::get<GemmAttributes>(n.attributes);
  const TensorId c = n.inputs.size() > 2 ? n.inputs[2] : kNoTensor;
  const Shape& bs = g.tensor(n.inputs[1]).shape;
  const auto k = static_cast<size_t>(at.trans_b ? bs[1] : bs[0]);
  const auto nn = static_cast<size_t>(at.trans_b ? bs[0] : bs[1]);
  // The packed path: B constant, A not transposed, C absent or a constant vector of N (or 1).
  const bool c_vector =
      c == kNoTensor ||
      (is_weight(g, c) && broadcasts_to(g.tensor(c).shape, {1, static_cast<int64_t>(nn)}));
  if (!is_weight(g, n.inputs[1]) || at.trans_a || !c_vector) {
    return std::make_unique<GemmStep>(n, b);
  }
  const std::vector<float>& w = g.tensor(n.inputs[1]).data;
  std::vector<float> bias(nn, 0.0F);
  if (c != kNoTensor) {
    const std::vector<float>& cv = g.tensor(c).data;
    for (size_t j = 0; j < nn; ++j) bias[j] = at.beta * cv[cv.size() == 1 ? 0 : j];
  }
  const float alpha = at.alpha;
  const bool tb = at.trans_b;
  DenseLayer layer(
      k, nn, [&](size_t i, size_t j) { return alpha * (tb ? w[j * k + i] : w[i * nn + j]); }, bias,
      at.activation, at.activation_alpha);
  return std::make_unique<DenseStep>(b.operand(n.inputs[0]), b.operand(n.outputs[0]),
                                     std::move(layer));
}

std::unique_ptr<Step> make_matmul_step(StepBuilder& b, const Node& n) {
  const Graph& g = b.graph();
  const Shape& bs = g.tensor(n.inputs[1]).shape;
  if (is_weight(g, n.inputs[1]) && bs.size() == 2) {
    // [..., K] x [K, N]: every leading index is a row of one dense layer.
    const auto k = static_cast<size_t>(bs[0]);
    const auto nn = static_cast<size_t>(bs[1]);
    const std::vector<float>& w = g.tensor(n.inputs[1]).data;
    DenseLayer layer(k, nn, [&](size_t i, size_t j) { return w[i * nn + j]; }, {});
    return std::make_unique<DenseStep>(b.operand(n.inputs[0]), b.operand(n.outputs[0]),
                                       std::move(layer));
  }
  return std::make_unique<MatMulStep>(n, b);
}

}  // namespace guiju::inference::cpu
