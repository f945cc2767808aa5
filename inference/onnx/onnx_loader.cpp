#include "inference/onnx/onnx_loader.hpp"

#include <onnx/onnx_pb.h>

#include <fstream>
#include <functional>
#include <queue>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "inference/onnx/import_context.hpp"
#include "inference/onnx/model_error.hpp"
#include "inference/onnx/onnx_tensor.hpp"

namespace guiju::inference {
namespace {

constexpr int64_t kMinOpset = 11;
constexpr int64_t kMaxOpset = 18;

[[noreturn]] void fail(const std::string& what) {
  throw ModelError(what);
}

std::string node_label(const onnx::GraphProto& g, int index) {
  const std::string& name = g.node(index).name();
  return name.empty() ? "#" + std::to_string(index) : name;
}

std::string node_text(const onnx::GraphProto& g, int index) {
  return "node '" + node_label(g, index) + "' (" + g.node(index).op_type() + ")";
}

std::string elem_type_name(int type) {
  return onnx::TensorProto::DataType_IsValid(type) ? onnx::TensorProto::DataType_Name(type)
                                                   : "type " + std::to_string(type);
}

int64_t default_opset(const onnx::ModelProto& model) {
  int64_t opset = -1;
  for (const onnx::OperatorSetIdProto& o : model.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") opset = o.version();
  }
  if (opset < 0) fail("the model imports no ONNX opset");
  if (opset < kMinOpset || opset > kMaxOpset) {
    fail("opset " + std::to_string(opset) + " is not supported (" + std::to_string(kMinOpset) +
         " to " + std::to_string(kMaxOpset) + ")");
  }
  return opset;
}

// A graph input's shape: the first dimension is the batch (symbolic), the others fixed.
Shape input_shape(const onnx::ValueInfoProto& vi) {
  const std::string what = "input '" + vi.name() + "'";
  if (!vi.has_type() || !vi.type().has_tensor_type()) fail(what + " is not a tensor");
  const onnx::TypeProto::Tensor& tt = vi.type().tensor_type();
  if (tt.elem_type() != onnx::TensorProto::FLOAT) {
    fail(what + " is " + elem_type_name(tt.elem_type()) + "; only float32 inputs are supported");
  }
  if (!tt.has_shape() || tt.shape().dim_size() == 0) {
    fail(what + " has no shape; inputs are [batch, ...] with every other dimension fixed");
  }
  Shape shape;
  for (int i = 0; i < tt.shape().dim_size(); ++i) {
    const onnx::TensorShapeProto::Dimension& d = tt.shape().dim(i);
    if (i == 0) {
      if (d.has_dim_value()) {
        fail(what + " has a fixed first dimension of " + std::to_string(d.dim_value()) +
             "; the first dimension must be the batch, symbolic (torch.onnx.export with "
             "dynamic_axes={'" +
             vi.name() + "': {0: 'batch'}})");
      }
      shape.push_back(kBatch);
    } else if (!d.has_dim_value() || d.dim_value() <= 0) {
      fail(what + " dimension " + std::to_string(i) + " is " +
           (d.has_dim_param() ? "'" + d.dim_param() + "'" : std::string("not fixed")) +
           "; only the first dimension, the batch, may vary");
    } else {
      shape.push_back(d.dim_value());
    }
  }
  return shape;
}

// Node indices in an order where every node comes after the nodes it reads from (ONNX requires
// files to be sorted; sorting here also finds cycles). Every input name must be known.
std::vector<int> topological_order(const onnx::GraphProto& g,
                                   const std::unordered_set<std::string>& given) {
  const int n = g.node_size();
  std::unordered_map<std::string, int> producer;
  for (int i = 0; i < n; ++i) {
    for (const std::string& out : g.node(i).output()) {
      if (out.empty()) continue;
      if (given.contains(out)) {
        fail(node_text(g, i) + " writes '" + out + "', which is a graph input or initializer");
      }
      const auto [it, fresh] = producer.emplace(out, i);
      if (!fresh) {
        fail("tensor '" + out + "' is written by " + node_text(g, it->second) + " and " +
             node_text(g, i));
      }
    }
  }
  std::vector<std::vector<int>> readers(static_cast<size_t>(n));
  std::vector<int> pending(static_cast<size_t>(n), 0);
  for (int i = 0; i < n; ++i) {
    for (const std::string& in : g.node(i).input()) {
      if (in.empty() || given.contains(in)) continue;
      const auto it = producer.find(in);
      if (it == producer.end()) {
        fail(node_text(g, i) + ": input '" + in +
             "' is not a graph input, an initializer or the output of any node");
      }
      readers[static_cast<size_t>(it->second)].push_back(i);
      ++pending[static_cast<size_t>(i)];
    }
  }
  // Kahn's algorithm, lowest index first: a sorted file keeps its order.
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (int i = 0; i < n; ++i) {
    if (pending[static_cast<size_t>(i)] == 0) ready.push(i);
  }
  std::vector<int> order;
  order.reserve(static_cast<size_t>(n));
  while (!ready.empty()) {
    const int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (const int r : readers[static_cast<size_t>(i)]) {
      if (--pending[static_cast<size_t>(r)] == 0) ready.push(r);
    }
  }
  if (order.size() != static_cast<size_t>(n)) {
    for (int i = 0; i < n; ++i) {
      if (pending[static_cast<size_t>(i)] != 0) {
        fail("the graph has a cycle through " + node_text(g, i));
      }
    }
  }
  return order;
}

// Compares an output's declared type and fixed dimensions with what the graph computes.
void check_declared_output(const onnx::ValueInfoProto& vi, const Shape& computed) {
  const std::string what = "output '" + vi.name() + "'";
  if (!vi.has_type() || !vi.type().has_tensor_type()) return;
  const onnx::TypeProto::Tensor& tt = vi.type().tensor_type();
  if (tt.elem_type() != onnx::TensorProto::FLOAT && tt.elem_type() != 0) {
    fail(what + " is declared " + elem_type_name(tt.elem_type()) +
         "; only float32 outputs are supported");
  }
  if (!tt.has_shape()) return;
  bool same = static_cast<size_t>(tt.shape().dim_size()) == computed.size();
  for (int i = 0; same && i < tt.shape().dim_size(); ++i) {
    const auto& d = tt.shape().dim(i);
    const int64_t c = computed[static_cast<size_t>(i)];
    same = !d.has_dim_value() || c == kBatch || d.dim_value() == c;
  }
  if (!same) {
    std::string declared = "[";
    for (int i = 0; i < tt.shape().dim_size(); ++i) {
      const auto& d = tt.shape().dim(i);
      declared += (i != 0 ? ", " : "") +
                  (d.has_dim_value() ? std::to_string(d.dim_value()) : d.dim_param());
    }
    fail(what + " is declared " + declared + "] but the graph computes " + shape_text(computed));
  }
}

// Drops the nodes no output depends on (the shape arithmetic torch emits is folded by now, and
// an LSTM's Y_c may be unused), marks unused optional outputs absent and renumbers the tensors.
void prune(Graph& g) {
  std::vector<bool> live(g.tensors.size(), false);
  for (const TensorId id : g.outputs) live[static_cast<size_t>(id)] = true;
  std::vector<Node> kept;
  // Backwards, so that a node is seen after every node that reads it. (An index: clang 14 does
  // not compile libstdc++ 12's reverse_view, and the fuzz target is built with clang.)
  for (size_t i = g.nodes.size(); i-- > 0;) {
    Node& node = g.nodes[i];
    bool used = false;
    for (TensorId& out : node.outputs) {
      if (out == kNoTensor) continue;
      if (live[static_cast<size_t>(out)]) {
        used = true;
      } else {
        out = kNoTensor;
      }
    }
    if (!used) continue;
    for (const TensorId in : node.inputs) {
      if (in != kNoTensor) live[static_cast<size_t>(in)] = true;
    }
    kept.push_back(std::move(node));
  }
  g.nodes.assign(std::make_move_iterator(kept.rbegin()), std::make_move_iterator(kept.rend()));
  for (const TensorId id : g.inputs) live[static_cast<size_t>(id)] = true;
  std::vector<TensorId> renumber(g.tensors.size(), kNoTensor);
  std::vector<Tensor> tensors;
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    if (!live[i]) continue;
    renumber[i] = static_cast<TensorId>(tensors.size());
    tensors.push_back(std::move(g.tensors[i]));
  }
  g.tensors = std::move(tensors);
  auto remap = [&](std::vector<TensorId>& ids) {
    for (TensorId& id : ids) {
      if (id != kNoTensor) id = renumber[static_cast<size_t>(id)];
    }
  };
  remap(g.inputs);
  remap(g.outputs);
  for (Node& node : g.nodes) {
    remap(node.inputs);
    remap(node.outputs);
  }
}

Graph parse(std::span<const std::byte> bytes, const std::string& source, const LoadLimits& limits) {
  if (bytes.empty()) fail("the file is empty");
  if (bytes.size() > limits.max_file_bytes) {
    fail("the file is " + std::to_string(bytes.size()) + " bytes, more than the limit of " +
         std::to_string(limits.max_file_bytes));
  }
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    fail("not an ONNX model: the protobuf does not parse (truncated or corrupt)");
  }
  if (!model.has_graph() || model.ir_version() <= 0) {
    fail("not an ONNX model: no graph or no IR version");
  }
  const onnx::GraphProto& gp = model.graph();
  Graph g;
  g.source = source;
  g.opset = default_opset(model);
  if (static_cast<size_t>(gp.node_size()) > limits.max_nodes) {
    fail("the graph has " + std::to_string(gp.node_size()) + " nodes, more than " +
         std::to_string(limits.max_nodes));
  }
  if (gp.sparse_initializer_size() > 0) fail("sparse initializers are not supported");
  ImportContext ctx(g, limits, g.opset);

  std::unordered_set<std::string> given;
  for (const onnx::TensorProto& t : gp.initializer()) {
    if (t.name().empty()) fail("an initializer has no name");
    const std::string what = "initializer '" + t.name() + "'";
    if (given.contains(t.name())) fail(what + " is given twice");
    DecodedTensor d = decode_tensor(t, limits, what);
    Value v;
    if (d.is_float) {
      v.tensor = ctx.add_weight(t.name(), d.dims, std::move(d.floats));
    } else {
      if (d.ints.size() > limits.max_folded_elements) fail(what + " has too many integers");
      v.kind = Value::Kind::kInts;
      v.ints = IntTensor{d.dims, std::move(d.ints)};
      for (const int64_t x : v.ints.values) {
        if (x == kBatchValue) fail(what + " holds INT64_MIN");
      }
    }
    ctx.define(t.name(), std::move(v));
    given.insert(t.name());
  }
  for (const onnx::ValueInfoProto& vi : gp.input()) {
    if (vi.name().empty()) fail("a graph input has no name");
    // Before IR version 4 initializers were listed among the inputs too; they stay constants.
    if (given.contains(vi.name())) continue;
    Value v;
    v.tensor = ctx.add_input(vi.name(), input_shape(vi));
    ctx.define(vi.name(), std::move(v));
    given.insert(vi.name());
  }
  if (g.inputs.empty()) fail("the graph has no inputs");

  for (const int index : topological_order(gp, given)) {
    const onnx::NodeProto& node = gp.node(index);
    try {
      import_node(ctx, node, node_label(gp, index));
    } catch (const ModelError& e) {
      throw ModelError(node_text(gp, index) + ": " + e.what());
    }
  }

  if (gp.output_size() == 0) fail("the graph has no outputs");
  std::unordered_set<std::string> output_names;
  for (const onnx::ValueInfoProto& vi : gp.output()) {
    const std::string what = "output '" + vi.name() + "'";
    if (vi.name().empty()) fail("a graph output has no name");
    if (!output_names.insert(vi.name()).second) fail(what + " is listed twice");
    if (!ctx.defined(vi.name())) fail(what + " is not computed by any node");
    const Value& v = ctx.value(vi.name());
    if (v.kind != Value::Kind::kTensor) fail(what + " is an integer or batch-sized constant");
    const Tensor& t = g.tensor(v.tensor);
    if (t.kind == TensorKind::kWeight) fail(what + " is a constant");
    if (batch_axis(t.shape) != 0) {
      fail(what + " has shape " + shape_text(t.shape) +
           "; outputs must have the batch as their first dimension");
    }
    check_declared_output(vi, t.shape);
    g.outputs.push_back(v.tensor);
  }
  prune(g);
  return g;
}

}  // namespace

Graph parse_onnx(std::span<const std::byte> bytes, const std::string& source,
                 const LoadLimits& limits) {
  try {
    return parse(bytes, source, limits);
  } catch (const ModelError& e) {
    throw ModelError(source + ": " + e.what());
  }
}

std::vector<std::byte> read_model_file(const std::filesystem::path& path, size_t max_bytes) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw ModelError(path.string() + ": not a readable file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelError(path.string() + ": cannot open");
  std::vector<std::byte> bytes;
  // Read in chunks up to one byte past the limit: the file's size may change while it is read,
  // so its size on disk is no bound.
  constexpr size_t kChunk = size_t{1} << 20;
  while (in) {
    const size_t at = bytes.size();
    if (at > max_bytes) break;
    bytes.resize(at + std::min(kChunk, max_bytes + 1 - at));
    in.read(reinterpret_cast<char*>(bytes.data() + at),
            static_cast<std::streamsize>(bytes.size() - at));
    bytes.resize(at + static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) throw ModelError(path.string() + ": read error");
  if (bytes.size() > max_bytes) {
    throw ModelError(path.string() + ": the file is larger than the limit of " +
                     std::to_string(max_bytes) + " bytes");
  }
  return bytes;
}

Graph load_onnx_file(const std::filesystem::path& path, const LoadLimits& limits) {
  const std::vector<std::byte> bytes = read_model_file(path, limits.max_file_bytes);
  return parse_onnx(bytes, path.string(), limits);
}

}  // namespace guiju::inference
