#pragma once
// A node's attributes, checked: every attribute must be one the op's translation reads (an
// attribute it does not know could change the op's meaning, so it is refused, not ignored), each
// appears once, and each is read as the type ONNX gives it. Errors name the attribute; the loader
// adds the node.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace onnx {
class NodeProto;
class AttributeProto;
class TensorProto;
}  // namespace onnx

namespace guiju::inference {

class NodeAttributes {
 public:
  // `known`: the attributes the op's translation handles; any other is refused.
  NodeAttributes(const onnx::NodeProto& node, std::initializer_list<std::string_view> known);

  bool has(std::string_view name) const { return find(name) != nullptr; }
  int64_t get_int(std::string_view name, int64_t fallback) const;
  float get_float(std::string_view name, float fallback) const;
  std::string get_string(std::string_view name, const std::string& fallback) const;
  std::vector<int64_t> get_ints(std::string_view name) const;  // empty when absent
  std::vector<std::string> get_strings(std::string_view name) const;
  std::vector<float> get_floats(std::string_view name) const;
  const onnx::TensorProto* get_tensor(std::string_view name) const;  // nullptr when absent

 private:
  const onnx::AttributeProto* find(std::string_view name) const;
  const onnx::AttributeProto& typed(std::string_view name, int type) const;
  const onnx::NodeProto& node_;
};

}  // namespace guiju::inference
