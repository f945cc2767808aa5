#include "inference/server/http_front_end.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <unordered_set>

#include "core/bus/spsc_ring.hpp"
#include "core/clock/clock.hpp"
#include "core/logging/log.hpp"
#include "inference/server/http_metadata.hpp"
#include "inference/server/http_route.hpp"
#include "inference/server/http_tensor_codec.hpp"

namespace guiju::inference {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// Headers larger than this are refused (431): no KServe request needs more.
constexpr uint32_t kMaxHeaderBytes = 16 * 1024;

std::string model_text(std::string_view name, std::string_view version) {
  std::string s = "model ";
  s += name;
  if (!version.empty()) {
    s += " version ";
    s += version;
  }
  return s;
}

// Why a request a model refused was refused, in words for the error body.
std::string refusal_text(ReplyStatus status, std::string_view name, std::string_view version) {
  const std::string what = model_text(name, version);
  switch (status) {
    case ReplyStatus::kOk:
      return what + ": ok";
    case ReplyStatus::kExpired:
      return what +
             ": expired: the request's deadline passed before its batch ran; it was not "
             "computed";
    case ReplyStatus::kOverloaded:
      return what + ": overloaded: the model's queue is full; the request was not computed";
    case ReplyStatus::kUnknownModel:
      return what + " is not loaded";
    case ReplyStatus::kBadRequest:
      return what + ": bad request: the input does not fit the model";
    case ReplyStatus::kModelError:
      return what + ": model error: the model failed to run the batch";
    case ReplyStatus::kUnavailable:
      return what + ": unavailable: the service is stopping or the version is being unloaded";
  }
  return what + ": " + std::string(to_string(status));
}

// HOST:PORT or [HOST]:PORT.
bool split_endpoint(const std::string& text, std::string& host, std::string& port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  host = text.substr(0, colon);
  port = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return false;
    host = host.substr(1, host.size() - 2);
  }
  return std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         port.size() <= 5 && std::stoul(port) <= 65535;
}

std::string endpoint_text(const tcp::endpoint& e) {
  const std::string address = e.address().to_string();
  return "http://" + (e.address().is_v6() ? "[" + address + "]" : address) + ":" +
         std::to_string(e.port());
}

}  // namespace

class HttpConnection;

// One request in hand per connection: the input tensor the job points into and, once the
// batcher has answered, a copy of the answer. Written by the I/O thread before it submits, by the
// serving thread before it hands the index back; the ring orders the two.
struct HttpSlot {
  std::vector<float> input;
  bool admin = false;
  ReplyStatus status = ReplyStatus::kOk;
  std::string name;
  std::string version;
  std::array<uint8_t, 32> sha256{};
  int64_t queue_ns = 0;
  int64_t compute_ns = 0;
  uint32_t rows = 0;
  std::vector<float> outputs;
  std::vector<ModelEntry> models;  // a list's answer
  // The I/O thread's: keeps the connection alive while the batcher holds its job, even when the
  // peer has gone.
  std::shared_ptr<HttpConnection> owner;
};

class HttpFrontEnd::Impl {
 public:
  Impl(HttpFrontEnd& front, Batcher& batcher, HttpFrontEndOptions options);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void run();
  void request_stop() {
    asio::post(io_, [this] { begin_stop(); });
  }
  void complete(const InferOutcome& o);
  void complete_admin(uint64_t tag, const AdminReply& reply);

  // ---- for connections (the I/O thread) ------------------------------------------------------
  bool submit(const InferJob& job) {
    if (!port_.submit(job)) return false;
    batcher_.notify();
    return true;
  }
  HttpSlot& slot(uint32_t index) { return slots_[index]; }
  HttpFrontEnd& front() { return front_; }
  const HttpFrontEndOptions& options() const { return options_; }
  bool stopping() const { return stopping_; }
  std::vector<ModelEntry>& catalog() { return catalog_; }
  uint64_t next_request_id() { return ++request_ids_; }
  HttpCounters& counters() { return counters_; }
  void gone(HttpConnection* c, uint32_t slot);

  std::vector<std::string> bound;

 private:
  void accept(size_t index);
  void refuse_connection(tcp::socket& socket);
  void arm_wake();
  void take_finished();
  void begin_stop();
  void finish_if_idle();

  HttpFrontEnd& front_;
  Batcher& batcher_;
  const HttpFrontEndOptions options_;
  std::unique_ptr<asio::io_context> io_holder_ = std::make_unique<asio::io_context>(1);
  asio::io_context& io_ = *io_holder_;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors_;
  SubmitPort& port_;
  std::vector<HttpSlot> slots_;
  std::vector<uint32_t> free_;
  SpscRing<uint32_t> finished_;
  int event_fd_ = -1;
  std::optional<asio::posix::stream_descriptor> wake_;
  uint64_t wake_count_ = 0;
  std::atomic<bool> wake_pending_{false};
  std::unordered_set<HttpConnection*> connections_;
  std::vector<ModelEntry> catalog_;
  std::optional<asio::steady_timer> linger_{std::in_place, io_};
  bool stopping_ = false;
  bool destroying_ = false;
  uint64_t request_ids_ = 0;
  HttpCounters counters_;
  std::string busy_reply_;
};

// One client connection: reads a request, answers it (at once, or when the batcher has), then
// reads the next while the client keeps the connection alive.
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(HttpFrontEnd::Impl& server, tcp::socket socket, uint32_t slot)
      : server_(server), stream_(std::move(socket)), slot_(slot) {}
  ~HttpConnection() { server_.gone(this, slot_); }
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  void start() { read_header(); }
  // At stop: a connection waiting for a request is closed now; one with a request in hand is
  // closed once it has answered.
  void stop() {
    if (!busy_) close();
  }
  void close() {
    closed_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }
  // The batcher has answered this connection's job (the slot holds the answer).
  void answered();

 private:
  enum class Waiting : uint8_t { kNothing, kCatalog, kInfer, kCatalogForReply };

  void read_header();
  void on_header(beast::error_code ec);
  void read_body();
  void on_read_error(beast::error_code ec);
  void handle();
  void handle_with_catalog(bool fresh);
  void submit_infer(bool fresh);
  void reply_infer(bool fresh);
  void refresh_catalog(Waiting then);
  void respond(unsigned status, std::string body);
  void on_written(beast::error_code ec);

  HttpFrontEnd::Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  const uint32_t slot_;
  std::string target_;  // the route's views point into it
  Route route_;
  JsonInferRequest infer_;
  const ModelEntry* checked_ = nullptr;
  ModelEntry checked_copy_;  // the entry the request was checked against
  Waiting waiting_ = Waiting::kNothing;
  bool keep_alive_ = true;
  bool busy_ = false;  // a request is in hand: being handled, answered or written
  bool closed_ = false;
};

// ---------------------------------------------------------------------------------------------

HttpFrontEnd::Impl::Impl(HttpFrontEnd& front, Batcher& batcher, HttpFrontEndOptions options)
    : front_(front),
      batcher_(batcher),
      options_(std::move(options)),
      port_(batcher.add_port(std::max<size_t>(options_.max_connections, 1))),
      finished_(std::bit_ceil(std::max<size_t>(options_.max_connections, 2)), BackPressure::kFail,
                "http-finished") {
  if (options_.endpoints.empty()) throw std::runtime_error("no HTTP endpoint to listen on");
  for (const std::string& text : options_.endpoints) {
    std::string host;
    std::string port;
    if (!split_endpoint(text, host, port)) {
      throw std::runtime_error("cannot listen on http " + text +
                               ": expected HOST:PORT (127.0.0.1:8000, [::1]:8000, 0.0.0.0:0)");
    }
    beast::error_code ec;
    tcp::resolver resolver(io_);
    const auto results = resolver.resolve(host, port, tcp::resolver::passive, ec);
    if (ec || results.empty()) {
      throw std::runtime_error("cannot listen on http " + text + ": " +
                               (ec ? ec.message() : std::string("no address")));
    }
    auto acceptor = std::make_unique<tcp::acceptor>(io_);
    const tcp::endpoint at = results.begin()->endpoint();
    acceptor->open(at.protocol(), ec);
    if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor->bind(at, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on http " + text + ": " + ec.message());
    bound.push_back(endpoint_text(acceptor->local_endpoint()));
    acceptors_.push_back(std::move(acceptor));
  }
  slots_.resize(std::max<size_t>(options_.max_connections, 1));
  for (size_t i = slots_.size(); i-- > 0;) free_.push_back(static_cast<uint32_t>(i));
  event_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (event_fd_ < 0) {
    throw std::system_error(errno, std::generic_category(), "eventfd for the HTTP front end");
  }
  wake_.emplace(io_, ::dup(event_fd_));
  const std::string body = error_body("too many connections; try again later");
  busy_reply_ =
      "HTTP/1.1 503 Service Unavailable\r\nServer: guiju-inferd\r\nContent-Type: "
      "application/json\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
}

HttpFrontEnd::Impl::~Impl() {
  // Connections must go while everything they touch on their way out is still here: first those
  // the slots keep, then those pending handlers keep (destroyed with the io_context).
  destroying_ = true;
  for (HttpSlot& s : slots_) s.owner.reset();
  acceptors_.clear();
  wake_.reset();
  linger_.reset();
  io_holder_.reset();
  if (event_fd_ >= 0) ::close(event_fd_);
}

void HttpFrontEnd::Impl::run() {
  for (size_t i = 0; i < acceptors_.size(); ++i) accept(i);
  arm_wake();
  io_.run();
  log().info(
      "guiju-inferd: http stopped: {} requests ({} refused before reaching a model), {} "
      "connections ({} refused: too many)",
      counters_.requests, counters_.refused, counters_.connections, counters_.connections_refused);
}

void HttpFrontEnd::Impl::accept(size_t index) {
  acceptors_[index]->async_accept([this, index](beast::error_code ec, tcp::socket socket) {
    if (stopping_) return;
    if (ec) {
      // Out of descriptors or a connection reset before it was taken: go on accepting, after a
      // pause so a persistent failure does not spin.
      log().warn("guiju-inferd: http accept: {}", ec.message());
      auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(50));
      timer->async_wait([this, index, timer](beast::error_code) {
        if (!stopping_) accept(index);
      });
      return;
    }
    if (free_.empty()) {
      refuse_connection(socket);
    } else {
      const uint32_t slot = free_.back();
      free_.pop_back();
      ++counters_.connections;
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto connection = std::make_shared<HttpConnection>(*this, std::move(socket), slot);
      connections_.insert(connection.get());
      connection->start();
    }
    accept(index);
  });
}

void HttpFrontEnd::Impl::refuse_connection(tcp::socket& socket) {
  // Written without waiting: the reply fits any socket buffer, and a peer that does not read it
  // loses it, not the server a turn.
  ++counters_.connections_refused;
  beast::error_code ec;
  socket.non_blocking(true, ec);
  socket.write_some(asio::buffer(busy_reply_), ec);
  socket.shutdown(tcp::socket::shutdown_send, ec);
  // What the peer has sent already is read away: closing on unread bytes would reset the
  // connection, and the peer could lose the reply.
  std::array<char, 4096> sink{};
  while (socket.read_some(asio::buffer(sink), ec) > 0 && !ec) {
  }
  socket.close(ec);
}

void HttpFrontEnd::Impl::gone(HttpConnection* c, uint32_t slot) {
  connections_.erase(c);
  slots_[slot].owner.reset();
  free_.push_back(slot);
  if (!destroying_) finish_if_idle();
}

void HttpFrontEnd::Impl::arm_wake() {
  wake_->async_read_some(asio::buffer(&wake_count_, sizeof wake_count_),
                         [this](beast::error_code ec, size_t /*bytes*/) {
                           if (ec == asio::error::operation_aborted) return;
                           // Cleared before the ring is read: an answer handed back from here on
                           // writes the eventfd again.
                           wake_pending_.exchange(false, std::memory_order_acq_rel);
                           take_finished();
                           if (!(stopping_ && connections_.empty())) arm_wake();
                         });
}

void HttpFrontEnd::Impl::take_finished() {
  finished_.pop_batch([this](uint32_t index) {
    // Moved out first: the connection may be the slot's last owner, and it frees the slot when
    // it goes.
    std::shared_ptr<HttpConnection> owner = std::move(slots_[index].owner);
    if (owner) owner->answered();
  });
}

void HttpFrontEnd::Impl::complete(const InferOutcome& o) {
  HttpSlot& s = slots_[o.tag];
  s.admin = false;
  s.status = o.status;
  s.name.assign(o.name);
  s.version.assign(o.version);
  s.sha256 = o.sha256;
  s.queue_ns = o.queue_ns;
  s.compute_ns = o.compute_ns;
  s.rows = o.rows;
  s.outputs.assign(o.outputs.begin(), o.outputs.end());
  // The ring holds every slot there is: it cannot be full.
  (void)finished_.try_push(static_cast<uint32_t>(o.tag));
  if (!wake_pending_.exchange(true, std::memory_order_acq_rel)) {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(event_fd_, &one, sizeof one);
  }
}

void HttpFrontEnd::Impl::complete_admin(uint64_t tag, const AdminReply& reply) {
  HttpSlot& s = slots_[tag];
  s.admin = true;
  s.status = reply.status;
  s.models = reply.models;
  (void)finished_.try_push(static_cast<uint32_t>(tag));
  if (!wake_pending_.exchange(true, std::memory_order_acq_rel)) {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(event_fd_, &one, sizeof one);
  }
}

void HttpFrontEnd::Impl::begin_stop() {
  if (stopping_) return;
  stopping_ = true;
  for (const auto& a : acceptors_) {
    beast::error_code ec;
    a->close(ec);
  }
  // Copied: a connection closed here may go (and leave the set) before the loop ends.
  const std::vector<HttpConnection*> open(connections_.begin(), connections_.end());
  for (HttpConnection* c : open) c->stop();
  linger_->expires_after(options_.linger);
  linger_->async_wait([this](beast::error_code ec) {
    if (ec) return;
    log().warn("guiju-inferd: http: {} connections still open {} ms after the stop: closed",
               connections_.size(), options_.linger.count());
    const std::vector<HttpConnection*> left(connections_.begin(), connections_.end());
    for (HttpConnection* c : left) c->close();
    io_.stop();
  });
  finish_if_idle();
}

void HttpFrontEnd::Impl::finish_if_idle() {
  if (!stopping_ || !connections_.empty()) return;
  // Nothing left to serve: with the timer and the eventfd cancelled, run() returns.
  linger_->cancel();
  beast::error_code ec;
  wake_->cancel(ec);
}

// ---------------------------------------------------------------------------------------------

void HttpConnection::read_header() {
  if (closed_) return;
  busy_ = false;
  if (server_.stopping()) {
    close();
    return;
  }
  parser_.emplace();
  parser_->body_limit(server_.options().max_body_bytes);
  parser_->header_limit(kMaxHeaderBytes);
  stream_.expires_after(server_.options().idle_timeout);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t /*bytes*/) { self->on_header(ec); });
}

void HttpConnection::on_header(beast::error_code ec) {
  if (ec) {
    on_read_error(ec);
    return;
  }
  busy_ = true;
  const auto& request = parser_->get();
  if (beast::iequals(request[http::field::expect], "100-continue")) {
    // curl and others wait for this before they send a large body.
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this()](beast::error_code e, size_t /*bytes*/) {
                        if (e) {
                          self->close();
                          return;
                        }
                        self->read_body();
                      });
    return;
  }
  read_body();
}

void HttpConnection::read_body() {
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, size_t /*bytes*/) {
                     if (ec) {
                       self->on_read_error(ec);
                       return;
                     }
                     self->handle();
                   });
}

void HttpConnection::on_read_error(beast::error_code ec) {
  if (ec == http::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::error::operation_aborted || ec == beast::error::timeout ||
      ec == asio::error::connection_reset || closed_) {
    close();
    return;
  }
  // The request cannot be read to its end: answered, and the connection closed, since where the
  // next request would start is unknown.
  busy_ = true;
  keep_alive_ = false;
  ++server_.counters().requests;
  ++server_.counters().refused;
  if (ec == http::error::body_limit) {
    respond(413, error_body("the body is larger than the limit of " +
                            std::to_string(server_.options().max_body_bytes) + " bytes"));
  } else if (ec == http::error::header_limit) {
    respond(431, error_body("the header is larger than the limit of " +
                            std::to_string(kMaxHeaderBytes) + " bytes"));
  } else {
    respond(400, error_body("malformed HTTP request: " + ec.message()));
  }
}

void HttpConnection::handle() {
  auto& request = parser_->get();
  ++server_.counters().requests;
  keep_alive_ = request.keep_alive();
  target_ = std::string(request.target());
  const beast::string_view method = request.method_string();
  route_ = route_request(std::string_view(method.data(), method.size()), target_);
  if (server_.stopping()) {
    keep_alive_ = false;
    respond(503, error_body("the service is stopping"));
    return;
  }
  switch (route_.kind) {
    case RouteKind::kNone:
      ++server_.counters().refused;
      respond(route_.status, error_body(route_.error));
      if (route_.status == 405) response_.set(http::field::allow, route_.allow);
      return;
    case RouteKind::kServerMetadata:
      respond(200, server_metadata_body(server_.options().server_version));
      return;
    case RouteKind::kLive:
      respond(200, R"({"live":true})");
      return;
    case RouteKind::kReady:
    case RouteKind::kModelMetadata:
    case RouteKind::kModelReady:
      // Always from a fresh list: readiness is what these are asked for.
      refresh_catalog(Waiting::kCatalog);
      return;
    case RouteKind::kInfer: {
      const HttpError e =
          decode_infer_request(request.body(), utc_now(), infer_, server_.slot(slot_).input);
      // The body is decoded: its memory is not kept for the connection's life.
      std::string().swap(request.body());
      if (e) {
        ++server_.counters().refused;
        respond(e.status, error_body(e.message));
        return;
      }
      submit_infer(false);
      return;
    }
  }
}

void HttpConnection::refresh_catalog(Waiting then) {
  InferJob job;
  job.kind = JobKind::kAdmin;
  job.command = AdminCommand::kList;
  job.request_id = server_.next_request_id();
  job.tag = slot_;
  job.completion = &server_.front();
  job.received_ns = monotonic_now();
  server_.slot(slot_).owner = shared_from_this();
  if (!server_.submit(job)) {
    server_.slot(slot_).owner.reset();
    respond(503, error_body("overloaded: the service cannot take the request now"));
    return;
  }
  waiting_ = then;
}

void HttpConnection::handle_with_catalog(bool /*fresh*/) {
  const std::vector<ModelEntry>& models = server_.catalog();
  switch (route_.kind) {
    case RouteKind::kReady: {
      const bool ready = std::any_of(models.begin(), models.end(), [](const ModelEntry& m) {
        return m.state == ModelState::kReady;
      });
      if (ready && !server_.stopping()) {
        respond(200, R"({"ready":true})");
      } else {
        respond(503,
                error_body(server_.stopping() ? "the service is stopping" : "no model is ready"));
      }
      return;
    }
    case RouteKind::kModelMetadata:
    case RouteKind::kModelReady: {
      const ModelEntry* m = find_model(models, route_.name, route_.version);
      if (m == nullptr) {
        // Without a version, only draining versions of the name are left: being unloaded.
        const bool draining = route_.version.empty() &&
                              std::any_of(models.begin(), models.end(), [&](const ModelEntry& e) {
                                return e.name == route_.name;
                              });
        if (draining && route_.kind == RouteKind::kModelReady) {
          respond(503, error_body(model_text(route_.name, route_.version) +
                                  " is being unloaded: not ready"));
        } else {
          respond(404, error_body(model_text(route_.name, route_.version) + " is not loaded"));
        }
        return;
      }
      if (route_.kind == RouteKind::kModelMetadata) {
        respond(200, model_metadata_body(models, *m));
      } else if (m->state == ModelState::kReady) {
        respond(200, R"({"name":")" + m->name + R"(","ready":true})");
      } else {
        respond(503, error_body(model_text(m->name, m->version) + " is being unloaded: not ready"));
      }
      return;
    }
    case RouteKind::kNone:
    case RouteKind::kServerMetadata:
    case RouteKind::kLive:
    case RouteKind::kInfer:
      break;
  }
  respond(500, error_body("internal: no answer for this endpoint"));
}

void HttpConnection::submit_infer(bool fresh) {
  const ModelEntry* m = find_model(server_.catalog(), route_.name, route_.version);
  if (m == nullptr && !fresh) {
    // Perhaps loaded since the list was taken (over ZeroMQ): look again before refusing.
    refresh_catalog(Waiting::kCatalog);
    return;
  }
  checked_ = nullptr;
  if (m != nullptr) {
    if (const HttpError e = check_against_model(infer_, *m)) {
      ++server_.counters().refused;
      respond(e.status, model_error_body(e.message, *m, ReplyStatus::kBadRequest));
      return;
    }
    checked_copy_ = *m;
    checked_ = &checked_copy_;
  }
  // Without an entry the batcher decides (unknown model, unavailable); it checks the row size in
  // any case.
  const HttpSlot& slot = server_.slot(slot_);
  InferJob job;
  job.kind = JobKind::kInfer;
  job.rows = infer_.rows;
  job.row_elements = infer_.row_elements;
  job.request_id = server_.next_request_id();
  job.tag = slot_;
  job.completion = &server_.front();
  job.deadline_ns = infer_.deadline_ns;
  job.received_ns = monotonic_now();
  job.data = reinterpret_cast<const std::byte*>(slot.input.data());
  job.name.assign(route_.name);
  job.version.assign(route_.version);
  server_.slot(slot_).owner = shared_from_this();
  if (!server_.submit(job)) {
    server_.slot(slot_).owner.reset();
    respond(503, error_body(refusal_text(ReplyStatus::kOverloaded, route_.name, route_.version)));
    return;
  }
  waiting_ = Waiting::kInfer;
}

void HttpConnection::answered() {
  const Waiting was = waiting_;
  waiting_ = Waiting::kNothing;
  if (closed_) return;
  HttpSlot& s = server_.slot(slot_);
  if (s.admin) {
    server_.catalog() = s.models;
    if (was == Waiting::kCatalogForReply) {
      reply_infer(true);
    } else if (route_.kind == RouteKind::kInfer) {
      submit_infer(true);
    } else {
      handle_with_catalog(true);
    }
    return;
  }
  reply_infer(false);
}

void HttpConnection::reply_infer(bool fresh) {
  const HttpSlot& s = server_.slot(slot_);
  if (s.status != ReplyStatus::kOk) {
    const std::string message = refusal_text(s.status, s.name, s.version);
    if (s.sha256 == std::array<uint8_t, 32>{}) {
      respond(http_status(s.status), error_body(message));
    } else {
      ModelEntry m;
      m.name = s.name;
      m.version = s.version;
      m.sha256 = s.sha256;
      respond(http_status(s.status), model_error_body(message, m, s.status));
    }
    return;
  }
  // The output's name and shape: the version that answered, which a hot swap may have made
  // another than the one the request was checked against.
  const ModelEntry* m = nullptr;
  for (const ModelEntry& e : server_.catalog()) {
    if (e.name == s.name && e.version == s.version && e.sha256 == s.sha256) m = &e;
  }
  if (m == nullptr && !fresh) {
    refresh_catalog(Waiting::kCatalogForReply);
    return;
  }
  if (m == nullptr) m = checked_;  // unloaded again already: the shape it was checked against
  JsonInferReply r;
  r.model_name = s.name;
  r.model_version = s.version;
  r.id = infer_.id;
  r.has_id = infer_.has_id;
  r.sha256 = s.sha256;
  r.queue_ns = s.queue_ns;
  r.compute_ns = s.compute_ns;
  r.rows = s.rows;
  r.data = s.outputs;
  std::vector<uint32_t> flat;
  if (m != nullptr) {
    r.output_name = m->output_name;
    r.output_dims = m->output_shape;
  } else {
    flat.push_back(s.rows == 0 ? 0 : static_cast<uint32_t>(s.outputs.size() / s.rows));
    r.output_dims = flat;
  }
  std::string body;
  encode_infer_reply(r, body);
  respond(200, std::move(body));
}

void HttpConnection::respond(unsigned status, std::string body) {
  busy_ = true;
  if (server_.stopping()) keep_alive_ = false;
  response_ = {};
  response_.result(status);
  response_.version(11);
  response_.set(http::field::server, "guiju-inferd");
  response_.set(http::field::content_type, "application/json");
  response_.keep_alive(keep_alive_);
  response_.body() = std::move(body);
  response_.prepare_payload();
  // Posted, so that a handler may still add a header (Allow) before the write starts.
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->closed_) return;
    self->stream_.expires_after(self->server_.options().idle_timeout);
    http::async_write(self->stream_, self->response_,
                      [self](beast::error_code ec, size_t /*bytes*/) { self->on_written(ec); });
  });
}

void HttpConnection::on_written(beast::error_code ec) {
  if (ec || !keep_alive_) {
    close();
    return;
  }
  read_header();
}

// ---------------------------------------------------------------------------------------------

HttpFrontEnd::HttpFrontEnd(Batcher& batcher, HttpFrontEndOptions options)
    : impl_(std::make_unique<Impl>(*this, batcher, std::move(options))) {}

HttpFrontEnd::~HttpFrontEnd() = default;

const std::vector<std::string>& HttpFrontEnd::endpoints() const {
  return impl_->bound;
}

void HttpFrontEnd::run() {
  impl_->run();
}

void HttpFrontEnd::request_stop() {
  impl_->request_stop();
}

const HttpCounters& HttpFrontEnd::counters() const {
  return impl_->counters();
}

void HttpFrontEnd::complete(const InferOutcome& outcome) {
  impl_->complete(outcome);
}

void HttpFrontEnd::complete_admin(uint64_t tag, const AdminReply& reply) {
  impl_->complete_admin(tag, reply);
}

}  // namespace guiju::inference
