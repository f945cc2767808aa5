#include "adapters/replay/zip_reader.hpp"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace guiju {

namespace {

constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64EndLocator = 0x07064b50;
constexpr uint32_t kZip64End = 0x06064b50;
constexpr uint32_t kDirectoryEntry = 0x02014b50;
constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint16_t kZip64Extra = 0x0001;
constexpr uint32_t kMax32 = 0xffffffff;
constexpr uint16_t kMax16 = 0xffff;
// Deflate expands at most 1032:1; a larger recorded size is damage, not a real member (and
// would otherwise be allocated before inflate finds out).
constexpr uint64_t kMaxDeflateRatio = 1032;
// zlib counts in uInt: inflate and CRC-32 are fed at most this much at a time.
constexpr uint64_t kChunk = uint64_t{1} << 30;

// Little-endian integers in the archive's bytes, bounds-checked: a read past the end throws
// ZipError `where` + `what`.
class Bytes {
 public:
  Bytes(const std::string& bytes, std::string where) : b_(bytes), where_(std::move(where)) {}

  template <typename T>
  T get(uint64_t at, const std::string& what) const {
    if (!has(at, sizeof(T))) fail(what);
    T value = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      value |= static_cast<T>(static_cast<T>(static_cast<uint8_t>(b_[at + i])) << (8 * i));
    }
    return value;
  }
  // Whether `length` bytes from `at` are inside the archive.
  bool has(uint64_t at, uint64_t length) const {
    return at <= b_.size() && b_.size() - at >= length;
  }
  [[noreturn]] void fail(const std::string& what) const { throw ZipError(where_ + what); }

 private:
  const std::string& b_;
  std::string where_;
};

std::string hex16(uint16_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) out += kDigits[(v >> shift) & 0xf];
  return out;
}

uLong crc_of(const std::string& data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  for (uint64_t at = 0; at < data.size(); at += kChunk) {
    const uint64_t n = std::min<uint64_t>(kChunk, data.size() - at);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data() + at), static_cast<uInt>(n));
  }
  return crc;
}

}  // namespace

ZipReader::ZipReader(const std::filesystem::path& archive) : path_(archive) {
  std::ifstream in(archive, std::ios::binary);
  if (!in) throw ZipError(archive.string() + ": cannot open the archive");
  std::ostringstream all;
  all << in.rdbuf();
  bytes_ = all.str();
  const std::string where = archive.string() + ": ";
  const Bytes b(bytes_, where);
  if (bytes_.size() < 22) b.fail("too short to be a ZIP archive");

  // The end-of-directory record is within the last 64 KiB (its comment is at most 65535 bytes).
  uint64_t eocd = UINT64_MAX;
  const uint64_t lowest = bytes_.size() > 65557 ? bytes_.size() - 65557 : 0;
  for (uint64_t at = bytes_.size() - 22;; --at) {
    if (b.get<uint32_t>(at, "end of directory truncated") == kEndOfDirectory) {
      eocd = at;
      break;
    }
    if (at == lowest) break;
  }
  if (eocd == UINT64_MAX) b.fail("no end-of-directory record: not a ZIP");
  uint64_t count = b.get<uint16_t>(eocd + 10, "end of directory truncated");
  const uint64_t directory_size = b.get<uint32_t>(eocd + 12, "end of directory truncated");
  uint64_t at = b.get<uint32_t>(eocd + 16, "end of directory truncated");

  // ZIP64: a field too small for its value reads 0xFFFF/0xFFFFFFFF and the real values are in
  // the ZIP64 end-of-directory record, found by the locator just before the end record.
  if (count == kMax16 || directory_size == kMax32 || at == kMax32) {
    const bool located =
        eocd >= 20 && b.get<uint32_t>(eocd - 20, "ZIP64 locator truncated") == kZip64EndLocator;
    if (located) {
      const auto end64 = b.get<uint64_t>(eocd - 20 + 8, "ZIP64 locator truncated");
      if (!b.has(end64, 56)) {
        b.fail("ZIP64 end-of-directory record at " + std::to_string(end64) +
               " is past the end of the archive (truncated or damaged)");
      }
      if (b.get<uint32_t>(end64, "ZIP64 end of directory truncated") != kZip64End) {
        b.fail("ZIP64 end-of-directory record damaged (bad signature at " + std::to_string(end64) +
               ")");
      }
      count = b.get<uint64_t>(end64 + 32, "ZIP64 end of directory truncated");
      at = b.get<uint64_t>(end64 + 48, "ZIP64 end of directory truncated");
    } else if (at == kMax32) {
      b.fail("central directory offset is 0xFFFFFFFF but there is no ZIP64 locator");
    }
  }
  if (!b.has(at, 0)) {
    b.fail("central directory offset " + std::to_string(at) +
           " is past the end of the archive (truncated or damaged)");
  }

  for (uint64_t i = 0; i < count; ++i) {
    const std::string entry = "central directory entry " + std::to_string(i);
    if (!b.has(at, 46)) b.fail(entry + " is truncated (the archive ends inside the directory)");
    if (b.get<uint32_t>(at, entry) != kDirectoryEntry) b.fail(entry + " is damaged");
    Entry e;
    e.method = b.get<uint16_t>(at + 10, entry);
    e.crc = b.get<uint32_t>(at + 16, entry);
    e.compressed = b.get<uint32_t>(at + 20, entry);
    e.size = b.get<uint32_t>(at + 24, entry);
    const auto name_length = b.get<uint16_t>(at + 28, entry);
    const auto extra_length = b.get<uint16_t>(at + 30, entry);
    const auto comment_length = b.get<uint16_t>(at + 32, entry);
    e.local_header = b.get<uint32_t>(at + 42, entry);
    const uint64_t name_at = at + 46;
    const uint64_t extra_at = name_at + name_length;
    const uint64_t extra_end = extra_at + extra_length;
    if (!b.has(name_at, uint64_t{name_length} + extra_length + comment_length)) {
      b.fail(entry + " is truncated (the archive ends inside the directory)");
    }
    e.name = bytes_.substr(name_at, name_length);
    const std::string member = entry + " (member " + e.name + ")";

    // ZIP64 extra field 0x0001: the uncompressed size, compressed size and local-header offset,
    // in that order, each present only when its 32-bit field reads 0xFFFFFFFF.
    bool zip64_seen = false;
    for (uint64_t x = extra_at; x < extra_end;) {
      if (extra_end - x < 4) b.fail(member + ": extra field header truncated");
      const auto id = b.get<uint16_t>(x, member);
      const auto length = b.get<uint16_t>(x + 2, member);
      const uint64_t field_end = x + 4 + length;
      if (field_end > extra_end) {
        b.fail(member + ": extra field " + hex16(id) + " runs past the entry's extra data");
      }
      if (id == kZip64Extra && !zip64_seen) {
        zip64_seen = true;
        uint64_t field = x + 4;
        auto take = [&](uint64_t& value, const char* what) {
          if (value != kMax32) return;
          if (field_end - field < 8) {
            b.fail(member + ": ZIP64 extra field too short for the " + what);
          }
          value = b.get<uint64_t>(field, member);
          field += 8;
        };
        take(e.size, "uncompressed size");
        take(e.compressed, "compressed size");
        take(e.local_header, "local-header offset");
      }
      x = field_end;
    }
    if (!zip64_seen && (e.size == kMax32 || e.compressed == kMax32 || e.local_header == kMax32)) {
      b.fail(member + ": a size or offset reads 0xFFFFFFFF but there is no ZIP64 extra field");
    }
    entries_.push_back(std::move(e));
    at = extra_end + comment_length;
  }
}

std::vector<std::string> ZipReader::members() const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) out.push_back(e.name);
  return out;
}

std::string ZipReader::read(const std::string& member) const {
  const std::string where = path_.string() + ", member " + member + ": ";
  const Bytes b(bytes_, where);
  const Entry* entry = nullptr;
  for (const Entry& e : entries_) {
    if (e.name == member) entry = &e;
  }
  if (entry == nullptr) b.fail("not in the archive");
  const uint64_t local = entry->local_header;
  if (!b.has(local, 30) || b.get<uint32_t>(local, "") != kLocalHeader) {
    b.fail("local header damaged");
  }
  const uint64_t data = local + 30 + b.get<uint16_t>(local + 26, "local header damaged") +
                        b.get<uint16_t>(local + 28, "local header damaged");
  if (!b.has(data, entry->compressed)) b.fail("data truncated");
  const char* const begin = bytes_.data() + data;

  std::string out;
  if (entry->method == 0) {
    if (entry->size != entry->compressed) {
      b.fail("stored member's sizes disagree (" + std::to_string(entry->size) + " and " +
             std::to_string(entry->compressed) + " bytes)");
    }
    out.assign(begin, entry->size);
  } else if (entry->method == 8) {
    if (entry->size / kMaxDeflateRatio > entry->compressed + 1) {
      b.fail("recorded size " + std::to_string(entry->size) + " is impossible for " +
             std::to_string(entry->compressed) + " deflated bytes");
    }
    out.resize(entry->size);
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) b.fail("zlib failed to start");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(begin));
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    uint64_t in_left = entry->compressed;
    uint64_t out_left = entry->size;
    int rc = Z_OK;
    while (rc == Z_OK) {
      if (z.avail_in == 0 && in_left > 0) {
        z.avail_in = static_cast<uInt>(std::min(in_left, kChunk));
        in_left -= z.avail_in;
      }
      if (z.avail_out == 0 && out_left > 0) {
        z.avail_out = static_cast<uInt>(std::min(out_left, kChunk));
        out_left -= z.avail_out;
      }
      rc = inflate(&z, Z_NO_FLUSH);  // Z_BUF_ERROR once neither input nor room is left
    }
    const uint64_t produced = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END || produced != entry->size) {
      b.fail("deflate data damaged (" + std::to_string(produced) + " of " +
             std::to_string(entry->size) + " bytes)");
    }
  } else {
    b.fail("compression method " + std::to_string(entry->method) +
           " is not supported (stored and deflate are)");
  }
  if (crc_of(out) != entry->crc) b.fail("CRC-32 mismatch: the member is damaged");
  return out;
}

}  // namespace guiju
