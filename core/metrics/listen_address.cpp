#include "core/metrics/listen_address.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace guiju {

std::string ListenAddress::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string* error) {
  const auto refuse = [&](const std::string& why) -> std::optional<ListenAddress> {
    if (error != nullptr) *error = why;
    return std::nullopt;
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return refuse("expected HOST:PORT (\"127.0.0.1:9464\"), got '" + std::string(text) + "'");
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);
  ListenAddress address;
  address.host = std::string(host);
  unsigned char bytes[16];
  const bool v4 = !bracketed && ::inet_pton(AF_INET, address.host.c_str(), bytes) == 1;
  const bool v6 = bracketed && ::inet_pton(AF_INET6, address.host.c_str(), bytes) == 1;
  if (!v4 && !v6) {
    return refuse("expected an IPv4 address or a bracketed IPv6 address before the port, got '" +
                  std::string(text) + "'");
  }
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return refuse("expected a port in [0, 65535] after the address, got '" +
                  std::string(port_text) + "'");
  }
  address.port = static_cast<uint16_t>(port);
  return address;
}

}  // namespace guiju
