#pragma once
// A small FIX tag=value engine written from the FIX 4.2 / 4.4 specification, with no QuickFIX in
// it: the "different FIX engine" of the interoperability tests. It frames and parses messages
// (BodyLength and CheckSum as the specification defines them), keeps both sequence numbers, and
// runs the session layer: Logon (A), Heartbeat (0), TestRequest (1), ResendRequest (2),
// SequenceReset (4) with and without GapFill, Logout (5); a Reject (3) is delivered to the caller.
//
// It is driven by the test's own thread: nothing happens between calls, so a test decides exactly
// what goes out and when, including what a conforming engine would never send (a skipped sequence
// number, a lost message, a broken frame). Every read has a timeout, so a test never hangs on a
// peer that does not answer.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace guiju::test::raw_fix {

using Millis = std::chrono::milliseconds;

inline constexpr char kSoh = '\x01';

// Tags the session layer itself reads or writes.
namespace tag {
inline constexpr int kBeginSeqNo = 7;
inline constexpr int kBeginString = 8;
inline constexpr int kBodyLength = 9;
inline constexpr int kCheckSum = 10;
inline constexpr int kEndSeqNo = 16;
inline constexpr int kMsgSeqNum = 34;
inline constexpr int kMsgType = 35;
inline constexpr int kNewSeqNo = 36;
inline constexpr int kPossDupFlag = 43;
inline constexpr int kRefSeqNum = 45;
inline constexpr int kSenderCompId = 49;
inline constexpr int kSendingTime = 52;
inline constexpr int kTargetCompId = 56;
inline constexpr int kText = 58;
inline constexpr int kEncryptMethod = 98;
inline constexpr int kHeartBtInt = 108;
inline constexpr int kTestReqId = 112;
inline constexpr int kOrigSendingTime = 122;
inline constexpr int kGapFillFlag = 123;
inline constexpr int kResetSeqNumFlag = 141;
inline constexpr int kRefTagId = 371;
inline constexpr int kSessionRejectReason = 373;
}  // namespace tag

// Application-level FIX tags the tests read and write (the same numbers in 4.2 and 4.4); the
// session-level ones are in `tag`.
namespace app_tag {
enum : int {
  kAvgPx = 6,
  kClOrdId = 11,
  kCumQty = 14,
  kExecId = 17,
  kExecTransType = 20,
  kHandlInst = 21,
  kLastPx = 31,
  kLastQty = 32,
  kOrderId = 37,
  kOrderQty = 38,
  kOrdStatus = 39,
  kOrdType = 40,
  kOrigClOrdId = 41,
  kPrice = 44,
  kSide = 54,
  kSymbol = 55,
  kText = 58,
  kTimeInForce = 59,
  kTransactTime = 60,
  kNoRelatedSym = 146,
  kExecType = 150,
  kLeavesQty = 151,
  kMdReqId = 262,
  kSubscriptionRequestType = 263,
  kMarketDepth = 264,
  kNoMdEntryTypes = 267,
  kMdEntryType = 269,
  kMdEntryPx = 270,
  kRefMsgType = 372,
};
}  // namespace app_tag

struct Field {
  int tag = 0;
  std::string value;
};

// One message. Built to be sent, it holds MsgType and the body: the session writes the header and
// the trailer. Received, it also holds the header fields after MsgType (SenderCompID, MsgSeqNum,
// SendingTime, PossDupFlag, ...) in wire order, and the BeginString it came with.
class Message {
 public:
  Message() = default;
  explicit Message(std::string msg_type) : type_(std::move(msg_type)) {}

  const std::string& type() const { return type_; }
  const std::string& begin_string() const { return begin_string_; }
  void set_begin_string(std::string begin_string) { begin_string_ = std::move(begin_string); }
  const std::vector<Field>& fields() const { return fields_; }

  // Appends: a repeating group repeats its tags, so a tag may occur more than once.
  Message& add(int tag, std::string value);
  // Replaces the first occurrence of the tag, or appends it.
  Message& set(int tag, std::string value);
  Message& remove(int tag);

  bool has(int tag) const;
  // The first occurrence's value; "" when absent.
  std::string get(int tag) const;
  std::vector<std::string> get_all(int tag) const;
  // MsgSeqNum(34) of a received message; 0 when absent or not a number.
  int seq() const;
  bool poss_dup() const { return get(tag::kPossDupFlag) == "Y"; }

  // "35=8|49=...|": the fields with '|' for SOH, for test failure messages.
  std::string to_string() const;

 private:
  std::string type_;
  std::string begin_string_;
  std::vector<Field> fields_;
};

// CheckSum(10): the sum of every byte up to and including the SOH before "10=", modulo 256.
int checksum(std::string_view bytes);
// The whole frame around `body`, which runs from "35=" to the SOH before "10=": BeginString,
// BodyLength (the length of `body`, per the specification), `body`, CheckSum.
std::string frame(std::string_view begin_string, std::string_view body);
// Now as a FIX UTCTimestamp with milliseconds: "YYYYMMDD-HH:MM:SS.sss".
std::string utc_now();

// Splits a byte stream into messages, checking each frame as a receiver must: it starts with
// 8=, 9= comes second, BodyLength bytes later 10= and three digits end it, and CheckSum matches.
// A frame that fails any check is dropped (and noted in errors()), as the specification says a
// garbled message is: the receiver goes on from the next "8=".
class Decoder {
 public:
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete message, or nullopt when the buffered bytes hold none yet.
  std::optional<Message> next();
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  // Drops the bytes of a bad frame starting at the front and notes why.
  void drop_frame(const std::string& why);

  std::string buffer_;
  std::vector<std::string> errors_;
};

// A blocking loopback TCP connection with timeouts on every wait.
class Connection {
 public:
  Connection() = default;
  explicit Connection(int fd) : fd_(fd) {}
  ~Connection() { close(); }
  Connection(Connection&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects to 127.0.0.1:port, trying again while the port refuses, until `timeout`.
  static Connection connect(int port, Millis timeout);

  bool is_open() const { return fd_ >= 0; }
  bool send_all(std::string_view bytes);
  enum class Read : uint8_t { kData, kTimeout, kClosed };
  // Appends what arrives within `timeout` to `out`.
  Read read_some(std::string& out, Millis timeout);
  void close();

 private:
  int fd_ = -1;
};

// A listening socket on a loopback port the kernel chose, for the raw engine as acceptor.
class Listener {
 public:
  Listener();
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  int port() const { return port_; }  // -1 when no socket could be bound
  // The next connection, or a closed one when none came within `timeout`.
  Connection accept(Millis timeout) const;

 private:
  int fd_ = -1;
  int port_ = -1;
};

struct SessionIds {
  std::string begin_string;    // FIX.4.2 or FIX.4.4
  std::string sender_comp_id;  // ours
  std::string target_comp_id;  // the peer's
};

// One FIX session over one connection, initiator or acceptor. Every message read passes the
// session layer before the caller sees it:
//   - MsgSeqNum: the expected one is taken; a lower one with PossDupFlag=Y is a copy already
//     seen and dropped; a higher one is a gap: one ResendRequest (expected, 0), and the message
//     held until the gap is filled;
//   - TestRequest is answered by a Heartbeat with its TestReqID(112); ResendRequest by the kept
//     application messages again (PossDupFlag=Y, OrigSendingTime) and SequenceReset-GapFill over
//     the rest; SequenceReset moves the expected number; a Logon or Logout the peer starts is
//     answered.
// Everything that passes, session messages included, is delivered to the caller.
class Session {
 public:
  using Match = std::function<bool(const Message&)>;

  Session(SessionIds ids, Connection connection);

  // Initiator: sends Logon, waits for the peer's. Acceptor: waits for the peer's Logon and
  // answers it with the same HeartBtInt. False on timeout or a refused logon.
  bool logon(Millis timeout, int heartbeat_seconds = 30, bool reset_seq_num = false);
  bool accept_logon(Millis timeout);
  // Sends Logout and waits for the peer's answer.
  bool logout(Millis timeout);

  // Sends under the next sequence number and keeps the message for resends; returns the number.
  int send(const Message& message);
  // Numbers and keeps the message as if it had been sent, but never transmits it: a message lost
  // on the way, which the peer will ask for again once a later one shows the gap.
  int send_lost(const Message& message);
  // Leaves the next `count` numbers unused: a gap nothing can fill but a SequenceReset-GapFill.
  void skip(int count) { next_out_ += count; }
  // Bytes exactly as given: garbage, broken frames.
  bool send_bytes(std::string_view bytes) { return connection_.send_all(bytes); }
  // The wire form of `message` under `seq`, with extra header fields after SendingTime; for
  // building frames to break. Changes no state.
  std::string encode(const Message& message, int seq,
                     const std::vector<Field>& extra_header = {}) const;

  // Reads (answering session messages on the way) until a delivered message that `match`
  // accepts arrives, and takes it; messages not taken stay for later calls. nullopt on timeout
  // or when the connection closes.
  std::optional<Message> wait_for(const Match& match, Millis timeout);
  std::optional<Message> wait_for_type(const std::string& msg_type, Millis timeout);
  // Reads for `duration`; what arrives is delivered as by wait_for.
  void pump(Millis duration);

  // Every message delivered so far, taken or not, in order.
  const std::vector<Message>& received() const { return history_; }
  // Delivered, not yet taken by wait_for.
  const std::deque<Message>& inbox() const { return inbox_; }
  // Garbled frames and sequence problems seen on this session.
  std::vector<std::string> errors() const;

  int next_outgoing() const { return next_out_; }
  int next_incoming() const { return next_in_; }
  bool logged_on() const { return logged_on_; }
  bool connected() const { return connection_.is_open(); }
  const SessionIds& ids() const { return ids_; }

 private:
  struct Sent {
    Message message;
    std::string sending_time;
  };

  // The next outgoing number for `message`, which is kept for resends.
  int number_and_keep(const Message& message);
  std::string encode_at(const Message& message, int seq, const std::string& sending_time,
                        const std::vector<Field>& extra_header) const;
  // One read from the socket, and everything it completed run through the session layer.
  bool read_once(Millis timeout);
  // Sequence checks, then the session's own answer, then delivery.
  void on_message(Message message);
  void accept_in_order(Message message);
  void process(const Message& message);
  void deliver(Message message);
  void answer_resend_request(int begin, int end);
  // A SequenceReset-GapFill sent as number `first`, telling the peer the next number is `next`.
  void send_gap_fill(int first, int next);
  static bool answers_out_of_order(const Message& message);

  SessionIds ids_;
  Connection connection_;
  Decoder decoder_;
  int next_out_ = 1;
  int next_in_ = 1;
  bool logged_on_ = false;
  bool logon_sent_ = false;
  bool logout_sent_ = false;
  bool resend_requested_ = false;
  std::map<int, Sent> sent_;       // by MsgSeqNum, for resends
  std::map<int, Message> queued_;  // arrived ahead of a gap, held until it is filled
  std::vector<Message> history_;
  std::deque<Message> inbox_;
  std::vector<std::string> errors_;
};

}  // namespace guiju::test::raw_fix
