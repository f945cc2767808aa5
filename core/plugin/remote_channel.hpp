#pragma once
// One end of an engine <-> strategy-host connection: a ZeroMQ PAIR socket carrying the messages
// of remote_protocol.hpp, with timed receives so that neither side waits forever on a peer that
// died.

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "core/plugin/remote_protocol.hpp"

namespace guiju::remote {

struct Message {
  MessageHeader header;
  std::vector<std::byte> payload;
  Reader reader() const { return Reader(payload); }
};

class Channel {
 public:
  enum class Role { kBind, kConnect };
  // Binds or connects to `endpoint` (ipc:// or tcp://). Throws std::runtime_error naming the
  // endpoint when that fails.
  Channel(const std::string& endpoint, Role role);
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // The endpoint actually bound (tcp://...:* resolves to a port).
  const std::string& endpoint() const { return endpoint_; }

  // False when the message could not be queued within the timeout (the peer is gone).
  bool send(Kind kind, uint8_t op, std::span<const std::byte> payload,
            std::chrono::milliseconds timeout = std::chrono::milliseconds(1000));
  // A message, or nothing once `timeout` has passed.
  std::optional<Message> receive(std::chrono::milliseconds timeout);

 private:
  struct Socket;
  std::unique_ptr<Socket> socket_;
  std::string endpoint_;
};

}  // namespace guiju::remote
