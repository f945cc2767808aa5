#pragma once
// A journal record as one JSON object: the lines of `guiju audit export --format jsonl` and the
// body of the drop-copy feed's messages (core/dropcopy/), so a tool reading either sees the same
// names and values.
//
// Written directly rather than through a JSON library's object: the feed renders on the journal's
// writer thread, and building a tree of small allocations for every message cost that thread
// about four times what writing the text does (bench/dropcopy_bench.cpp).

#include <span>
#include <string>
#include <string_view>

#include "core/journal/record_fields.hpp"

namespace guiju::journal {

// A member to add to a record's object: `value` is written as a JSON string, or as it is when
// `number` (the caller has formatted it).
struct JsonMember {
  std::string_view key;
  std::string_view value;
  bool number = false;
};

// Appends the record as one compact JSON object, without a newline: sequence, type, the three
// times (ns since the epoch) and the ids the record names as numbers; every other field as
// RecordFields gives it, so prices and quantities stay decimal strings, exact as recorded; then
// `extra`. Keys are in byte order, and of two members with one key the later is kept (an extra
// overrides the record's own). Free text that is not UTF-8 (a venue's reject reason) has its bad
// bytes replaced with U+FFFD rather than making the line unreadable.
void append_record_json(std::string& out, const RecordFields& r,
                        std::span<const JsonMember> extra = {});
std::string record_json(const RecordFields& r);

}  // namespace guiju::journal
