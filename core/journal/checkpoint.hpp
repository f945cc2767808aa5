#pragma once
// Signed checkpoints: from time to time the journal's writer signs (Ed25519, OpenSSL) the
// sequence and chain head it has committed, and appends the signature to CHECKPOINTS in the
// journal directory. The hash chain proves the journal is self-consistent; a signed checkpoint
// proves it is the journal the firm wrote: a tail rewritten with a fresh, consistent chain and
// manifest no longer matches a head that an auditor holding the public key has seen signed.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/journal/record_format.hpp"

struct evp_pkey_st;

namespace guiju::journal {

struct Checkpoint {
  uint64_t sequence = 0;
  Digest head{};
  Timestamp created = 0;
  std::vector<uint8_t> signature;  // 64 bytes
  int line = 0;                    // in CHECKPOINTS
};

// The exact bytes signed: "guiju-checkpoint-v1 <sequence> <head hex> <created ns>".
std::string checkpoint_message(uint64_t sequence, const Digest& head, Timestamp created);

class CheckpointSigner {
 public:
  // Loads an Ed25519 private key (PEM). Throws std::runtime_error naming the file.
  explicit CheckpointSigner(const std::filesystem::path& private_key_pem);
  ~CheckpointSigner();
  CheckpointSigner(const CheckpointSigner&) = delete;
  CheckpointSigner& operator=(const CheckpointSigner&) = delete;

  // Signs and appends one line to <directory>/CHECKPOINTS, synced to disk.
  void append(const std::filesystem::path& directory, uint64_t sequence, const Digest& head,
              Timestamp created);

 private:
  evp_pkey_st* key_;
};

class CheckpointVerifier {
 public:
  // Loads an Ed25519 public key (PEM). Throws std::runtime_error naming the file.
  explicit CheckpointVerifier(const std::filesystem::path& public_key_pem);
  ~CheckpointVerifier();
  CheckpointVerifier(const CheckpointVerifier&) = delete;
  CheckpointVerifier& operator=(const CheckpointVerifier&) = delete;

  bool verify(const Checkpoint& c) const;

 private:
  evp_pkey_st* key_;
};

// Reads <directory>/CHECKPOINTS. A malformed line is reported in `errors` with its line number.
std::vector<Checkpoint> read_checkpoints(const std::filesystem::path& directory,
                                         std::vector<std::string>* errors);

}  // namespace guiju::journal
