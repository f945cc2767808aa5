#pragma once
// The on-disk format of the audit journal (docs/audit.md describes it for auditors).
//
// A journal is a directory of segment files plus a MANIFEST. Each segment starts with a fixed
// header that carries the chain head it continues from, then holds records back to back:
//
//   RecordHeader (48 bytes) | payload (payload_size bytes: the event's own bytes) | chain hash (32)
//
// chain hash = SHA-256(previous chain hash || RecordHeader || payload). The first segment starts
// from 32 zero bytes; every later segment starts from the head of the one before, so the chain
// runs unbroken through the whole journal. All integers are little-endian.

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/model/timestamp.hpp"

namespace guiju::journal {

using Digest = std::array<uint8_t, 32>;

inline constexpr std::array<char, 8> kSegmentMagic = {'G', 'U', 'I', 'J', 'U', 'J', 'N', 'L'};
inline constexpr uint16_t kFormatVersion = 1;

struct SegmentHeader {
  std::array<char, 8> magic = kSegmentMagic;
  uint16_t format_version = kFormatVersion;
  uint16_t reserved = 0;
  uint32_t header_size = sizeof(SegmentHeader);
  uint64_t first_sequence = 0;         // sequence of the segment's first record
  Timestamp created = 0;               // UTC ns
  std::array<char, 8> trading_date{};  // YYYYMMDD, not NUL-terminated
  Digest previous_head{};              // chain head the segment continues from
};
static_assert(sizeof(SegmentHeader) == 72);

struct RecordHeader {
  uint32_t length = 0;        // the whole record: header, payload and hash
  uint16_t type = 0;          // EventType of the payload (journal-internal types from 0x8000)
  uint16_t version = 0;       // the payload's layout version
  uint64_t sequence = 0;      // journal sequence: contiguous from 1 across segments
  Timestamp engine_time = 0;  // engine clock when the engine consumed or emitted it
  Timestamp event_time = 0;
  Timestamp receive_time = 0;
  uint32_t payload_size = 0;
  uint32_t reserved = 0;
};
static_assert(sizeof(RecordHeader) == 48);

inline constexpr size_t kRecordOverhead = sizeof(RecordHeader) + sizeof(Digest);
// No event is larger than an EventSlot; anything claiming more is damage, not data.
inline constexpr size_t kMaxPayload = 4096;

}  // namespace guiju::journal
