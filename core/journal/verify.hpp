#pragma once
// Whole-journal verification, for `guiju audit verify` and for tests: every segment's framing,
// sequence continuity across the journal, the hash chain from the first record to the head, and
// the manifest's record of closed segments (which catches a deleted or replaced segment).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/journal/checkpoint.hpp"
#include "core/journal/segment_scan.hpp"

namespace guiju::journal {

struct VerifyReport {
  uint64_t segments = 0;
  uint64_t records = 0;
  uint64_t bytes = 0;
  uint64_t last_sequence = 0;
  Digest head{};
  uint64_t checkpoints = 0;           // signed checkpoints found
  uint64_t checkpoints_verified = 0;  // ... and checked against the public key and the chain
  std::vector<Problem> problems;      // empty: the journal is complete and untouched
  bool ok() const { return problems.empty(); }
};

// With a verifier, every signed checkpoint must verify and match the chain at its sequence.
VerifyReport verify_journal(const std::filesystem::path& directory,
                            const CheckpointVerifier* checkpoints = nullptr);

}  // namespace guiju::journal
