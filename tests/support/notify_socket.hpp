#pragma once
// A stand-in for systemd's notification socket: an AF_UNIX datagram socket bound at a path (or an
// abstract name), collecting what a service sends to $NOTIFY_SOCKET.

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace guiju::test {

class NotifySocket {
 public:
  // name: a path, or '@' and an abstract name.
  explicit NotifySocket(std::string name) : name_(std::move(name)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket(AF_UNIX, SOCK_DGRAM) failed");
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (name_.size() >= sizeof(address.sun_path)) throw std::runtime_error("name too long");
    std::memcpy(address.sun_path, name_.data(), name_.size());
    const bool abstract = name_.front() == '@';
    if (abstract) address.sun_path[0] = '\0';
    const auto length =
        static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name_.size() + (abstract ? 0 : 1));
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length) != 0) {
      ::close(fd_);
      throw std::runtime_error("bind " + name_ + " failed");
    }
  }
  ~NotifySocket() {
    ::close(fd_);
    if (name_.front() == '/') ::unlink(name_.c_str());
  }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::string& name() const { return name_; }

  // The next datagram, or "" when none comes within `timeout`.
  std::string receive(std::chrono::milliseconds timeout) const {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return {};
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
    return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
  }

  // Every datagram until one containing `wanted` (included), or until `timeout` passes.
  std::vector<std::string> receive_until(const std::string& wanted,
                                         std::chrono::milliseconds timeout) const {
    std::vector<std::string> got;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      std::string message = receive(std::max(left, std::chrono::milliseconds(1)));
      if (message.empty()) continue;
      got.push_back(message);
      if (message.find(wanted) != std::string::npos) break;
    }
    return got;
  }

 private:
  std::string name_;
  int fd_ = -1;
};

}  // namespace guiju::test
