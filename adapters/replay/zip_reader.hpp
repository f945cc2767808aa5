#pragma once
// Reads members of a ZIP archive (stored or deflated, as recorded market data is shipped) into
// memory, checking each member's CRC-32. zlib does the inflating; this reads the central
// directory. ZIP64 archives are read too: the ZIP64 end-of-directory record (through its
// locator) when the end record's count or offset reads 0xFFFF/0xFFFFFFFF, and the 0x0001 extra
// field of a directory entry whose size, compressed size or local-header offset reads 0xFFFFFFFF
// (LEAN writes every tick file that way). Every read is bounds-checked: a damaged or truncated
// archive is a ZipError naming the archive, the member where there is one, and what was wrong.

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace guiju {

class ZipError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ZipReader {
 public:
  // Reads the archive's central directory; throws ZipError when it is not a readable ZIP.
  explicit ZipReader(const std::filesystem::path& archive);

  // The members' names, in directory order (directories end with '/').
  std::vector<std::string> members() const;
  // A member's bytes; throws ZipError when absent, damaged or compressed another way.
  std::string read(const std::string& member) const;

 private:
  struct Entry {
    std::string name;
    uint16_t method = 0;
    uint32_t crc = 0;
    uint64_t compressed = 0;
    uint64_t size = 0;
    uint64_t local_header = 0;
  };
  std::filesystem::path path_;
  std::string bytes_;
  std::vector<Entry> entries_;
};

}  // namespace guiju
