#include "core/control/curve_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace guiju::control {

namespace {

constexpr size_t kZ85KeyLength = 40;

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return std::string(s.substr(first, last - first + 1));
}

[[noreturn]] void refuse(const std::filesystem::path& path, int line, const std::string& why) {
  throw std::runtime_error(path.string() + (line > 0 ? ":" + std::to_string(line) : "") + ": " +
                           why);
}

// Creates `path` new with `mode` and writes `text`; refuses to replace an existing file (a key
// overwritten by mistake cannot be recovered).
void write_new_file(const std::filesystem::path& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    throw std::runtime_error(path.string() +
                             ": cannot create: " + std::system_category().message(errno));
  }
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int saved = errno;
      ::close(fd);
      throw std::runtime_error(path.string() +
                               ": cannot write: " + std::system_category().message(saved));
    }
    written += static_cast<size_t>(n);
  }
  // The key must reach the disk before anyone is told it exists.
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    throw std::runtime_error(path.string() +
                             ": cannot write: " + std::system_category().message(errno));
  }
}

}  // namespace

std::optional<std::array<uint8_t, 32>> decode_z85_key(std::string_view text) {
  if (text.size() != kZ85KeyLength) return std::nullopt;
  const std::string terminated(text);
  std::array<uint8_t, 32> key{};
  if (zmq_z85_decode(key.data(), terminated.c_str()) == nullptr) return std::nullopt;
  return key;
}

Z85Key encode_z85_key(const std::array<uint8_t, 32>& key) {
  std::array<char, kZ85KeyLength + 1> text{};
  zmq_z85_encode(text.data(), key.data(), key.size());
  return {text.data(), kZ85KeyLength};
}

std::string key_fingerprint(std::string_view public_key) {
  return std::string(public_key.substr(0, 8));
}

CurveKeyPair generate_key_pair(std::string name) {
  if (zmq_has("curve") == 0) {
    throw std::runtime_error("this libzmq was built without CURVE security");
  }
  std::array<char, kZ85KeyLength + 1> public_key{};
  std::array<char, kZ85KeyLength + 1> secret_key{};
  if (zmq_curve_keypair(public_key.data(), secret_key.data()) != 0) {
    throw std::runtime_error(std::string("cannot make a CURVE key pair: ") +
                             zmq_strerror(zmq_errno()));
  }
  return {std::move(name), Z85Key(public_key.data(), kZ85KeyLength),
          Z85Key(secret_key.data(), kZ85KeyLength)};
}

CurveKeyPair read_key_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) refuse(path, 0, "cannot read the key file");
  CurveKeyPair pair;
  std::string text;
  int line_number = 0;
  while (std::getline(in, text)) {
    ++line_number;
    const std::string line = trim(text);
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) refuse(path, line_number, "expected `field = value`");
    const std::string field = trim(std::string_view(line).substr(0, eq));
    const std::string value = trim(std::string_view(line).substr(eq + 1));
    if (field == "name") {
      pair.name = value;
    } else if (field == "public-key" || field == "secret-key") {
      if (!decode_z85_key(value)) {
        refuse(path, line_number, field + " is not a CURVE key (40 Z85 characters)");
      }
      (field == "public-key" ? pair.public_key : pair.secret_key) = value;
    } else {
      refuse(path, line_number, "unknown field '" + field + "' (name, public-key, secret-key)");
    }
  }
  if (pair.public_key.empty()) refuse(path, 0, "no public-key");
  if (pair.has_secret()) {
    std::array<char, kZ85KeyLength + 1> derived{};
    if (zmq_curve_public(derived.data(), pair.secret_key.c_str()) != 0 ||
        pair.public_key != std::string_view(derived.data(), kZ85KeyLength)) {
      refuse(path, 0, "the secret-key does not belong to the public-key");
    }
  }
  return pair;
}

std::filesystem::path write_key_files(const CurveKeyPair& pair,
                                      const std::filesystem::path& directory) {
  std::filesystem::path secret = directory / (pair.name + ".key");
  const std::filesystem::path public_file = directory / (pair.name + ".pub");
  const std::string header = "# Guiju control key '" + pair.name + "'\nname = " + pair.name +
                             "\npublic-key = " + pair.public_key + "\n";
  write_new_file(secret,
                 "# Secret: keep this file private (mode 0600). Hand out " + pair.name +
                     ".pub instead.\n" + header + "secret-key = " + pair.secret_key + "\n",
                 0600);
  write_new_file(public_file, header, 0644);
  return secret;
}

}  // namespace guiju::control
