#pragma once
// A client of guiju-inferd for a thread that must never block (the engine's inference side): a
// DEALER socket; send() encodes into the client's own buffer and hands the frame to ZeroMQ
// without waiting (false when it would block: the peer's queue is at its high-water mark);
// poll_replies() takes whatever replies have arrived, without waiting, and hands each to a
// callback. One thread uses a client at a time.

#include <zmq.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "inference/protocol/admin_reply.hpp"
#include "inference/protocol/admin_request.hpp"
#include "inference/protocol/decode_error.hpp"
#include "inference/protocol/error_reply.hpp"
#include "inference/protocol/infer_reply.hpp"
#include "inference/protocol/infer_request.hpp"

namespace guiju::inference {

struct InferClientOptions {
  int send_high_water_mark = 10'000;  // frames queued for the service before send() says no
  int receive_high_water_mark = 10'000;
  size_t max_request_bytes = 1 << 20;  // the encoding buffer, made once
  // Queue requests only on a connection that is up (ZMQ_IMMEDIATE): while the service is down,
  // send() says no at once instead of queueing requests that would reach it stale.
  bool immediate = false;
};

// One reply as it arrived. Views are valid during the callback only.
struct ClientReply {
  MessageKind kind = MessageKind::kInferReply;  // kInferReply, kErrorReply or kAdminReply
  InferReplyView infer;
  ErrorReplyView error;
  const AdminReply* admin = nullptr;
  // Set (and kind meaningless) when the service's frame itself did not decode.
  DecodeError undecodable;
};

class InferClient {
 public:
  // Connects (ZeroMQ connects in the background: sends queue until the service is there).
  // Throws std::runtime_error naming the endpoint when it is not a valid one.
  explicit InferClient(const std::string& endpoint, InferClientOptions options = {});

  // Never blocks: false when the frame does not fit the buffer, the fields are out of range, or
  // ZeroMQ would block.
  bool send(const InferRequestFields& fields, std::span<const float> data);
  bool send_admin(const AdminRequestView& request);
  // Sends raw bytes as one frame (tests send garbage this way).
  bool send_raw(std::span<const std::byte> frame);

  // Calls on_reply(const ClientReply&) for each reply waiting, up to max; returns how many.
  template <typename F>
  size_t poll_replies(F&& on_reply, size_t max = SIZE_MAX) {
    size_t n = 0;
    while (n < max && receive(reply_)) {
      on_reply(static_cast<const ClientReply&>(reply_));
      ++n;
    }
    return n;
  }
  // Waits up to timeout for a reply to be there to poll.
  bool wait(std::chrono::milliseconds timeout);

  // The socket's file descriptor, readable when a reply may be there (ZMQ_FD: edge-triggered;
  // call poll_replies until it returns 0), for an event loop.
  int fd() const;
  // Whether a reply is there to poll now (ZMQ_EVENTS): checked before sleeping on fd(), whose
  // edge may have passed while the socket was being read.
  bool readable() const;

 private:
  bool receive(ClientReply& reply);

  zmq::context_t context_;
  zmq::socket_t socket_;
  std::vector<std::byte> buffer_;
  zmq::message_t message_;
  AdminReply admin_;
  ClientReply reply_;
};

}  // namespace guiju::inference
