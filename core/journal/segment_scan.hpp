#pragma once
// Reading one segment file back: framing, sequence continuity and the hash chain, record by
// record. Used by recovery (to find where a torn tail starts) and by `guiju audit verify`.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "core/journal/chain_hash.hpp"
#include "core/journal/record_format.hpp"

namespace guiju::journal {

// The first thing wrong in a segment, located exactly.
struct Problem {
  std::string segment;    // file name
  uint64_t offset = 0;    // byte offset of the record (or header) that is wrong
  uint64_t sequence = 0;  // the sequence expected there
  std::string what;
  // True when the damage is only at the end of the file: an incomplete last record, or trailing
  // bytes that hold no complete record. That is what a crash mid-write leaves, and recovery may
  // cut it. Anything else is tampering or corruption, never cut automatically.
  bool torn_tail = false;
};

std::string describe(const Problem& p);

struct SegmentScan {
  SegmentHeader header{};
  uint64_t records = 0;
  uint64_t last_sequence = 0;  // 0 when the segment has no valid record
  Digest head{};               // chain head after the last valid record
  uint64_t valid_end = 0;      // byte offset just past the last valid record
  uint64_t file_size = 0;
  std::optional<Problem> problem;
};

// Called for each valid record, in order, with its chain hash (the value stored after it).
using RecordVisitor = std::function<void(const RecordHeader&, std::span<const std::byte> payload,
                                         uint64_t offset, const Digest& chain)>;

// Scans a segment. expected_previous / expected_first: what the chain says the segment must
// continue from (nullopt: take the segment header's word for it, as recovery does).
SegmentScan scan_segment(const std::filesystem::path& path,
                         const std::optional<Digest>& expected_previous,
                         std::optional<uint64_t> expected_first,
                         const RecordVisitor& visit = nullptr);

// The same over bytes in memory (`name` is used in problem reports). The fuzz target's entry.
SegmentScan scan_segment_bytes(std::span<const std::byte> data, const std::string& name,
                               const std::optional<Digest>& expected_previous,
                               std::optional<uint64_t> expected_first,
                               const RecordVisitor& visit = nullptr);

}  // namespace guiju::journal
