#include "core/metrics/http_server.hpp"

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>

#include "core/logging/log.hpp"
#include "core/metrics/prometheus_encoder.hpp"

namespace guiju {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Response = http::response<http::string_body>;

// A scraper that stops talking must not hold its connection (and its memory) for ever.
constexpr auto kIdleTimeout = std::chrono::seconds(30);

Response text_response(http::status status, std::string body, unsigned version, bool keep_alive) {
  Response res{status, version};
  res.set(http::field::server, "guiju");
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response probe_response(const std::function<std::string()>& probe, unsigned version, bool keep) {
  std::string why = probe ? probe() : std::string();
  if (why.empty()) return text_response(http::status::ok, "ok\n", version, keep);
  return text_response(http::status::service_unavailable, why + "\n", version, keep);
}

Response answer(const HttpEndpoints& endpoints, const http::request<http::string_body>& req) {
  const unsigned v = req.version();
  const bool keep = req.keep_alive();
  std::string_view target(req.target().data(), req.target().size());
  target = target.substr(0, target.find('?'));
  const bool known = target == "/metrics" || target == "/healthz" || target == "/readyz";
  if (!known) return text_response(http::status::not_found, "not found\n", v, keep);
  if (req.method() != http::verb::get) {
    Response res = text_response(http::status::method_not_allowed, "only GET\n", v, keep);
    res.set(http::field::allow, "GET");
    return res;
  }
  if (target == "/healthz") return probe_response(endpoints.health, v, keep);
  if (target == "/readyz") return probe_response(endpoints.ready, v, keep);
  Response res =
      text_response(http::status::ok, endpoints.metrics ? endpoints.metrics() : "", v, keep);
  res.set(http::field::content_type, std::string(kPrometheusContentType));
  res.prepare_payload();
  return res;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpEndpoints& endpoints)
      : stream_(std::move(socket)), endpoints_(endpoints) {}

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(MetricsHttpServer::kMaxHeaderBytes);
    parser_->body_limit(MetricsHttpServer::kMaxBodyBytes);
    stream_.expires_after(kIdleTimeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t /*bytes*/) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
      close();
      return;
    }
    if (ec) {
      // Unparseable or over the bounds: say so once and hang up, since the stream's framing is
      // lost.
      write(text_response(http::status::bad_request, "bad request: " + ec.message() + "\n", 11,
                          false));
      return;
    }
    write(answer(endpoints_, parser_->get()));
  }

  void write(Response res) {
    response_ = std::make_shared<Response>(std::move(res));
    http::async_write(stream_, *response_,
                      [self = shared_from_this()](beast::error_code ec, size_t /*bytes*/) {
                        self->on_write(ec);
                      });
  }

  void on_write(beast::error_code ec) {
    const bool keep = response_->keep_alive();
    const bool refused = response_->result() == http::status::bad_request;
    response_.reset();
    if (!ec && refused) {
      linger();
      return;
    }
    if (ec || !keep) {
      close();
      return;
    }
    read();
  }

  // After a 400 the client may still be sending what was refused; closing with that unread would
  // reset the connection and could destroy the answer before the client reads it. So: stop
  // sending, drain for a moment, then close.
  void linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(1));
    drain();
  }

  void drain() {
    stream_.async_read_some(asio::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t /*bytes*/) {
                              if (ec) {
                                self->close();
                              } else {
                                self->drain();
                              }
                            });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Response> response_;
  std::array<char, 4096> drain_{};
  const HttpEndpoints& endpoints_;
};

}  // namespace

struct MetricsHttpServer::Impl {
  ListenAddress address;
  HttpEndpoints endpoints;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::thread thread;
  uint16_t port = 0;

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted) return;  // stopping
      if (!ec) std::make_shared<Session>(std::move(s), endpoints)->start();
      accept();
    });
  }
};

MetricsHttpServer::MetricsHttpServer(ListenAddress address, HttpEndpoints endpoints)
    : impl_(std::make_unique<Impl>()) {
  impl_->address = std::move(address);
  impl_->endpoints = std::move(endpoints);
}

MetricsHttpServer::~MetricsHttpServer() {
  stop();
}

void MetricsHttpServer::start() {
  Impl& m = *impl_;
  beast::error_code ec;
  const auto ip = asio::ip::make_address(m.address.host, ec);
  const tcp::endpoint endpoint(ip, m.address.port);
  const auto fail = [&](const char* what) {
    throw std::runtime_error("metrics endpoint " + m.address.to_string() + ": cannot " + what +
                             ": " + ec.message());
  };
  if (ec) fail("read the address");
  m.acceptor.open(endpoint.protocol(), ec);
  if (ec) fail("open a socket");
  m.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) fail("set SO_REUSEADDR");
  m.acceptor.bind(endpoint, ec);
  if (ec) fail("listen (bind)");
  m.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) fail("listen");
  m.port = m.acceptor.local_endpoint(ec).port();
  m.accept();
  m.thread = std::thread([&m] {
    try {
      m.io.run();
    } catch (const std::exception& e) {
      log().error("metrics endpoint stopped: {}", e.what());
    }
  });
}

void MetricsHttpServer::stop() {
  Impl& m = *impl_;
  if (!m.thread.joinable()) return;
  m.io.stop();
  m.thread.join();
  // The thread is gone, so the acceptor is this thread's now: closed at once, a late client is
  // refused instead of queued on a listener nobody serves.
  beast::error_code ignored;
  m.acceptor.close(ignored);
}

uint16_t MetricsHttpServer::port() const {
  return impl_->port;
}

}  // namespace guiju
