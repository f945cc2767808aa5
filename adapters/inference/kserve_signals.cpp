#include "adapters/inference/kserve_signals.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

#include "core/clock/clock.hpp"
#include "core/logging/log.hpp"

namespace guiju::inference {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using nlohmann::json;

namespace {

// A response larger than this is refused: a signal reply is a few hundred bytes per row.
constexpr uint64_t kMaxResponseBytes = uint64_t{16} << 20;
// Failures logged one by one; after that only counted.
constexpr uint64_t kLoggedFailures = 8;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::array<uint8_t, 32> sha_from_hex(std::string_view hex) {
  std::array<uint8_t, 32> out{};
  if (hex.size() != 64) return out;
  for (size_t i = 0; i < 32; ++i) {
    uint8_t byte = 0;
    const auto r = std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, byte, 16);
    if (r.ec != std::errc() || r.ptr != hex.data() + 2 * i + 2) return {};
    out[i] = byte;
  }
  return out;
}

// The product of a metadata shape's dimensions after the batch; 0 when one is not a positive
// integer.
size_t row_elements(const json& shape) {
  if (!shape.is_array() || shape.empty()) return 0;
  size_t n = 1;
  for (size_t i = 1; i < shape.size(); ++i) {
    if (!shape[i].is_number_integer() || shape[i].get<int64_t>() <= 0) return 0;
    n *= static_cast<size_t>(shape[i].get<int64_t>());
    if (n > (size_t{1} << 24)) return 0;
  }
  return n;
}

void flatten(const json& v, std::vector<float>& out) {
  if (v.is_array()) {
    for (const json& e : v) flatten(e, out);
  } else if (v.is_number()) {
    out.push_back(static_cast<float>(v.get<double>()));
  } else {
    out.push_back(std::numeric_limits<float>::quiet_NaN());  // null: NaN or infinity
  }
}

void append_float(float x, std::string& out) {
  char text[32];
  // The double's shortest form reads back as exactly this float (every float is a double).
  const auto r = std::to_chars(std::begin(text), std::end(text), static_cast<double>(x));
  out.append(text, r.ptr);
}

}  // namespace

bool parse_http_service(std::string_view text, std::string& host, std::string& port,
                        std::string& error) {
  constexpr std::string_view kScheme = "http://";
  if (text.substr(0, kScheme.size()) != kScheme) {
    error = "expected http://HOST:PORT";
    return false;
  }
  std::string_view rest = text.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    error = "expected http://HOST:PORT (the port is missing)";
    return false;
  }
  std::string_view h = rest.substr(0, colon);
  const std::string_view p = rest.substr(colon + 1);
  if (h.front() == '[') {
    if (h.size() < 3 || h.back() != ']') {
      error = "expected http://[IPv6]:PORT";
      return false;
    }
    h = h.substr(1, h.size() - 2);
  }
  if (h.find_first_of("/[]@?#") != std::string_view::npos) {
    error = "the host '" + std::string(h) + "' is not a host name or address";
    return false;
  }
  unsigned long number = 0;
  if (!all_digits(p) || p.size() > 5 || (number = std::stoul(std::string(p))) == 0 ||
      number > 65535) {
    error = "the port '" + std::string(p) + "' is not 1 to 65535";
    return false;
  }
  host = std::string(h);
  port = std::string(p);
  return true;
}

// ---------------------------------------------------------------------------------------------

class KServeSignals::Client {
 public:
  Client(const InferenceConfig& config, SpscRing<EventSlot>& replies, KServeOptions options,
         SpscRing<SignalRequest>& requests, KServeCounters& counters, int event_fd,
         std::atomic<bool>& wake_pending)
      : replies_(replies),
        options_(std::move(options)),
        requests_(requests),
        counters_(counters),
        wake_pending_(wake_pending),
        wake_(io_, ::dup(event_fd)) {
    for (const InferenceModelConfig& c : config.models) {
      Model m;
      m.id = c.id;
      m.name = c.name;
      m.version = c.version;
      const std::string base =
          "/v2/models/" + c.name + (c.version.empty() ? "" : "/versions/" + c.version);
      m.metadata_target = base;
      m.infer_target = base + "/infer";
      models_.push_back(std::move(m));
    }
    for (size_t i = 0; i < std::max<size_t>(options_.connections, 1); ++i) {
      links_.push_back(std::make_unique<Link>(io_, options_.reconnect_min));
    }
    where_ = "http://" + options_.host + ":" + options_.port;
  }

  void run() {
    arm_wake();
    for (const auto& link : links_) connect(*link);
    io_.run();
  }

  void stop() {
    asio::post(io_, [this] {
      stopping_.store(true, std::memory_order_relaxed);
      io_.stop();
    });
    stop_requested_.store(true, std::memory_order_relaxed);
  }

 private:
  enum class ModelState : uint8_t { kUnknown, kKnown, kMissing, kUnusable };
  struct Model {
    uint32_t id = 0;
    std::string name;
    std::string version;
    std::string metadata_target;
    std::string infer_target;
    ModelState state = ModelState::kUnknown;
    bool metadata_in_flight = false;
    std::chrono::steady_clock::time_point retry_after{};
    std::string input_name;
    std::vector<int64_t> input_dims;  // without the batch
    size_t input_elements = 0;
    std::string output_name;
    size_t output_elements = 0;
  };
  enum class LinkState : uint8_t { kDown, kConnecting, kIdle, kBusy };
  enum class Job : uint8_t { kNone, kMetadata, kInfer };
  struct Link {
    Link(asio::io_context& io, std::chrono::milliseconds first_pause)
        : stream(io), timer(io), pause(first_pause) {}
    beast::tcp_stream stream;
    asio::steady_timer timer;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    std::optional<http::response_parser<http::string_body>> parser;
    LinkState state = LinkState::kDown;
    Job job = Job::kNone;
    Model* model = nullptr;
    std::vector<SignalRequest> batch;
    std::chrono::milliseconds pause;
  };

  // ---- connections ---------------------------------------------------------------------------

  void connect(Link& link) {
    if (stopping()) return;
    link.state = LinkState::kConnecting;
    beast::error_code ec;
    tcp::resolver resolver(io_);
    const auto results = resolver.resolve(options_.host, options_.port, ec);
    if (ec) {
      down(link, ec);
      return;
    }
    link.stream.expires_after(options_.io_timeout);
    link.stream.async_connect(results,
                              [this, &link](beast::error_code e, const tcp::endpoint& /*at*/) {
                                if (e) {
                                  down(link, e);
                                  return;
                                }
                                beast::error_code ignored;
                                link.stream.socket().set_option(tcp::no_delay(true), ignored);
                                link.state = LinkState::kIdle;
                                link.pause = options_.reconnect_min;
                                if (reachable_ == false) {
                                  log().info("kserve client: connected to {}", where_);
                                }
                                reachable_ = true;
                                dispatch();
                              });
  }

  // A connection failed (connect, write, read, timeout): what it carried goes back to the front
  // of the queue, and it reconnects after a pause that grows while the server stays away.
  void down(Link& link, beast::error_code ec) {
    if (stopping()) return;
    ++counters_.connect_failures;
    if (reachable_ != false || failures_logged_ < kLoggedFailures) {
      log().warn("kserve client: {}: {}", where_, ec.message());
      ++failures_logged_;
    }
    reachable_ = false;
    // A connection that was up (the server closed an idle one, or restarted) is made again at
    // once; a connect that failed is tried again after the pause.
    const bool was_up = link.state == LinkState::kIdle || link.state == LinkState::kBusy;
    beast::error_code ignored;
    link.stream.socket().close(ignored);
    link.buffer.clear();
    requeue(link);
    link.state = LinkState::kDown;
    link.timer.expires_after(was_up ? std::chrono::milliseconds(0) : link.pause);
    if (!was_up) link.pause = std::min(link.pause * 2, options_.reconnect_max);
    link.timer.async_wait([this, &link](beast::error_code e) {
      if (!e) connect(link);
    });
    dispatch();
  }

  void requeue(Link& link) {
    if (link.model != nullptr && link.job == Job::kMetadata) link.model->metadata_in_flight = false;
    counters_.resent.fetch_add(link.batch.size(), std::memory_order_relaxed);
    pending_.insert(pending_.begin(), link.batch.begin(), link.batch.end());
    link.batch.clear();
    link.job = Job::kNone;
    link.model = nullptr;
  }

  // ---- the engine's requests -----------------------------------------------------------------

  void arm_wake() {
    wake_.async_read_some(asio::buffer(&wake_count_, sizeof wake_count_),
                          [this](beast::error_code ec, size_t /*bytes*/) {
                            if (ec) return;
                            wake_pending_.exchange(false, std::memory_order_acq_rel);
                            dispatch();
                            arm_wake();
                          });
  }

  void pull() {
    while (pending_.size() < options_.queue_capacity) {
      SignalRequest r;
      if (!requests_.try_pop(r)) break;
      pending_.push_back(r);
    }
    // Too late to send: the engine reports these timed out itself.
    const Timestamp now = utc_now();
    const auto expired = std::remove_if(pending_.begin(), pending_.end(), [&](const auto& r) {
      return r.deadline != 0 && now > r.deadline;
    });
    counters_.expired.fetch_add(static_cast<uint64_t>(pending_.end() - expired),
                                std::memory_order_relaxed);
    pending_.erase(expired, pending_.end());
  }

  Model* model_of(uint32_t id) {
    for (Model& m : models_) {
      if (m.id == id) return &m;
    }
    return nullptr;
  }

  void dispatch() {
    if (stopping()) return;
    pull();
    for (const auto& link : links_) {
      if (pending_.empty()) return;
      if (link->state == LinkState::kIdle) start_next(*link);
    }
  }

  // Gives an idle connection its next job: a model's metadata, or a batch of one model's
  // requests. Requests that cannot be sent are answered here.
  void start_next(Link& link) {
    const auto now = std::chrono::steady_clock::now();
    for (size_t i = 0; i < pending_.size();) {
      const SignalRequest r = pending_[i];
      Model* m = model_of(r.model_id);
      SignalStatus refusal = SignalStatus::kOk;
      if (m == nullptr || (m->state == ModelState::kMissing && now < m->retry_after)) {
        refusal = SignalStatus::kUnknownModel;
      } else if (m->state == ModelState::kUnusable ||
                 (m->state == ModelState::kKnown && r.input_count != m->input_elements)) {
        refusal = SignalStatus::kModelError;
      }
      if (refusal != SignalStatus::kOk) {
        answer(r, refusal, m, {}, {});
        pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
      if (m->state != ModelState::kKnown) {
        if (m->metadata_in_flight) {
          ++i;
          continue;
        }
        send_metadata(link, *m);
        return;
      }
      // This request and the ones after it for the same model, in order, as one infer request.
      link.batch.clear();
      for (size_t j = i; j < pending_.size() && link.batch.size() < options_.max_rows;) {
        if (pending_[j].model_id == r.model_id && pending_[j].input_count == r.input_count) {
          link.batch.push_back(pending_[j]);
          pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(j));
        } else {
          ++j;
        }
      }
      send_infer(link, *m);
      return;
    }
  }

  void send_metadata(Link& link, Model& m) {
    m.metadata_in_flight = true;
    link.job = Job::kMetadata;
    link.model = &m;
    request(link, http::verb::get, m.metadata_target, {});
  }

  void send_infer(Link& link, Model& m) {
    link.job = Job::kInfer;
    link.model = &m;
    std::string body;
    body.reserve(160 + link.batch.size() * m.input_elements * 14);
    body += R"({"id":")";
    body += std::to_string(link.batch.front().request_id);
    body += R"(","inputs":[{"name":")";
    body += m.input_name;
    body += R"(","datatype":"FP32","shape":[)";
    body += std::to_string(link.batch.size());
    for (const int64_t d : m.input_dims) body += "," + std::to_string(d);
    body += R"(],"data":[)";
    bool first = true;
    Timestamp latest = 0;
    bool unbounded = false;
    for (const SignalRequest& r : link.batch) {
      for (size_t k = 0; k < m.input_elements; ++k) {
        if (!first) body.push_back(',');
        first = false;
        append_float(r.inputs[k], body);
      }
      if (r.deadline == 0) unbounded = true;
      latest = std::max(latest, r.deadline);
    }
    body += R"(]}],"outputs":[{"name":")";
    body += m.output_name;
    body += R"("}])";
    if (!unbounded) {
      // The latest deadline of those sent together: none is refused for another's deadline.
      const int64_t left_us = std::max<int64_t>((latest - utc_now()) / 1000, 1);
      body += R"(,"parameters":{"timeout":)" + std::to_string(left_us) + "}";
    }
    body += "}";
    request(link, http::verb::post, m.infer_target, std::move(body));
  }

  void request(Link& link, http::verb verb, const std::string& target, std::string body) {
    link.state = LinkState::kBusy;
    link.request = {};
    link.request.method(verb);
    link.request.target(target);
    link.request.version(11);
    link.request.set(http::field::host, options_.host + ":" + options_.port);
    link.request.set(http::field::user_agent, "guiju");
    if (verb == http::verb::post) link.request.set(http::field::content_type, "application/json");
    link.request.keep_alive(true);
    link.request.body() = std::move(body);
    link.request.prepare_payload();
    link.stream.expires_after(options_.io_timeout);
    http::async_write(link.stream, link.request,
                      [this, &link](beast::error_code ec, size_t /*bytes*/) {
                        if (ec) {
                          down(link, ec);
                          return;
                        }
                        link.parser.emplace();
                        link.parser->body_limit(kMaxResponseBytes);
                        http::async_read(link.stream, link.buffer, *link.parser,
                                         [this, &link](beast::error_code e, size_t /*bytes*/) {
                                           if (e) {
                                             down(link, e);
                                             return;
                                           }
                                           on_response(link);
                                         });
                      });
  }

  void on_response(Link& link) {
    const http::response<http::string_body>& response = link.parser->get();
    const unsigned status = response.result_int();
    const bool keep = response.keep_alive();
    if (link.job == Job::kMetadata) {
      on_metadata(*link.model, status, response.body());
    } else {
      on_infer(link, status, response.body());
    }
    link.batch.clear();
    link.job = Job::kNone;
    link.model = nullptr;
    if (keep) {
      link.state = LinkState::kIdle;
    } else {
      beast::error_code ignored;
      link.stream.socket().close(ignored);
      connect(link);
    }
    dispatch();
  }

  void unusable(Model& m, const std::string& why) {
    m.state = ModelState::kUnusable;
    log().error("kserve client: model {} at {}: {}; its requests are answered model_error", m.name,
                where_, why);
  }

  void on_metadata(Model& m, unsigned status, const std::string& body) {
    m.metadata_in_flight = false;
    if (status == 404) {
      // Perhaps not loaded yet: asked again a second later.
      m.state = ModelState::kMissing;
      m.retry_after = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      log().warn("kserve client: {} has no model {} (HTTP 404)", where_, m.metadata_target);
      return;
    }
    const json j = json::parse(body, nullptr, false);
    if (status != 200 || j.is_discarded()) {
      m.state = ModelState::kMissing;
      m.retry_after = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      log().warn("kserve client: {}{}: HTTP {}", where_, m.metadata_target, status);
      return;
    }
    const json& inputs = j.value("inputs", json::array());
    const json& outputs = j.value("outputs", json::array());
    if (!inputs.is_array() || inputs.size() != 1 || !outputs.is_array() || outputs.empty()) {
      unusable(m, "a signal model has one input tensor and an output tensor");
      return;
    }
    const json& in = inputs[0];
    const json& out = outputs[0];
    if (in.value("datatype", "") != "FP32" || out.value("datatype", "") != "FP32") {
      unusable(m, "its tensors are not FP32");
      return;
    }
    m.input_name = in.value("name", "");
    m.output_name = out.value("name", "");
    m.input_elements = row_elements(in.value("shape", json()));
    m.output_elements = row_elements(out.value("shape", json()));
    m.input_dims.clear();
    const json& shape = in.value("shape", json::array());
    for (size_t i = 1; shape.is_array() && i < shape.size(); ++i) {
      m.input_dims.push_back(shape[i].get<int64_t>());
    }
    if (m.input_name.empty() || m.output_name.empty() || m.input_elements == 0 ||
        m.output_elements == 0 || m.input_elements > static_cast<size_t>(kMaxSignalInputs) ||
        m.output_elements > static_cast<size_t>(kMaxSignalOutputs)) {
      unusable(m, "a signal model takes at most " + std::to_string(kMaxSignalInputs) +
                      " inputs and gives at most " + std::to_string(kMaxSignalOutputs) +
                      " outputs per row, with a batch first dimension");
      return;
    }
    m.state = ModelState::kKnown;
  }

  static SignalStatus status_of(unsigned http_status, const json& body) {
    switch (http_status) {
      case 404:
        return SignalStatus::kUnknownModel;
      case 429:
        return SignalStatus::kOverloaded;
      case 503: {
        // guiju-inferd says which; a 503 from elsewhere (Triton) means not available.
        const json params = body.is_object() ? body.value("parameters", json::object()) : json();
        return params.is_object() && params.value("status", "") == "overloaded"
                   ? SignalStatus::kOverloaded
                   : SignalStatus::kUnavailable;
      }
      case 504:
        return SignalStatus::kDeadlineMissed;
      default:
        return SignalStatus::kModelError;
    }
  }

  void on_infer(Link& link, unsigned status, const std::string& body) {
    Model& m = *link.model;
    const json j = json::parse(body, nullptr, false);
    std::string name = m.name;
    std::string version = m.version;
    std::array<uint8_t, 32> sha{};
    if (j.is_object()) {
      if (j.contains("model_name") && j["model_name"].is_string()) name = j["model_name"];
      if (j.contains("model_version") && j["model_version"].is_string()) {
        version = j["model_version"];
      }
      const json params = j.value("parameters", json::object());
      if (params.is_object() && params.contains("sha256") && params["sha256"].is_string()) {
        sha = sha_from_hex(params["sha256"].get<std::string>());
      }
    }
    const Identity who{name, version, sha};
    if (status != 200 || !j.is_object()) {
      const SignalStatus s = status == 200 ? SignalStatus::kModelError : status_of(status, j);
      if (status == 404) {
        m.state = ModelState::kUnknown;  // unloaded: its metadata is read again
      }
      if (failures_logged_ < kLoggedFailures && s != SignalStatus::kDeadlineMissed) {
        ++failures_logged_;
        log().warn("kserve client: {}{}: HTTP {}: {}", where_, m.infer_target, status,
                   j.is_object() ? j.value("error", body) : body);
      }
      for (const SignalRequest& r : link.batch) answer(r, s, &m, who, {});
      return;
    }
    // The output asked for, flat; null (NaN or infinity) read as NaN.
    outputs_.clear();
    const json& list = j.value("outputs", json::array());
    const json* chosen = nullptr;
    for (const json& o : list) {
      if (o.is_object() && o.value("name", "") == m.output_name) chosen = &o;
    }
    if (chosen == nullptr && list.is_array() && !list.empty()) chosen = &list[0];
    if (chosen != nullptr && chosen->contains("data")) flatten((*chosen)["data"], outputs_);
    const size_t rows = link.batch.size();
    if (outputs_.size() != rows * m.output_elements) {
      for (const SignalRequest& r : link.batch) answer(r, SignalStatus::kModelError, &m, who, {});
      return;
    }
    for (size_t i = 0; i < rows; ++i) {
      answer(link.batch[i], SignalStatus::kOk, &m, who,
             std::span<const float>(outputs_.data() + i * m.output_elements, m.output_elements));
    }
  }

  struct Identity {
    std::string_view name;
    std::string_view version;
    std::array<uint8_t, 32> sha256{};
  };

  void answer(const SignalRequest& r, SignalStatus status, const Model* m, const Identity& who,
              std::span<const float> outputs) {
    SignalReply reply;
    const Timestamp now = utc_now();
    reply.header = make_header<SignalReply>(now, now, r.header.source);
    reply.request_id = r.request_id;
    reply.model_id = r.model_id;
    reply.status = status;
    reply.latency = now - r.header.event_time;
    if (!who.name.empty()) {
      reply.model_name.assign(who.name);
      reply.model_version.assign(who.version);
      reply.model_sha256 = who.sha256;
    } else if (m != nullptr) {
      reply.model_name.assign(m->name);
      reply.model_version.assign(m->version);
    }
    const size_t n = std::min(outputs.size(), static_cast<size_t>(kMaxSignalOutputs));
    std::copy_n(outputs.begin(), n, reply.outputs.begin());
    reply.output_count = static_cast<uint16_t>(n);
    EventSlot slot;
    slot.store(reply);
    // The ring has room for every request in flight; full only while the engine is not reading.
    while (!replies_.try_push(slot)) {
      if (stop_requested_.load(std::memory_order_relaxed)) return;
      std::this_thread::yield();
    }
    counters_.answered.fetch_add(1, std::memory_order_relaxed);
  }

  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }

  SpscRing<EventSlot>& replies_;
  const KServeOptions options_;
  SpscRing<SignalRequest>& requests_;
  KServeCounters& counters_;
  std::atomic<bool>& wake_pending_;
  asio::io_context io_{1};
  asio::posix::stream_descriptor wake_;
  uint64_t wake_count_ = 0;
  std::vector<Model> models_;
  std::vector<std::unique_ptr<Link>> links_;
  std::deque<SignalRequest> pending_;
  std::vector<float> outputs_;
  std::string where_;
  std::optional<bool> reachable_;  // unknown until the first connect succeeds or fails
  uint64_t failures_logged_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> stop_requested_{false};
};

// ---------------------------------------------------------------------------------------------

KServeSignals::KServeSignals(const InferenceConfig& config, SpscRing<EventSlot>& replies,
                             KServeOptions options)
    : requests_(std::bit_ceil(std::max<size_t>(options.queue_capacity, 2)), BackPressure::kFail,
                "kserve-requests") {
  event_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (event_fd_ < 0) {
    throw std::system_error(errno, std::generic_category(), "eventfd for the KServe client");
  }
  client_ = std::make_unique<Client>(config, replies, std::move(options), requests_, counters_,
                                     event_fd_, wake_pending_);
  thread_ = std::thread([this] { client_->run(); });
}

KServeSignals::~KServeSignals() {
  client_->stop();
  thread_.join();
  client_.reset();
  ::close(event_fd_);
}

bool KServeSignals::send(const SignalRequest& request) {
  if (!requests_.try_push(request)) return false;
  wake();
  return true;
}

void KServeSignals::wake() {
  // One write per hand-over, not per request: the client clears the flag before it drains the
  // ring, so a request pushed after that writes again. (The eventfd never blocks: EFD_NONBLOCK.)
  if (!wake_pending_.exchange(true, std::memory_order_acq_rel)) {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(event_fd_, &one, sizeof one);
  }
}

}  // namespace guiju::inference
