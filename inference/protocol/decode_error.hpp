#pragma once
// Why a frame did not decode: the field, its byte offset in the frame, and what was wrong with
// it. Built without allocating (static texts and numbers), so the server's receive path can
// refuse a hostile frame as cheaply as it accepts a good one; describe() writes the sentence
// into a caller's buffer for the error reply.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace guiju::inference {

struct DecodeError {
  const char* field = nullptr;  // nullptr: no error
  uint32_t offset = 0;          // of the field in the frame
  const char* problem = "";
  uint64_t value = 0;  // what the frame said, when has_value
  uint64_t limit = 0;  // what was allowed, when has_limit
  bool has_value = false;
  bool has_limit = false;

  explicit operator bool() const { return field != nullptr; }

  static DecodeError at(const char* field_name, uint32_t field_offset, const char* what) {
    DecodeError e;
    e.field = field_name;
    e.offset = field_offset;
    e.problem = what;
    return e;
  }
  DecodeError& got(uint64_t v) {
    value = v;
    has_value = true;
    return *this;
  }
  DecodeError& allowed(uint64_t l) {
    limit = l;
    has_limit = true;
    return *this;
  }
};

// "rows at byte 28: is zero (got 0, allowed 4096)". Writes into buffer (truncating if it is too
// small) and returns the written part.
std::string_view describe(const DecodeError& error, std::span<char> buffer);
std::string describe(const DecodeError& error);

}  // namespace guiju::inference
