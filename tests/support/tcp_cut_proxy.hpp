#pragma once
// A loopback TCP proxy that a test puts between a FIX initiator and its acceptor, so that it can
// cut the connection at a moment of its choosing: both sides see the socket close, as they would
// when a cable or a switch fails. One thread forwards bytes for every connection pair; cut()
// closes all current pairs, and the initiator's next connect starts a new one.

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace guiju::test {

class TcpCutProxy {
 public:
  // Listens on a free loopback port and forwards each connection to upstream_port.
  explicit TcpCutProxy(int upstream_port) : upstream_port_(upstream_port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      ::close(listen_fd_);
      throw std::runtime_error("proxy: cannot listen on loopback");
    }
    port_ = ntohs(a.sin_port);
    if (::pipe(wake_) != 0) throw std::runtime_error("proxy: no pipe");
    thread_ = std::thread([this] { run(); });
  }
  ~TcpCutProxy() {
    stop_.store(true);
    poke();
    thread_.join();
    for (const Pair& p : pairs_) close_pair(p);
    ::close(listen_fd_);
    ::close(wake_[0]);
    ::close(wake_[1]);
  }
  TcpCutProxy(const TcpCutProxy&) = delete;
  TcpCutProxy& operator=(const TcpCutProxy&) = delete;

  int port() const { return port_; }
  // Connections accepted so far.
  uint64_t connections() const { return connections_.load(); }
  // Bytes forwarded on the current connection, each way (0 when there is none).
  uint64_t bytes_up() const { return bytes_up_.load(); }
  uint64_t bytes_down() const { return bytes_down_.load(); }
  uint64_t cuts() const { return cuts_.load(); }

  // Closes every connection now (from the proxy's thread, before it forwards another byte).
  void cut() {
    cut_requested_.store(true);
    poke();
    while (cut_requested_.load()) std::this_thread::yield();
  }

 private:
  struct Pair {
    int client = -1;
    int upstream = -1;
  };

  static sockaddr_in loopback(int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    return a;
  }
  static void close_pair(const Pair& p) {
    ::shutdown(p.client, SHUT_RDWR);
    ::shutdown(p.upstream, SHUT_RDWR);
    ::close(p.client);
    ::close(p.upstream);
  }
  void poke() {
    const char c = 0;
    [[maybe_unused]] const ssize_t n = ::write(wake_[1], &c, 1);
  }

  // False when either side has closed: the pair is then dropped whole.
  static bool forward(int from, int to, std::atomic<uint64_t>& counter) {
    char buffer[16384];
    const ssize_t n = ::recv(from, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    for (ssize_t sent = 0; sent < n;) {
      const ssize_t w = ::send(to, buffer + sent, static_cast<size_t>(n - sent), MSG_NOSIGNAL);
      if (w <= 0) return false;
      sent += w;
    }
    counter.fetch_add(static_cast<uint64_t>(n));
    return true;
  }

  void run() {
    while (!stop_.load()) {
      std::vector<pollfd> fds = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      for (const Pair& p : pairs_) {
        fds.push_back({p.client, POLLIN, 0});
        fds.push_back({p.upstream, POLLIN, 0});
      }
      if (::poll(fds.data(), fds.size(), 100) < 0) continue;
      if (fds[1].revents & POLLIN) {
        char drain[64];
        [[maybe_unused]] const ssize_t n = ::read(wake_[0], drain, sizeof drain);
      }
      if (cut_requested_.load()) {
        for (const Pair& p : pairs_) close_pair(p);
        cuts_.fetch_add(pairs_.empty() ? 0 : 1);
        pairs_.clear();
        bytes_up_.store(0);
        bytes_down_.store(0);
        cut_requested_.store(false);
        continue;
      }
      std::vector<Pair> alive;
      for (size_t i = 0; i < pairs_.size(); ++i) {
        const pollfd& c = fds[2 + 2 * i];
        const pollfd& u = fds[3 + 2 * i];
        bool ok = true;
        if (c.revents & (POLLIN | POLLHUP | POLLERR)) ok = forward(c.fd, u.fd, bytes_up_);
        if (ok && (u.revents & (POLLIN | POLLHUP | POLLERR))) ok = forward(u.fd, c.fd, bytes_down_);
        if (ok) {
          alive.push_back(pairs_[i]);
        } else {
          close_pair(pairs_[i]);
        }
      }
      pairs_.swap(alive);
      if (fds[0].revents & POLLIN) accept_one();
    }
  }

  void accept_one() {
    const int client = ::accept(listen_fd_, nullptr, nullptr);
    if (client < 0) return;
    const int upstream = ::socket(AF_INET, SOCK_STREAM, 0);
    const sockaddr_in a = loopback(upstream_port_);
    if (::connect(upstream, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
      ::close(upstream);
      ::close(client);
      return;
    }
    const int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(upstream, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    pairs_.push_back({client, upstream});
    bytes_up_.store(0);
    bytes_down_.store(0);
    connections_.fetch_add(1);
  }

  int upstream_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  int wake_[2] = {-1, -1};
  std::vector<Pair> pairs_;  // the proxy thread's only
  std::atomic<bool> stop_{false};
  std::atomic<bool> cut_requested_{false};
  std::atomic<uint64_t> connections_{0}, cuts_{0}, bytes_up_{0}, bytes_down_{0};
  std::thread thread_;
};

}  // namespace guiju::test
