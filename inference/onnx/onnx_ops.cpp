// The translation of each ONNX op into the Graph: typed, defaulted and normalised attributes,
// the opset differences resolved (Softmax before 13, Squeeze and Unsqueeze axes as attributes
// before 13), and everything computable from shapes alone folded away.

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inference/onnx/import_context.hpp"
#include "inference/onnx/model_error.hpp"
#include "inference/onnx/onnx_attributes.hpp"
#include "inference/onnx/onnx_tensor.hpp"
#include "inference/onnx/shape_folding.hpp"

namespace guiju::inference {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw ModelError(what);
}

// The inputs of one ONNX node, read as the op needs them.
class Inputs {
 public:
  Inputs(ImportContext& ctx, const onnx::NodeProto& p) : ctx_(ctx), p_(p) {}

  size_t size() const { return static_cast<size_t>(p_.input_size()); }
  bool has(size_t i) const { return i < size() && !p_.input(static_cast<int>(i)).empty(); }
  const std::string& name(size_t i) const { return p_.input(static_cast<int>(i)); }
  const Value& value(size_t i) const {
    if (!has(i)) fail("input " + std::to_string(i) + " is missing");
    return ctx_.value(name(i));
  }
  bool is_ints(size_t i) const { return value(i).kind == Value::Kind::kInts; }
  bool is_zeros(size_t i) const { return value(i).kind == Value::Kind::kZeros; }

  // A float tensor.
  TensorId tensor(size_t i) const {
    const Value& v = value(i);
    if (v.kind == Value::Kind::kInts) {
      fail("input '" + name(i) +
           "' is an integer tensor; only float32 tensors are supported "
           "here (integers are folded at load only where they give shapes, axes or indices)");
    }
    if (v.kind == Value::Kind::kZeros) {
      fail("input '" + name(i) +
           "' is a ConstantOfShape whose shape depends on the batch; "
           "supported only as an RNN's initial state");
    }
    return v.tensor;
  }
  TensorId optional_tensor(size_t i) const { return has(i) ? tensor(i) : kNoTensor; }
  const Shape& shape(size_t i) const { return ctx_.graph().tensor(tensor(i)).shape; }

  // An integer tensor folded at load.
  const IntTensor& ints(size_t i, const char* what) const {
    const Value& v = value(i);
    if (v.kind != Value::Kind::kInts) {
      fail(std::string(what) + " ('" + name(i) +
           "') must be a constant integer tensor, known at load");
    }
    return v.ints;
  }

 private:
  ImportContext& ctx_;
  const onnx::NodeProto& p_;
};

std::vector<std::string> outputs_of(const onnx::NodeProto& p, size_t max) {
  if (static_cast<size_t>(p.output_size()) > max || p.output_size() == 0) {
    fail("has " + std::to_string(p.output_size()) + " outputs; the op has 1 to " +
         std::to_string(max));
  }
  return {p.output().begin(), p.output().end()};
}

const std::string& single_output(const onnx::NodeProto& p) {
  if (p.output_size() != 1 || p.output(0).empty()) fail("must have exactly one output");
  return p.output(0);
}

Node make_node(OpType op, const onnx::NodeProto& p, const std::string& label,
               std::vector<TensorId> inputs, Attributes attributes = {}) {
  Node n;
  n.op = op;
  n.name = label;
  n.onnx_op = p.op_type();
  n.inputs = std::move(inputs);
  n.attributes = std::move(attributes);
  return n;
}

int normalise_axis(int64_t axis, size_t rank, const char* what = "axis") {
  const auto r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) {
    fail(std::string(what) + " " + std::to_string(axis) + " is out of range for rank " +
         std::to_string(rank));
  }
  return static_cast<int>(axis < 0 ? axis + r : axis);
}

Value ints_value(IntTensor t) {
  Value v;
  v.kind = Value::Kind::kInts;
  v.ints = std::move(t);
  return v;
}

Value tensor_value(TensorId id) {
  Value v;
  v.tensor = id;
  return v;
}

// Integers from a file must not collide with the symbolic batch.
IntTensor ints_from_file(Shape dims, std::vector<int64_t> values) {
  if (std::find(values.begin(), values.end(), kBatchValue) != values.end()) {
    fail("an integer constant holds INT64_MIN");
  }
  return IntTensor{std::move(dims), std::move(values)};
}

void emit_reshape(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label,
                  TensorId input, const Shape& to) {
  ctx.emit(make_node(OpType::kReshape, p, label, {input}), {single_output(p)}, &to);
}

// ---------------------------------------------------------------------------------------------
// Constants and shape arithmetic: folded.

void import_constant(ImportContext& ctx, const onnx::NodeProto& p, const std::string& /*label*/) {
  const NodeAttributes at(p, {"value", "value_float", "value_floats", "value_int", "value_ints"});
  const std::string& out = single_output(p);
  if (const onnx::TensorProto* t = at.get_tensor("value")) {
    DecodedTensor d = decode_tensor(*t, ctx.limits(), "the value");
    if (d.is_float) {
      ctx.define(out, tensor_value(ctx.add_weight(out, d.dims, std::move(d.floats))));
    } else {
      ctx.define(out, ints_value(ints_from_file(d.dims, std::move(d.ints))));
    }
  } else if (at.has("value_float")) {
    ctx.define(out, tensor_value(ctx.add_weight(out, {}, {at.get_float("value_float", 0)})));
  } else if (at.has("value_floats")) {
    std::vector<float> v = at.get_floats("value_floats");
    if (v.empty()) fail("value_floats is empty");
    const Shape dims{static_cast<int64_t>(v.size())};
    ctx.define(out, tensor_value(ctx.add_weight(out, dims, std::move(v))));
  } else if (at.has("value_int")) {
    ctx.define(out, ints_value(ints_from_file({}, {at.get_int("value_int", 0)})));
  } else if (at.has("value_ints")) {
    std::vector<int64_t> v = at.get_ints("value_ints");
    const Shape dims{static_cast<int64_t>(v.size())};
    ctx.define(out, ints_value(ints_from_file(dims, std::move(v))));
  } else {
    fail("has no value (value, value_float(s) or value_int(s))");
  }
}

void import_shape(ImportContext& ctx, const onnx::NodeProto& p, const std::string& /*label*/) {
  const NodeAttributes at(p, {"start", "end"});
  const Inputs in(ctx, p);
  const Value& v = in.value(0);
  const Shape& of = v.kind == Value::Kind::kTensor  ? ctx.graph().tensor(v.tensor).shape
                    : v.kind == Value::Kind::kZeros ? v.zeros_shape
                                                    : v.ints.shape;
  ctx.define(single_output(p),
             ints_value(fold_shape(of, at.get_int("start", 0),
                                   at.get_int("end", std::numeric_limits<int64_t>::max()))));
}

void import_constant_of_shape(ImportContext& ctx, const onnx::NodeProto& p,
                              const std::string& /*label*/) {
  const NodeAttributes at(p, {"value"});
  const Inputs in(ctx, p);
  const IntTensor& target = in.ints(0, "the shape");
  if (target.shape.size() != 1) fail("the shape must be a list");
  DecodedTensor fill;
  fill.floats = {0.0F};
  if (const onnx::TensorProto* t = at.get_tensor("value")) {
    fill = decode_tensor(*t, ctx.limits(), "the value");
    if ((fill.is_float ? fill.floats.size() : fill.ints.size()) != 1) {
      fail("the value must hold one element");
    }
  }
  Shape shape;
  for (const int64_t d : target.values) shape.push_back(d == kBatchValue ? kBatch : d);
  const std::string& out = single_output(p);
  ctx.check_shape(shape, "the shape");
  if (batch_axis(shape) >= 0) {
    if (!fill.is_float || fill.floats[0] != 0.0F) {
      fail("a constant of shape " + shape_text(shape) +
           " depends on the batch size; only zeros, as an RNN's initial state, are supported");
    }
    Value v;
    v.kind = Value::Kind::kZeros;
    v.zeros_shape = shape;
    ctx.define(out, std::move(v));
    return;
  }
  const size_t n = static_elements(shape);
  if (fill.is_float) {
    // add_weight checks the total too, but only once the values exist.
    if (n > ctx.limits().max_weight_elements) fail("folds to too many weights");
    ctx.define(out,
               tensor_value(ctx.add_weight(out, shape, std::vector<float>(n, fill.floats[0]))));
  } else {
    if (n > ctx.limits().max_folded_elements) fail("folds to too many integers");
    ctx.define(out, ints_value(ints_from_file(shape, std::vector<int64_t>(n, fill.ints[0]))));
  }
}

void import_cast(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label) {
  const NodeAttributes at(p, {"to", "saturate"});
  const Inputs in(ctx, p);
  const int64_t to = at.get_int("to", -1);
  const bool to_int = to == onnx::TensorProto::INT64 || to == onnx::TensorProto::INT32;
  if (in.is_ints(0) && to_int) {
    ctx.define(single_output(p), ints_value(in.ints(0, "the input")));
    return;
  }
  if (!in.is_ints(0) && to == onnx::TensorProto::FLOAT) {
    emit_reshape(ctx, p, label, in.tensor(0), in.shape(0));
    return;
  }
  fail("Cast to type " + std::to_string(to) +
       " is not supported (only float32 to float32 and integer shapes to int32/int64)");
}

void import_slice(ImportContext& ctx, const onnx::NodeProto& p, const std::string& /*label*/) {
  const NodeAttributes at(p, {});
  const Inputs in(ctx, p);
  if (!in.is_ints(0)) fail("Slice of a float tensor is not supported (only of folded shapes)");
  const IntTensor& data = in.ints(0, "the data");
  auto one = [&](size_t i, int64_t fallback, const char* what) {
    if (!in.has(i)) return fallback;
    const IntTensor& t = in.ints(i, what);
    if (t.values.size() != 1 || t.values[0] == kBatchValue)
      fail(std::string(what) + " must be one value");
    return t.values[0];
  };
  if (one(3, 0, "axes") != 0 && one(3, 0, "axes") != -1) fail("folding Slice needs axis 0");
  ctx.define(single_output(p), ints_value(fold_slice(data, one(1, 0, "starts"), one(2, 0, "ends"),
                                                     one(4, 1, "steps"))));
}

// ---------------------------------------------------------------------------------------------
// Float ops.

void import_binary(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label,
                   OpType op) {
  const NodeAttributes at(p, {});
  const Inputs in(ctx, p);
  if (in.size() != 2) fail("needs 2 inputs");
  if (in.is_ints(0) && in.is_ints(1)) {
    ctx.define(single_output(p),
               ints_value(fold_arithmetic(p.op_type(), in.ints(0, "A"), in.ints(1, "B"))));
    return;
  }
  ctx.emit(make_node(op, p, label, {in.tensor(0), in.tensor(1)}), {single_output(p)});
}

void import_unary(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label,
                  OpType op) {
  const NodeAttributes at(p, {});
  const Inputs in(ctx, p);
  if (in.size() != 1) fail("needs 1 input");
  ctx.emit(make_node(op, p, label, {in.tensor(0)}), {single_output(p)});
}

void import_leaky_relu(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label) {
  const NodeAttributes at(p, {"alpha"});
  const Inputs in(ctx, p);
  LeakyReluAttributes a;
  a.alpha = at.get_float("alpha", 0.01F);
  ctx.emit(make_node(OpType::kLeakyRelu, p, label, {in.tensor(0)}, a), {single_output(p)});
}

void import_identity(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label) {
  const NodeAttributes at(p, {});
  const Inputs in(ctx, p);
  if (in.is_ints(0)) {
    ctx.define(single_output(p), ints_value(in.ints(0, "the input")));
    return;
  }
  emit_reshape(ctx, p, label, in.tensor(0), in.shape(0));
}

void import_gemm(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label) {
  const NodeAttributes at(p, {"alpha", "beta", "transA", "transB"});
  const Inputs in(ctx, p);
  if (in.size() < 2 || in.size() > 3) fail("needs 2 or 3 inputs");
  GemmAttributes a;
  a.alpha = at.get_float("alpha", 1.0F);
  a.beta = at.get_float("beta", 1.0F);
  const int64_t ta = at.get_int("transA", 0);
  const int64_t tb = at.get_int("transB", 0);
  if ((ta != 0 && ta != 1) || (tb != 0 && tb != 1)) fail("transA and transB must be 0 or 1");
  a.trans_a = ta == 1;
  a.trans_b = tb == 1;
  ctx.emit(
      make_node(OpType::kGemm, p, label, {in.tensor(0), in.tensor(1), in.optional_tensor(2)}, a),
      {single_output(p)});
}

void import_matmul(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label) {
  const NodeAttributes at(p, {});
  const Inputs in(ctx, p);
  if (in.size() != 2) fail("needs 2 inputs");
  ctx.emit(make_node(OpType::kMatMul, p, label, {in.tensor(0), in.tensor(1)}), {single_output(p)});
}

void import_softmax(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label) {
  const NodeAttributes at(p, {"axis"});
  const Inputs in(ctx, p);
  SoftmaxAttributes a;
  a.flatten = ctx.opset() < 13;
  a.axis = normalise_axis(at.get_int("axis", a.flatten ? 1 : -1), in.shape(0).size());
  ctx.emit(make_node(OpType::kSoftmax, p, label, {in.tensor(0)}, a), {single_output(p)});
}

void import_layer_norm(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label) {
  const NodeAttributes at(p, {"axis", "epsilon", "stash_type"});
  const Inputs in(ctx, p);
  if (at.get_int("stash_type", 1) != 1) fail("stash_type must be 1 (float32)");
  const std::vector<std::string> outs = outputs_of(p, 3);
  for (size_t i = 1; i < outs.size(); ++i) {
    if (!outs[i].empty()) fail("outputs Mean and InvStdDev are not supported");
  }
  LayerNormAttributes a;
  a.axis = normalise_axis(at.get_int("axis", -1), in.shape(0).size());
  a.epsilon = at.get_float("epsilon", 1e-5F);
  ctx.emit(make_node(OpType::kLayerNormalization, p, label,
                     {in.tensor(0), in.tensor(1), in.optional_tensor(2)}, a),
           {outs[0]});
}

void import_concat(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label) {
  const NodeAttributes at(p, {"axis"});
  const Inputs in(ctx, p);
  if (!at.has("axis")) fail("attribute 'axis' is required");
  if (in.size() == 0) fail("has no inputs");
  bool all_ints = true;
  for (size_t i = 0; i < in.size(); ++i) all_ints = all_ints && in.is_ints(i);
  if (all_ints) {
    std::vector<const IntTensor*> parts;
    for (size_t i = 0; i < in.size(); ++i) parts.push_back(&in.ints(i, "an input"));
    ctx.define(single_output(p), ints_value(fold_concat(parts, at.get_int("axis", 0))));
    return;
  }
  ConcatAttributes a;
  a.axis = normalise_axis(at.get_int("axis", 0), in.shape(0).size());
  std::vector<TensorId> inputs;
  for (size_t i = 0; i < in.size(); ++i) inputs.push_back(in.tensor(i));
  ctx.emit(make_node(OpType::kConcat, p, label, std::move(inputs), a), {single_output(p)});
}

// Reshape's target: 0 copies the input's dimension (allowzero 0), -1 takes what is left, and
// the symbolic batch is the batch. Where -1 would have to hold the batch times something else,
// the model is valid at one batch size only: refused.
Shape resolve_reshape(const Shape& in, const std::vector<int64_t>& target, bool allowzero) {
  Shape out;
  int infer_at = -1;
  for (size_t i = 0; i < target.size(); ++i) {
    int64_t d = target[i];
    if (d == kBatchValue) {
      d = kBatch;
    } else if (d == 0 && !allowzero) {
      if (i >= in.size()) fail("target dimension " + std::to_string(i) + " copies a missing one");
      d = in[i];
    } else if (d == -1) {
      if (infer_at >= 0) fail("the target has more than one -1");
      infer_at = static_cast<int>(i);
      d = 1;
    } else if (d <= 0) {
      fail("target dimension " + std::to_string(i) + " is " + std::to_string(d));
    }
    out.push_back(d);
  }
  if (infer_at >= 0) {
    const size_t have = static_elements(in);
    const size_t known = static_elements(out);
    const bool batch_in = batch_axis(in) >= 0;
    const bool batch_out = batch_axis(out) >= 0;
    if (known == 0 || have % known != 0) {
      fail("cannot reshape " + shape_text(in) + " to a target with -1: " + std::to_string(have) +
           " elements are not a multiple of " + std::to_string(known));
    }
    if (batch_in && !batch_out) {
      if (have != known) {
        fail("the -1 in the target would be the batch times " + std::to_string(have / known) +
             "; only the batch itself may vary");
      }
      out[static_cast<size_t>(infer_at)] = kBatch;
    } else {
      out[static_cast<size_t>(infer_at)] = static_cast<int64_t>(have / known);
    }
  }
  return out;
}

void import_reshape(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label) {
  const NodeAttributes at(p, {"allowzero"});
  const Inputs in(ctx, p);
  const IntTensor& target = in.ints(1, "the target shape");
  if (target.shape.size() != 1) fail("the target shape must be a list");
  if (target.values.size() > ctx.limits().max_rank) fail("the target has too many dimensions");
  const Shape to = resolve_reshape(in.shape(0), target.values, at.get_int("allowzero", 0) != 0);
  emit_reshape(ctx, p, label, in.tensor(0), to);
}

// Folds the dimensions [from, to) of `in` into one; the batch may only stand alone among 1s.
int64_t merge_dims(const Shape& in, size_t from, size_t to) {
  const Shape part(in.begin() + static_cast<std::ptrdiff_t>(from),
                   in.begin() + static_cast<std::ptrdiff_t>(to));
  if (batch_axis(part) < 0) return static_cast<int64_t>(static_elements(part));
  if (static_elements(part) != 1) {
    fail("flattening " + shape_text(in) + " would merge the batch with other dimensions");
  }
  return kBatch;
}

void import_flatten(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label) {
  const NodeAttributes at(p, {"axis"});
  const Inputs in(ctx, p);
  const Shape& x = in.shape(0);
  int64_t axis = at.get_int("axis", 1);
  const auto rank = static_cast<int64_t>(x.size());
  if (axis < -rank || axis > rank) fail("axis " + std::to_string(axis) + " is out of range");
  if (axis < 0) axis += rank;
  const auto a = static_cast<size_t>(axis);
  emit_reshape(ctx, p, label, in.tensor(0), {merge_dims(x, 0, a), merge_dims(x, a, x.size())});
}

std::vector<int64_t> squeeze_axes(ImportContext& ctx, const onnx::NodeProto& p,
                                  const NodeAttributes& at, const Inputs& in, size_t rank) {
  // Opset 13 moved the axes from an attribute to an optional second input.
  if (ctx.opset() < 13) {
    return axes_from(IntTensor{{}, at.get_ints("axes")}, rank);
  }
  if (at.has("axes")) fail("attribute 'axes' is an input since opset 13");
  if (!in.has(1)) return {};
  (void)p;
  return axes_from(in.ints(1, "axes"), rank);
}

void import_unsqueeze(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label) {
  const NodeAttributes at(p, {"axes"});
  const Inputs in(ctx, p);
  const Shape& x = in.is_ints(0) ? in.ints(0, "the data").shape : in.shape(0);
  size_t count = 0;
  if (ctx.opset() < 13) {
    count = at.get_ints("axes").size();
  } else if (in.has(1)) {
    count = in.ints(1, "axes").values.size();
  }
  if (count == 0) fail("needs axes");
  const std::vector<int64_t> axes = squeeze_axes(ctx, p, at, in, x.size() + count);
  if (in.is_ints(0)) {
    ctx.define(single_output(p), ints_value(fold_unsqueeze(in.ints(0, "the data"), axes)));
    return;
  }
  std::vector<int64_t> sorted(axes);
  std::sort(sorted.begin(), sorted.end());
  Shape out = x;
  for (const int64_t a : sorted) out.insert(out.begin() + a, 1);
  emit_reshape(ctx, p, label, in.tensor(0), out);
}

void import_squeeze(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label) {
  const NodeAttributes at(p, {"axes"});
  const Inputs in(ctx, p);
  const Shape& x = in.is_ints(0) ? in.ints(0, "the data").shape : in.shape(0);
  const std::vector<int64_t> axes = squeeze_axes(ctx, p, at, in, x.size());
  if (in.is_ints(0)) {
    ctx.define(single_output(p), ints_value(fold_squeeze(in.ints(0, "the data"), axes)));
    return;
  }
  Shape out;
  for (size_t i = 0; i < x.size(); ++i) {
    const bool listed =
        axes.empty() ? x[i] == 1
                     : std::find(axes.begin(), axes.end(), static_cast<int64_t>(i)) != axes.end();
    if (listed && x[i] != 1) {
      fail("cannot squeeze dimension " + std::to_string(i) + " of " + shape_text(x) +
           (x[i] == kBatch ? " (the batch)" : ""));
    }
    if (!listed) out.push_back(x[i]);
  }
  emit_reshape(ctx, p, label, in.tensor(0), out);
}

void import_transpose(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label) {
  const NodeAttributes at(p, {"perm"});
  const Inputs in(ctx, p);
  const size_t rank = in.shape(0).size();
  TransposeAttributes a;
  const std::vector<int64_t> perm = at.get_ints("perm");
  if (!at.has("perm")) {
    for (size_t i = 0; i < rank; ++i) a.perm.push_back(static_cast<int>(rank - 1 - i));
  } else {
    if (perm.size() != rank) {
      fail("perm has " + std::to_string(perm.size()) + " entries for rank " + std::to_string(rank));
    }
    for (const int64_t d : perm) a.perm.push_back(normalise_axis(d, rank, "perm entry"));
  }
  ctx.emit(make_node(OpType::kTranspose, p, label, {in.tensor(0)}, a), {single_output(p)});
}

void import_gather(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label) {
  const NodeAttributes at(p, {"axis"});
  const Inputs in(ctx, p);
  const IntTensor& indices = in.ints(1, "the indices");
  if (in.is_ints(0)) {
    ctx.define(single_output(p),
               ints_value(fold_gather(in.ints(0, "the data"), indices, at.get_int("axis", 0))));
    return;
  }
  const Shape& x = in.shape(0);
  GatherAttributes a;
  a.axis = normalise_axis(at.get_int("axis", 0), x.size());
  if (indices.shape.size() > 1) fail("indices of rank above 1 are not supported");
  a.scalar = indices.shape.empty();
  const int64_t size = x[static_cast<size_t>(a.axis)];
  if (size == kBatch) fail("gathering along the batch dimension is not supported");
  for (const int64_t i : indices.values) {
    if (i < -size || i >= size) {
      fail("index " + std::to_string(i) + " is out of range for a dimension of " +
           std::to_string(size));
    }
    a.indices.push_back(i < 0 ? i + size : i);
  }
  ctx.emit(make_node(OpType::kGather, p, label, {in.tensor(0)}, a), {single_output(p)});
}

// GRU and LSTM: forward, one direction, layout 0, the default activations, no clip.
void import_rnn(ImportContext& ctx, const onnx::NodeProto& p, const std::string& label, bool lstm) {
  const NodeAttributes at =
      lstm ? NodeAttributes(p, {"activation_alpha", "activation_beta", "activations", "clip",
                                "direction", "hidden_size", "layout", "input_forget"})
           : NodeAttributes(p, {"activation_alpha", "activation_beta", "activations", "clip",
                                "direction", "hidden_size", "layout", "linear_before_reset"});
  const Inputs in(ctx, p);
  const std::vector<std::string> defaults =
      lstm ? std::vector<std::string>{"Sigmoid", "Tanh", "Tanh"}
           : std::vector<std::string>{"Sigmoid", "Tanh"};
  if (at.has("activations") && at.get_strings("activations") != defaults) {
    std::string given;
    for (const std::string& s : at.get_strings("activations")) given += " " + s;
    fail("attribute 'activations' is" + given + "; only the defaults are supported");
  }
  if (at.has("activation_alpha") || at.has("activation_beta")) {
    fail("attributes 'activation_alpha' and 'activation_beta' are not supported");
  }
  if (at.has("clip")) fail("attribute 'clip' is not supported");
  const std::string direction = at.get_string("direction", "forward");
  if (direction != "forward") {
    fail(R"(attribute 'direction' is ")" + direction + R"("; only "forward" is supported)");
  }
  if (at.get_int("layout", 0) != 0) fail("attribute 'layout' must be 0 ([steps, batch, input])");
  if (lstm && at.get_int("input_forget", 0) != 0) fail("attribute 'input_forget' is not supported");
  RnnAttributes a;
  const int64_t hidden = at.get_int("hidden_size", 0);
  if (hidden <= 0 || hidden > (int64_t{1} << 20)) {
    fail("attribute 'hidden_size' must be given and positive, is " + std::to_string(hidden));
  }
  a.hidden_size = static_cast<int>(hidden);
  const int64_t lbr = lstm ? 0 : at.get_int("linear_before_reset", 0);
  if (lbr != 0 && lbr != 1) fail("attribute 'linear_before_reset' must be 0 or 1");
  a.linear_before_reset = lbr == 1;
  const size_t max_inputs = lstm ? 8 : 6;
  if (in.size() < 3 || in.size() > max_inputs) fail("has " + std::to_string(in.size()) + " inputs");
  if (in.has(4)) fail("input sequence_lens is not supported (every sequence is full length)");
  if (lstm && in.has(7)) fail("peephole weights (input P) are not supported");
  std::vector<TensorId> inputs = {in.tensor(0), in.tensor(1), in.tensor(2), in.optional_tensor(3),
                                  kNoTensor};
  // Initial states: absent, or a batch-sized ConstantOfShape(0), are zeros alike.
  for (size_t i = 5; i < (lstm ? 7U : 6U); ++i) {
    inputs.push_back(in.has(i) && !in.is_zeros(i) ? in.tensor(i) : kNoTensor);
  }
  ctx.emit(make_node(lstm ? OpType::kLstm : OpType::kGru, p, label, std::move(inputs), a),
           outputs_of(p, lstm ? 3 : 2));
}

using Importer = void (*)(ImportContext&, const onnx::NodeProto&, const std::string&);

struct OpEntry {
  std::string_view op_type;
  Importer import;
};

template <OpType kOp>
void binary(ImportContext& c, const onnx::NodeProto& p, const std::string& l) {
  import_binary(c, p, l, kOp);
}
template <OpType kOp>
void unary(ImportContext& c, const onnx::NodeProto& p, const std::string& l) {
  import_unary(c, p, l, kOp);
}
void gru(ImportContext& c, const onnx::NodeProto& p, const std::string& l) {
  import_rnn(c, p, l, false);
}
void lstm(ImportContext& c, const onnx::NodeProto& p, const std::string& l) {
  import_rnn(c, p, l, true);
}

constexpr std::array kOps = {
    OpEntry{"Gemm", import_gemm},
    OpEntry{"MatMul", import_matmul},
    OpEntry{"Add", binary<OpType::kAdd>},
    OpEntry{"Sub", binary<OpType::kSub>},
    OpEntry{"Mul", binary<OpType::kMul>},
    OpEntry{"Div", binary<OpType::kDiv>},
    OpEntry{"Relu", unary<OpType::kRelu>},
    OpEntry{"LeakyRelu", import_leaky_relu},
    OpEntry{"Tanh", unary<OpType::kTanh>},
    OpEntry{"Sigmoid", unary<OpType::kSigmoid>},
    OpEntry{"Softmax", import_softmax},
    OpEntry{"LayerNormalization", import_layer_norm},
    OpEntry{"Concat", import_concat},
    OpEntry{"Reshape", import_reshape},
    OpEntry{"Flatten", import_flatten},
    OpEntry{"Transpose", import_transpose},
    OpEntry{"Identity", import_identity},
    OpEntry{"Unsqueeze", import_unsqueeze},
    OpEntry{"Squeeze", import_squeeze},
    OpEntry{"Gather", import_gather},
    OpEntry{"GRU", gru},
    OpEntry{"LSTM", lstm},
    OpEntry{"Constant", import_constant},
    OpEntry{"Shape", import_shape},
    OpEntry{"ConstantOfShape", import_constant_of_shape},
    OpEntry{"Cast", import_cast},
    OpEntry{"Slice", import_slice},
};

}  // namespace

void import_node(ImportContext& ctx, const onnx::NodeProto& node, const std::string& label) {
  if (!node.domain().empty() && node.domain() != "ai.onnx") {
    fail("op type '" + node.op_type() + "' of domain '" + node.domain() +
         "' is not supported (only the default ONNX domain)");
  }
  for (const OpEntry& e : kOps) {
    if (e.op_type == node.op_type()) {
      e.import(ctx, node, label);
      return;
    }
  }
  std::string known;
  for (const OpEntry& e : kOps) known += (known.empty() ? "" : ", ") + std::string(e.op_type);
  fail("op type '" + node.op_type() + "' is not supported (supported: " + known + ")");
}

}  // namespace guiju::inference
