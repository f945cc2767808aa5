#pragma once
// The HTTP front end of guiju-inferd: the KServe v2 / Open Inference Protocol over HTTP/1.1
// (endpoints in inference/server/http_route.hpp, JSON tensors in http_tensor_codec.hpp), so that
// curl and Triton-style clients can use the service, and so that the engine's KServe client can
// talk to this service or to a Triton server alike.
//
// It submits to the same batcher as the ZeroMQ front end, through a port of its own, so requests
// from both front ends wait in the same per-model queues and are batched together.
//
// Threads. One I/O thread (the caller of run()) runs every connection (Boost.Beast, asynchronous):
// parsing, JSON, writing. The batcher answers on its serving thread through complete(), which
// copies the outcome into the connection's slot and hands the slot's index back over an SPSC
// ring, waking the I/O thread with an eventfd only when it has not been woken already.
//
// Bounds. At most max_connections connections (one more is answered 503 and closed); one request
// at a time per connection (HTTP/1.1 without pipelining in parallel: requests that arrive
// together are answered in order); a body of more than max_body_bytes is answered 413 before it
// is read; a connection that sends nothing for idle_timeout is closed.
//
// The model metadata (tensor names and shapes) comes from the batcher's own list (an admin job
// through the same port), so models loaded or unloaded over ZeroMQ are seen here too: the list
// is kept and refreshed whenever a request names a model version it does not have.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "inference/server/batcher.hpp"
#include "inference/server/completion.hpp"

namespace guiju::inference {

struct HttpFrontEndOptions {
  // HOST:PORT, repeatable: 127.0.0.1:8000, [::1]:8000, 0.0.0.0:0 (port 0: the kernel picks one).
  std::vector<std::string> endpoints;
  size_t max_connections = 256;
  size_t max_body_bytes = size_t{16} << 20;
  std::chrono::milliseconds idle_timeout{60'000};
  // At stop: how long requests in hand and their replies may still take before the connections
  // are closed regardless.
  std::chrono::milliseconds linger{2'000};
  std::string server_version;  // GET /v2's "version"
};

struct HttpCounters {
  uint64_t requests = 0;
  uint64_t refused = 0;              // answered 4xx before reaching a model
  uint64_t connections = 0;          // accepted
  uint64_t connections_refused = 0;  // over max_connections
};

class HttpFrontEnd final : public Completion {
 public:
  // Binds every endpoint; throws std::runtime_error naming the endpoint and the reason.
  HttpFrontEnd(Batcher& batcher, HttpFrontEndOptions options);
  ~HttpFrontEnd() override;
  HttpFrontEnd(const HttpFrontEnd&) = delete;
  HttpFrontEnd& operator=(const HttpFrontEnd&) = delete;

  // As bound: http://127.0.0.1:8000 (a port 0 resolved to the one the kernel chose).
  const std::vector<std::string>& endpoints() const;

  // Serves until request_stop(); then stops accepting, answers new requests 503, finishes the
  // requests in hand (the batcher must still be serving them), and closes every connection.
  // Returns when all are closed, or linger after the stop.
  void run();
  // Any thread (not a signal handler).
  void request_stop();

  // After run() returned.
  const HttpCounters& counters() const;

  // The batcher's serving thread.
  void complete(const InferOutcome& outcome) override;
  void complete_admin(uint64_t tag, const AdminReply& reply) override;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace guiju::inference
