#include "core/journal/checkpoint.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/journal/chain_hash.hpp"

namespace guiju::journal {

namespace {

constexpr const char* kFile = "CHECKPOINTS";

EVP_PKEY* load_key(const std::filesystem::path& path, bool private_key) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) throw std::runtime_error(path.string() + ": cannot open key file");
  EVP_PKEY* key = private_key ? PEM_read_PrivateKey(f, nullptr, nullptr, nullptr)
                              : PEM_read_PUBKEY(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (key == nullptr) {
    throw std::runtime_error(path.string() + ": not a PEM " + (private_key ? "private" : "public") +
                             " key");
  }
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    throw std::runtime_error(path.string() + ": not an Ed25519 key");
  }
  return key;
}

std::string hex(const std::vector<uint8_t>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (uint8_t b : bytes) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 0xf]);
  }
  return s;
}

bool unhex(const std::string& text, std::vector<uint8_t>& out) {
  if (text.size() % 2 != 0) return false;
  out.clear();
  for (size_t i = 0; i < text.size(); i += 2) {
    unsigned v = 0;
    if (std::sscanf(text.c_str() + i, "%2x", &v) != 1) return false;
    out.push_back(static_cast<uint8_t>(v));
  }
  return true;
}

}  // namespace

std::string checkpoint_message(uint64_t sequence, const Digest& head, Timestamp created) {
  return "guiju-checkpoint-v1 " + std::to_string(sequence) + " " + to_hex(head) + " " +
         std::to_string(created);
}

CheckpointSigner::CheckpointSigner(const std::filesystem::path& private_key_pem)
    : key_(load_key(private_key_pem, true)) {}
CheckpointSigner::~CheckpointSigner() {
  EVP_PKEY_free(key_);
}

void CheckpointSigner::append(const std::filesystem::path& directory, uint64_t sequence,
                              const Digest& head, Timestamp created) {
  const std::string message = checkpoint_message(sequence, head, created);
  std::vector<uint8_t> signature(64);
  size_t size = signature.size();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key_) == 1 &&
      EVP_DigestSign(ctx, signature.data(), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || size != 64) throw std::runtime_error("OpenSSL: Ed25519 signing failed");

  const std::string line = std::to_string(sequence) + " " + to_hex(head) + " " +
                           std::to_string(created) + " " + hex(signature) + "\n";
  const auto path = directory / kFile;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(path.string() + ": cannot open for append");
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                       ::fdatasync(fd) == 0;
  ::close(fd);
  if (!written) throw std::runtime_error(path.string() + ": cannot write checkpoint");
}

CheckpointVerifier::CheckpointVerifier(const std::filesystem::path& public_key_pem)
    : key_(load_key(public_key_pem, false)) {}
CheckpointVerifier::~CheckpointVerifier() {
  EVP_PKEY_free(key_);
}

bool CheckpointVerifier::verify(const Checkpoint& c) const {
  const std::string message = checkpoint_message(c.sequence, c.head, c.created);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key_) == 1 &&
      EVP_DigestVerify(ctx, c.signature.data(), c.signature.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::vector<Checkpoint> read_checkpoints(const std::filesystem::path& directory,
                                         std::vector<std::string>* errors) {
  std::vector<Checkpoint> out;
  std::ifstream in(directory / kFile);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    std::istringstream fields(line);
    Checkpoint c;
    c.line = line_no;
    std::string head;
    std::string signature;
    if (!(fields >> c.sequence >> head >> c.created >> signature) || !from_hex(head, c.head) ||
        !unhex(signature, c.signature) || c.signature.size() != 64) {
      if (errors)
        errors->push_back("CHECKPOINTS line " + std::to_string(line_no) + " is malformed");
      continue;
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace guiju::journal
