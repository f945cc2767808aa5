#pragma once
// The metrics endpoint: HTTP/1.1 on one thread of its own (Boost.Beast), GET only. /metrics
// answers the Prometheus text format; /healthz and /readyz answer 200 "ok" or 503 with the
// reason. Connections are kept alive; a request over the size bound or that cannot be parsed is
// answered 400 and its connection closed. Nothing here touches engine state: the handlers read
// published snapshots and atomics.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/metrics/listen_address.hpp"

namespace guiju {

struct HttpEndpoints {
  std::function<std::string()> metrics;  // the exposition text
  std::function<std::string()> health;   // empty: healthy; otherwise why not
  std::function<std::string()> ready;    // empty: ready; otherwise why not
};

class MetricsHttpServer {
 public:
  static constexpr size_t kMaxHeaderBytes = size_t{8} * 1024;
  static constexpr size_t kMaxBodyBytes = 1024;

  MetricsHttpServer(ListenAddress address, HttpEndpoints endpoints);
  ~MetricsHttpServer();
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  // Binds and starts serving. Throws std::runtime_error naming the address and why it could not
  // be bound (in use, not an address of this host).
  void start();
  // Closes every connection and joins the thread. Idempotent.
  void stop();
  // The bound port (the kernel's choice when the address asked for 0); 0 before start().
  uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace guiju
