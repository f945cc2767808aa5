#pragma once
// A directory of a bench's own under the system's temporary directory (journals, FIX stores,
// configs), removed at the end unless asked to keep it for a look afterwards.

#include <stdlib.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace guiju::bench {

class BenchTempDir {
 public:
  // `name`: what the directory is called before its random suffix (guiju-wirebench-XXXXXX).
  BenchTempDir(std::string_view name, bool keep) : keep_(keep) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (std::string(name) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp: " + std::generic_category().message(errno));
    }
    path_ = pattern;
  }
  ~BenchTempDir() {
    std::error_code ec;
    if (keep_) {
      std::printf("temporary files kept in %s\n", path_.c_str());
    } else {
      std::filesystem::remove_all(path_, ec);
    }
  }
  BenchTempDir(const BenchTempDir&) = delete;
  BenchTempDir& operator=(const BenchTempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool keep_;
};

}  // namespace guiju::bench
