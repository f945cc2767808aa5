// libFuzzer target for the journal's record reader: any bytes, read as a segment, must be either
// accepted record by record or reported as a located problem; never a crash, an out-of-bounds
// read or undefined behaviour (built with ASan and UBSan). Every record the reader accepts is
// also decoded into fields, as `guiju audit query` does. Run by scripts/fuzz.sh.

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/journal/record_fields.hpp"
#include "core/journal/segment_scan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  uint64_t fields = 0;
  const auto scan = guiju::journal::scan_segment_bytes(
      bytes, "fuzz.gjl", std::nullopt, std::nullopt,
      [&](const guiju::journal::RecordHeader& h, std::span<const std::byte> payload, uint64_t,
          const guiju::journal::Digest&) {
        fields += guiju::journal::record_fields(h, payload).fields.size();
      });
  // The reader's own account must be consistent with what it was given.
  if (scan.valid_end > size || scan.records > size) __builtin_trap();
  if (scan.problem && scan.problem->offset > size) __builtin_trap();
  return fields == UINT64_MAX ? 1 : 0;
}
