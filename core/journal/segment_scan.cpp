#include "core/journal/segment_scan.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

namespace guiju::journal {

std::string describe(const Problem& p) {
  return p.segment + " at byte " + std::to_string(p.offset) + ", sequence " +
         std::to_string(p.sequence) + ": " + p.what;
}

namespace {

// Unmaps on scope exit.
class MappedFile {
 public:
  MappedFile(void* address, size_t size) : address_(address), size_(size) {}
  ~MappedFile() {
    if (address_ != nullptr && address_ != MAP_FAILED) ::munmap(address_, size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

 private:
  void* address_;
  size_t size_;
};

bool all_zero(std::span<const std::byte> bytes) {
  return std::ranges::all_of(bytes, [](std::byte b) { return b == std::byte{0}; });
}

}  // namespace

SegmentScan scan_segment(const std::filesystem::path& path, ChainHasher& hasher,
                         const std::optional<Digest>& expected_previous,
                         std::optional<uint64_t> expected_first, const RecordVisitor& visit) {
  const std::string name = path.filename().string();
  auto unreadable = [&](const char* what) {
    SegmentScan scan;
    scan.problem = Problem{name, 0, 0, what, false};
    return scan;
  };
  // Mapped, not read: a segment is hundreds of megabytes, and copying it through a stream costs
  // more than hashing it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return unreadable("cannot open the segment file");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return unreadable("cannot stat the segment file");
  }
  const auto size = static_cast<size_t>(st.st_size);
  void* map =
      size == 0 ? nullptr : ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (size != 0 && map == MAP_FAILED) return unreadable("cannot map the segment file");
  const MappedFile mapping(map, size);
  return scan_segment_bytes(std::span<const std::byte>(static_cast<const std::byte*>(map), size),
                            name, hasher, expected_previous, expected_first, visit);
}

SegmentScan scan_segment_bytes(std::span<const std::byte> data, const std::string& name,
                               ChainHasher& hasher, const std::optional<Digest>& expected_previous,
                               std::optional<uint64_t> expected_first, const RecordVisitor& visit) {
  SegmentScan scan;
  auto fail = [&](uint64_t offset, uint64_t sequence, std::string what, bool torn) {
    scan.problem = Problem{name, offset, sequence, std::move(what), torn};
    return scan;
  };
  scan.file_size = data.size();

  if (data.size() < sizeof(SegmentHeader)) {
    return fail(0, expected_first.value_or(0), "segment header truncated",
                data.empty() || all_zero(data));
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

  // Pass 1, sequential and cheap: framing and sequence continuity, collecting record offsets.
  // It stops at the first framing problem; pass 2 may still find an earlier altered record.
  const std::span<const std::byte> all = data;
  std::vector<uint64_t> offsets;
  offsets.reserve(data.size() / (kRecordOverhead + 64) + 1);
  std::optional<Problem> framing;
  uint64_t sequence = scan.header.first_sequence;
  for (uint64_t offset = sizeof(SegmentHeader); offset < data.size();) {
    const uint64_t left = data.size() - offset;
    auto stop = [&](std::string what, bool torn) {
      framing = Problem{name, offset, sequence, std::move(what), torn};
    };
    if (left < sizeof(RecordHeader)) {
      stop("record header truncated (" + std::to_string(left) + " bytes)", true);
      break;
    }
    RecordHeader h;
    std::memcpy(&h, data.data() + offset, sizeof h);
    if (h.payload_size > kMaxPayload || h.length != kRecordOverhead + h.payload_size) {
      stop("bad record framing (length " + std::to_string(h.length) + ", payload " +
               std::to_string(h.payload_size) + ")",
           all_zero(all.subspan(offset)));
      break;
    }
    if (h.length > left) {
      stop("record truncated: " + std::to_string(left) + " of " + std::to_string(h.length) +
               " bytes",
           true);
      break;
    }
    if (h.sequence != sequence) {
      stop("sequence " + std::to_string(h.sequence) + " where " + std::to_string(sequence) +
               " was expected (record deleted, inserted or reordered)",
           false);
      break;
    }
    offsets.push_back(offset);
    ++sequence;
    offset += h.length;
  }

  // Pass 2: the chain. Every record stores the chain value, so record k can be checked against
  // the value stored in record k - 1 without computing the chain up to it: the records are
  // hashed in parallel, in contiguous slices, and the first mismatch wins.
  auto stored_hash = [&](size_t k) {
    RecordHeader h;
    std::memcpy(&h, data.data() + offsets[k], sizeof h);
    Digest d;
    std::memcpy(d.data(), data.data() + offsets[k] + sizeof(RecordHeader) + h.payload_size,
                d.size());
    return d;
  };
  auto check_slice = [&](ChainHasher& h, size_t begin, size_t end) -> size_t {
    Digest previous = begin == 0 ? scan.header.previous_head : stored_hash(begin - 1);
    for (size_t k = begin; k < end; ++k) {
      RecordHeader rh;
      std::memcpy(&rh, data.data() + offsets[k], sizeof rh);
      const Digest computed =
          h.link(previous, all.subspan(offsets[k], sizeof(RecordHeader)),
                 all.subspan(offsets[k] + sizeof(RecordHeader), rh.payload_size));
      const Digest stored = stored_hash(k);
      if (computed != stored) return k;
      previous = stored;
    }
    return SIZE_MAX;
  };
  size_t bad = SIZE_MAX;
  const size_t n = offsets.size();
  const size_t threads =
      n < 65536 ? 1 : std::min<size_t>(8, std::max(1u, std::thread::hardware_concurrency()));
  if (threads == 1) {
    bad = check_slice(hasher, 0, n);
  } else {
    std::vector<size_t> first_bad(threads, SIZE_MAX);
    std::vector<std::thread> workers;
    const size_t per = (n + threads - 1) / threads;
    for (size_t t = 1; t < threads; ++t) {
      workers.emplace_back([&, t] {
        ChainHasher local;
        first_bad[t] = check_slice(local, std::min(n, t * per), std::min(n, (t + 1) * per));
      });
    }
    first_bad[0] = check_slice(hasher, 0, std::min(n, per));
    for (std::thread& w : workers) w.join();
    bad = *std::min_element(first_bad.begin(), first_bad.end());
  }

  const size_t valid = bad == SIZE_MAX ? n : bad;
  scan.records = valid;
  scan.last_sequence = valid > 0 ? scan.header.first_sequence + valid - 1 : 0;
  scan.head = valid > 0 ? stored_hash(valid - 1) : scan.header.previous_head;
  if (valid < n) {
    scan.valid_end = offsets[valid];
  } else {
    scan.valid_end = framing ? framing->offset : data.size();
  }
  if (visit) {
    for (size_t k = 0; k < valid; ++k) {
      RecordHeader rh;
      std::memcpy(&rh, data.data() + offsets[k], sizeof rh);
      visit(rh, all.subspan(offsets[k] + sizeof(RecordHeader), rh.payload_size), offsets[k],
            stored_hash(k));
    }
  }
  if (bad != SIZE_MAX) {
    // A last record whose hash was never written (zeros) is a torn write; any other mismatch is
    // an altered record.
    RecordHeader rh;
    std::memcpy(&rh, data.data() + offsets[bad], sizeof rh);
    const bool last = offsets[bad] + rh.length == data.size();
    const bool hash_missing = stored_hash(bad) == Digest{};
    return fail(offsets[bad], scan.header.first_sequence + bad,
                "chain hash mismatch (record altered)", last && hash_missing);
  }
  if (framing) scan.problem = framing;
  return scan;
}

}  // namespace guiju::journal
