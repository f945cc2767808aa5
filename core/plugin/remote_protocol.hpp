#pragma once
// The wire between the engine and `guiju strategy-host`, one ZeroMQ PAIR connection per strategy.
// Every message is two frames: an 8-byte MessageHeader and a payload. Market data crosses as the
// events' own bytes (the same bytes the rings and the journal carry); everything else as the
// engine's trivially copyable structs, or length-prefixed strings.
//
// The exchange is strictly request/reply and driven by the engine:
//   engine -> host   Hello (who to load, with what)     host -> engine  Ready | Refused
//   engine -> host   Callback (an event for on_*)       host -> engine  Call* then Done
//   host -> engine   Call (a host API call)             engine -> host  Result
//   engine -> host   Shutdown
// A callback in another process is therefore exactly as synchronous as one in process: the
// engine thread waits for Done, serving the strategy's calls meanwhile, and gives up (the strategy
// is quarantined) when the host stops answering or its process dies.

#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace guiju::remote {

enum class Kind : uint8_t {
  kHello = 1,
  kReady = 2,
  kRefused = 3,
  kCallback = 4,
  kDone = 5,
  kCall = 6,
  kResult = 7,
  kShutdown = 8,
};

enum class Callback : uint8_t {
  kStart = 1,
  kStop = 2,
  kQuote = 3,
  kBook = 4,
  kTrade = 5,
  kOrderUpdate = 6,
  kFill = 7,
  kTimer = 8,
  kSignal = 9,
  kSignalTimeout = 10,
};

enum class Call : uint8_t {
  kSubmit = 1,
  kCancel = 2,
  kReplace = 3,
  kSetTimer = 4,
  kCancelTimer = 5,
  kNow = 6,
  kBook = 7,
  kOrder = 8,
  kPosition = 9,
  kOpenOrders = 10,
  kLog = 11,
  kRequestSignal = 12,
};

// Bit (1 << Callback) set for each callback a plugin implements; Ready carries it, so the engine
// sends nothing for a callback that would do nothing (start and stop are always sent).
using CallbackMask = uint32_t;
constexpr CallbackMask bit(Callback c) { return CallbackMask{1} << static_cast<unsigned>(c); }

struct MessageHeader {
  Kind kind{};
  uint8_t op = 0;  // Callback or Call
  uint16_t reserved = 0;
  uint32_t payload_size = 0;
};
static_assert(sizeof(MessageHeader) == 8);

// Appends values to a payload.
class Writer {
 public:
  template <typename T>
  Writer& put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    append(&value, sizeof(T));
    return *this;
  }
  Writer& put_bytes(std::span<const std::byte> b) {
    put(static_cast<uint32_t>(b.size()));
    append(b.data(), b.size());
    return *this;
  }
  Writer& put_string(std::string_view s) {
    return put_bytes(std::as_bytes(std::span(s.data(), s.size())));
  }
  std::span<const std::byte> bytes() const { return bytes_; }
  void clear() { bytes_.clear(); }

 private:
  void append(const void* data, size_t n) {
    if (n == 0) return;
    const size_t at = bytes_.size();
    bytes_.resize(at + n);
    std::memcpy(bytes_.data() + at, data, n);
  }
  std::vector<std::byte> bytes_;
};

// Reads values back; any read past the end is a protocol error, never undefined behaviour.
class Reader {
 public:
  explicit Reader(std::span<const std::byte> bytes) : bytes_(bytes) {}
  template <typename T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    std::memcpy(&value, take(sizeof(T)).data(), sizeof(T));
    return value;
  }
  std::span<const std::byte> get_bytes() { return take(get<uint32_t>()); }
  std::string get_string() {
    const auto b = get_bytes();
    return {reinterpret_cast<const char*>(b.data()), b.size()};
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  std::span<const std::byte> take(size_t n) {
    if (n > bytes_.size() - at_)
      throw std::runtime_error("strategy host protocol: message truncated");
    const auto out = bytes_.subspan(at_, n);
    at_ += n;
    return out;
  }
  std::span<const std::byte> bytes_;
  size_t at_ = 0;
};

}  // namespace guiju::remote
