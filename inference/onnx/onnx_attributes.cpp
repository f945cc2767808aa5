#include "inference/onnx/onnx_attributes.hpp"

#include <onnx/onnx_pb.h>

#include <algorithm>

#include "inference/onnx/model_error.hpp"

namespace guiju::inference {
namespace {

std::string type_name(int type) {
  return onnx::AttributeProto::AttributeType_IsValid(type)
             ? onnx::AttributeProto::AttributeType_Name(
                   static_cast<onnx::AttributeProto::AttributeType>(type))
             : "type " + std::to_string(type);
}

}  // namespace

NodeAttributes::NodeAttributes(const onnx::NodeProto& node,
                               std::initializer_list<std::string_view> known)
    : node_(node) {
  for (int i = 0; i < node.attribute_size(); ++i) {
    const onnx::AttributeProto& a = node.attribute(i);
    if (std::find(known.begin(), known.end(), a.name()) == known.end()) {
      throw ModelError("attribute '" + a.name() + "' is not supported");
    }
    if (!a.ref_attr_name().empty()) {
      throw ModelError("attribute '" + a.name() +
                       "' refers to a function's attribute; "
                       "not supported");
    }
    for (int j = 0; j < i; ++j) {
      if (node.attribute(j).name() == a.name()) {
        throw ModelError("attribute '" + a.name() + "' is given twice");
      }
    }
  }
}

const onnx::AttributeProto* NodeAttributes::find(std::string_view name) const {
  for (const onnx::AttributeProto& a : node_.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

const onnx::AttributeProto& NodeAttributes::typed(std::string_view name, int type) const {
  const onnx::AttributeProto* a = find(name);
  // Files written before the type field existed leave it unset; take the field that is there.
  if (a->type() != type && a->type() != onnx::AttributeProto::UNDEFINED) {
    throw ModelError("attribute '" + std::string(name) + "' is " + type_name(a->type()) +
                     ", expected " + type_name(type));
  }
  return *a;
}

int64_t NodeAttributes::get_int(std::string_view name, int64_t fallback) const {
  if (!has(name)) return fallback;
  return typed(name, onnx::AttributeProto::INT).i();
}

float NodeAttributes::get_float(std::string_view name, float fallback) const {
  if (!has(name)) return fallback;
  return typed(name, onnx::AttributeProto::FLOAT).f();
}

std::string NodeAttributes::get_string(std::string_view name, const std::string& fallback) const {
  if (!has(name)) return fallback;
  return typed(name, onnx::AttributeProto::STRING).s();
}

std::vector<int64_t> NodeAttributes::get_ints(std::string_view name) const {
  if (!has(name)) return {};
  const auto& v = typed(name, onnx::AttributeProto::INTS).ints();
  return {v.begin(), v.end()};
}

std::vector<float> NodeAttributes::get_floats(std::string_view name) const {
  if (!has(name)) return {};
  const auto& v = typed(name, onnx::AttributeProto::FLOATS).floats();
  return {v.begin(), v.end()};
}

std::vector<std::string> NodeAttributes::get_strings(std::string_view name) const {
  if (!has(name)) return {};
  const auto& v = typed(name, onnx::AttributeProto::STRINGS).strings();
  return {v.begin(), v.end()};
}

const onnx::TensorProto* NodeAttributes::get_tensor(std::string_view name) const {
  if (!has(name)) return nullptr;
  const onnx::AttributeProto& a = typed(name, onnx::AttributeProto::TENSOR);
  if (!a.has_t()) throw ModelError("attribute '" + std::string(name) + "' has no tensor");
  return &a.t();
}

}  // namespace guiju::inference
