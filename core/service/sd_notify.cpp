#include "core/service/sd_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <system_error>

namespace guiju {

namespace {

std::string socket_from_environment() {
  // Read once, at start; nothing in the engine changes its environment, so no setenv can race it.
  const char* value = std::getenv("NOTIFY_SOCKET");  // NOLINT(concurrency-mt-unsafe)
  return value == nullptr ? std::string() : std::string(value);
}

// Only paths (absolute, as systemd passes them) and abstract names fit the protocol; anything
// else, or a name longer than sun_path holds, disables the notifier rather than guess.
bool usable(std::string_view socket) {
  if (socket.size() < 2 || socket.size() > sizeof(sockaddr_un::sun_path)) return false;
  return socket.front() == '/' || socket.front() == '@';
}

}  // namespace

ServiceNotifier::ServiceNotifier() : ServiceNotifier(socket_from_environment()) {}

ServiceNotifier::ServiceNotifier(std::string_view socket) {
  if (usable(socket)) socket_ = std::string(socket);
}

bool ServiceNotifier::notify(std::string_view state, std::string* error) const {
  if (!enabled()) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, socket_.data(), socket_.size());
  // An abstract name: a leading NUL byte instead of '@', and its length counts, not a terminator.
  if (socket_.front() == '@') address.sun_path[0] = '\0';
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_.size() +
                                             (socket_.front() == '@' ? 0 : 1));
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    if (error != nullptr) *error = "socket: " + std::generic_category().message(errno);
    return false;
  }
  const ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&address), length);
  const int send_error = errno;
  ::close(fd);
  if (sent < 0 || static_cast<size_t>(sent) != state.size()) {
    if (error != nullptr) {
      *error = "send to " + socket_ + ": " +
               (sent < 0 ? std::generic_category().message(send_error) : "short write");
    }
    return false;
  }
  return true;
}

bool ServiceNotifier::status(std::string_view text) const {
  std::string line = "STATUS=";
  for (const char c : text) line += c == '\n' ? ' ' : c;
  return notify(line);
}

const ServiceNotifier& service_notifier() {
  static const ServiceNotifier notifier;
  return notifier;
}

}  // namespace guiju
