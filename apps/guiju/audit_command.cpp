#include "apps/guiju/audit_command.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "core/clock/calendar.hpp"
#include "core/journal/query.hpp"
#include "core/journal/record_json.hpp"
#include "core/journal/verify.hpp"

namespace guiju {

namespace {

// "2026-11-27T01:30:00Z", "2026-11-27T01:30:00.5Z" or plain nanoseconds since the epoch.
std::optional<Timestamp> parse_time(const std::string& text) {
  if (text.empty()) return std::nullopt;
  int64_t ns = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), ns);
  if (ec == std::errc() && p == text.data() + text.size()) return ns;
  int y = 0;
  unsigned mo = 0;
  unsigned d = 0;
  unsigned h = 0;
  unsigned mi = 0;
  unsigned s = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%n", &y, &mo, &d, &h, &mi, &s, &consumed) !=
      6) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  const int64_t seconds_of_day = int64_t{h} * 3600 + int64_t{mi} * 60 + int64_t{s};
  Timestamp t = (days_from_civil(y, mo, d) * 86400 + seconds_of_day) * kSecond;
  auto i = static_cast<size_t>(consumed);
  if (i < text.size() && text[i] == '.') {
    int64_t scale = kSecond / 10;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, scale /= 10) {
      t += (text[i] - '0') * scale;
    }
  }
  if (i + 1 != text.size() || text[i] != 'Z') return std::nullopt;
  return t;
}

std::string csv_quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string id_text(int64_t v) {
  return v < 0 ? "" : std::to_string(v);
}
std::string instrument_text(InstrumentId i) {
  return i == kNoInstrument ? "" : std::to_string(i);
}

void print_text(std::ostream& out, const journal::RecordFields& r) {
  out << r.sequence << ' ' << format_utc(r.event_time) << ' ' << r.type;
  if (r.instrument != kNoInstrument) out << " instrument=" << r.instrument;
  if (r.account >= 0) out << " account=" << r.account;
  if (r.strategy >= 0) out << " strategy=" << r.strategy;
  for (const auto& [k, v] : r.fields) out << ' ' << k << '=' << v;
  out << '\n';
}

void print_csv(std::ostream& out, const journal::RecordFields& r) {
  std::string details;
  for (const auto& [k, v] : r.fields) {
    if (!details.empty()) details += ';';
    details += k;
    details += '=';
    details += v;
  }
  out << r.sequence << ',' << r.type << ',' << r.engine_time << ',' << r.event_time << ','
      << r.receive_time << ',' << instrument_text(r.instrument) << ',' << id_text(r.account) << ','
      << id_text(r.strategy) << ',' << csv_quote(details) << '\n';
}

void print_jsonl(std::ostream& out, const journal::RecordFields& r) {
  out << journal::record_json(r) << '\n';
}

}  // namespace

int audit_verify_command(const std::string& directory, const std::string& public_key) {
  std::unique_ptr<journal::CheckpointVerifier> verifier;
  if (!public_key.empty()) {
    try {
      verifier = std::make_unique<journal::CheckpointVerifier>(public_key);
    } catch (const std::exception& e) {
      std::cerr << "guiju audit: " << e.what() << "\n";
      return 2;
    }
  }
  const auto start = std::chrono::steady_clock::now();
  const journal::VerifyReport r = journal::verify_journal(directory, verifier.get());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.3f s, %.1f MB/s", seconds,
                seconds > 0 ? static_cast<double>(r.bytes) / 1e6 / seconds : 0.0);
  std::cout << "journal   " << directory << "\n"
            << "segments  " << r.segments << " (" << r.bytes << " bytes, read in " << rate << ")\n"
            << "records   " << r.records << " valid, sequences 1.." << r.last_sequence << "\n"
            << "head      " << journal::to_hex(r.head) << "\n"
            << "signed    " << r.checkpoints << " checkpoint(s), "
            << (verifier ? std::to_string(r.checkpoints_verified) + " verified with the public key"
                         : std::string("not checked (no --public-key)"))
            << "\n";
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

int audit_query_command(const AuditQueryArguments& args) {
  journal::QueryFilter filter;
  for (const auto& [text, slot, name] :
       {std::tuple{&args.from, &filter.from, "--from"}, std::tuple{&args.to, &filter.to, "--to"}}) {
    if (text->empty()) continue;
    *slot = parse_time(*text);
    if (!*slot) {
      std::cerr << "guiju audit: " << name << " '" << *text
                << "': expected UTC time like 2026-11-27T01:30:00Z or nanoseconds\n";
      return 2;
    }
  }
  if (args.instrument) filter.instrument = *args.instrument;
  if (args.account) filter.account = *args.account;
  if (args.strategy) filter.strategy = *args.strategy;
  if (args.order) filter.order = *args.order;
  if (!args.type.empty()) filter.type = args.type;
  if (args.format != "text" && args.format != "csv" && args.format != "jsonl") {
    std::cerr << "guiju audit: --format '" << args.format << "': expected text, csv or jsonl\n";
    return 2;
  }

  std::ofstream file;
  if (!args.output.empty()) {
    file.open(args.output, std::ios::trunc);
    if (!file) {
      std::cerr << "guiju audit: cannot write '" << args.output << "'\n";
      return 2;
    }
  }
  std::ostream& out = args.output.empty() ? std::cout : file;
  if (args.format == "csv") {
    for (const std::string& c : journal::common_columns()) out << c << ',';
    out << "details\n";
  }
  uint64_t count = 0;
  const std::string damage =
      journal::query_journal(args.directory, filter, [&](const journal::RecordFields& r) {
        ++count;
        if (args.format == "csv") {
          print_csv(out, r);
        } else if (args.format == "jsonl") {
          print_jsonl(out, r);
        } else {
          print_text(out, r);
        }
      });
  out.flush();
  std::cerr << count << " record(s)\n";
  if (!damage.empty()) {
    std::cerr << "guiju audit: journal damaged, stopped at " << damage
              << " (run guiju audit verify)\n";
    return 1;
  }
  return 0;
}

}  // namespace guiju
