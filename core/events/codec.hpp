#pragma once
// Event <-> bytes. Encoding is the struct's own bytes (the layout is the wire format); decoding is
// where untrusted bytes (journal files, ZeroMQ frames) are checked before anything reads them.

#include <cstddef>
#include <span>
#include <string>

#include "core/events/event_slot.hpp"

namespace guiju {

enum class DecodeStatus : uint8_t {
  kOk = 0,
  kTruncated,       // fewer bytes than a header, or than the header's type needs
  kOversized,       // more bytes than the type's layout
  kUnknownType,     // type not known to this build
  kUnknownVersion,  // known type, layout version this build cannot read
  kSizeMismatch,    // header.size disagrees with the type's layout
};
std::string_view to_string(DecodeStatus s);

struct DecodeResult {
  DecodeStatus status = DecodeStatus::kOk;
  std::string message;  // empty when ok; otherwise says which check failed and the numbers
  bool ok() const { return status == DecodeStatus::kOk; }
};

// The layout size of (type, version), or 0 when this build does not know it.
size_t event_size(EventType type, uint16_t version);

// Writes the event's bytes into out; returns the byte count, or 0 when out is too small.
size_t encode(const EventSlot& event, std::span<std::byte> out);

template <Event T>
std::span<const std::byte> encode(const T& event) {
  return {reinterpret_cast<const std::byte*>(&event), sizeof(T)};
}

// Checks and copies one whole event (exactly one: trailing bytes are kOversized) into out.
DecodeResult decode(std::span<const std::byte> in, EventSlot& out);

}  // namespace guiju
