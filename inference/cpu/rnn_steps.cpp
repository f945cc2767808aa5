// GRU and LSTM, forward, one layer. The input projection of every step and row is one packed
// dense pass over [steps * batch, input] before the recurrence; each step then runs the
// recurrent product for all rows and the gate arithmetic in vectorised Eigen arrays over the
// hidden units. Gate order as ONNX gives it: GRU z, r, h; LSTM i, o, f, c.

#include <Eigen/Core>

#include <cstring>
#include <optional>
#include <vector>

#include "inference/cpu/dense_layer.hpp"
#include "inference/cpu/steps.hpp"

namespace guiju::inference::cpu {
namespace {

using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

Eigen::Index idx(size_t n) {
  return static_cast<Eigen::Index>(n);
}

// The weights of gates [first, first + count) of W [1, gates*H, K] as a layer over K inputs,
// with the bias B[bias_at + first*H ...] when there is one.
DenseLayer gate_layer(const Tensor& w, const Tensor* b, size_t hidden, size_t first, size_t count,
                      size_t bias_at) {
  const auto k = static_cast<size_t>(w.shape[2]);
  const size_t n = count * hidden;
  const size_t row0 = first * hidden;
  std::vector<float> bias;
  if (b != nullptr) {
    bias.assign(b->data.begin() + static_cast<std::ptrdiff_t>(bias_at + row0),
                b->data.begin() + static_cast<std::ptrdiff_t>(bias_at + row0 + n));
  }
  return {k, n, [&](size_t i, size_t j) { return w.data[(row0 + j) * k + i]; }, bias};
}

// What GRU and LSTM share: X, the optional outputs and initial states, the scratch.
struct RnnCommon {
  Operand x;
  std::optional<Operand> y;    // [steps, 1, batch, H]
  std::optional<Operand> y_h;  // [1, batch, H]
  std::optional<Operand> initial_h;
  size_t hidden = 0;
  size_t steps = 0;
  size_t max_rows = 0;  // the batch dimension of X at the largest batch
  Location x_gates;     // [steps * batch, gates * H]
  Location h_gates;     // [batch, gates * H]
  Location h_state;     // [batch, H] when Y_h is not an output

  RnnCommon(StepBuilder& b, const Node& n, size_t gates)
      : x(b.operand(n.inputs[0])),
        hidden(static_cast<size_t>(std::get<RnnAttributes>(n.attributes).hidden_size)) {
    const Shape& xs = b.graph().tensor(n.inputs[0]).shape;
    steps = static_cast<size_t>(xs[0]);
    max_rows = xs[1] == kBatch ? b.max_batch() : static_cast<size_t>(xs[1]);
    const size_t batch = max_rows;
    if (!n.outputs.empty() && n.outputs[0] != kNoTensor) y = b.operand(n.outputs[0]);
    if (n.outputs.size() > 1 && n.outputs[1] != kNoTensor) y_h = b.operand(n.outputs[1]);
    if (n.inputs.size() > 5 && n.inputs[5] != kNoTensor) initial_h = b.operand(n.inputs[5]);
    x_gates = b.scratch(steps * batch * gates * hidden);
    h_gates = b.scratch(batch * gates * hidden);
    h_state = b.scratch(batch * hidden);
  }

  size_t batch(const RunContext& c) const { return x.shape.at(c.rows)[1]; }

  // The hidden state, in Y_h when the graph reads it, set to the initial state or zeros.
  float* start_state(const RunContext& c, const std::optional<Operand>& out, Location scratch,
                     const std::optional<Operand>& initial) const {
    float* h = out ? out->at.write(c) : scratch.write(c);
    const size_t n = batch(c) * hidden;
    if (initial) {
      std::memcpy(h, initial->at.read(c), n * sizeof(float));
    } else {
      std::memset(h, 0, n * sizeof(float));
    }
    return h;
  }

  void record(const RunContext& c, size_t t, const float* h) const {
    if (!y) return;
    const size_t n = batch(c) * hidden;
    std::memcpy(y->at.write(c) + t * n, h, n * sizeof(float));
  }
};

class GruStep final : public Step {
 public:
  GruStep(StepBuilder& b, const Node& n)
      : common_(b, n, 3),
        linear_before_reset_(std::get<RnnAttributes>(n.attributes).linear_before_reset) {
    const Graph& g = b.graph();
    const Tensor& w = g.tensor(n.inputs[1]);
    const Tensor& r = g.tensor(n.inputs[2]);
    const Tensor* bias = n.inputs[3] != kNoTensor ? &g.tensor(n.inputs[3]) : nullptr;
    const size_t h = common_.hidden;
    input_.emplace(gate_layer(w, bias, h, 0, 3, 0));
    if (linear_before_reset_) {
      recurrent_.emplace(gate_layer(r, bias, h, 0, 3, 3 * h));
    } else {
      // Without linear_before_reset the candidate's product is of (r . h): a separate layer.
      recurrent_.emplace(gate_layer(r, bias, h, 0, 2, 3 * h));
      candidate_.emplace(gate_layer(r, bias, h, 2, 1, 3 * h));
      reset_hidden_ = b.scratch(common_.max_rows * h);
      candidate_out_ = b.scratch(common_.max_rows * h);
    }
  }

  void run(const RunContext& c) const override {
    const RnnCommon& k = common_;
    const size_t rows = k.batch(c);
    const size_t h = k.hidden;
    const auto hi = idx(h);
    float* xg = k.x_gates.write(c);
    input_->run(k.x.at.read(c), k.steps * rows, xg);
    float* state = k.start_state(c, k.y_h, k.h_state, k.initial_h);
    float* hg = k.h_gates.write(c);
    const size_t gate_width = linear_before_reset_ ? 3 * h : 2 * h;
    for (size_t t = 0; t < k.steps; ++t) {
      recurrent_->run(state, rows, hg);
      for (size_t r = 0; r < rows; ++r) {
        const float* xr = xg + (t * rows + r) * 3 * h;
        float* gr = hg + r * gate_width;
        ArrayMap hr(state + r * h, hi);
        ArrayMap z(gr, hi);
        ArrayMap reset(gr + h, hi);
        z = (z + ConstArrayMap(xr, hi)).logistic();
        reset = (reset + ConstArrayMap(xr + h, hi)).logistic();
        if (linear_before_reset_) {
          ArrayMap n(gr + 2 * h, hi);  // Rh h + Rbh
          n = (ConstArrayMap(xr + 2 * h, hi) + reset * n).tanh();
          hr = (1.0F - z) * n + z * hr;
        } else {
          ArrayMap(reset_hidden_.write(c) + r * h, hi) = reset * hr;
        }
      }
      if (!linear_before_reset_) {
        // The candidate's recurrent product is of (r . h), for every row at once.
        float* candidate = candidate_out_.write(c);
        candidate_->run(reset_hidden_.write(c), rows, candidate);
        for (size_t r = 0; r < rows; ++r) {
          const float* xr = xg + (t * rows + r) * 3 * h;
          const ConstArrayMap z(hg + r * gate_width, hi);
          ArrayMap hr(state + r * h, hi);
          hr = (1.0F - z) *
                   (ConstArrayMap(xr + 2 * h, hi) + ConstArrayMap(candidate + r * h, hi)).tanh() +
               z * hr;
        }
      }
      k.record(c, t, state);
    }
  }

 private:
  RnnCommon common_;
  bool linear_before_reset_;
  std::optional<DenseLayer> input_;
  std::optional<DenseLayer> recurrent_;
  std::optional<DenseLayer> candidate_;
  Location reset_hidden_;
  Location candidate_out_;
};

class LstmStep final : public Step {
 public:
  LstmStep(StepBuilder& b, const Node& n) : common_(b, n, 4) {
    const Graph& g = b.graph();
    const Tensor& w = g.tensor(n.inputs[1]);
    const Tensor& r = g.tensor(n.inputs[2]);
    const Tensor* bias = n.inputs[3] != kNoTensor ? &g.tensor(n.inputs[3]) : nullptr;
    const size_t h = common_.hidden;
    input_.emplace(gate_layer(w, bias, h, 0, 4, 0));
    recurrent_.emplace(gate_layer(r, bias, h, 0, 4, 4 * h));
    if (n.outputs.size() > 2 && n.outputs[2] != kNoTensor) y_c_ = b.operand(n.outputs[2]);
    if (n.inputs.size() > 6 && n.inputs[6] != kNoTensor) initial_c_ = b.operand(n.inputs[6]);
    c_state_ = b.scratch(common_.max_rows * h);
  }

  void run(const RunContext& c) const override {
    const RnnCommon& k = common_;
    const size_t rows = k.batch(c);
    const size_t h = k.hidden;
    const auto hi = idx(h);
    float* xg = k.x_gates.write(c);
    input_->run(k.x.at.read(c), k.steps * rows, xg);
    float* state = k.start_state(c, k.y_h, k.h_state, k.initial_h);
    float* cell = k.start_state(c, y_c_, c_state_, initial_c_);
    float* hg = k.h_gates.write(c);
    for (size_t t = 0; t < k.steps; ++t) {
      recurrent_->run(state, rows, hg);
      for (size_t r = 0; r < rows; ++r) {
        const float* xr = xg + (t * rows + r) * 4 * h;
        float* gr = hg + r * 4 * h;
        ArrayMap i(gr, hi);
        ArrayMap o(gr + h, hi);
        ArrayMap f(gr + 2 * h, hi);
        ArrayMap cand(gr + 3 * h, hi);
        i = (i + ConstArrayMap(xr, hi)).logistic();
        o = (o + ConstArrayMap(xr + h, hi)).logistic();
        f = (f + ConstArrayMap(xr + 2 * h, hi)).logistic();
        cand = (cand + ConstArrayMap(xr + 3 * h, hi)).tanh();
        ArrayMap cr(cell + r * h, hi);
        cr = f * cr + i * cand;
        ArrayMap(state + r * h, hi) = o * cr.tanh();
      }
      k.record(c, t, state);
    }
  }

 private:
  RnnCommon common_;
  std::optional<DenseLayer> input_;
  std::optional<DenseLayer> recurrent_;
  std::optional<Operand> y_c_;
  std::optional<Operand> initial_c_;
  Location c_state_;
};

}  // namespace

std::unique_ptr<Step> make_gru_step(StepBuilder& b, const Node& n) {
  return std::make_unique<GruStep>(b, n);
}

std::unique_ptr<Step> make_lstm_step(StepBuilder& b, const Node& n) {
  return std::make_unique<LstmStep>(b, n);
}

}  // namespace guiju::inference::cpu
