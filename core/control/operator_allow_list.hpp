#pragma once
// Who may use the control plane: the allow-list of operators' CURVE public keys, each with a name
// (what the journal records as the command's issuer) and a role.
//
// The file has one operator per line, `#` comments:
//
//     # name       role        public key (from NAME.pub)
//     alice        operator    rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7
//     risk-desk    read-only   Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID
//
// A key that is not on the list cannot connect at all (the ZAP handler refuses the handshake).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace guiju::control {

enum class OperatorRole : uint8_t {
  kReadOnly,  // status, strategies, orders, positions, risk show
  kOperator,  // everything: kill, reset, flatten, limits, strategies' lifecycle
};
std::string_view to_string(OperatorRole role);
std::optional<OperatorRole> parse_operator_role(std::string_view text);

struct OperatorKey {
  std::string name;
  OperatorRole role = OperatorRole::kReadOnly;
  std::string public_key;  // Z85
};

class OperatorAllowList {
 public:
  // Throws std::runtime_error naming the file, the line and what is wrong: a line that is not
  // `name role key`, an unknown role, a malformed key, a name or a key listed twice. An empty
  // list is allowed (nobody may connect) and said so in the log by the caller.
  static OperatorAllowList read(const std::filesystem::path& path);

  const OperatorKey* find_by_key(std::string_view public_key) const;
  const OperatorKey* find_by_name(std::string_view name) const;
  const std::vector<OperatorKey>& operators() const { return operators_; }

 private:
  std::vector<OperatorKey> operators_;
};

}  // namespace guiju::control
