// Tests for core/events/codec.hpp and event_slot.hpp over every event type in core/events/:
// byte-exact encode/decode round trips through EventSlot, header sizes, every decode error
// (with its message), visit() dispatch, and a seeded fuzz loop over arbitrary byte buffers.

#include "core/events/codec.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "core/events/event_slot.hpp"
#include "core/util/random.hpp"

namespace guiju {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The names the codec's messages use, spelled out independently of to_string(EventType).
template <typename T>
constexpr const char* kName = "";
template <>
constexpr const char* kName<Quote> = "quote";
template <>
constexpr const char* kName<BookUpdate> = "book_update";
template <>
constexpr const char* kName<Trade> = "trade";
template <>
constexpr const char* kName<NewOrder> = "new_order";
template <>
constexpr const char* kName<CancelOrder> = "cancel_order";
template <>
constexpr const char* kName<ReplaceOrder> = "replace_order";
template <>
constexpr const char* kName<ExecutionReport> = "execution_report";
template <>
constexpr const char* kName<TimerFired> = "timer";
template <>
constexpr const char* kName<ControlCommand> = "control_command";
template <>
constexpr const char* kName<SignalRequest> = "signal_request";
template <>
constexpr const char* kName<SignalReply> = "signal_reply";

// An event of type T whose every byte after a valid header is pseudo-random, so a round trip
// that dropped, reordered or zeroed any byte would show.
template <Event T>
T RandomEvent(uint64_t seed) {
  Random rng(seed);
  std::array<std::byte, sizeof(T)> raw;
  for (std::byte& b : raw) b = static_cast<std::byte>(rng.next_u64() & 0xff);
  T event;
  std::memcpy(&event, raw.data(), sizeof(T));
  event.header = make_header<T>(static_cast<Timestamp>(rng.next_u64() >> 1),
                                static_cast<Timestamp>(rng.next_u64() >> 1),
                                static_cast<SourceId>(rng.next_u64()));
  event.header.sequence = rng.next_u64();
  return event;
}

template <Event T>
std::vector<std::byte> Bytes(const T& event) {
  const std::span<const std::byte> s = encode(event);
  return {s.begin(), s.end()};
}

template <typename T>
class EventCodecTyped : public ::testing::Test {};

using AllEvents =
    ::testing::Types<Quote, BookUpdate, Trade, NewOrder, CancelOrder, ReplaceOrder, ExecutionReport,
                     TimerFired, ControlCommand, SignalRequest, SignalReply>;
TYPED_TEST_SUITE(EventCodecTyped, AllEvents);

TYPED_TEST(EventCodecTyped, SizeIsStaticAndMatchesTheHeader) {
  using T = TypeParam;
  static_assert(sizeof(T) <= EventSlot::kCapacity);
  static_assert(sizeof(T) % 8 == 0, "events keep 8-byte alignment on the wire");
  constexpr EventHeader h = make_header<T>();
  static_assert(h.size == sizeof(T));
  const T fresh{};
  EXPECT_EQ(fresh.header.type, T::kType);
  EXPECT_EQ(fresh.header.version, T::kVersion);
  EXPECT_EQ(fresh.header.size, sizeof(T));
  EXPECT_EQ(fresh.header.reserved, 0u);
  EXPECT_EQ(event_size(T::kType, T::kVersion), sizeof(T));
  EXPECT_EQ(event_size(T::kType, T::kVersion + 1), 0u);
  EXPECT_EQ(event_size(T::kType, 0), 0u);
  EXPECT_EQ(to_string(T::kType), kName<T>);
}

TYPED_TEST(EventCodecTyped, HeaderFieldsComeFromMakeHeader) {
  using T = TypeParam;
  const EventHeader h = make_header<T>(111, 222, 7);
  EXPECT_EQ(h.type, T::kType);
  EXPECT_EQ(h.version, T::kVersion);
  EXPECT_EQ(h.size, sizeof(T));
  EXPECT_EQ(h.sequence, 0u);
  EXPECT_EQ(h.event_time, 111);
  EXPECT_EQ(h.receive_time, 222);
  EXPECT_EQ(h.source, 7u);
}

TYPED_TEST(EventCodecTyped, RoundTripsByteForByteThroughEventSlot) {
  using T = TypeParam;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const T event = RandomEvent<T>(seed);
    const std::vector<std::byte> wire = Bytes(event);
    ASSERT_EQ(wire.size(), sizeof(T));

    EventSlot slot;
    std::memset(slot.bytes, 0xAB, sizeof slot.bytes);
    const DecodeResult r = decode(wire, slot);
    ASSERT_TRUE(r.ok()) << r.message;
    EXPECT_TRUE(r.message.empty()) << r.message;
    EXPECT_EQ(slot.type(), T::kType);
    EXPECT_EQ(std::memcmp(slot.bytes, wire.data(), sizeof(T)), 0) << "seed " << seed;
    EXPECT_EQ(std::memcmp(&slot.template as<T>(), &event, sizeof(T)), 0);
    EXPECT_EQ(slot.header().sequence, event.header.sequence);
    EXPECT_EQ(slot.header().event_time, event.header.event_time);
    EXPECT_EQ(slot.header().source, event.header.source);

    // And back out of the slot: the same bytes, and only sizeof(T) of them.
    std::array<std::byte, EventSlot::kCapacity + 16> out{};
    const size_t n = encode(slot, out);
    ASSERT_EQ(n, sizeof(T));
    EXPECT_EQ(std::memcmp(out.data(), wire.data(), n), 0);
  }
}

TYPED_TEST(EventCodecTyped, StoreThenEncodeGivesTheEventsBytes) {
  using T = TypeParam;
  const T event = RandomEvent<T>(99);
  EventSlot slot;
  slot.store(event);
  EXPECT_EQ(slot.type(), T::kType);
  EXPECT_EQ(slot.header().size, sizeof(T));
  std::array<std::byte, sizeof(T)> out{};
  ASSERT_EQ(encode(slot, out), sizeof(T));
  const T& back = slot.template as<T>();
  EXPECT_EQ(std::memcmp(&back.header, &event.header, sizeof(EventHeader)), 0);
  EventSlot again;
  ASSERT_TRUE(decode(out, again).ok());
  EXPECT_EQ(std::memcmp(again.bytes, out.data(), sizeof(T)), 0);
}

TYPED_TEST(EventCodecTyped, EncodeIntoTooSmallBufferWritesNothing) {
  using T = TypeParam;
  EventSlot slot;
  slot.store(RandomEvent<T>(5));
  std::vector<std::byte> out(sizeof(T) - 1, std::byte{0x5A});
  EXPECT_EQ(encode(slot, out), 0u);
  for (std::byte b : out) ASSERT_EQ(b, std::byte{0x5A});
}

TYPED_TEST(EventCodecTyped, OneByteMissingIsTruncated) {
  using T = TypeParam;
  std::vector<std::byte> wire = Bytes(RandomEvent<T>(3));
  wire.pop_back();
  EventSlot slot;
  const DecodeResult r = decode(wire, slot);
  EXPECT_EQ(r.status, DecodeStatus::kTruncated);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.message, kName<T>)) << r.message;
  EXPECT_TRUE(Contains(r.message, std::to_string(sizeof(T)))) << r.message;
  EXPECT_TRUE(Contains(r.message, std::to_string(sizeof(T) - 1))) << r.message;
}

TYPED_TEST(EventCodecTyped, OneExtraByteIsOversized) {
  using T = TypeParam;
  std::vector<std::byte> wire = Bytes(RandomEvent<T>(4));
  wire.push_back(std::byte{0});
  EventSlot slot;
  const DecodeResult r = decode(wire, slot);
  EXPECT_EQ(r.status, DecodeStatus::kOversized);
  EXPECT_TRUE(Contains(r.message, kName<T>)) << r.message;
  EXPECT_TRUE(Contains(r.message, std::to_string(sizeof(T) + 1))) << r.message;
}

TYPED_TEST(EventCodecTyped, ALaterVersionIsUnknownVersion) {
  using T = TypeParam;
  T event = RandomEvent<T>(6);
  const uint16_t later = T::kVersion + 1;
  event.header.version = later;
  EventSlot slot;
  const DecodeResult r = decode(Bytes(event), slot);
  EXPECT_EQ(r.status, DecodeStatus::kUnknownVersion);
  EXPECT_TRUE(Contains(r.message, kName<T>)) << r.message;
  EXPECT_TRUE(Contains(r.message, std::to_string(later))) << r.message;
}

TYPED_TEST(EventCodecTyped, HeaderSizeDisagreeingWithLayoutIsSizeMismatch) {
  using T = TypeParam;
  for (uint32_t wrong : {0u, static_cast<uint32_t>(sizeof(T) - 1),
                         static_cast<uint32_t>(sizeof(T) + 8), 0xFFFFFFFFu}) {
    T event = RandomEvent<T>(7);
    event.header.size = wrong;
    EventSlot slot;
    const DecodeResult r = decode(Bytes(event), slot);
    EXPECT_EQ(r.status, DecodeStatus::kSizeMismatch) << "header.size " << wrong;
    EXPECT_TRUE(Contains(r.message, kName<T>)) << r.message;
    EXPECT_TRUE(Contains(r.message, std::to_string(wrong))) << r.message;
    EXPECT_TRUE(Contains(r.message, std::to_string(sizeof(T)))) << r.message;
  }
}

TYPED_TEST(EventCodecTyped, VisitDispatchesToTheConcreteType) {
  using T = TypeParam;
  const T event = RandomEvent<T>(8);
  EventSlot slot;
  ASSERT_TRUE(decode(Bytes(event), slot).ok());
  int calls = 0;
  bool right_type = false;
  bool same_bytes = false;
  const bool handled = visit(slot, [&](const auto& e) {
    ++calls;
    using Seen = std::decay_t<decltype(e)>;
    right_type = std::is_same_v<Seen, T>;
    same_bytes = sizeof(Seen) == sizeof(T) && std::memcmp(&e, &event, sizeof(T)) == 0;
  });
  EXPECT_TRUE(handled);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(right_type);
  EXPECT_TRUE(same_bytes);
}

// ---- fields survive (not just bytes) ---------------------------------------------------------

TEST(EventCodec, QuoteFieldsSurviveTheRoundTrip) {
  Quote q;
  q.header = make_header<Quote>(1'000, 2'000, 3);
  q.header.sequence = 77;
  q.instrument = 5;
  q.bid_price = *Price::parse("1700.01");
  q.bid_size = *Quantity::parse("300");
  q.ask_price = *Price::parse("1700.02");
  q.ask_size = *Quantity::parse("0.5");
  EventSlot slot;
  ASSERT_TRUE(decode(encode(q), slot).ok());
  const Quote& back = slot.as<Quote>();
  EXPECT_EQ(back.header.sequence, 77u);
  EXPECT_EQ(back.header.event_time, 1'000);
  EXPECT_EQ(back.header.receive_time, 2'000);
  EXPECT_EQ(back.header.source, 3u);
  EXPECT_EQ(back.instrument, 5u);
  EXPECT_EQ(back.bid_price, *Price::parse("1700.01"));
  EXPECT_EQ(back.bid_size, *Quantity::parse("300"));
  EXPECT_EQ(back.ask_price, *Price::parse("1700.02"));
  EXPECT_EQ(back.ask_size, *Quantity::parse("0.5"));
}

TEST(EventCodec, ExecutionReportReasonAndClientIdSurvive) {
  ExecutionReport er;
  er.order_id = 12;
  er.exec_type = ExecType::kRejected;
  er.reject_code = RejectCode::kOffTick;
  er.reason.assign("price not on tick");
  EventSlot slot;
  ASSERT_TRUE(decode(encode(er), slot).ok());
  EXPECT_EQ(slot.as<ExecutionReport>().reason.view(), "price not on tick");
  EXPECT_EQ(slot.as<ExecutionReport>().reject_code, RejectCode::kOffTick);

  NewOrder no;
  ASSERT_TRUE(no.client_order_id.assign("GJ20261127-1"));
  ASSERT_TRUE(decode(encode(no), slot).ok());
  EXPECT_EQ(slot.as<NewOrder>().client_order_id.view(), "GJ20261127-1");
}

// ---- errors that do not depend on the type ---------------------------------------------------

TEST(EventCodec, FewerBytesThanAHeaderIsTruncated) {
  const std::vector<std::byte> wire = Bytes(Quote{});
  EventSlot slot;
  for (size_t n : {size_t{0}, size_t{1}, sizeof(EventHeader) - 1}) {
    const DecodeResult r = decode(std::span<const std::byte>(wire.data(), n), slot);
    EXPECT_EQ(r.status, DecodeStatus::kTruncated) << n << " bytes";
    EXPECT_TRUE(Contains(r.message, std::to_string(n))) << r.message;
    EXPECT_TRUE(Contains(r.message, std::to_string(sizeof(EventHeader)))) << r.message;
  }
}

TEST(EventCodec, JustAHeaderOfAKnownTypeIsTruncated) {
  const std::vector<std::byte> wire = Bytes(Quote{});
  EventSlot slot;
  const DecodeResult r = decode(std::span<const std::byte>(wire.data(), sizeof(EventHeader)), slot);
  EXPECT_EQ(r.status, DecodeStatus::kTruncated);
  EXPECT_TRUE(Contains(r.message, "quote")) << r.message;
}

TEST(EventCodec, UnknownTypeNumberIsReported) {
  for (uint16_t type :
       {uint16_t{0}, uint16_t{kMaxEventType + 1}, uint16_t{999}, uint16_t{0xFFFF}}) {
    Quote q;
    q.header.type = static_cast<EventType>(type);
    EventSlot slot;
    const DecodeResult r = decode(encode(q), slot);
    EXPECT_EQ(r.status, DecodeStatus::kUnknownType) << type;
    EXPECT_TRUE(Contains(r.message, std::to_string(type))) << r.message;
  }
}

TEST(EventCodec, UnknownTypeIsDetectedFromAHeaderAlone) {
  EventHeader h;
  h.type = static_cast<EventType>(999);
  h.version = 1;
  h.size = sizeof(EventHeader);
  std::array<std::byte, sizeof(EventHeader)> wire;
  std::memcpy(wire.data(), &h, sizeof h);
  EventSlot slot;
  const DecodeResult r = decode(wire, slot);
  EXPECT_EQ(r.status, DecodeStatus::kUnknownType);
  EXPECT_TRUE(Contains(r.message, "999")) << r.message;
}

TEST(EventCodec, EventSizeIsZeroForUnknownTypes) {
  EXPECT_EQ(event_size(static_cast<EventType>(0), 1), 0u);
  EXPECT_EQ(event_size(static_cast<EventType>(kMaxEventType + 1), 1), 0u);
  EXPECT_EQ(event_size(static_cast<EventType>(999), 1), 0u);
}

TEST(EventCodec, EncodeRefusesASlotWhoseHeaderSizeExceedsTheSlot) {
  EventSlot slot;
  slot.store(Quote{});
  slot.header().size = EventSlot::kCapacity + 1;
  std::vector<std::byte> out(1024);
  EXPECT_EQ(encode(slot, out), 0u);
}

TEST(EventCodec, StatusNames) {
  EXPECT_EQ(to_string(DecodeStatus::kOk), "ok");
  EXPECT_EQ(to_string(DecodeStatus::kTruncated), "truncated");
  EXPECT_EQ(to_string(DecodeStatus::kOversized), "oversized");
  EXPECT_EQ(to_string(DecodeStatus::kUnknownType), "unknown type");
  EXPECT_EQ(to_string(DecodeStatus::kUnknownVersion), "unknown version");
  EXPECT_EQ(to_string(DecodeStatus::kSizeMismatch), "size mismatch");
}

TEST(EventCodec, VisitRejectsASlotWithAnUnknownType) {
  EventSlot slot;
  slot.store(Quote{});
  slot.header().type = static_cast<EventType>(999);
  int calls = 0;
  EXPECT_FALSE(visit(slot, [&](const auto&) { ++calls; }));
  EXPECT_EQ(calls, 0);
}

// ---- fuzz-ish --------------------------------------------------------------------------------

// Random buffers, half of them with a plausible header (a type near the known range, a version
// near 1, a size that is sometimes right), must never crash decode, and anything it accepts must
// be a known type whose layout size equals the buffer length, copied exactly.
TEST(EventCodec, RandomBuffersNeverCrashAndOnlyKnownTypesDecode) {
  Random rng(0xC0DEC);
  std::vector<std::byte> buffer;
  int accepted = 0;
  int rejected = 0;
  for (int i = 0; i < 50'000; ++i) {
    const bool plausible = rng.bernoulli(0.5);
    size_t length = static_cast<size_t>(rng.uniform_int(0, 450));
    EventHeader h;
    if (plausible) {
      h.type = static_cast<EventType>(rng.uniform_int(0, kMaxEventType + 2));
      h.version = static_cast<uint16_t>(rng.uniform_int(0, 2));
      const size_t layout = event_size(h.type, 1);
      if (layout != 0 && rng.bernoulli(0.7)) {
        h.size = static_cast<uint32_t>(layout);
        if (rng.bernoulli(0.7)) length = layout + static_cast<size_t>(rng.uniform_int(-1, 1));
      } else {
        h.size = static_cast<uint32_t>(rng.uniform_int(0, 500));
      }
    }
    buffer.resize(length);
    for (std::byte& b : buffer) b = static_cast<std::byte>(rng.next_u64() & 0xff);
    if (plausible && length >= sizeof h) std::memcpy(buffer.data(), &h, sizeof h);

    EventSlot slot;
    const DecodeResult r = decode(buffer, slot);
    if (r.ok()) {
      ++accepted;
      const auto raw_type = static_cast<uint16_t>(slot.type());
      ASSERT_GE(raw_type, 1);
      ASSERT_LE(raw_type, kMaxEventType);
      ASSERT_EQ(event_size(slot.type(), slot.header().version), length);
      ASSERT_EQ(slot.header().size, length);
      ASSERT_EQ(std::memcmp(slot.bytes, buffer.data(), length), 0);
      ASSERT_TRUE(visit(slot, [](const auto&) {}));
    } else {
      ++rejected;
      ASSERT_FALSE(r.message.empty()) << to_string(r.status);
    }
  }
  // The generator must reach both outcomes for the loop to mean anything.
  EXPECT_GT(accepted, 100);
  EXPECT_GT(rejected, 100);
}

}  // namespace
}  // namespace guiju
