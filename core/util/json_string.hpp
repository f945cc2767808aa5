#pragma once
// Text as a JSON string literal, for the places that write JSON directly rather than through a
// library's object tree (the journal's record JSON, the drop-copy feed, the inference service's
// HTTP replies): one escaper, so that every one of them writes valid JSON for any bytes.

#include <string>
#include <string_view>

namespace guiju {

// Appends `s` as a JSON string, quotes included: `"` and `\` and control characters escaped
// (\n, \r, \t, \b, \f, else \u00XX), valid UTF-8 copied as it is, and each byte that is not
// part of a valid UTF-8 sequence (overlong forms, surrogates and code points past U+10FFFF
// included) replaced with U+FFFD, so text from outside (a venue's reject reason, a client's
// request id) never makes the output unreadable.
void append_json_string(std::string& out, std::string_view s);

}  // namespace guiju
