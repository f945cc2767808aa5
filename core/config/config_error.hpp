#pragma once
// A configuration error that says where (file, line, column, key) and what was expected.

#include <stdexcept>
#include <string>

namespace guiju {

class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& file, int line, int column, const std::string& key,
              const std::string& message)
      : std::runtime_error(format(file, line, column, key, message)),
        file_(file),
        line_(line),
        column_(column),
        key_(key),
        message_(message) {}

  const std::string& file() const { return file_; }
  int line() const { return line_; }  // 1-based; 0 when unknown
  int column() const { return column_; }
  const std::string& key() const { return key_; }
  const std::string& message() const { return message_; }  // without the location

 private:
  static std::string format(const std::string& file, int line, int column, const std::string& key,
                            const std::string& message) {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
    out += ": ";
    if (!key.empty()) out += key + ": ";
    return out + message;
  }
  std::string file_;
  int line_;
  int column_;
  std::string key_;
  std::string message_;
};

}  // namespace guiju
