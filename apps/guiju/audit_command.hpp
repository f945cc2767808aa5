#pragma once
// `guiju audit ...`: the compliance officer's tools over a journal directory.

#include <optional>
#include <string>

namespace guiju {

// `guiju audit verify DIR`: framing, sequence continuity, the whole hash chain and the manifest.
// Prints what it checked and every problem with segment file, byte offset and sequence.
// Returns 0 when the journal is complete and untouched, 1 otherwise.
// With a public key (PEM), every signed checkpoint is checked against the key and the chain.
int audit_verify_command(const std::string& directory, const std::string& public_key);

struct AuditQueryArguments {
  std::string directory;
  std::string from;  // UTC "YYYY-MM-DDTHH:MM:SS[.fraction]Z" or nanoseconds since the epoch
  std::string to;
  std::optional<unsigned> instrument;
  std::optional<unsigned> account;
  std::optional<unsigned> strategy;
  std::optional<unsigned long long> order;  // an order's whole story
  std::string type;                         // event type name, e.g. new_order
  std::string format = "text";              // text | csv | jsonl
  std::string output;                       // file; empty: standard output
};

// `guiju audit query` (text) and `guiju audit export` (csv, jsonl). Returns 0, 1 when the
// journal is damaged (records before the damage are still printed), 2 for bad arguments.
int audit_query_command(const AuditQueryArguments& args);

}  // namespace guiju
