#pragma once
// Where the metrics endpoint listens: "HOST:PORT" with HOST an IPv4 literal or a bracketed IPv6
// one ("[::1]:9464"). Names are refused rather than resolved: a config's meaning must not depend
// on what a resolver answers on the day.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace guiju {

struct ListenAddress {
  std::string host;   // the literal, without brackets
  uint16_t port = 0;  // 0: the kernel picks one
  std::string to_string() const;
};

// nullopt, with *error saying what is wrong, for anything but HOST:PORT as above.
std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string* error);

}  // namespace guiju
