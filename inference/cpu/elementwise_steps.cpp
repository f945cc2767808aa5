// Add, Sub, Mul, Div with ONNX (numpy) broadcasting, and the activations.
//
// Broadcasting works on the shapes of this run: each operand gets a stride per output dimension,
// 0 where it repeats; dimensions of 1 are dropped and neighbours that both operands walk the same
// way are merged, so that the common cases (same shapes, a scalar, a bias along the last
// dimension) become one long inner loop the compiler vectorises, under an odometer over the rest.

#include <algorithm>
#include <array>

#include "inference/cpu/activations.hpp"
#include "inference/cpu/steps.hpp"

namespace guiju::inference::cpu {
namespace {

struct Add {
  float operator()(float a, float b) const { return a + b; }
};
struct Sub {
  float operator()(float a, float b) const { return a - b; }
};
struct Mul {
  float operator()(float a, float b) const { return a * b; }
};
struct Div {
  float operator()(float a, float b) const { return a / b; }
};

// Strides of `d` (aligned to the right of `rank` dimensions) for walking an output of `rank`
// dimensions: 0 along a dimension of 1, which repeats.
std::array<size_t, kMaxRank> broadcast_strides(const Dims& d, size_t rank) {
  std::array<size_t, kMaxRank> s{};
  size_t stride = 1;
  for (size_t i = rank; i-- > 0;) {
    const size_t j = i + d.rank;  // d's dimension i - (rank - d.rank), if it exists
    const size_t size = j >= rank ? d[j - rank] : 1;
    s[i] = size == 1 ? 0 : stride;
    stride *= size;
  }
  return s;
}

template <class F>
void inner(const float* a, size_t sa, const float* b, size_t sb, float* y, size_t n, F f) {
  if (sa != 0 && sb != 0) {
    for (size_t i = 0; i < n; ++i) y[i] = f(a[i], b[i]);
  } else if (sa != 0) {
    const float bv = *b;
    for (size_t i = 0; i < n; ++i) y[i] = f(a[i], bv);
  } else if (sb != 0) {
    const float av = *a;
    for (size_t i = 0; i < n; ++i) y[i] = f(av, b[i]);
  } else {
    std::fill(y, y + n, f(*a, *b));
  }
}

template <class F>
void broadcast(const float* a, const Dims& da, const float* b, const Dims& db, float* y,
               const Dims& dy, F f) {
  const std::array<size_t, kMaxRank> sa0 = broadcast_strides(da, dy.rank);
  const std::array<size_t, kMaxRank> sb0 = broadcast_strides(db, dy.rank);
  // Drop dimensions of 1; merge a dimension into the one after it when both operands step
  // through the pair as through one dimension (contiguous, or both repeating).
  std::array<size_t, kMaxRank> dims{};
  std::array<size_t, kMaxRank> sa{};
  std::array<size_t, kMaxRank> sb{};
  size_t rank = 0;
  for (size_t i = 0; i < dy.rank; ++i) {
    if (dy[i] == 1) continue;
    if (rank > 0 && sa[rank - 1] == sa0[i] * dy[i] && sb[rank - 1] == sb0[i] * dy[i]) {
      dims[rank - 1] *= dy[i];
      sa[rank - 1] = sa0[i];
      sb[rank - 1] = sb0[i];
      continue;
    }
    dims[rank] = dy[i];
    sa[rank] = sa0[i];
    sb[rank] = sb0[i];
    ++rank;
  }
  if (rank == 0) {
    *y = f(*a, *b);
    return;
  }
  const size_t n = dims[rank - 1];
  const size_t outer = dy.elements() / n;
  std::array<size_t, kMaxRank> at{};
  size_t oa = 0;
  size_t ob = 0;
  for (size_t it = 0; it < outer; ++it) {
    inner(a + oa, sa[rank - 1], b + ob, sb[rank - 1], y + it * n, n, f);
    for (size_t i = rank - 1; i-- > 0;) {
      oa += sa[i];
      ob += sb[i];
      if (++at[i] < dims[i]) break;
      oa -= sa[i] * dims[i];
      ob -= sb[i] * dims[i];
      at[i] = 0;
    }
  }
}

template <class F>
class BinaryStep final : public Step {
 public:
  BinaryStep(Operand a, Operand b, Operand y) : a_(a), b_(b), y_(y) {}
  void run(const RunContext& c) const override {
    broadcast(a_.at.read(c), a_.shape.at(c.rows), b_.at.read(c), b_.shape.at(c.rows),
              y_.at.write(c), y_.shape.at(c.rows), F{});
  }

 private:
  Operand a_;
  Operand b_;
  Operand y_;
};

class UnaryStep final : public Step {
 public:
  UnaryStep(Operand x, Operand y, Activation activation, float alpha)
      : x_(x), y_(y), activation_(activation), alpha_(alpha) {}
  void run(const RunContext& c) const override {
    activation_into(activation_, alpha_, x_.at.read(c), y_.at.write(c),
                    y_.shape.at(c.rows).elements());
  }

 private:
  Operand x_;
  Operand y_;
  Activation activation_;
  float alpha_;
};

}  // namespace

std::unique_ptr<Step> make_binary_step(StepBuilder& b, const Node& n) {
  Operand x = b.operand(n.inputs[0]);
  Operand z = b.operand(n.inputs[1]);
  Operand y = b.operand(n.outputs[0]);
  switch (n.op) {
    case OpType::kAdd:
      return std::make_unique<BinaryStep<Add>>(x, z, y);
    case OpType::kSub:
      return std::make_unique<BinaryStep<Sub>>(x, z, y);
    case OpType::kMul:
      return std::make_unique<BinaryStep<Mul>>(x, z, y);
    default:
      return std::make_unique<BinaryStep<Div>>(x, z, y);
  }
}

std::unique_ptr<Step> make_unary_step(StepBuilder& b, const Node& n) {
  Activation a = Activation::kNone;
  float alpha = 0;
  switch (n.op) {
    case OpType::kRelu:
      a = Activation::kRelu;
      break;
    case OpType::kLeakyRelu:
      a = Activation::kLeakyRelu;
      alpha = std::get<LeakyReluAttributes>(n.attributes).alpha;
      break;
    case OpType::kTanh:
      a = Activation::kTanh;
      break;
    default:
      a = Activation::kSigmoid;
      break;
  }
  return std::make_unique<UnaryStep>(b.operand(n.inputs[0]), b.operand(n.outputs[0]), a, alpha);
}

}  // namespace guiju::inference::cpu
