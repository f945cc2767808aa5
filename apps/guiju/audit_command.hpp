#pragma once
// `guiju audit ...`: the compliance officer's tools over a journal directory.

#include <string>

namespace guiju {

// `guiju audit verify DIR`: framing, sequence continuity, the whole hash chain and the manifest.
// Prints what it checked and every problem with segment file, byte offset and sequence.
// Returns 0 when the journal is complete and untouched, 1 otherwise.
int audit_verify_command(const std::string& directory);

}  // namespace guiju
