#pragma once
// The journal's hash chain: SHA-256 through OpenSSL 3's EVP interface. The digest is fetched once
// and one context is reused for every record: the one-shot EVP_Digest() looks the algorithm up
// again on every call and is more than twice as slow on 128-byte records.

#include <filesystem>
#include <span>
#include <string>

#include "core/journal/record_format.hpp"

struct evp_md_st;
struct evp_md_ctx_st;

namespace guiju::journal {

class ChainHasher {
 public:
  ChainHasher();
  ~ChainHasher();
  ChainHasher(const ChainHasher&) = delete;
  ChainHasher& operator=(const ChainHasher&) = delete;

  // SHA-256(previous || a || b).
  Digest link(const Digest& previous, std::span<const std::byte> a, std::span<const std::byte> b);
  // SHA-256(bytes), through the same fetched digest and context.
  Digest hash(std::span<const std::byte> bytes);

 private:
  evp_md_st* md_;
  evp_md_ctx_st* ctx_;
};

// Plain SHA-256 of some bytes (parameters, files), outside the chain.
Digest sha256(std::span<const std::byte> bytes);
// SHA-256 of a file's bytes (configs, plugins); throws std::runtime_error naming the file when it
// cannot be read.
Digest sha256_file(const std::filesystem::path& path);

// Lower-case hex, for manifests, reports and error messages.
std::string to_hex(const Digest& d);
// Parses 64 hex digits; false on anything else.
bool from_hex(const std::string& text, Digest& out);

}  // namespace guiju::journal
