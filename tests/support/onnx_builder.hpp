#pragma once
// Builds small ONNX models in C++ for the inference tests, with the same protobuf classes the
// loader reads: hand-checked cases for each op and deliberately broken files, without Python.

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

namespace guiju::test {

inline constexpr int64_t kBatchDim = -1;  // a symbolic ("batch") dimension in input()/output()

class OnnxBuilder {
 public:
  explicit OnnxBuilder(int64_t opset = 17) {
    model_.set_ir_version(8);
    model_.set_producer_name("guiju-tests");
    auto* o = model_.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    model_.mutable_graph()->set_name("test");
  }

  onnx::ModelProto& model() { return model_; }
  onnx::GraphProto& graph() { return *model_.mutable_graph(); }

  // A float32 graph input; kBatchDim marks a symbolic dimension.
  OnnxBuilder& input(const std::string& name, const std::vector<int64_t>& dims,
                     int elem_type = onnx::TensorProto::FLOAT) {
    describe(graph().add_input(), name, dims, elem_type);
    return *this;
  }
  // A graph output; its shape left undeclared unless given.
  OnnxBuilder& output(const std::string& name, const std::vector<int64_t>& dims = {}) {
    auto* v = graph().add_output();
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    if (!dims.empty()) set_dims(t->mutable_shape(), dims);
    return *this;
  }
  OnnxBuilder& weight(const std::string& name, const std::vector<int64_t>& dims,
                      const std::vector<float>& values) {
    auto* t = graph().add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (const int64_t d : dims) t->add_dims(d);
    for (const float v : values) t->add_float_data(v);
    return *this;
  }
  OnnxBuilder& ints(const std::string& name, const std::vector<int64_t>& dims,
                    const std::vector<int64_t>& values) {
    auto* t = graph().add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    for (const int64_t d : dims) t->add_dims(d);
    for (const int64_t v : values) t->add_int64_data(v);
    return *this;
  }

  onnx::NodeProto& node(const std::string& op, std::initializer_list<std::string> inputs,
                        std::initializer_list<std::string> outputs, const std::string& name = "") {
    auto* n = graph().add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? op + "_" + std::to_string(graph().node_size()) : name);
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    return *n;
  }

  static void attr(onnx::NodeProto& n, const std::string& name, int64_t v) {
    auto* a = add(n, name, onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void attr(onnx::NodeProto& n, const std::string& name, float v) {
    auto* a = add(n, name, onnx::AttributeProto::FLOAT);
    a->set_f(v);
  }
  static void attr(onnx::NodeProto& n, const std::string& name, const std::string& v) {
    auto* a = add(n, name, onnx::AttributeProto::STRING);
    a->set_s(v);
  }
  static void attr(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v) {
    auto* a = add(n, name, onnx::AttributeProto::INTS);
    for (const int64_t x : v) a->add_ints(x);
  }
  static void attr(onnx::NodeProto& n, const std::string& name, const std::vector<std::string>& v) {
    auto* a = add(n, name, onnx::AttributeProto::STRINGS);
    for (const auto& x : v) a->add_strings(x);
  }

  std::string bytes() const { return model_.SerializeAsString(); }

  std::string write(const std::filesystem::path& dir, const std::string& file) const {
    const auto path = dir / file;
    std::ofstream(path, std::ios::binary) << bytes();
    return path.string();
  }

 private:
  static onnx::AttributeProto* add(onnx::NodeProto& n, const std::string& name, int type) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(static_cast<onnx::AttributeProto::AttributeType>(type));
    return a;
  }
  static void set_dims(onnx::TensorShapeProto* s, const std::vector<int64_t>& dims) {
    for (const int64_t d : dims) {
      auto* dim = s->add_dim();
      if (d == kBatchDim) {
        dim->set_dim_param("batch");
      } else {
        dim->set_dim_value(d);
      }
    }
  }
  static void describe(onnx::ValueInfoProto* v, const std::string& name,
                       const std::vector<int64_t>& dims, int elem_type) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(elem_type);
    set_dims(t->mutable_shape(), dims);
  }

  onnx::ModelProto model_;
};

}  // namespace guiju::test
