#include "core/control/operator_allow_list.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/control/curve_key.hpp"

namespace guiju::control {

std::string_view to_string(OperatorRole role) {
  switch (role) {
    case OperatorRole::kReadOnly:
      return "read-only";
    case OperatorRole::kOperator:
      return "operator";
  }
  return "?";
}

std::optional<OperatorRole> parse_operator_role(std::string_view text) {
  if (text == "read-only") return OperatorRole::kReadOnly;
  if (text == "operator") return OperatorRole::kOperator;
  return std::nullopt;
}

OperatorAllowList OperatorAllowList::read(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path.string() + ": cannot read the operators' allow-list");
  OperatorAllowList list;
  std::string text;
  int line_number = 0;
  const auto refuse = [&](const std::string& why) {
    throw std::runtime_error(path.string() + ":" + std::to_string(line_number) + ": " + why);
  };
  while (std::getline(in, text)) {
    ++line_number;
    std::istringstream words(text);
    std::string name;
    if (!(words >> name) || name[0] == '#')
      continue;  // blank or comment (Z85 keys use '#' too,
                 // but never as a line's first word)
    std::string role_text;
    std::string key;
    std::string extra;
    if (!(words >> role_text >> key) || (words >> extra && extra[0] != '#')) {
      refuse("expected `name role public-key`");
    }
    // The journal records commands as issued by "ctl:NAME" in 24 characters.
    if (name.size() > 20 ||
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789._-") != std::string::npos) {
      refuse("operator name '" + name + "': at most 20 letters, digits, '.', '_' or '-'");
    }
    const std::optional<OperatorRole> role = parse_operator_role(role_text);
    if (!role) refuse("unknown role '" + role_text + "' (read-only, operator)");
    if (!decode_z85_key(key)) refuse("'" + key + "' is not a CURVE public key (40 Z85 characters)");
    if (list.find_by_name(name) != nullptr) refuse("operator '" + name + "' is listed twice");
    if (const OperatorKey* other = list.find_by_key(key)) {
      refuse("this key is already listed for '" + other->name + "'");
    }
    list.operators_.push_back({name, *role, key});
  }
  return list;
}

const OperatorKey* OperatorAllowList::find_by_key(std::string_view public_key) const {
  for (const OperatorKey& k : operators_) {
    if (k.public_key == public_key) return &k;
  }
  return nullptr;
}

const OperatorKey* OperatorAllowList::find_by_name(std::string_view name) const {
  for (const OperatorKey& k : operators_) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

}  // namespace guiju::control
