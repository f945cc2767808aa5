#include "core/journal/journal_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/clock/clock.hpp"
#include "core/journal/segment_scan.hpp"

namespace guiju::journal {

namespace {

constexpr const char* kManifest = "MANIFEST";
constexpr const char* kSegmentPrefix = "seg-";
constexpr const char* kSegmentSuffix = ".gjl";

[[noreturn]] void io_error(const std::filesystem::path& p, const std::string& what) {
  throw JournalError(p.string() + ": " + what + ": " +
                     std::error_code(errno, std::generic_category()).message());
}

void fsync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) io_error(dir, "cannot open directory for fsync");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) io_error(dir, "directory fsync failed");
}

}  // namespace

std::string segment_file_name(uint64_t first_sequence) {
  char name[48];
  std::snprintf(name, sizeof name, "%s%020llu%s", kSegmentPrefix,
                static_cast<unsigned long long>(first_sequence), kSegmentSuffix);
  return name;
}

std::vector<std::filesystem::path> list_segments(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kSegmentPrefix, 0) == 0 && name.size() > std::strlen(kSegmentSuffix) &&
        name.substr(name.size() - std::strlen(kSegmentSuffix)) == kSegmentSuffix) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());  // zero-padded first sequence: name order is chain order
  return out;
}

JournalWriter::JournalWriter(WriterOptions options, RecoveryReport* report)
    : options_(std::move(options)) {
  if (options_.trading_date.size() != 8) {
    throw JournalError("journal: trading date must be YYYYMMDD, got '" + options_.trading_date +
                       "'");
  }
  buffer_.resize(std::max<size_t>(options_.buffer_bytes, kRecordOverhead + kMaxPayload));
  std::error_code ec;
  std::filesystem::create_directories(options_.directory, ec);
  if (ec) {
    throw JournalError(options_.directory.string() +
                       ": cannot create journal directory: " + ec.message());
  }
  recover(report);
}

JournalWriter::~JournalWriter() {
  if (fd_ < 0) return;
  try {
    commit();
    sync();
  } catch (...) {
    // A destructor cannot report; whoever needed durability called commit() and saw the error.
  }
  ::close(fd_);
}

void JournalWriter::recover(RecoveryReport* report) {
  RecoveryReport local;
  RecoveryReport& r = report ? *report : local;
  r = RecoveryReport{};

  // The manifest lists closed segments; read it so a rewrite keeps them.
  std::ifstream manifest(options_.directory / kManifest);
  std::string line;
  int line_no = 0;
  while (std::getline(manifest, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    ClosedSegment c;
    std::string head;
    if (!(fields >> c.file >> c.first >> c.last >> head >> c.trading_date) ||
        !from_hex(head, c.head)) {
      throw JournalError((options_.directory / kManifest).string() + ":" + std::to_string(line_no) +
                         ": malformed manifest line '" + line + "'");
    }
    manifest_.push_back(c);
  }

  const auto segments = list_segments(options_.directory);
  if (segments.empty()) {
    open_new_segment();
    return;
  }
  r.existing = true;
  const auto& last = segments.back();
  const SegmentScan scan = scan_segment(last, std::nullopt, std::nullopt);
  if (scan.problem && !scan.problem->torn_tail) {
    throw JournalError("journal damaged, refusing to append: " + describe(*scan.problem) +
                       " (run `guiju audit verify " + options_.directory.string() + "`)");
  }
  if (scan.problem && scan.valid_end < sizeof(SegmentHeader)) {
    // Not even the header survived: the segment was being created. Start it again.
    throw JournalError("journal damaged, refusing to append: " + describe(*scan.problem));
  }
  if (scan.problem) {
    r.cut_bytes = scan.file_size - scan.valid_end;
    r.cut_reason = describe(*scan.problem);
    if (::truncate(last.c_str(), static_cast<off_t>(scan.valid_end)) != 0) {
      io_error(last, "cannot cut the torn tail");
    }
  }
  fd_ = ::open(last.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) io_error(last, "cannot open segment for append");
  segment_path_ = last;
  segment_first_ = scan.header.first_sequence;
  segment_size_ = scan.valid_end;
  head_ = scan.head;
  next_sequence_ = scan.records > 0 ? scan.last_sequence + 1 : scan.header.first_sequence;
  durable_sequence_ = next_sequence_ - 1;
  r.last_sequence = durable_sequence_;
  segment_date_.assign(scan.header.trading_date.data(), scan.header.trading_date.size());
  sync();
  // A new trading day starts a new segment.
  if (segment_date_ != options_.trading_date) {
    close_segment();
    open_new_segment();
  }
}

void JournalWriter::open_new_segment() {
  segment_first_ = next_sequence_;
  segment_date_ = options_.trading_date;
  segment_path_ = options_.directory / segment_file_name(segment_first_);
  fd_ = ::open(segment_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) io_error(segment_path_, "cannot create segment");
  SegmentHeader h;
  h.first_sequence = segment_first_;
  h.created = options_.segment_time.value_or(utc_now());
  std::memcpy(h.trading_date.data(), options_.trading_date.data(), h.trading_date.size());
  h.previous_head = head_;
  write_all(reinterpret_cast<const std::byte*>(&h), sizeof h);
  segment_size_ = sizeof h;
  sync();
  fsync_directory(options_.directory);
}

void JournalWriter::close_segment() {
  commit();
  sync();
  ::close(fd_);
  fd_ = -1;
  manifest_.push_back({segment_path_.filename().string(), segment_first_, next_sequence_ - 1, head_,
                       segment_date_});
  write_manifest();
}

void JournalWriter::write_manifest() {
  const auto path = options_.directory / kManifest;
  const auto tmp = options_.directory / (std::string(kManifest) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "# closed segments: file first_sequence last_sequence head_sha256 trading_date\n";
    for (const ClosedSegment& c : manifest_) {
      out << c.file << ' ' << c.first << ' ' << c.last << ' ' << to_hex(c.head) << ' '
          << c.trading_date << '\n';
    }
    out.flush();
    if (!out) io_error(tmp, "cannot write manifest");
  }
  const int fd = ::open(tmp.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    io_error(tmp, "cannot sync manifest");
  }
  ::close(fd);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) io_error(path, "cannot replace manifest");
  fsync_directory(options_.directory);
}

uint64_t JournalWriter::append(uint16_t type, uint16_t version, Timestamp engine_time,
                               Timestamp event_time, Timestamp receive_time,
                               std::span<const std::byte> payload) {
  if (payload.size() > kMaxPayload) {
    throw JournalError("journal: payload of " + std::to_string(payload.size()) +
                       " bytes exceeds the record limit");
  }
  const size_t length = kRecordOverhead + payload.size();
  if (segment_size_ + length > options_.segment_bytes && next_sequence_ > segment_first_) {
    close_segment();
    open_new_segment();
  }
  // A full buffer is written out, not committed: the group's commit syncs it with the rest (a
  // group of 4,096 book updates overruns the 1 MB buffer, and paid for two syncs).
  if (buffered_ + length > buffer_.size()) {
    write_all(buffer_.data(), buffered_);
    buffered_ = 0;
  }

  RecordHeader h;
  h.length = static_cast<uint32_t>(length);
  h.type = type;
  h.version = version;
  h.sequence = next_sequence_;
  h.engine_time = engine_time;
  h.event_time = event_time;
  h.receive_time = receive_time;
  h.payload_size = static_cast<uint32_t>(payload.size());
  const auto header_bytes = std::as_bytes(std::span(&h, 1));
  head_ = hasher_.link(head_, header_bytes, payload);

  std::byte* at = buffer_.data() + buffered_;
  std::memcpy(at, &h, sizeof h);
  if (!payload.empty()) std::memcpy(at + sizeof h, payload.data(), payload.size());
  std::memcpy(at + sizeof h + payload.size(), head_.data(), head_.size());
  buffered_ += length;
  segment_size_ += length;
  return next_sequence_++;
}

uint64_t JournalWriter::append(const EventSlot& event, Timestamp engine_time) {
  const EventHeader& h = event.header();
  const size_t size = std::min<size_t>(h.size, EventSlot::kCapacity);
  return append(static_cast<uint16_t>(h.type), h.version, engine_time, h.event_time, h.receive_time,
                std::span<const std::byte>(event.bytes, size));
}

void JournalWriter::write_all(const std::byte* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      io_error(segment_path_, "write failed");
    }
    data += n;
    size -= static_cast<size_t>(n);
    unsynced_ = options_.durability == Durability::kInterval;
  }
}

void JournalWriter::sync() {
  if (fd_ >= 0 && ::fdatasync(fd_) != 0) io_error(segment_path_, "fdatasync failed");
  last_sync_ = monotonic_now();
  unsynced_ = false;
}

void JournalWriter::sync_if_due() {
  if (unsynced_ && monotonic_now() >= sync_deadline()) sync();
}

void JournalWriter::commit() {
  if (buffered_ > 0) {
    write_all(buffer_.data(), buffered_);
    buffered_ = 0;
  }
  switch (options_.durability) {
    case Durability::kEveryCommit:
      sync();
      break;
    case Durability::kInterval:
      if (monotonic_now() - last_sync_ >= options_.sync_interval) sync();
      break;
    case Durability::kOsBuffered:
      break;
  }
  durable_sequence_ = next_sequence_ - 1;
}

void JournalWriter::set_trading_date(const std::string& yyyymmdd) {
  if (yyyymmdd == options_.trading_date) return;
  if (yyyymmdd.size() != 8) throw JournalError("journal: trading date must be YYYYMMDD");
  close_segment();
  options_.trading_date = yyyymmdd;
  open_new_segment();
}

}  // namespace guiju::journal
