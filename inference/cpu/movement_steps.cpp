// Concat, Transpose and Gather: copies, in the largest contiguous pieces the shapes allow.

#include <array>
#include <cstring>
#include <vector>

#include "inference/cpu/steps.hpp"

namespace guiju::inference::cpu {
namespace {

class ConcatStep final : public Step {
 public:
  ConcatStep(std::vector<Operand> inputs, Operand y, size_t axis)
      : inputs_(std::move(inputs)), y_(y), axis_(axis) {}
  void run(const RunContext& c) const override {
    const Dims dy = y_.shape.at(c.rows);
    const size_t outer = dy.product(0, axis_);
    const size_t inner = dy.product(axis_ + 1, dy.rank);
    float* y = y_.at.write(c);
    for (size_t o = 0; o < outer; ++o) {
      for (const Operand& in : inputs_) {
        const size_t chunk = in.shape.at(c.rows)[axis_] * inner;
        std::memcpy(y, in.at.read(c) + o * chunk, chunk * sizeof(float));
        y += chunk;
      }
    }
  }

 private:
  std::vector<Operand> inputs_;
  Operand y_;
  size_t axis_;
};

class TransposeStep final : public Step {
 public:
  TransposeStep(Operand x, Operand y, std::vector<int> perm)
      : x_(x), y_(y), perm_(std::move(perm)) {}
  void run(const RunContext& c) const override {
    const Dims dx = x_.shape.at(c.rows);
    const Dims dy = y_.shape.at(c.rows);
    std::array<size_t, kMaxRank> in_stride{};
    size_t stride = 1;
    for (size_t i = dx.rank; i-- > 0;) {
      in_stride[i] = stride;
      stride *= dx[i];
    }
    // The input stride of each output dimension; the output is written in order.
    std::array<size_t, kMaxRank> s{};
    for (size_t i = 0; i < dy.rank; ++i) s[i] = in_stride[static_cast<size_t>(perm_[i])];
    const float* x = x_.at.read(c);
    float* y = y_.at.write(c);
    if (dy.rank == 0) {
      *y = *x;
      return;
    }
    const size_t last = dy.rank - 1;
    const size_t n = dy[last];
    const size_t outer = dy.elements() / n;
    std::array<size_t, kMaxRank> at{};
    size_t offset = 0;
    for (size_t it = 0; it < outer; ++it) {
      if (s[last] == 1) {
        std::memcpy(y, x + offset, n * sizeof(float));
      } else {
        for (size_t k = 0; k < n; ++k) y[k] = x[offset + k * s[last]];
      }
      y += n;
      for (size_t i = last; i-- > 0;) {
        offset += s[i];
        if (++at[i] < dy[i]) break;
        offset -= s[i] * dy[i];
        at[i] = 0;
      }
    }
  }

 private:
  Operand x_;
  Operand y_;
  std::vector<int> perm_;
};

class GatherStep final : public Step {
 public:
  GatherStep(Operand x, Operand y, GatherAttributes attributes)
      : x_(x), y_(y), attributes_(std::move(attributes)) {}
  void run(const RunContext& c) const override {
    const Dims dx = x_.shape.at(c.rows);
    const auto axis = static_cast<size_t>(attributes_.axis);
    const size_t outer = dx.product(0, axis);
    const size_t size = dx[axis];
    const size_t inner = dx.product(axis + 1, dx.rank);
    const float* x = x_.at.read(c);
    float* y = y_.at.write(c);
    for (size_t o = 0; o < outer; ++o) {
      for (const int64_t i : attributes_.indices) {
        std::memcpy(y, x + (o * size + static_cast<size_t>(i)) * inner, inner * sizeof(float));
        y += inner;
      }
    }
  }

 private:
  Operand x_;
  Operand y_;
  GatherAttributes attributes_;
};

}  // namespace

std::unique_ptr<Step> make_concat_step(StepBuilder& b, const Node& n) {
  std::vector<Operand> inputs;
  for (const TensorId id : n.inputs) inputs.push_back(b.operand(id));
  return std::make_unique<ConcatStep>(
      std::move(inputs), b.operand(n.outputs[0]),
      static_cast<size_t>(std::get<ConcatAttributes>(n.attributes).axis));
}

std::unique_ptr<Step> make_transpose_step(StepBuilder& b, const Node& n) {
  return std::make_unique<TransposeStep>(b.operand(n.inputs[0]), b.operand(n.outputs[0]),
                                         std::get<TransposeAttributes>(n.attributes).perm);
}

std::unique_ptr<Step> make_gather_step(StepBuilder& b, const Node& n) {
  return std::make_unique<GatherStep>(b.operand(n.inputs[0]), b.operand(n.outputs[0]),
                                      std::get<GatherAttributes>(n.attributes));
}

}  // namespace guiju::inference::cpu
