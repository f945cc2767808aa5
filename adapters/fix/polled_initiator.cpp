#include "adapters/fix/polled_initiator.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <thread>

namespace guiju::fix {

namespace {

constexpr size_t kReadChunk = size_t{16} * 1024;
// A session that keeps throwing on what it reads (garbage on the wire) is given this many messages
// per poll before the rest waits for the next poll: the owner's other work is never starved.
constexpr int kMaxFailuresPerPoll = 64;

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

void set_int_option(int fd, int level, int option, int value) {
  (void)::setsockopt(fd, level, option, &value, sizeof value);
}

}  // namespace

// One session's TCP connection, and the session's Responder: QuickFIX calls send() and
// disconnect() on it.
class PolledInitiator::Connection final : public FIX::Responder {
 public:
  Connection(FIX::SessionID session_id, int socket) : id(std::move(session_id)), fd(socket) {}

  // Any thread. Writes at once when nothing is queued; what the socket does not take now is
  // queued and written by poll() when the socket has room, in order.
  bool send(const std::string& message) override {
    const std::lock_guard lock(mutex);
    if (fd < 0 || dropped.load(std::memory_order_relaxed)) return false;
    if (!unsent.empty()) {
      unsent += message;
      return true;
    }
    size_t sent = 0;
    while (sent < message.size()) {
      const ssize_t n =
          ::send(fd, message.data() + sent, message.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        sent += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        unsent.assign(message, sent);
        has_unsent.store(true, std::memory_order_relaxed);
        return true;
      } else {
        dropped.store(true, std::memory_order_relaxed);
        return false;
      }
    }
    return true;
  }

  // Any thread (the session calls it from inside next(), or a send that failed): the connection is
  // closed by the owner's next poll(), outside the session's call.
  void disconnect() override {
    const std::lock_guard lock(mutex);
    dropped.store(true, std::memory_order_relaxed);
    if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
  }

  // The owner's thread: writes what send() queued. False when the connection failed.
  bool flush() {
    const std::lock_guard lock(mutex);
    while (!unsent.empty()) {
      const ssize_t n = ::send(fd, unsent.data(), unsent.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        unsent.erase(0, static_cast<size_t>(n));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return true;
      } else {
        return false;
      }
    }
    has_unsent.store(false, std::memory_order_relaxed);
    return true;
  }

  const FIX::SessionID id;
  FIX::Session* session = nullptr;
  int fd = -1;             // written by the owner's thread only, under mutex
  bool connecting = true;  // the TCP connect is in progress
  FIX::Parser parser;      // the owner's thread only
  size_t unparsed = 0;     // bytes given to the parser and not yet out of it as a message
  std::atomic<bool> dropped{false};
  std::atomic<bool> has_unsent{false};
  mutable std::mutex mutex;
  std::string unsent;
};

PolledInitiator::PolledInitiator(FIX::Application& application, FIX::MessageStoreFactory& store,
                                 const FIX::SessionSettings& settings)
    : FIX::Initiator(application, store, settings), buffer_(kReadChunk) {}

PolledInitiator::PolledInitiator(FIX::Application& application, FIX::MessageStoreFactory& store,
                                 const FIX::SessionSettings& settings, FIX::LogFactory& log)
    : FIX::Initiator(application, store, settings, log), buffer_(kReadChunk) {}

PolledInitiator::~PolledInitiator() {
  for (auto& [id, c] : connections_) {
    if (c->session != nullptr) c->session->setResponder(nullptr);
    if (c->fd >= 0) ::close(c->fd);
  }
}

void PolledInitiator::onConfigure(const FIX::SessionSettings& settings) {
  const FIX::Dictionary& defaults = settings.get();
  if (defaults.has(FIX::RECONNECT_INTERVAL)) {
    reconnect_interval_s_ = static_cast<int>(defaults.getInt(FIX::RECONNECT_INTERVAL));
  }
}

size_t PolledInitiator::poll(size_t max_bytes) {
  if (shut_down_) return 0;
  const auto now = SteadyClock::now();
  if (first_poll_) {
    first_poll_ = false;
    onConfigure(m_settings);
    last_connect_ = now;
    last_timer_ = now;
    connect();  // FIX::Initiator: doConnect() for every session that is down
  }
  size_t messages = 0;
  for (auto& [id, c] : connections_) {
    if (c->fd < 0 || c->dropped.load(std::memory_order_relaxed)) continue;
    if (c->connecting) {
      finish_connect(*c);
      continue;
    }
    if (c->has_unsent.load(std::memory_order_relaxed) && !c->flush()) {
      c->dropped.store(true, std::memory_order_relaxed);
      continue;
    }
    messages += read(*c, max_bytes);
  }
  if (now - last_timer_ >= kTimerPeriod) {
    last_timer_ = now;
    timed_work();
  }
  reap();
  return messages;
}

void PolledInitiator::finish_connect(Connection& c) {
  pollfd p{c.fd, POLLOUT, 0};
  if (::poll(&p, 1, 0) <= 0) return;  // still connecting
  int error = 0;
  socklen_t length = sizeof error;
  if (::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
  if (error != 0) {
    c.session->getLog()->onEvent("Connection failed: " + errno_text(error));
    c.dropped.store(true, std::memory_order_relaxed);
    return;
  }
  c.connecting = false;
  c.session->getLog()->onEvent("Connection succeeded");
  setConnected(c.id);
  c.session->next();  // sends the Logon
}

size_t PolledInitiator::read(Connection& c, size_t max_bytes) {
  size_t messages = 0;
  int failures = 0;
  size_t budget = max_bytes;
  while (budget > 0) {
    const ssize_t n = ::recv(c.fd, buffer_.data(), std::min(budget, buffer_.size()), MSG_DONTWAIT);
    if (n == 0) {
      c.session->getLog()->onEvent("Connection closed by the peer");
      c.dropped.store(true, std::memory_order_relaxed);
      break;
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        c.session->getLog()->onEvent("Socket error: " + errno_text(errno));
        c.dropped.store(true, std::memory_order_relaxed);
      }
      break;
    }
    c.parser.addToStream(buffer_.data(), static_cast<size_t>(n));
    c.unparsed += static_cast<size_t>(n);
    budget -= static_cast<size_t>(n);
    // As QuickFIX's own connections do: a message the session cannot take is logged and dropped
    // (the session answers it per the session rules), and before logon it ends the connection.
    while (failures < kMaxFailuresPerPoll && !c.dropped.load(std::memory_order_relaxed)) {
      try {
        if (!c.parser.readFixMessage(message_)) break;
        c.unparsed -= std::min(c.unparsed, message_.size());
        c.session->next(message_, FIX::UtcTimeStamp());
        ++messages;
      } catch (const FIX::InvalidMessage& e) {
        ++failures;
        c.session->getLog()->onEvent(std::string("Invalid message: ") + e.what());
        if (!c.session->isLoggedOn()) c.dropped.store(true, std::memory_order_relaxed);
      } catch (const FIX::MessageParseError& e) {
        ++failures;
        c.session->getLog()->onEvent(std::string("Unparseable bytes: ") + e.what());
      }
    }
    if (static_cast<size_t>(n) < buffer_.size() || failures >= kMaxFailuresPerPoll) break;
  }
  return messages;
}

void PolledInitiator::timed_work() {
  for (auto& [id, c] : connections_) {
    if (c->fd >= 0 && !c->connecting && !c->dropped.load(std::memory_order_relaxed)) {
      c->session->next();  // heartbeats, test requests, logon and logout timeouts
    }
  }
  const auto now = SteadyClock::now();
  if (!stop_.load(std::memory_order_relaxed) &&
      now - last_connect_ >= std::chrono::seconds(reconnect_interval_s_)) {
    last_connect_ = now;
    connect();
  }
}

void PolledInitiator::reap() {
  for (auto& [id, c] : connections_) {
    if (c->fd >= 0 && c->dropped.load(std::memory_order_relaxed)) close(*c, "dropped");
  }
}

void PolledInitiator::close(Connection& c, const char* why) {
  {
    const std::lock_guard lock(c.mutex);
    ::close(c.fd);
    c.fd = -1;
    c.unsent.clear();
    c.has_unsent.store(false, std::memory_order_relaxed);
  }
  c.parser = FIX::Parser();
  c.unparsed = 0;
  c.session->getLog()->onEvent(std::string("Disconnected (") + why + ")");
  c.session->disconnect();  // the session's own state: logged out, the application told
  setDisconnected(c.id);
}

void PolledInitiator::doConnect(const FIX::SessionID& id, const FIX::Dictionary& settings) {
  FIX::Session* session = FIX::Session::lookupSession(id);
  if (session == nullptr) return;
  FIX::Log* log = session->getLog();

  // SocketConnectHost/Port, then SocketConnectHost1/Port1 and so on, in turn on each attempt.
  int& n = next_host_[id];
  std::string host_key = FIX::SOCKET_CONNECT_HOST;
  std::string port_key = FIX::SOCKET_CONNECT_PORT;
  if (n > 0) {
    host_key += std::to_string(n);
    port_key += std::to_string(n);
  }
  if (n > 0 && !settings.has(host_key)) {
    n = 0;
    host_key = FIX::SOCKET_CONNECT_HOST;
    port_key = FIX::SOCKET_CONNECT_PORT;
  }
  ++n;
  const std::string host = settings.getString(host_key);
  const std::string port = std::to_string(settings.getInt(port_key));

  log->onEvent("Connecting to " + host + " on port " + port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    log->onEvent("Connection failed: " + host + ": " + ::gai_strerror(rc));
    return;
  }
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    log->onEvent("Connection failed: socket: " + errno_text(errno));
    return;
  }
  if (settings.has(FIX::SOCKET_NODELAY) && settings.getBool(FIX::SOCKET_NODELAY)) {
    set_int_option(fd, IPPROTO_TCP, TCP_NODELAY, 1);
  }
  if (settings.has(FIX::SOCKET_SEND_BUFFER_SIZE)) {
    set_int_option(fd, SOL_SOCKET, SO_SNDBUF, settings.getInt(FIX::SOCKET_SEND_BUFFER_SIZE));
  }
  if (settings.has(FIX::SOCKET_RECEIVE_BUFFER_SIZE)) {
    set_int_option(fd, SOL_SOCKET, SO_RCVBUF, settings.getInt(FIX::SOCKET_RECEIVE_BUFFER_SIZE));
  }
  if (settings.has(FIX::SOCKET_CONNECT_SOURCE_HOST)) {
    const std::string source = settings.getString(FIX::SOCKET_CONNECT_SOURCE_HOST);
    const std::string source_port =
        settings.has(FIX::SOCKET_CONNECT_SOURCE_PORT)
            ? std::to_string(settings.getInt(FIX::SOCKET_CONNECT_SOURCE_PORT))
            : "0";
    addrinfo* local = nullptr;
    if (::getaddrinfo(source.c_str(), source_port.c_str(), &hints, &local) != 0 ||
        ::bind(fd, local->ai_addr, local->ai_addrlen) != 0) {
      log->onEvent("Connection failed: cannot bind to " + source + ":" + source_port);
      if (local != nullptr) ::freeaddrinfo(local);
      ::close(fd);
      return;
    }
    ::freeaddrinfo(local);
  }
  if (::connect(fd, found->ai_addr, found->ai_addrlen) != 0 && errno != EINPROGRESS) {
    log->onEvent("Connection failed: " + errno_text(errno));
    ::close(fd);
    return;
  }

  auto& slot = connections_[id];
  if (!slot) slot = std::make_unique<Connection>(id, fd);
  Connection& c = *slot;
  {
    const std::lock_guard lock(c.mutex);
    c.fd = fd;
    c.unsent.clear();
  }
  c.connecting = true;
  c.dropped.store(false, std::memory_order_relaxed);
  c.has_unsent.store(false, std::memory_order_relaxed);
  c.session = getSession(id, c);  // the session's Responder is now this connection
  setPending(id);
}

void PolledInitiator::wait_fds(std::vector<pollfd>& out) const {
  for (const auto& [id, c] : connections_) {
    if (c->fd < 0) continue;
    short events = POLLIN;
    if (c->connecting || c->has_unsent.load(std::memory_order_relaxed)) events = POLLOUT;
    out.push_back(pollfd{c->fd, events, 0});
  }
}

size_t PolledInitiator::unparsed_bytes() const {
  size_t n = 0;
  for (const auto& [id, c] : connections_) n += c->unparsed;
  return n;
}

void PolledInitiator::shut_down(std::chrono::milliseconds timeout) {
  if (shut_down_) return;
  stop_.store(true, std::memory_order_relaxed);
  for (auto& [id, c] : connections_) {
    if (c->fd >= 0 && !c->connecting && c->session->isLoggedOn()) c->session->logout();
  }
  const auto deadline = SteadyClock::now() + timeout;
  while (isLoggedOn() && SteadyClock::now() < deadline) {
    last_timer_ = SteadyClock::time_point{};  // the logout goes out with the sessions' timed work
    poll(kReadChunk);
    std::vector<pollfd> fds;
    wait_fds(fds);
    if (!fds.empty()) ::poll(fds.data(), fds.size(), 10);
  }
  for (auto& [id, c] : connections_) {
    if (c->fd >= 0) close(*c, "shut down");
  }
  shut_down_ = true;
}

void PolledInitiator::onStart() {
  while (!stop_.load(std::memory_order_relaxed)) {
    onPoll(0.0);
    std::vector<pollfd> fds;
    wait_fds(fds);
    if (fds.empty()) {
      std::this_thread::sleep_for(kTimerPeriod);
    } else {
      ::poll(fds.data(), fds.size(), static_cast<int>(kTimerPeriod.count()));
    }
  }
}

bool PolledInitiator::onPoll(double /*timeout*/) {
  poll(kReadChunk);
  return !stop_.load(std::memory_order_relaxed);
}

void PolledInitiator::onStop() {
  stop_.store(true, std::memory_order_relaxed);
}

}  // namespace guiju::fix
