#include "core/plugin/remote_channel.hpp"

#include <zmq.hpp>

namespace guiju::remote {

struct Channel::Socket {
  zmq::context_t context{1};
  zmq::socket_t socket{context, zmq::socket_type::pair};
};

Channel::Channel(const std::string& endpoint, Role role) : socket_(std::make_unique<Socket>()) {
  socket_->socket.set(zmq::sockopt::linger, 0);
  try {
    if (role == Role::kBind) {
      socket_->socket.bind(endpoint);
      endpoint_ = socket_->socket.get(zmq::sockopt::last_endpoint);
    } else {
      socket_->socket.connect(endpoint);
      endpoint_ = endpoint;
    }
  } catch (const zmq::error_t& e) {
    throw std::runtime_error("strategy host channel: cannot " +
                             std::string(role == Role::kBind ? "bind " : "connect to ") + endpoint +
                             ": " + e.what());
  }
}

Channel::~Channel() = default;

bool Channel::send(Kind kind, uint8_t op, std::span<const std::byte> payload,
                   std::chrono::milliseconds timeout) {
  MessageHeader h;
  h.kind = kind;
  h.op = op;
  h.payload_size = static_cast<uint32_t>(payload.size());
  socket_->socket.set(zmq::sockopt::sndtimeo, static_cast<int>(timeout.count()));
  try {
    if (!socket_->socket.send(zmq::const_buffer(&h, sizeof h), zmq::send_flags::sndmore)) {
      return false;
    }
    return socket_->socket
        .send(zmq::const_buffer(payload.data(), payload.size()), zmq::send_flags::none)
        .has_value();
  } catch (const zmq::error_t&) {
    return false;
  }
}

std::optional<Message> Channel::receive(std::chrono::milliseconds timeout) {
  zmq::pollitem_t item{socket_->socket.handle(), 0, ZMQ_POLLIN, 0};
  if (zmq::poll(&item, 1, timeout) <= 0) return std::nullopt;
  zmq::message_t header;
  zmq::message_t body;
  if (!socket_->socket.recv(header, zmq::recv_flags::none) ||
      header.size() != sizeof(MessageHeader)) {
    throw std::runtime_error("strategy host protocol: malformed message header");
  }
  if (!header.more() || !socket_->socket.recv(body, zmq::recv_flags::none)) {
    throw std::runtime_error("strategy host protocol: message without a payload frame");
  }
  Message m;
  std::memcpy(&m.header, header.data(), sizeof m.header);
  if (m.header.payload_size != body.size()) {
    throw std::runtime_error("strategy host protocol: payload size does not match its header");
  }
  const auto* p = static_cast<const std::byte*>(body.data());
  m.payload.assign(p, p + body.size());
  return m;
}

}  // namespace guiju::remote
