#include "adapters/replay/zip_reader.hpp"

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <sstream>

namespace guiju {

namespace {

constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kDirectoryEntry = 0x02014b50;
constexpr uint32_t kLocalHeader = 0x04034b50;

template <typename T>
T read_le(const std::string& bytes, size_t at) {
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    value |= static_cast<T>(static_cast<T>(static_cast<uint8_t>(bytes[at + i])) << (8 * i));
  }
  return value;
}

}  // namespace

ZipReader::ZipReader(const std::filesystem::path& archive) : path_(archive) {
  std::ifstream in(archive, std::ios::binary);
  if (!in) throw ZipError(archive.string() + ": cannot open the archive");
  std::ostringstream all;
  all << in.rdbuf();
  bytes_ = all.str();
  const std::string where = archive.string() + ": ";
  if (bytes_.size() < 22) throw ZipError(where + "too short to be a ZIP archive");

  // The end-of-directory record is within the last 64 KiB (its comment is at most 65535 bytes).
  size_t eocd = std::string::npos;
  const size_t lowest = bytes_.size() > 65557 ? bytes_.size() - 65557 : 0;
  for (size_t at = bytes_.size() - 22;; --at) {
    if (read_le<uint32_t>(bytes_, at) == kEndOfDirectory) {
      eocd = at;
      break;
    }
    if (at == lowest) break;
  }
  if (eocd == std::string::npos) throw ZipError(where + "no end-of-directory record: not a ZIP");
  const auto count = read_le<uint16_t>(bytes_, eocd + 10);
  const auto directory = read_le<uint32_t>(bytes_, eocd + 16);
  size_t at = directory;
  for (uint16_t i = 0; i < count; ++i) {
    if (at + 46 > bytes_.size() || read_le<uint32_t>(bytes_, at) != kDirectoryEntry) {
      throw ZipError(where + "central directory entry " + std::to_string(i) + " is damaged");
    }
    Entry e;
    e.method = read_le<uint16_t>(bytes_, at + 10);
    e.crc = read_le<uint32_t>(bytes_, at + 16);
    e.compressed = read_le<uint32_t>(bytes_, at + 20);
    e.size = read_le<uint32_t>(bytes_, at + 24);
    const auto name_length = read_le<uint16_t>(bytes_, at + 28);
    const auto extra_length = read_le<uint16_t>(bytes_, at + 30);
    const auto comment_length = read_le<uint16_t>(bytes_, at + 32);
    e.local_header = read_le<uint32_t>(bytes_, at + 42);
    if (at + 46 + name_length > bytes_.size()) {
      throw ZipError(where + "central directory entry " + std::to_string(i) + " is truncated");
    }
    e.name = bytes_.substr(at + 46, name_length);
    entries_.push_back(std::move(e));
    at += 46 + name_length + extra_length + comment_length;
  }
}

std::vector<std::string> ZipReader::members() const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) out.push_back(e.name);
  return out;
}

std::string ZipReader::read(const std::string& member) const {
  const std::string where = path_.string() + ", member " + member + ": ";
  const Entry* entry = nullptr;
  for (const Entry& e : entries_) {
    if (e.name == member) entry = &e;
  }
  if (entry == nullptr) throw ZipError(where + "not in the archive");
  const size_t local = entry->local_header;
  if (local + 30 > bytes_.size() || read_le<uint32_t>(bytes_, local) != kLocalHeader) {
    throw ZipError(where + "local header damaged");
  }
  const size_t data =
      local + 30 + read_le<uint16_t>(bytes_, local + 26) + read_le<uint16_t>(bytes_, local + 28);
  if (data + entry->compressed > bytes_.size()) throw ZipError(where + "data truncated");

  std::string out;
  if (entry->method == 0) {
    out = bytes_.substr(data, entry->size);
  } else if (entry->method == 8) {
    out.resize(entry->size);
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw ZipError(where + "zlib failed to start");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes_.data() + data));
    z.avail_in = static_cast<uInt>(entry->compressed);
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);
    const uLong produced = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END || produced != entry->size) {
      throw ZipError(where + "deflate data damaged (" + std::to_string(produced) + " of " +
                     std::to_string(entry->size) + " bytes)");
    }
  } else {
    throw ZipError(where + "compression method " + std::to_string(entry->method) +
                   " is not supported (stored and deflate are)");
  }
  const uLong crc =
      crc32(0L, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size()));
  if (crc != entry->crc) throw ZipError(where + "CRC-32 mismatch: the member is damaged");
  return out;
}

}  // namespace guiju
