#pragma once
// SHA-256 of many independent messages at once, for verification. Checking a journal hashes
// millions of short records whose inputs do not depend on each other (each record stores the
// chain value it continues from), so the work is throughput-bound, not latency-bound:
//   - with the x86 SHA extensions, two messages go through the rounds interleaved. One
//     message's rounds are a dependency chain bound by the latency of SHA256RNDS2; a second,
//     independent message fills the idle issue slots, nearly doubling the rate per core;
//   - without them, each message goes through OpenSSL's EVP, as the writer does.
// The writer keeps OpenSSL's EVP for the chain it writes; this is an independent
// implementation of the same function, cross-checked against OpenSSL in the unit tests.

#include <cstddef>
#include <span>

#include "core/journal/chain_hash.hpp"
#include "core/journal/record_format.hpp"

namespace guiju::journal {

struct Message {
  const std::byte* data = nullptr;
  size_t size = 0;
};

class Sha256Batch {
 public:
  // use_cpu_extensions=false forces the OpenSSL path (tests compare the two).
  explicit Sha256Batch(bool use_cpu_extensions = true);

  // out[i] = SHA-256(messages[i]); out.size() must equal messages.size().
  void hash(std::span<const Message> messages, std::span<Digest> out);

  // True when the SHA extensions are in use.
  bool accelerated() const { return accelerated_; }

 private:
  bool accelerated_;
  ChainHasher fallback_;
};

// Whether this CPU has the x86 SHA extensions (CPUID leaf 7, EBX bit 29).
bool cpu_has_sha_extensions();

}  // namespace guiju::journal
