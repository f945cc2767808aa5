#include "core/journal/segment_scan.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "core/journal/sha256_batch.hpp"

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

// Pass 2 of a scan: checks each record's stored chain hash against SHA-256(the chain value
// stored before it || its header || its payload). Those bytes lie back to back in the file:
// the previous record's stored hash (or, for the first record, the segment header's
// previous_head, its last field) sits just before the record's header, so each record is one
// contiguous message and no bytes are copied.
class ChainCheck {
 public:
  // Records are handed out in chunks of this many: large enough that claiming one is rare,
  // small enough that the workers trail the framing walk closely.
  static constexpr size_t kChunk = 4096;

  ChainCheck(std::span<const std::byte> data, const uint64_t* offsets)
      : data_(data), offsets_(offsets) {}

  // The framing walk has written offsets [0, count).
  void publish(size_t count) { published_.store(count, std::memory_order_release); }
  // ... and will write no more.
  void finish(size_t count) {
    published_.store(count, std::memory_order_release);
    finished_.store(true, std::memory_order_release);
  }

  // Claims and checks chunks until none is left or a mismatch makes the rest irrelevant. Run
  // by every worker, and by the walking thread once it has finished.
  void run() {
    Sha256Batch sha;
    for (;;) {
      const size_t begin = next_.fetch_add(kChunk, std::memory_order_relaxed);
      const size_t end = wait_for(begin + kChunk);
      if (begin >= end || begin > first_bad_.load(std::memory_order_relaxed)) return;
      const size_t bad = check(sha, begin, end);
      size_t seen = first_bad_.load(std::memory_order_relaxed);
      while (bad < seen && !first_bad_.compare_exchange_weak(seen, bad)) {
      }
    }
  }

  // SIZE_MAX when every record checked out.
  size_t first_bad() const { return first_bad_.load(); }

  Digest stored_hash(size_t k) const {
    Digest d;
    std::memcpy(d.data(), data_.data() + offsets_[k] + record_length(k) - sizeof(Digest), d.size());
    return d;
  }

 private:
  static_assert(offsetof(SegmentHeader, previous_head) + sizeof(Digest) == sizeof(SegmentHeader));

  // Blocks until offsets up to `end` are published or the walk is over; returns how far the
  // caller may go.
  size_t wait_for(size_t end) const {
    for (;;) {
      const bool finished = finished_.load(std::memory_order_acquire);
      const size_t published = published_.load(std::memory_order_acquire);
      if (published >= end) return end;
      if (finished) return published;
      std::this_thread::yield();
    }
  }

  uint32_t record_length(size_t k) const {
    uint32_t length = 0;
    std::memcpy(&length, data_.data() + offsets_[k] + offsetof(RecordHeader, length),
                sizeof length);
    return length;
  }

  size_t check(Sha256Batch& sha, size_t begin, size_t end) const {
    constexpr size_t kBatch = 64;
    std::array<Message, kBatch> messages;
    std::array<Digest, kBatch> computed;
    for (size_t first = begin; first < end; first += kBatch) {
      const size_t count = std::min(kBatch, end - first);
      for (size_t i = 0; i < count; ++i) {
        messages[i] = {data_.data() + offsets_[first + i] - sizeof(Digest),
                       record_length(first + i)};  // hash before + record - hash after
      }
      sha.hash(std::span(messages.data(), count), std::span(computed.data(), count));
      for (size_t i = 0; i < count; ++i) {
        if (computed[i] != stored_hash(first + i)) return first + i;
      }
    }
    return SIZE_MAX;
  }

  std::span<const std::byte> data_;
  const uint64_t* offsets_;
  std::atomic<size_t> published_{0};
  std::atomic<bool> finished_{false};
  std::atomic<size_t> next_{0};
  std::atomic<size_t> first_bad_{SIZE_MAX};
};

}  // namespace

SegmentScan scan_segment(const std::filesystem::path& path,
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
                            name, expected_previous, expected_first, visit);
}

SegmentScan scan_segment_bytes(std::span<const std::byte> data, const std::string& name,
                               const std::optional<Digest>& expected_previous,
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

  // Pass 1, framing and sequence continuity, runs on this thread and publishes record offsets
  // as it goes; pass 2, the chain, hashes published records on every core meanwhile. Every
  // record stores its chain value, so record k can be checked against the value stored in
  // record k - 1 without computing the chain up to it: records are hashed in any order, in
  // chunks claimed in sequence order, and the first mismatch wins. Framing stops at the first
  // framing problem; pass 2 may still find an earlier altered record.
  const std::span<const std::byte> all = data;
  // Every record is at least kRecordOverhead bytes, so this bound never moves: the workers read
  // offsets while the walk appends them. Left uninitialised: only what is written is read.
  const size_t capacity = (data.size() - sizeof(SegmentHeader)) / kRecordOverhead + 1;
  const auto offsets = std::make_unique_for_overwrite<uint64_t[]>(capacity);
  ChainCheck check(data, offsets.get());
  const size_t workers =
      data.size() < (8u << 20)
          ? 0
          : std::min<size_t>(7, std::max(2u, std::thread::hardware_concurrency()) - 1);
  std::vector<std::jthread> threads;
  threads.reserve(workers);
  for (size_t t = 0; t < workers; ++t) threads.emplace_back([&check] { check.run(); });
  size_t n = 0;
  // Whatever way this scope is left, the workers are told the walk is over before they are
  // joined (std::jthread joins on destruction).
  struct FinishOnExit {
    ChainCheck& check;
    const size_t& n;
    ~FinishOnExit() { check.finish(n); }
  } finish_on_exit{check, n};

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
    offsets[n++] = offset;
    if (n % ChainCheck::kChunk == 0) check.publish(n);
    ++sequence;
    offset += h.length;
  }
  check.finish(n);
  check.run();
  for (std::jthread& t : threads) t.join();
  const size_t bad = check.first_bad();

  const size_t valid = bad == SIZE_MAX ? n : bad;
  scan.records = valid;
  scan.last_sequence = valid > 0 ? scan.header.first_sequence + valid - 1 : 0;
  scan.head = valid > 0 ? check.stored_hash(valid - 1) : scan.header.previous_head;
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
            check.stored_hash(k));
    }
  }
  if (bad != SIZE_MAX) {
    // A last record whose hash was never written (zeros) is a torn write; any other mismatch is
    // an altered record.
    RecordHeader rh;
    std::memcpy(&rh, data.data() + offsets[bad], sizeof rh);
    const bool last = offsets[bad] + rh.length == data.size();
    const bool hash_missing = check.stored_hash(bad) == Digest{};
    return fail(offsets[bad], scan.header.first_sequence + bad,
                "chain hash mismatch (record altered)", last && hash_missing);
  }
  if (framing) scan.problem = framing;
  return scan;
}

}  // namespace guiju::journal
