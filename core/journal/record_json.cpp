#include "core/journal/record_json.hpp"

#include <array>
#include <charconv>
#include <utility>
#include <vector>

namespace guiju::journal {

namespace {

// The length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one (overlong
// forms, surrogates and code points past U+10FFFF included).
size_t utf8_length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const auto tail = [&](size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c >= 0xC2 && c <= 0xDF) return tail(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!tail(1) || !tail(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
    if (c == 0xED && b(1) > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!tail(1) || !tail(2) || !tail(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;  // overlong
    if (c == 0xF4 && b(1) > 0x8F) return 0;  // past U+10FFFF
    return 4;
  }
  return 0;
}

struct Member {
  std::string_view key;
  std::string_view value;
  bool number = false;
};

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    // Most text needs no escaping: copy it a run at a time.
    size_t run = i;
    while (run < s.size() && static_cast<unsigned char>(s[run]) >= 0x20 &&
           static_cast<unsigned char>(s[run]) < 0x80 && s[run] != '"' && s[run] != '\\') {
      ++run;
    }
    if (run != i) {
      out.append(s.substr(i, run - i));
      i = run;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = utf8_length(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";  // U+FFFD for the one bad byte; the rest is read again
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

void append_record_json(std::string& out, const RecordFields& r,
                        std::span<const JsonMember> extra) {
  // The numbers' text lives here while the members point at it.
  std::array<std::array<char, 24>, 7> digits{};
  size_t used = 0;
  std::vector<Member> members;
  members.reserve(8 + r.fields.size() + extra.size());
  const auto number = [&](std::string_view key, auto value) {
    std::array<char, 24>& d = digits[used++];
    const auto end = std::to_chars(d.data(), d.data() + d.size(), value).ptr;
    members.push_back({key, std::string_view(d.data(), static_cast<size_t>(end - d.data())), true});
  };
  number("sequence", r.sequence);
  members.push_back({"type", r.type, false});
  number("engine_time", r.engine_time);
  number("event_time", r.event_time);
  number("receive_time", r.receive_time);
  if (r.instrument != kNoInstrument) number("instrument", r.instrument);
  if (r.account >= 0) number("account", r.account);
  if (r.strategy >= 0) number("strategy", r.strategy);
  for (const auto& [k, v] : r.fields) members.push_back({k, v, false});
  for (const JsonMember& m : extra) members.push_back({m.key, m.value, m.number});
  // Insertion sort: stable, allocates nothing, and quick for the twenty-odd members of a record.
  for (size_t i = 1; i < members.size(); ++i) {
    for (size_t j = i; j > 0 && members[j].key < members[j - 1].key; --j) {
      std::swap(members[j], members[j - 1]);
    }
  }

  out += '{';
  bool first = true;
  for (size_t i = 0; i < members.size(); ++i) {
    if (i + 1 < members.size() && members[i + 1].key == members[i].key) continue;  // later wins
    if (!first) out += ',';
    first = false;
    append_json_string(out, members[i].key);
    out += ':';
    if (members[i].number) {
      out += members[i].value;
    } else {
      append_json_string(out, members[i].value);
    }
  }
  out += '}';
}

std::string record_json(const RecordFields& r) {
  std::string out;
  append_record_json(out, r);
  return out;
}

}  // namespace guiju::journal
