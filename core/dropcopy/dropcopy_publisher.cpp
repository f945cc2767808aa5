#include "core/dropcopy/dropcopy_publisher.hpp"

#include <zmq.hpp>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/clock/clock.hpp"
#include "core/dropcopy/dropcopy_topic.hpp"
#include "core/logging/log.hpp"

namespace guiju::dropcopy {

struct Publisher::Socket {
  zmq::context_t context{1};
  zmq::socket_t socket{context, zmq::socket_type::pub};
};

namespace {

// ZeroMQ spells "the kernel picks the port" as '*', where the config (like the metrics
// endpoint's) says 0.
std::string bind_form(const std::string& endpoint) {
  if (endpoint.starts_with("tcp://") && endpoint.ends_with(":0")) {
    return endpoint.substr(0, endpoint.size() - 1) + "*";
  }
  return endpoint;
}

// How long closing the socket waits to deliver what subscribers have not yet been sent: the
// cancels of a stopping session are what a risk officer most wants to see, but a subscriber
// that stopped reading must not hold the process up for long.
constexpr int kLingerMs = 1000;

}  // namespace

Publisher::Publisher(const PublisherOptions& options, FeedRenderer renderer)
    : socket_(std::make_unique<Socket>()),
      renderer_(std::move(renderer)),
      heartbeat_interval_(options.heartbeat_interval) {
  zmq::socket_t& s = socket_->socket;
  s.set(zmq::sockopt::sndhwm, options.high_water_mark);
  s.set(zmq::sockopt::linger, kLingerMs);
  // A bracketed address is IPv6; ZeroMQ binds only IPv4 unless told.
  if (options.endpoint.find('[') != std::string::npos) s.set(zmq::sockopt::ipv6, true);
  try {
    s.bind(bind_form(options.endpoint));
  } catch (const zmq::error_t& e) {
    throw std::runtime_error("drop-copy feed: cannot bind " + options.endpoint + ": " + e.what());
  }
  endpoint_ = s.get(zmq::sockopt::last_endpoint);
  pending_.reserve(4096);  // the journal's largest batch
}

Publisher::~Publisher() = default;

void Publisher::appended(uint64_t sequence, const EventSlot& event, Timestamp engine_time) {
  // Market data is most of the journal and none of the feed: it costs one switch here.
  if (topic_of(event).empty()) return;
  try {
    Pending& p = pending_.emplace_back();
    p.sequence = sequence;
    p.engine_time = engine_time;
    std::memcpy(p.event.bytes, event.bytes,
                std::min<size_t>(event.header().size, EventSlot::kCapacity));
  } catch (const std::exception&) {
    failed_.fetch_add(1, std::memory_order_relaxed);  // out of memory: this record goes unseen
  }
}

void Publisher::committed(uint64_t sequence) {
  size_t done = 0;
  for (; done < pending_.size() && pending_[done].sequence <= sequence; ++done) {
    const Pending& p = pending_[done];
    try {
      if (const std::optional<Message> m = renderer_.render(p.sequence, p.engine_time, p.event)) {
        send(*m);
      }
    } catch (const std::exception& e) {
      if (failed_.fetch_add(1, std::memory_order_relaxed) == 0) {
        log().warn("drop-copy feed: record {} not published: {}", p.sequence, e.what());
      }
    }
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(done));

  // The journal's idle tick comes about once a second; a threshold a little under the interval
  // keeps heartbeats at about one a second whether the session is busy or quiet.
  const int64_t now = monotonic_now();
  if (now - last_heartbeat_ >= heartbeat_interval_ - heartbeat_interval_ / 10) {
    last_heartbeat_ = now;
    try {
      send(renderer_.heartbeat(sequence, utc_now()));
    } catch (const std::exception&) {
      failed_.fetch_add(1, std::memory_order_relaxed);
    }
  }
}

void Publisher::send(const Message& m) {
  zmq::socket_t& s = socket_->socket;
  try {
    // A PUB socket drops rather than blocks at the high-water mark; DONTWAIT makes sure of it.
    if (s.send(zmq::const_buffer(m.topic.data(), m.topic.size()),
               zmq::send_flags::sndmore | zmq::send_flags::dontwait) &&
        s.send(zmq::const_buffer(m.body.data(), m.body.size()), zmq::send_flags::dontwait)) {
      published_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  } catch (const zmq::error_t&) {
    // counted below
  }
  failed_.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace guiju::dropcopy
