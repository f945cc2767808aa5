#include "core/journal/segment_scan.hpp"

#include <cstring>
#include <fstream>
#include <vector>

namespace guiju::journal {

std::string describe(const Problem& p) {
  return p.segment + " at byte " + std::to_string(p.offset) + ", sequence " +
         std::to_string(p.sequence) + ": " + p.what;
}

namespace {

bool all_zero(std::span<const std::byte> bytes) {
  for (std::byte b : bytes) {
    if (b != std::byte{0}) return false;
  }
  return true;
}

}  // namespace

SegmentScan scan_segment(const std::filesystem::path& path, ChainHasher& hasher,
                         const std::optional<Digest>& expected_previous,
                         std::optional<uint64_t> expected_first, const RecordVisitor& visit) {
  SegmentScan scan;
  const std::string name = path.filename().string();
  auto fail = [&](uint64_t offset, uint64_t sequence, std::string what, bool torn) {
    scan.problem = Problem{name, offset, sequence, std::move(what), torn};
    return scan;
  };

  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return fail(0, 0, "cannot open the segment file", false);
  std::vector<std::byte> data(static_cast<size_t>(in.tellg()));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(data.size()));
  if (!in) return fail(0, 0, "cannot read the segment file", false);
  scan.file_size = data.size();

  if (data.size() < sizeof(SegmentHeader)) {
    return fail(0, expected_first.value_or(0), "segment header truncated",
                data.size() == 0 || all_zero(data));
  }
  std::memcpy(&scan.header, data.data(), sizeof(SegmentHeader));
  if (scan.header.magic != kSegmentMagic)
    return fail(0, 0, "not a journal segment (bad magic)", false);
  if (scan.header.format_version != kFormatVersion) {
    return fail(0, 0,
                "unknown segment format version " + std::to_string(scan.header.format_version),
                false);
  }
  if (scan.header.header_size != sizeof(SegmentHeader)) {
    return fail(0, 0, "segment header size " + std::to_string(scan.header.header_size), false);
  }
  if (expected_previous && *expected_previous != scan.header.previous_head) {
    return fail(0, scan.header.first_sequence,
                "chain broken: segment continues from " + to_hex(scan.header.previous_head) +
                    " but the previous segment ends at " + to_hex(*expected_previous),
                false);
  }
  if (expected_first && *expected_first != scan.header.first_sequence) {
    return fail(0, scan.header.first_sequence,
                "sequence gap: segment starts at " + std::to_string(scan.header.first_sequence) +
                    ", expected " + std::to_string(*expected_first),
                false);
  }

  Digest head = scan.header.previous_head;
  uint64_t sequence = scan.header.first_sequence;
  uint64_t offset = sizeof(SegmentHeader);
  scan.valid_end = offset;
  const std::span<const std::byte> all(data);
  while (offset < data.size()) {
    const uint64_t left = data.size() - offset;
    const bool rest_is_zero = all_zero(all.subspan(offset));
    if (left < sizeof(RecordHeader)) {
      return fail(offset, sequence, "record header truncated (" + std::to_string(left) + " bytes)",
                  true);
    }
    RecordHeader h;
    std::memcpy(&h, data.data() + offset, sizeof h);
    if (h.payload_size > kMaxPayload || h.length != kRecordOverhead + h.payload_size) {
      return fail(offset, sequence,
                  "bad record framing (length " + std::to_string(h.length) + ", payload " +
                      std::to_string(h.payload_size) + ")",
                  rest_is_zero);
    }
    if (h.length > left) {
      return fail(offset, sequence,
                  "record truncated: " + std::to_string(left) + " of " + std::to_string(h.length) +
                      " bytes",
                  true);
    }
    if (h.sequence != sequence) {
      return fail(offset, sequence,
                  "sequence " + std::to_string(h.sequence) + " where " + std::to_string(sequence) +
                      " was expected (record deleted, inserted or reordered)",
                  false);
    }
    const auto header_bytes = all.subspan(offset, sizeof(RecordHeader));
    const auto payload = all.subspan(offset + sizeof(RecordHeader), h.payload_size);
    Digest stored;
    std::memcpy(stored.data(), data.data() + offset + sizeof(RecordHeader) + h.payload_size,
                stored.size());
    const Digest computed = hasher.link(head, header_bytes, payload);
    if (computed != stored) {
      // A last record whose hash was never written (zeros) is a torn write; any other mismatch
      // is an altered record.
      const bool last = offset + h.length == data.size();
      const bool hash_missing = stored == Digest{};
      return fail(offset, sequence, "chain hash mismatch (record altered)", last && hash_missing);
    }
    if (visit) visit(h, payload, offset);
    head = computed;
    scan.last_sequence = sequence;
    ++scan.records;
    ++sequence;
    offset += h.length;
    scan.valid_end = offset;
    scan.head = head;
  }
  if (scan.records == 0) scan.head = scan.header.previous_head;
  return scan;
}

}  // namespace guiju::journal
