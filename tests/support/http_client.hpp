#pragma once
// A small HTTP/1.1 client for the tests of guiju-inferd's KServe v2 front end and of the metrics
// endpoint: one keep-alive connection to a loopback port, each request written and its response
// read with a timeout (Boost.Beast, run on the caller's thread). A raw socket helper sends bytes no
// client library would, for the refusal tests, and reads the raw response.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <string>

namespace guiju::test {

struct HttpResponse {
  unsigned status = 0;  // 0: no response (connection failed, timed out)
  std::string body;
  std::string error;
  bool keep_alive = false;
  std::string header(const std::string& name) const {
    const auto it = fields.find(name);
    return it == fields.end() ? std::string() : std::string(it->value());
  }
  boost::beast::http::fields fields;
};

class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}

  HttpResponse get(const std::string& target) { return request("GET", target, ""); }
  HttpResponse post(const std::string& target, const std::string& body) {
    return request("POST", target, body);
  }

  HttpResponse request(const std::string& method, const std::string& target,
                       const std::string& body,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    namespace beast = boost::beast;
    namespace http = beast::http;
    HttpResponse out;
    if (!connected_ && !connect(out, timeout)) return out;
    http::request<http::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.keep_alive(true);
    req.body() = body;
    req.prepare_payload();
    http::response_parser<http::string_body> parser;
    parser.body_limit(uint64_t{256} << 20);
    beast::error_code result;
    stream_.expires_after(timeout);
    http::async_write(stream_, req, [&](beast::error_code ec, size_t) {
      if (ec) {
        result = ec;
        return;
      }
      http::async_read(stream_, buffer_, parser, [&](beast::error_code e, size_t) { result = e; });
    });
    io_.restart();
    io_.run();
    if (result) {
      out.error = result.message();
      connected_ = false;
      beast::error_code ignored;
      stream_.socket().close(ignored);
      return out;
    }
    const auto& res = parser.get();
    out.status = res.result_int();
    out.body = res.body();
    out.keep_alive = res.keep_alive();
    out.fields = res.base();
    if (!res.keep_alive()) {
      connected_ = false;
      beast::error_code ignored;
      stream_.socket().close(ignored);
    }
    return out;
  }

 private:
  bool connect(HttpResponse& out, std::chrono::milliseconds timeout) {
    namespace asio = boost::asio;
    boost::beast::error_code result;
    stream_.expires_after(timeout);
    stream_.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                                  static_cast<unsigned short>(port_)),
                          [&](boost::beast::error_code ec) { result = ec; });
    io_.restart();
    io_.run();
    if (result) {
      out.error = "connect: " + result.message();
      return false;
    }
    buffer_.clear();
    connected_ = true;
    return true;
  }

  int port_;
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_{io_};
  boost::beast::flat_buffer buffer_;
  bool connected_ = false;
};

// Sends raw bytes on a fresh loopback connection and returns what comes back until the server
// closes it or timeout passes.
inline std::string raw_exchange(int port, const std::string& bytes,
                                std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  std::string got;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size())) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    char buffer[4096];
    while (std::chrono::steady_clock::now() < until) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      got.append(buffer, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return got;
}

// The same on the metrics endpoint's terms: the raw response to `request` (empty when nothing
// could be connected, sent or read).
inline std::string http_exchange(int port, const std::string& request) {
  return raw_exchange(port, request, std::chrono::seconds(5));
}

// GET `target` on a connection of its own.
inline std::string http_get(int port, const std::string& target) {
  return http_exchange(
      port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

// The status code of a raw response ("HTTP/1.1 200 OK" -> 200); 0 when there is none.
inline int http_status(const std::string& response) {
  if (response.size() < 12 || response.compare(0, 5, "HTTP/") != 0) return 0;
  return std::stoi(response.substr(9, 3));
}

// The body of a raw response (after the blank line).
inline std::string http_body(const std::string& response) {
  const size_t end = response.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : response.substr(end + 4);
}

}  // namespace guiju::test
