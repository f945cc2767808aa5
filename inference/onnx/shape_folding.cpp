#include "inference/onnx/shape_folding.hpp"

#include <algorithm>
#include <string>

#include "inference/onnx/model_error.hpp"

namespace guiju::inference {
namespace {

std::string value_text(int64_t v) {
  return v == kBatchValue ? std::string("batch") : std::to_string(v);
}

int64_t normalise_axis(int64_t axis, size_t rank) {
  const auto r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) {
    throw ModelError("axis " + std::to_string(axis) + " is out of range for rank " +
                     std::to_string(rank));
  }
  return axis < 0 ? axis + r : axis;
}

}  // namespace

std::vector<int64_t> axes_from(const IntTensor& t, size_t rank) {
  if (t.shape.size() > 1) throw ModelError("axes must be a scalar or a list");
  std::vector<int64_t> axes;
  for (const int64_t v : t.values) {
    if (v == kBatchValue) throw ModelError("an axis depends on the batch size");
    axes.push_back(normalise_axis(v, rank));
  }
  std::vector<int64_t> sorted(axes);
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    throw ModelError("an axis is repeated");
  }
  return axes;
}

IntTensor fold_shape(const Shape& of, int64_t start, int64_t end) {
  const auto rank = static_cast<int64_t>(of.size());
  start = std::clamp(start < 0 ? start + rank : start, int64_t{0}, rank);
  end = std::clamp(end < 0 ? end + rank : end, int64_t{0}, rank);
  IntTensor out;
  for (int64_t i = start; i < end; ++i) {
    const int64_t d = of[static_cast<size_t>(i)];
    out.values.push_back(d == kBatch ? kBatchValue : d);
  }
  out.shape = {static_cast<int64_t>(out.values.size())};
  return out;
}

IntTensor fold_gather(const IntTensor& data, const IntTensor& indices, int64_t axis) {
  if (data.shape.size() != 1) throw ModelError("folding Gather needs rank-1 data");
  if (normalise_axis(axis, 1) != 0) throw ModelError("folding Gather needs axis 0");
  IntTensor out;
  out.shape = indices.shape;
  const auto n = static_cast<int64_t>(data.values.size());
  for (int64_t i : indices.values) {
    if (i == kBatchValue || i < -n || i >= n) {
      throw ModelError("index " + value_text(i) + " is out of range for " + std::to_string(n) +
                       " values");
    }
    out.values.push_back(data.values[static_cast<size_t>(i < 0 ? i + n : i)]);
  }
  return out;
}

IntTensor fold_unsqueeze(const IntTensor& data, const std::vector<int64_t>& axes) {
  IntTensor out = data;
  const size_t rank = data.shape.size() + axes.size();
  IntTensor axes_tensor{{static_cast<int64_t>(axes.size())}, axes};
  std::vector<int64_t> sorted = axes_from(axes_tensor, rank);
  std::sort(sorted.begin(), sorted.end());
  for (const int64_t a : sorted) out.shape.insert(out.shape.begin() + a, 1);
  return out;
}

IntTensor fold_squeeze(const IntTensor& data, const std::vector<int64_t>& axes) {
  IntTensor out = data;
  out.shape.clear();
  for (size_t i = 0; i < data.shape.size(); ++i) {
    const bool listed =
        axes.empty() ? data.shape[i] == 1
                     : std::find(axes.begin(), axes.end(), static_cast<int64_t>(i)) != axes.end();
    if (listed && data.shape[i] != 1) {
      throw ModelError("cannot squeeze dimension " + std::to_string(i) + " of size " +
                       std::to_string(data.shape[i]));
    }
    if (!listed) out.shape.push_back(data.shape[i]);
  }
  return out;
}

IntTensor fold_concat(const std::vector<const IntTensor*>& parts, int64_t axis) {
  if (parts.empty()) throw ModelError("Concat of nothing");
  IntTensor out;
  out.shape = parts[0]->shape;
  if (out.shape.size() != 1) throw ModelError("folding Concat needs rank-1 inputs");
  if (normalise_axis(axis, 1) != 0) throw ModelError("folding Concat needs axis 0");
  for (const IntTensor* p : parts) {
    if (p->shape.size() != 1) throw ModelError("folding Concat needs rank-1 inputs");
    out.values.insert(out.values.end(), p->values.begin(), p->values.end());
  }
  out.shape = {static_cast<int64_t>(out.values.size())};
  return out;
}

IntTensor fold_slice(const IntTensor& data, int64_t start, int64_t end, int64_t step) {
  if (data.shape.size() != 1) throw ModelError("folding Slice needs rank-1 data");
  if (step == 0) throw ModelError("Slice with step 0");
  const auto n = static_cast<int64_t>(data.values.size());
  // ONNX clamps: starts to [0, n] going forward and [0, n-1] going backward; likewise ends.
  auto clamp_index = [&](int64_t i, bool is_end) {
    if (i < 0) i += n;
    if (step > 0) return std::clamp(i, int64_t{0}, n);
    return std::clamp(i, int64_t{is_end ? -1 : 0}, n - 1);
  };
  start = clamp_index(start, false);
  end = clamp_index(end, true);
  IntTensor out;
  for (int64_t i = start; step > 0 ? i < end : i > end; i += step) {
    out.values.push_back(data.values[static_cast<size_t>(i)]);
  }
  out.shape = {static_cast<int64_t>(out.values.size())};
  return out;
}

IntTensor fold_arithmetic(std::string_view op, const IntTensor& a, const IntTensor& b) {
  const bool a_one = a.values.size() == 1;
  const bool b_one = b.values.size() == 1;
  if (!a_one && !b_one && a.shape != b.shape) {
    throw ModelError("folding " + std::string(op) + " needs equal shapes or a single value");
  }
  IntTensor out = a_one ? b : a;
  for (size_t i = 0; i < out.values.size(); ++i) {
    const int64_t x = a.values[a_one ? 0 : i];
    const int64_t y = b.values[b_one ? 0 : i];
    int64_t r = 0;
    if (x == kBatchValue || y == kBatchValue) {
      // The batch passes through an identity and nothing else: batch*3 has no single size.
      const int64_t other = x == kBatchValue ? y : x;
      const bool identity = (op == "Mul" && other == 1) || (op == "Add" && other == 0) ||
                            (op == "Sub" && y == 0) || (op == "Div" && y == 1);
      if (!identity || (x == kBatchValue && y == kBatchValue)) {
        throw ModelError("folding " + std::string(op) + " of " + value_text(x) + " and " +
                         value_text(y) + ": the result would depend on the batch size");
      }
      r = kBatchValue;
    } else {
      bool overflow = false;
      if (op == "Add") {
        overflow = __builtin_add_overflow(x, y, &r);
      } else if (op == "Sub") {
        overflow = __builtin_sub_overflow(x, y, &r);
      } else if (op == "Mul") {
        overflow = __builtin_mul_overflow(x, y, &r);
      } else {
        if (y == 0) throw ModelError("folding Div by zero");
        r = x / y;  // x is never INT64_MIN here: that value is the batch
      }
      if (overflow || r == kBatchValue) {
        throw ModelError("folding " + std::string(op) + " of " + value_text(x) + " and " +
                         value_text(y) + " overflows");
      }
    }
    out.values[i] = r;
  }
  return out;
}

}  // namespace guiju::inference
