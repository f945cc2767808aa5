#include "core/control/control_server.hpp"

#include <zmq.hpp>
#include <zmq_addon.hpp>

#include <array>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/logging/log.hpp"

namespace guiju::control {

namespace {

// ZeroMQ looks for the context's authentication handler at this address (RFC 27).
constexpr const char* kZapEndpoint = "inproc://zeromq.zap.01";
constexpr const char* kZapDomain = "guiju-control";

std::string frame_text(const zmq::message_t& m) {
  return std::string(m.to_string_view());
}

}  // namespace

struct ControlServer::Sockets {
  zmq::context_t context{1};
  zmq::socket_t zap{context, zmq::socket_type::rep};
  zmq::socket_t router{context, zmq::socket_type::router};
};

ControlServer::ControlServer(ControlServerOptions options, ControlHandlers handlers)
    : options_(std::move(options)),
      handlers_(std::move(handlers)),
      allow_list_(OperatorAllowList::read(options_.operators)),
      sockets_(std::make_unique<Sockets>()) {
  if (!options_.server_key.has_secret()) {
    throw std::runtime_error("control: the server key has no secret-key");
  }
  if (allow_list_.operators().empty()) {
    log().warn("control: the allow-list {} names nobody: every connection will be refused",
               options_.operators.string());
  }
  Sockets& s = *sockets_;
  s.zap.set(zmq::sockopt::linger, 0);
  // Bound before the ROUTER: from then on every handshake is checked by us.
  s.zap.bind(kZapEndpoint);
  s.router.set(zmq::sockopt::linger, 0);
  s.router.set(zmq::sockopt::curve_server, 1);
  s.router.set(zmq::sockopt::curve_secretkey, options_.server_key.secret_key);
  s.router.set(zmq::sockopt::zap_domain, kZapDomain);
  // Replies to a client that vanished are dropped, not queued for ever.
  s.router.set(zmq::sockopt::router_mandatory, 0);
  try {
    s.router.bind(options_.listen);
  } catch (const zmq::error_t& e) {
    throw std::runtime_error("control.listen: cannot listen on " + options_.listen + ": " +
                             e.what());
  }
  endpoint_ = s.router.get(zmq::sockopt::last_endpoint);
  log().info("control: listening on {} (CURVE; {} operators on the allow-list {})", endpoint_,
             allow_list_.operators().size(), options_.operators.string());
  thread_ = std::thread([this] { run(); });
}

ControlServer::~ControlServer() {
  stop();
}

void ControlServer::stop() {
  stop_.store(true, std::memory_order_relaxed);
  if (thread_.joinable()) thread_.join();
}

void ControlServer::run() {
  pthread_setname_np(pthread_self(), "guiju-ctl");
  std::array<zmq::pollitem_t, 2> items = {
      zmq::pollitem_t{sockets_->zap.handle(), 0, ZMQ_POLLIN, 0},
      zmq::pollitem_t{sockets_->router.handle(), 0, ZMQ_POLLIN, 0}};
  while (!stop_.load(std::memory_order_relaxed)) {
    try {
      zmq::poll(items.data(), items.size(), std::chrono::milliseconds(100));
      if ((items[0].revents & ZMQ_POLLIN) != 0) serve_zap();
      if ((items[1].revents & ZMQ_POLLIN) != 0) serve_command();
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) log().error("control: {}", e.what());
    }
    if (reload_.exchange(false, std::memory_order_relaxed)) reload_allow_list();
    if (handlers_.tick) handlers_.tick();
  }
}

void ControlServer::reload_allow_list() {
  try {
    allow_list_ = OperatorAllowList::read(options_.operators);
    log().info("control: allow-list {} reloaded: {} operators", options_.operators.string(),
               allow_list_.operators().size());
  } catch (const std::exception& e) {
    log().error("control: allow-list not reloaded, the previous one stays in force: {}", e.what());
  }
}

// ZAP request (RFC 27): version, request id, domain, address, routing id, mechanism, then the
// mechanism's credentials (CURVE: the client's 32-byte public key).
void ControlServer::serve_zap() {
  std::vector<zmq::message_t> request;
  if (!zmq::recv_multipart(sockets_->zap, std::back_inserter(request))) return;
  std::string status = "400";
  std::string status_text = "unknown key";
  std::string user_id;
  const std::string address = request.size() > 3 ? frame_text(request[3]) : "";
  if (request.size() >= 7 && frame_text(request[5]) == "CURVE" && request[6].size() == 32) {
    std::array<uint8_t, 32> key{};
    std::memcpy(key.data(), request[6].data(), key.size());
    const std::string z85 = encode_z85_key(key);
    if (const OperatorKey* op = allow_list_.find_by_key(z85)) {
      status = "200";
      status_text = "OK";
      user_id = op->name;
    } else {
      log().warn("control: refused a connection from {}: key {} is not on the allow-list", address,
                 z85);
      if (handlers_.refused) handlers_.refused(address, z85);
    }
  } else {
    status_text = "CURVE required";
    log().warn("control: refused a connection from {}: not CURVE", address);
  }
  const std::string request_id = request.size() > 1 ? frame_text(request[1]) : "";
  std::array<zmq::const_buffer, 6> reply = {zmq::buffer(std::string_view("1.0")),
                                            zmq::buffer(request_id),
                                            zmq::buffer(status),
                                            zmq::buffer(status_text),
                                            zmq::buffer(user_id),
                                            zmq::const_buffer()};
  zmq::send_multipart(sockets_->zap, reply);
}

void ControlServer::serve_command() {
  std::vector<zmq::message_t> frames;
  if (!zmq::recv_multipart(sockets_->router, std::back_inserter(frames),
                           zmq::recv_flags::dontwait)) {
    return;
  }
  // [routing id, empty, tag, reason, word...]
  if (frames.size() < 2) return;
  const auto answer = [&](const ControlReply& r) {
    std::array<zmq::const_buffer, 4> reply = {zmq::buffer(frames[0].data(), frames[0].size()),
                                              zmq::const_buffer(), zmq::buffer(to_string(r.status)),
                                              zmq::buffer(r.text)};
    zmq::send_multipart(sockets_->router, reply, zmq::send_flags::dontwait);
  };
  if (frames.size() < 4 || !frames[1].empty() || frame_text(frames[2]) != kProtocolTag) {
    answer(ControlReply::error("malformed request: expected the " + std::string(kProtocolTag) +
                               " protocol (guiju ctl of the same version)"));
    return;
  }
  // zmq_msg_gets: the ZAP handler's user id for this connection (not C's gets).
  const char* user = frames[2].gets("User-Id");  // NOLINT(clang-analyzer-security.insecureAPI.gets)
  ControlRequest request;
  request.reason = frame_text(frames[3]);
  for (size_t i = 4; i < frames.size(); ++i) request.words.push_back(frame_text(frames[i]));
  const OperatorKey* op = user != nullptr ? allow_list_.find_by_name(user) : nullptr;
  if (op == nullptr) {
    // Admitted under a list that has since been reloaded without this operator.
    const std::string why = std::string("operator '") + (user != nullptr ? user : "") +
                            "' is no longer on the allow-list";
    log().warn("control: denied '{}': {}", request.text(), why);
    const OperatorKey gone{user != nullptr ? user : "", OperatorRole::kReadOnly, ""};
    if (handlers_.denied) handlers_.denied(gone, request, why);
    answer({ReplyStatus::kDenied, why});
    return;
  }
  const CommandSpec* spec = find_command(request.words);
  if (spec == nullptr) {
    answer(ControlReply::error(request.words.empty()
                                   ? "no command given; `guiju ctl help` lists them"
                                   : "unknown command '" + request.text() +
                                         "'; `guiju ctl help` lists them"));
    return;
  }
  if (spec->role == OperatorRole::kOperator && op->role != OperatorRole::kOperator) {
    const std::string why = "operator '" + op->name + "' has a " +
                            std::string(to_string(op->role)) + " key and may not run '" +
                            std::string(spec->usage) + "'";
    log().warn("control: denied '{}': {}", request.text(), why);
    if (handlers_.denied) handlers_.denied(*op, request, why);
    answer({ReplyStatus::kDenied, why});
    return;
  }
  answer(handlers_.command(*op, request));
}

}  // namespace guiju::control
