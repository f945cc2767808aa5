#pragma once
// Reads members of a ZIP archive (stored or deflated, as recorded market data is shipped) into
// memory, checking each member's CRC-32. zlib does the inflating; this reads the central
// directory. Every error names the archive, the member and what was wrong.

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
