#include "inference/server/zmq_front_end.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

#include "core/bus/cpu_relax.hpp"
#include "core/clock/clock.hpp"
#include "core/logging/log.hpp"
#include "inference/protocol/admin_request.hpp"
#include "inference/protocol/infer_reply.hpp"
#include "inference/protocol/infer_request.hpp"

namespace guiju::inference {
namespace {

// Frames taken from the socket before the batcher gets a turn: enough to batch a burst, few
// enough that a burst on one socket does not hold back the answers.
constexpr int kReceiveBurst = 256;
// Undecodable frames logged one by one; after that only counted (a hostile peer must not be
// able to flood the log).
constexpr uint64_t kLoggedErrors = 16;
// A reply buffer is made this large at start: a reply of a few hundred outputs fits it.
constexpr size_t kInitialReplyBytes = 1024;

std::span<const std::byte> bytes_of(const zmq::message_t& m) {
  return {static_cast<const std::byte*>(m.data()), m.size()};
}

}  // namespace

ZmqFrontEnd::ZmqFrontEnd(Batcher& batcher, FrontEndOptions options)
    : batcher_(batcher),
      options_(std::move(options)),
      context_(1),
      socket_(context_, zmq::socket_type::router),
      port_(batcher.add_port(options_.max_in_flight)),
      finished_(std::bit_ceil(std::max<size_t>(options_.max_in_flight, 2)), BackPressure::kFail,
                "inferd-finished") {
  if (options_.endpoints.empty()) throw std::runtime_error("no endpoint to listen on");
  socket_.set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(kMaxFrameBytes));
  socket_.set(zmq::sockopt::linger, options_.linger_ms);
  socket_.set(zmq::sockopt::sndhwm, 100'000);
  socket_.set(zmq::sockopt::rcvhwm, 100'000);
  for (const std::string& endpoint : options_.endpoints) {
    try {
      socket_.bind(endpoint);
    } catch (const zmq::error_t& e) {
      throw std::runtime_error("cannot listen on " + endpoint + ": " + e.what());
    }
    bound_.push_back(socket_.get(zmq::sockopt::last_endpoint));
  }
  slots_.resize(options_.max_in_flight);
  free_.reserve(slots_.size());
  for (size_t i = slots_.size(); i-- > 0;) {
    slots_[i].reply.resize(kInitialReplyBytes);
    free_.push_back(static_cast<uint32_t>(i));
  }
  if (options_.batcher_on_io_thread) batcher_.set_waker([this] { wake_.signal(); });
}

ZmqFrontEnd::~ZmqFrontEnd() = default;

void ZmqFrontEnd::request_stop() {
  stop_.store(true, std::memory_order_release);
  wake_.signal();
}

void ZmqFrontEnd::run() {
  if (!options_.batcher_on_io_thread) batcher_.start(options_.busy_poll);
  while (!stop_.load(std::memory_order_acquire)) {
    bool worked = receive_some();
    int64_t due = -1;
    if (options_.batcher_on_io_thread) due = batcher_.poll();
    worked = send_finished() || worked;
    if (worked || options_.busy_poll) continue;
    // A batch due in less than zmq_poll's millisecond is waited for here.
    if (due >= 0 && due < 1'000'000) {
      cpu_relax();
      continue;
    }
    wake_.prepare();
    if (finished_.front() != nullptr || stop_.load(std::memory_order_acquire)) {
      wake_.cancel();
      continue;
    }
    zmq::pollitem_t items[] = {{socket_.handle(), 0, ZMQ_POLLIN, 0},
                               {nullptr, wake_.fd(), ZMQ_POLLIN, 0}};
    const long timeout_ms = due < 0 ? -1 : static_cast<long>(due / 1'000'000);
    try {
      zmq::poll(items, 2, std::chrono::milliseconds(timeout_ms));
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) throw;
    }
    wake_.cancel();
    if ((items[1].revents & ZMQ_POLLIN) != 0) wake_.clear();
  }
  shut_down();
}

void ZmqFrontEnd::shut_down() {
  // Whatever is still arriving is answered unavailable; what was taken is computed.
  stopping_ = true;
  while (receive_some()) {
  }
  if (options_.batcher_on_io_thread) {
    batcher_.drain();
  } else {
    batcher_.stop();
  }
  send_finished();
  const size_t unanswered = slots_.size() - free_.size();
  log().info("guiju-inferd: stopped: {} frames received, {} undecodable, {} refused at once{}",
             counters_.received, counters_.undecodable, counters_.refused_at_door,
             unanswered == 0 ? "" : ", " + std::to_string(unanswered) + " left unanswered");
  socket_.close();  // lingers up to linger_ms for the replies still leaving
}

bool ZmqFrontEnd::receive_some() {
  int n = 0;
  for (; n < kReceiveBurst; ++n) {
    zmq::message_t identity;
    zmq::message_t first;
    if (!socket_.recv(identity, zmq::recv_flags::dontwait)) break;
    if (!identity.more()) continue;  // a ROUTER always gives an identity and a frame
    // The rest of a multipart message has arrived with its first part.
    (void)socket_.recv(first, zmq::recv_flags::none);
    bool delimiter = false;
    zmq::message_t payload;
    if (first.empty() && first.more()) {
      delimiter = true;  // a REQ socket's envelope
      (void)socket_.recv(payload, zmq::recv_flags::none);
    } else {
      payload = std::move(first);
    }
    ++counters_.received;
    if (payload.more()) {
      zmq::message_t rest;
      do {
        (void)socket_.recv(rest, zmq::recv_flags::none);
      } while (rest.more());
      answer_error(identity, delimiter, {},
                   DecodeError::at("frames", 0, "a request is one frame after the envelope"));
      continue;
    }
    handle(identity, delimiter, payload);
  }
  return n > 0;
}

void ZmqFrontEnd::handle(zmq::message_t& identity, bool delimiter, zmq::message_t& payload) {
  const std::span<const std::byte> frame = bytes_of(payload);
  MessageKind kind{};
  if (DecodeError e = decode_frame_header(frame, kind)) {
    answer_error(identity, delimiter, frame, e);
    return;
  }
  InferJob job;
  job.received_ns = monotonic_now();
  job.completion = this;
  switch (kind) {
    case MessageKind::kInferRequest: {
      InferRequestView r;
      if (DecodeError e = decode_infer_request(frame, r)) {
        answer_error(identity, delimiter, frame, e);
        return;
      }
      job.kind = JobKind::kInfer;
      job.request_id = r.fields.request_id;
      job.deadline_ns = r.fields.deadline_ns;
      job.rows = r.fields.rows;
      job.row_elements = r.fields.row_elements;
      job.data = r.data.data();
      job.name.assign(r.fields.name);
      job.version.assign(r.fields.version);
      break;
    }
    case MessageKind::kAdminRequest: {
      AdminRequestView a;
      if (DecodeError e = decode_admin_request(frame, a)) {
        answer_error(identity, delimiter, frame, e);
        return;
      }
      job.kind = JobKind::kAdmin;
      job.command = a.command;
      job.request_id = a.request_id;
      job.name.assign(a.name);
      job.version.assign(a.version);
      break;
    }
    case MessageKind::kInferReply:
    case MessageKind::kErrorReply:
    case MessageKind::kAdminReply:
      answer_error(identity, delimiter, frame,
                   DecodeError::at("kind", 6, "is a reply; the service takes requests (1 or 4)")
                       .got(static_cast<uint16_t>(kind)));
      return;
  }
  submit(identity, delimiter, payload, job);
}

void ZmqFrontEnd::submit(zmq::message_t& identity, bool delimiter, zmq::message_t& payload,
                         const InferJob& job) {
  if (stopping_) {
    refuse_now(identity, delimiter, job.request_id, ReplyStatus::kUnavailable, job.name.view(),
               job.version.view());
    return;
  }
  if (free_.empty()) {
    refuse_now(identity, delimiter, job.request_id, ReplyStatus::kOverloaded, job.name.view(),
               job.version.view());
    return;
  }
  const uint32_t index = free_.back();
  Slot& slot = slots_[index];
  InferJob queued = job;
  queued.tag = index;
  // The job points into the frame; the slot keeps the frame (moved, not copied) until answered.
  slot.identity = std::move(identity);
  slot.payload = std::move(payload);
  slot.delimiter = delimiter;
  free_.pop_back();
  if (!port_.submit(queued)) {
    free_.push_back(index);
    refuse_now(slot.identity, delimiter, job.request_id, ReplyStatus::kOverloaded, job.name.view(),
               job.version.view());
    slot.payload.rebuild();
  }
}

void ZmqFrontEnd::refuse_now(zmq::message_t& identity, bool delimiter, uint64_t request_id,
                             ReplyStatus status, std::string_view name, std::string_view version) {
  ++counters_.refused_at_door;
  InferReplyFields f;
  f.request_id = request_id;
  f.status = status;
  f.name = name;
  f.version = version;
  const size_t n = encode_infer_reply(scratch_, f, {});
  send(identity, delimiter, std::span<const std::byte>(scratch_.data(), n));
}

void ZmqFrontEnd::answer_error(zmq::message_t& identity, bool delimiter,
                               std::span<const std::byte> frame, const DecodeError& error) {
  ++counters_.undecodable;
  if (counters_.undecodable <= kLoggedErrors) {
    log().warn("guiju-inferd: undecodable frame of {} bytes: {}{}", frame.size(), describe(error),
               counters_.undecodable == kLoggedErrors ? " (further ones are only counted)" : "");
  }
  const size_t n = encode_error_reply(scratch_, request_id_of(frame), error);
  send(identity, delimiter, std::span<const std::byte>(scratch_.data(), n));
}

void ZmqFrontEnd::send(zmq::message_t& identity, bool delimiter, std::span<const std::byte> bytes) {
  // A ROUTER never blocks a send: a reply to a peer that is gone, or whose queue is full, is
  // dropped by ZeroMQ (the peer has stopped reading; nothing else waits on it).
  try {
    if (!socket_.send(identity, zmq::send_flags::sndmore | zmq::send_flags::dontwait)) return;
    if (delimiter) (void)socket_.send(zmq::message_t(), zmq::send_flags::sndmore);
    (void)socket_.send(zmq::const_buffer(bytes.data(), bytes.size()), zmq::send_flags::dontwait);
  } catch (const zmq::error_t& e) {
    if (e.num() != EHOSTUNREACH) throw;
  }
}

void ZmqFrontEnd::complete(const InferOutcome& o) {
  Slot& slot = slots_[o.tag];
  InferReplyFields f;
  f.request_id = o.request_id;
  f.status = o.status;
  f.name = o.name;
  f.version = o.version;
  f.sha256 = o.sha256;
  f.queue_ns = o.queue_ns;
  f.compute_ns = o.compute_ns;
  f.rows = o.rows;
  f.row_elements = o.row_elements;
  const size_t size = infer_reply_size(f);
  if (slot.reply.size() < size) slot.reply.resize(size);  // only for a larger model than before
  slot.reply_size = encode_infer_reply(slot.reply, f, o.outputs);
  finish(static_cast<uint32_t>(o.tag));
}

void ZmqFrontEnd::complete_admin(uint64_t tag, const AdminReply& reply) {
  Slot& slot = slots_[tag];
  encode_admin_reply(reply, slot.reply);
  slot.reply_size = slot.reply.size();
  finish(static_cast<uint32_t>(tag));
}

void ZmqFrontEnd::finish(uint32_t index) {
  if (options_.batcher_on_io_thread) {
    Slot& slot = slots_[index];
    send(slot.identity, slot.delimiter,
         std::span<const std::byte>(slot.reply.data(), slot.reply_size));
    slot.payload.rebuild();
    free_.push_back(index);
    return;
  }
  // The ring holds every slot there is: it cannot be full.
  (void)finished_.try_push(index);
  wake_.wake();
}

bool ZmqFrontEnd::send_finished() {
  const size_t n = finished_.pop_batch([this](uint32_t index) {
    Slot& slot = slots_[index];
    send(slot.identity, slot.delimiter,
         std::span<const std::byte>(slot.reply.data(), slot.reply_size));
    slot.payload.rebuild();
    free_.push_back(index);
  });
  return n > 0;
}

}  // namespace guiju::inference
