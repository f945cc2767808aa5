#include "inference/client/infer_client.hpp"

#include <stdexcept>

namespace guiju::inference {

InferClient::InferClient(const std::string& endpoint, InferClientOptions options)
    : context_(1), socket_(context_, zmq::socket_type::dealer), buffer_(options.max_request_bytes) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.set(zmq::sockopt::sndhwm, options.send_high_water_mark);
  socket_.set(zmq::sockopt::rcvhwm, options.receive_high_water_mark);
  socket_.set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(kMaxFrameBytes));
  socket_.set(zmq::sockopt::immediate, options.immediate);
  try {
    socket_.connect(endpoint);
  } catch (const zmq::error_t& e) {
    throw std::runtime_error("inference client: cannot connect to " + endpoint + ": " + e.what());
  }
}

bool InferClient::send(const InferRequestFields& fields, std::span<const float> data) {
  const size_t n = encode_infer_request(buffer_, fields, data);
  if (n == 0) return false;
  return send_raw(std::span<const std::byte>(buffer_.data(), n));
}

bool InferClient::send_admin(const AdminRequestView& request) {
  const size_t n = encode_admin_request(buffer_, request);
  if (n == 0) return false;
  return send_raw(std::span<const std::byte>(buffer_.data(), n));
}

bool InferClient::send_raw(std::span<const std::byte> frame) {
  try {
    return socket_.send(zmq::const_buffer(frame.data(), frame.size()), zmq::send_flags::dontwait)
        .has_value();
  } catch (const zmq::error_t&) {
    return false;
  }
}

bool InferClient::wait(std::chrono::milliseconds timeout) {
  zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
  try {
    return zmq::poll(&item, 1, timeout) > 0;
  } catch (const zmq::error_t&) {
    return false;  // interrupted: the caller polls again
  }
}

int InferClient::fd() const {
  return socket_.get(zmq::sockopt::fd);
}

bool InferClient::readable() const {
  try {
    return (socket_.get(zmq::sockopt::events) & ZMQ_POLLIN) != 0;
  } catch (const zmq::error_t&) {
    return false;
  }
}

bool InferClient::receive(ClientReply& reply) {
  if (!socket_.recv(message_, zmq::recv_flags::dontwait)) return false;
  const std::span<const std::byte> frame(static_cast<const std::byte*>(message_.data()),
                                         message_.size());
  reply = ClientReply{};
  MessageKind kind{};
  if (DecodeError e = decode_frame_header(frame, kind)) {
    reply.undecodable = e;
    return true;
  }
  reply.kind = kind;
  switch (kind) {
    case MessageKind::kInferReply:
      reply.undecodable = decode_infer_reply(frame, reply.infer);
      break;
    case MessageKind::kErrorReply:
      reply.undecodable = decode_error_reply(frame, reply.error);
      break;
    case MessageKind::kAdminReply:
      reply.undecodable = decode_admin_reply(frame, admin_);
      reply.admin = &admin_;
      break;
    case MessageKind::kInferRequest:
    case MessageKind::kAdminRequest:
      reply.undecodable = DecodeError::at("kind", 6, "is a request; the service sends replies")
                              .got(static_cast<uint16_t>(kind));
      break;
  }
  return true;
}

}  // namespace guiju::inference
