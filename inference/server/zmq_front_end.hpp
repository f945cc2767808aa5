#pragma once
// The ZeroMQ front end of guiju-inferd: a ROUTER socket bound to every --listen endpoint,
// speaking the binary protocol of inference/protocol/ with DEALER clients (and REQ clients: an
// empty delimiter frame is echoed back).
//
// Threads. One I/O thread (the caller of run()) owns the socket: ZeroMQ sockets are not thread
// safe, and one owner needs no lock. Where the batches run is a choice:
//   - on the I/O thread (batcher_on_io_thread, `--threads 0`): a request is decoded, batched,
//     computed and answered without leaving the thread; no hand-off, no wake-up. The lowest
//     latency where cores are few, and the default;
//   - on the batcher's own thread (`--threads 1`): the I/O thread keeps reading while a long
//     batch runs; requests go over an SPSC ring, answers come back over another, with an eventfd
//     to wake the I/O thread only when it sleeps.
// busy_poll: both threads spin (ZMQ_DONTWAIT) instead of sleeping, for hosts with spare cores.
//
// Per request nothing is allocated by this code: slots (the received frame, the peer's identity,
// a reply buffer) are made at start, up to max_in_flight of them; a reply buffer grows only when
// a model with larger outputs is loaded. (libzmq allocates its own buffers for frames of more
// than 33 bytes.)

#include <zmq.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/bus/spsc_ring.hpp"
#include "inference/protocol/decode_error.hpp"
#include "inference/protocol/error_reply.hpp"
#include "inference/server/batcher.hpp"
#include "inference/server/completion.hpp"
#include "inference/server/wake_fd.hpp"

namespace guiju::inference {

struct FrontEndOptions {
  std::vector<std::string> endpoints;  // tcp://HOST:PORT (port 0 or * picks one), ipc://PATH
  bool busy_poll = false;
  bool batcher_on_io_thread = true;
  size_t max_in_flight = 4096;  // received and not yet answered; more are answered overloaded
  int linger_ms = 1000;         // at stop, for replies still leaving
};

struct FrontEndCounters {
  uint64_t received = 0;
  uint64_t undecodable = 0;      // answered with an error reply
  uint64_t refused_at_door = 0;  // overloaded (no slot, port full) or unavailable (stopping)
};

class ZmqFrontEnd final : public Completion {
 public:
  // Binds every endpoint; throws std::runtime_error naming the endpoint and ZeroMQ's reason.
  ZmqFrontEnd(Batcher& batcher, FrontEndOptions options);
  ~ZmqFrontEnd() override;
  ZmqFrontEnd(const ZmqFrontEnd&) = delete;
  ZmqFrontEnd& operator=(const ZmqFrontEnd&) = delete;

  // The endpoints as bound (a tcp port 0 resolved to the port the kernel chose).
  const std::vector<std::string>& endpoints() const { return bound_; }

  // Serves until request_stop(). Then answers what it still receives unavailable, has the
  // batcher compute what it queued, sends every answer and closes the socket.
  void run();
  // Any thread, or a signal handler.
  void request_stop();

  // After run() returned (or from the I/O thread).
  const FrontEndCounters& counters() const { return counters_; }

  // The batcher's serving thread.
  void complete(const InferOutcome& outcome) override;
  void complete_admin(uint64_t tag, const AdminReply& reply) override;

 private:
  struct Slot {
    zmq::message_t identity;
    zmq::message_t payload;
    bool delimiter = false;
    std::vector<std::byte> reply;
    size_t reply_size = 0;
  };

  bool receive_some();
  void handle(zmq::message_t& identity, bool delimiter, zmq::message_t& payload);
  void submit(zmq::message_t& identity, bool delimiter, zmq::message_t& payload,
              const InferJob& job);
  void refuse_now(zmq::message_t& identity, bool delimiter, uint64_t request_id, ReplyStatus status,
                  std::string_view name, std::string_view version);
  void answer_error(zmq::message_t& identity, bool delimiter, std::span<const std::byte> frame,
                    const DecodeError& error);
  void send(zmq::message_t& identity, bool delimiter, std::span<const std::byte> bytes);
  void finish(uint32_t index);
  bool send_finished();
  void shut_down();

  Batcher& batcher_;
  const FrontEndOptions options_;
  zmq::context_t context_;
  zmq::socket_t socket_;
  std::vector<std::string> bound_;
  SubmitPort& port_;
  WakeFd wake_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
  SpscRing<uint32_t> finished_;  // slots answered on the batcher's thread
  std::array<std::byte, kMaxErrorReplyBytes> scratch_{};
  std::atomic<bool> stop_{false};
  bool stopping_ = false;
  FrontEndCounters counters_;
};

}  // namespace guiju::inference
