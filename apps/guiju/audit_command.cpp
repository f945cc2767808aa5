#include "apps/guiju/audit_command.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "core/journal/verify.hpp"

namespace guiju {

int audit_verify_command(const std::string& directory) {
  const auto start = std::chrono::steady_clock::now();
  const journal::VerifyReport r = journal::verify_journal(directory);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.3f s, %.1f MB/s", seconds,
                seconds > 0 ? static_cast<double>(r.bytes) / 1e6 / seconds : 0.0);
  std::cout << "journal   " << directory << "\n"
            << "segments  " << r.segments << " (" << r.bytes << " bytes, read in " << rate << ")\n"
            << "records   " << r.records << " valid, sequences 1.." << r.last_sequence << "\n"
            << "head      " << journal::to_hex(r.head) << "\n";
  if (r.ok()) {
    std::cout << "result    OK: framing, sequence and hash chain intact; manifest matches\n";
    return 0;
  }
  for (const journal::Problem& p : r.problems) {
    std::cout << "PROBLEM   " << journal::describe(p) << "\n";
  }
  std::cout << "result    FAILED: " << r.problems.size() << " problem(s)\n";
  return 1;
}

}  // namespace guiju
