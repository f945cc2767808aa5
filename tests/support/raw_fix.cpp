#include "tests/support/raw_fix.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <ctime>
#include <thread>
#include <utility>

namespace guiju::test::raw_fix {

namespace {

using Clock = std::chrono::steady_clock;

std::optional<int> to_int(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

void append_field(std::string& out, int tag, std::string_view value) {
  out += std::to_string(tag);
  out += '=';
  out += value;
  out += kSoh;
}

// The session messages a resend replaces with a SequenceReset-GapFill instead of sending again:
// they mean nothing later. A Reject (3) is resent like an application message: it tells the peer
// one of its messages was refused.
bool skipped_on_resend(const std::string& msg_type) {
  return msg_type == "A" || msg_type == "5" || msg_type == "0" || msg_type == "1" ||
         msg_type == "2" || msg_type == "4";
}

Millis remaining(Clock::time_point deadline) {
  return std::max(Millis(0), std::chrono::duration_cast<Millis>(deadline - Clock::now()));
}

sockaddr_in loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  return addr;
}

// Waits until fd is readable; false on timeout.
bool readable(int fd, Millis timeout) {
  pollfd p{};
  p.fd = fd;
  p.events = POLLIN;
  int n = 0;
  do {
    n = ::poll(&p, 1, static_cast<int>(timeout.count()));
  } while (n < 0 && errno == EINTR);
  return n > 0;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Message

Message& Message::add(int tag, std::string value) {
  fields_.push_back({tag, std::move(value)});
  return *this;
}

Message& Message::set(int tag, std::string value) {
  for (Field& f : fields_) {
    if (f.tag == tag) {
      f.value = std::move(value);
      return *this;
    }
  }
  return add(tag, std::move(value));
}

Message& Message::remove(int tag) {
  std::erase_if(fields_, [tag](const Field& f) { return f.tag == tag; });
  return *this;
}

bool Message::has(int tag) const {
  return std::any_of(fields_.begin(), fields_.end(),
                     [tag](const Field& f) { return f.tag == tag; });
}

std::string Message::get(int tag) const {
  for (const Field& f : fields_) {
    if (f.tag == tag) return f.value;
  }
  return {};
}

std::vector<std::string> Message::get_all(int tag) const {
  std::vector<std::string> values;
  for (const Field& f : fields_) {
    if (f.tag == tag) values.push_back(f.value);
  }
  return values;
}

int Message::seq() const {
  return to_int(get(tag::kMsgSeqNum)).value_or(0);
}

std::string Message::to_string() const {
  std::string out = "35=" + type_ + "|";
  for (const Field& f : fields_) out += std::to_string(f.tag) + "=" + f.value + "|";
  return out;
}

// ---------------------------------------------------------------------------------------------
// Framing

int checksum(std::string_view bytes) {
  unsigned sum = 0;
  for (const char c : bytes) sum += static_cast<unsigned char>(c);
  return static_cast<int>(sum % 256);
}

std::string frame(std::string_view begin_string, std::string_view body) {
  std::string out;
  append_field(out, tag::kBeginString, begin_string);
  append_field(out, tag::kBodyLength, std::to_string(body.size()));
  out += body;
  // Always three digits, zero padded ("10=007").
  const int sum = checksum(out);
  const std::array<char, 3> digits = {static_cast<char>('0' + sum / 100),
                                      static_cast<char>('0' + sum / 10 % 10),
                                      static_cast<char>('0' + sum % 10)};
  append_field(out, tag::kCheckSum, std::string_view(digits.data(), digits.size()));
  return out;
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<Millis>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::array<char, 32> text{};
  const size_t n = std::strftime(text.data(), text.size(), "%Y%m%d-%H:%M:%S", &utc);
  std::string out(text.data(), n);
  out += '.';
  out += static_cast<char>('0' + millis / 100);
  out += static_cast<char>('0' + millis / 10 % 10);
  out += static_cast<char>('0' + millis % 10);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Decoder

void Decoder::drop_frame(const std::string& why) {
  errors_.push_back(why);
  // Past this frame's "8=": the search for the next message starts after it.
  buffer_.erase(0, 2);
}

std::optional<Message> Decoder::next() {
  for (;;) {
    // A message starts with "8="; bytes before one cannot belong to any message.
    const size_t start = buffer_.find("8=");
    if (start == std::string::npos) {
      // Keep a final '8': it may be the start of "8=" split across two reads.
      const size_t keep = !buffer_.empty() && buffer_.back() == '8' ? 1 : 0;
      if (buffer_.size() > keep) {
        errors_.push_back(std::to_string(buffer_.size() - keep) + " bytes outside any message");
      }
      buffer_.erase(0, buffer_.size() - keep);
      return std::nullopt;
    }
    if (start > 0) {
      errors_.push_back(std::to_string(start) + " bytes before 8= skipped");
      buffer_.erase(0, start);
    }
    // 8=<BeginString><SOH>9=<BodyLength><SOH>
    const size_t begin_end = buffer_.find(kSoh);
    if (begin_end == std::string::npos || buffer_.size() < begin_end + 3) return std::nullopt;
    if (buffer_.compare(begin_end + 1, 2, "9=") != 0) {
      drop_frame("BodyLength(9) is not the second field");
      continue;
    }
    const size_t length_start = begin_end + 3;
    const size_t length_end = buffer_.find(kSoh, length_start);
    if (length_end == std::string::npos) return std::nullopt;
    const std::optional<int> length =
        to_int(std::string_view(buffer_).substr(length_start, length_end - length_start));
    if (!length || *length <= 0) {
      drop_frame("BodyLength(9) is not a positive number");
      continue;
    }
    // BodyLength counts from after its own SOH up to and including the SOH before "10=".
    const size_t body_start = length_end + 1;
    const size_t trailer = body_start + static_cast<size_t>(*length);
    constexpr size_t kTrailerSize = 7;  // "10=" three digits SOH
    // Not all here yet: wait for more, as a stream reader must (a BodyLength that claims too much
    // therefore holds up what follows, as it does in any engine).
    if (buffer_.size() < trailer + kTrailerSize) return std::nullopt;
    if (buffer_[trailer - 1] != kSoh || buffer_.compare(trailer, 3, "10=") != 0 ||
        buffer_[trailer + kTrailerSize - 1] != kSoh) {
      drop_frame("BodyLength(9) does not end where CheckSum(10) starts");
      continue;
    }
    const std::optional<int> sum = to_int(std::string_view(buffer_).substr(trailer + 3, 3));
    if (!sum || *sum != checksum(std::string_view(buffer_).substr(0, trailer))) {
      drop_frame("CheckSum(10) does not match");
      continue;
    }
    const std::string text = buffer_.substr(0, trailer + kTrailerSize);
    buffer_.erase(0, text.size());

    // Every field is tag=value; the first three are 8, 9 and 35, the last 10.
    Message m;
    bool ok = true;
    size_t pos = 0;
    for (int index = 0; pos < text.size(); ++index) {
      const size_t end = text.find(kSoh, pos);
      const size_t eq = text.find('=', pos);
      const std::optional<int> field_tag =
          eq < end ? to_int(std::string_view(text).substr(pos, eq - pos)) : std::nullopt;
      if (!field_tag) {
        ok = false;
        break;
      }
      std::string value = text.substr(eq + 1, end - eq - 1);
      pos = end + 1;
      if (index == 2 && *field_tag != tag::kMsgType) ok = false;
      if (*field_tag == tag::kBeginString) {
        m.set_begin_string(std::move(value));
      } else if (*field_tag == tag::kMsgType) {
        Message typed(std::move(value));
        typed.set_begin_string(m.begin_string());
        m = std::move(typed);
      } else if (*field_tag != tag::kBodyLength && *field_tag != tag::kCheckSum) {
        m.add(*field_tag, std::move(value));
      }
    }
    if (!ok || m.type().empty()) {
      errors_.emplace_back("a field is not tag=value, or MsgType(35) is not third");
      continue;
    }
    return m;
  }
}

// ---------------------------------------------------------------------------------------------
// Connection and Listener

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

Connection Connection::connect(int port, Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return {};
    const sockaddr_in addr = loopback(port);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
      // Each message is one small write: send it at once rather than wait to coalesce.
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return Connection(fd);
    }
    ::close(fd);
    // Refused: the peer may still be starting.
    if (Clock::now() >= deadline) return {};
    std::this_thread::sleep_for(Millis(20));
  }
}

bool Connection::send_all(std::string_view bytes) {
  while (!bytes.empty() && fd_ >= 0) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close();
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return fd_ >= 0;
}

Connection::Read Connection::read_some(std::string& out, Millis timeout) {
  if (fd_ < 0) return Read::kClosed;
  if (!readable(fd_, timeout)) return Read::kTimeout;
  std::array<char, 65536> buffer{};
  ssize_t n = 0;
  do {
    n = ::recv(fd_, buffer.data(), buffer.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) {
    close();
    return Read::kClosed;
  }
  out.append(buffer.data(), static_cast<size_t>(n));
  return Read::kData;
}

void Connection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Listener::Listener() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return;
  const int one = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr = loopback(0);  // port 0: the kernel picks a free one
  socklen_t len = sizeof addr;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 4) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  port_ = ntohs(addr.sin_port);
}

Listener::~Listener() {
  if (fd_ >= 0) ::close(fd_);
}

Connection Listener::accept(Millis timeout) const {
  if (fd_ < 0 || !readable(fd_, timeout)) return {};
  const int fd = ::accept(fd_, nullptr, nullptr);
  if (fd < 0) return {};
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return Connection(fd);
}

// ---------------------------------------------------------------------------------------------
// Session: sending

Session::Session(SessionIds ids, Connection connection)
    : ids_(std::move(ids)), connection_(std::move(connection)) {}

std::string Session::encode(const Message& message, int seq,
                            const std::vector<Field>& extra_header) const {
  return encode_at(message, seq, utc_now(), extra_header);
}

std::string Session::encode_at(const Message& message, int seq, const std::string& sending_time,
                               const std::vector<Field>& extra_header) const {
  // The standard header: 8 and 9 come from frame(), MsgType is third, the rest in any order.
  std::string body;
  append_field(body, tag::kMsgType, message.type());
  append_field(body, tag::kSenderCompId, ids_.sender_comp_id);
  append_field(body, tag::kTargetCompId, ids_.target_comp_id);
  append_field(body, tag::kMsgSeqNum, std::to_string(seq));
  append_field(body, tag::kSendingTime, sending_time);
  for (const Field& f : extra_header) append_field(body, f.tag, f.value);
  for (const Field& f : message.fields()) append_field(body, f.tag, f.value);
  return frame(ids_.begin_string, body);
}

int Session::number_and_keep(const Message& message) {
  const int seq = next_out_++;
  sent_[seq] = {message, utc_now()};
  if (message.type() == "5") logout_sent_ = true;
  if (message.type() == "A") logon_sent_ = true;
  return seq;
}

int Session::send(const Message& message) {
  const int seq = number_and_keep(message);
  connection_.send_all(encode_at(message, seq, sent_.at(seq).sending_time, {}));
  return seq;
}

int Session::send_lost(const Message& message) {
  return number_and_keep(message);
}

void Session::send_gap_fill(int first, int next) {
  // Sent under the number of the first message it stands in for, with PossDupFlag as every
  // answer to a ResendRequest; OrigSendingTime goes with PossDupFlag, and a gap fill has no
  // original to take it from, so it is now (the specification's rule when the time is unknown).
  Message fill("4");
  fill.add(tag::kGapFillFlag, "Y").add(tag::kNewSeqNo, std::to_string(next));
  const std::string now = utc_now();
  connection_.send_all(
      encode_at(fill, first, now, {{tag::kPossDupFlag, "Y"}, {tag::kOrigSendingTime, now}}));
}

void Session::answer_resend_request(int begin, int end) {
  const int last = next_out_ - 1;
  // EndSeqNo 0 means "everything after BeginSeqNo" (FIX 4.2 and later; 999999 before).
  if (end == 0 || end == 999999 || end > last) end = last;
  int gap_start = 0;  // the first number of a run to gap-fill, 0 when none is open
  for (int seq = begin; seq <= end; ++seq) {
    const auto it = sent_.find(seq);
    if (it == sent_.end() || skipped_on_resend(it->second.message.type())) {
      if (gap_start == 0) gap_start = seq;
      continue;
    }
    if (gap_start != 0) send_gap_fill(gap_start, seq);
    gap_start = 0;
    // The same message under its own number, marked as a possible duplicate, with the time it
    // was first sent.
    connection_.send_all(
        encode_at(it->second.message, seq, utc_now(),
                  {{tag::kPossDupFlag, "Y"}, {tag::kOrigSendingTime, it->second.sending_time}}));
  }
  if (gap_start != 0) send_gap_fill(gap_start, end + 1);
}

// ---------------------------------------------------------------------------------------------
// Session: logon and logout

bool Session::logon(Millis timeout, int heartbeat_seconds, bool reset_seq_num) {
  Message logon("A");
  logon.add(tag::kEncryptMethod, "0").add(tag::kHeartBtInt, std::to_string(heartbeat_seconds));
  if (reset_seq_num) {
    logon.add(tag::kResetSeqNumFlag, "Y");
    next_out_ = 1;
    next_in_ = 1;
  }
  send(logon);
  const auto answer =
      wait_for([](const Message& m) { return m.type() == "A" || m.type() == "5"; }, timeout);
  return answer && answer->type() == "A" && logged_on_;
}

bool Session::accept_logon(Millis timeout) {
  // process() answers the peer's Logon as it arrives.
  return wait_for_type("A", timeout).has_value() && logged_on_;
}

bool Session::logout(Millis timeout) {
  send(Message("5"));
  return wait_for_type("5", timeout).has_value();
}

// ---------------------------------------------------------------------------------------------
// Session: receiving

std::optional<Message> Session::wait_for(const Match& match, Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto it = std::find_if(inbox_.begin(), inbox_.end(), match);
    if (it != inbox_.end()) {
      Message found = std::move(*it);
      inbox_.erase(it);
      return found;
    }
    if (!connection_.is_open() || Clock::now() >= deadline) return std::nullopt;
    read_once(remaining(deadline));
  }
}

std::optional<Message> Session::wait_for_type(const std::string& msg_type, Millis timeout) {
  return wait_for([&](const Message& m) { return m.type() == msg_type; }, timeout);
}

void Session::pump(Millis duration) {
  const auto deadline = Clock::now() + duration;
  while (connection_.is_open() && Clock::now() < deadline) read_once(remaining(deadline));
}

std::vector<std::string> Session::errors() const {
  std::vector<std::string> all = decoder_.errors();
  all.insert(all.end(), errors_.begin(), errors_.end());
  return all;
}

bool Session::read_once(Millis timeout) {
  std::string bytes;
  const Connection::Read r = connection_.read_some(bytes, timeout);
  if (r == Connection::Read::kClosed) logged_on_ = false;
  if (r != Connection::Read::kData) return false;
  decoder_.feed(bytes);
  while (std::optional<Message> m = decoder_.next()) on_message(std::move(*m));
  return true;
}

bool Session::answers_out_of_order(const Message& message) {
  // A Logon, a ResendRequest and a Logout are acted on whatever their number: the resend this
  // session asks for fills their numbers in with a SequenceReset-GapFill.
  return message.type() == "A" || message.type() == "2" || message.type() == "5";
}

void Session::on_message(Message message) {
  const int seq = message.seq();
  if (seq <= 0) {
    errors_.push_back("no MsgSeqNum(34): " + message.to_string());
    return;
  }
  if (message.type() == "A" && message.get(tag::kResetSeqNumFlag) == "Y") next_in_ = 1;
  // SequenceReset in Reset mode (no GapFillFlag) sets the number whatever its own is.
  if (message.type() == "4" && message.get(tag::kGapFillFlag) != "Y") {
    next_in_ = to_int(message.get(tag::kNewSeqNo)).value_or(next_in_);
    deliver(std::move(message));
    return;
  }
  if (seq < next_in_) {
    // A resent copy of one already processed is dropped; anything else below the expected
    // number means the two sides disagree, which a test wants to see.
    if (!message.poss_dup()) {
      errors_.push_back("MsgSeqNum(34) " + std::to_string(seq) + " too low, expected " +
                        std::to_string(next_in_));
    }
    return;
  }
  if (seq > next_in_) {
    // A gap: ask once for what is missing, and hold this message until the gap is filled.
    if (!resend_requested_) {
      Message request("2");
      request.add(tag::kBeginSeqNo, std::to_string(next_in_)).add(tag::kEndSeqNo, "0");
      send(request);
      resend_requested_ = true;
    }
    if (answers_out_of_order(message)) {
      process(message);
      deliver(std::move(message));
    } else {
      queued_.emplace(seq, std::move(message));
    }
    return;
  }
  accept_in_order(std::move(message));
  // Messages held behind the gap, now in order; numbers a gap fill skipped are gone.
  while (!queued_.empty() && queued_.begin()->first <= next_in_) {
    Message held = std::move(queued_.begin()->second);
    const int held_seq = queued_.begin()->first;
    queued_.erase(queued_.begin());
    if (held_seq == next_in_) accept_in_order(std::move(held));
  }
  if (queued_.empty()) resend_requested_ = false;
}

void Session::accept_in_order(Message message) {
  process(message);
  // A gap fill moves the expected number to its NewSeqNo; anything else to the next.
  next_in_ = message.type() == "4"
                 ? std::max(next_in_ + 1, to_int(message.get(tag::kNewSeqNo)).value_or(0))
                 : next_in_ + 1;
  deliver(std::move(message));
}

void Session::process(const Message& message) {
  const std::string& type = message.type();
  if (type == "1") {
    // A TestRequest is answered by a Heartbeat carrying its TestReqID.
    Message heartbeat("0");
    heartbeat.add(tag::kTestReqId, message.get(tag::kTestReqId));
    send(heartbeat);
  } else if (type == "2") {
    answer_resend_request(to_int(message.get(tag::kBeginSeqNo)).value_or(1),
                          to_int(message.get(tag::kEndSeqNo)).value_or(0));
  } else if (type == "5") {
    logged_on_ = false;
    if (!logout_sent_) send(Message("5"));
  } else if (type == "A") {
    if (!logon_sent_) {
      // Acceptor: the answer repeats the initiator's HeartBtInt (and its reset, if it asked).
      Message logon("A");
      logon.add(tag::kEncryptMethod, "0").add(tag::kHeartBtInt, message.get(tag::kHeartBtInt));
      if (message.get(tag::kResetSeqNumFlag) == "Y") {
        logon.add(tag::kResetSeqNumFlag, "Y");
        next_out_ = 1;
      }
      send(logon);
    }
    logged_on_ = true;
  }
  // Heartbeat (0) needs nothing; Reject (3) and application messages are for the caller.
}

void Session::deliver(Message message) {
  history_.push_back(message);
  inbox_.push_back(std::move(message));
}

}  // namespace guiju::test::raw_fix
