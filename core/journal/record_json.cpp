#include "core/journal/record_json.hpp"

#include <array>
#include <charconv>
#include <utility>
#include <vector>

#include "core/util/json_string.hpp"

namespace guiju::journal {

namespace {

struct Member {
  std::string_view key;
  std::string_view value;
  bool number = false;
};

}  // namespace

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
