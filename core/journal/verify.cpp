#include "core/journal/verify.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include "core/journal/journal_writer.hpp"

namespace guiju::journal {

namespace {

struct ManifestEntry {
  uint64_t first = 0;
  uint64_t last = 0;
  Digest head{};
  int line = 0;
};

}  // namespace

VerifyReport verify_journal(const std::filesystem::path& directory,
                            const CheckpointVerifier* checkpoints) {
  VerifyReport report;
  auto problem = [&](std::string segment, uint64_t offset, uint64_t sequence, std::string what) {
    report.problems.push_back(
        Problem{std::move(segment), offset, sequence, std::move(what), false});
  };

  if (!std::filesystem::is_directory(directory)) {
    problem(directory.string(), 0, 0, "not a journal directory");
    return report;
  }
  std::map<std::string, ManifestEntry> manifest;
  {
    std::ifstream in(directory / "MANIFEST");
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty() || line[0] == '#') continue;
      std::istringstream fields(line);
      std::string file;
      std::string head;
      std::string date;
      ManifestEntry e;
      e.line = line_no;
      if (!(fields >> file >> e.first >> e.last >> head >> date) || !from_hex(head, e.head)) {
        problem("MANIFEST", 0, 0, "line " + std::to_string(line_no) + " is malformed");
        continue;
      }
      manifest[file] = e;
    }
  }

  // Checkpoints by sequence; each is matched when the scan passes its record.
  std::vector<std::string> checkpoint_errors;
  std::map<uint64_t, std::vector<Checkpoint>> signed_heads;
  for (Checkpoint& c : read_checkpoints(directory, &checkpoint_errors)) {
    ++report.checkpoints;
    signed_heads[c.sequence].push_back(std::move(c));
  }
  for (const std::string& e : checkpoint_errors) problem("CHECKPOINTS", 0, 0, e);
  auto check_signed = [&](uint64_t sequence, const Digest& chain, const std::string& segment) {
    const auto it = signed_heads.find(sequence);
    if (it == signed_heads.end()) return;
    for (const Checkpoint& c : it->second) {
      if (!checkpoints) continue;
      if (!checkpoints->verify(c)) {
        problem("CHECKPOINTS", 0, c.sequence,
                "line " + std::to_string(c.line) + ": signature does not verify with this key");
      } else if (c.head != chain) {
        problem(segment, 0, sequence,
                "chain hash differs from the signed checkpoint (CHECKPOINTS line " +
                    std::to_string(c.line) + "): the journal was rewritten");
      } else {
        ++report.checkpoints_verified;
      }
    }
    signed_heads.erase(it);
  };

  const auto segments = list_segments(directory);
  Digest previous{};
  uint64_t next = 1;
  for (size_t i = 0; i < segments.size(); ++i) {
    const auto& path = segments[i];
    const std::string name = path.filename().string();
    // Records are visited (sequentially) only when there are signed heads to match.
    const SegmentScan scan =
        signed_heads.empty()
            ? scan_segment(path, previous, next)
            : scan_segment(path, previous, next,
                           [&](const RecordHeader& h, std::span<const std::byte> /*payload*/,
                               uint64_t /*offset*/,
                               const Digest& chain) { check_signed(h.sequence, chain, name); });
    ++report.segments;
    report.bytes += scan.file_size;
    report.records += scan.records;
    if (scan.problem) {
      Problem p = *scan.problem;
      if (p.torn_tail && i + 1 == segments.size()) {
        p.what += " (an incomplete tail: the writer will cut it at its next start)";
      }
      report.problems.push_back(p);
      return report;  // past the first break the chain cannot be followed
    }
    const auto m = manifest.find(name);
    const bool last_segment = i + 1 == segments.size();
    if (m == manifest.end()) {
      if (!last_segment)
        problem(name, 0, scan.header.first_sequence, "segment missing from MANIFEST");
    } else {
      if (m->second.first != scan.header.first_sequence || m->second.last != scan.last_sequence ||
          m->second.head != scan.head) {
        problem(name, scan.valid_end, scan.last_sequence,
                "does not match MANIFEST line " + std::to_string(m->second.line) + " (records " +
                    std::to_string(m->second.first) + ".." + std::to_string(m->second.last) +
                    ", head " + to_hex(m->second.head) + "); the segment was altered or truncated");
        return report;
      }
      manifest.erase(m);
    }
    previous = scan.head;
    next = scan.records > 0 ? scan.last_sequence + 1 : scan.header.first_sequence;
    report.last_sequence = next - 1;
    report.head = scan.head;
  }
  if (checkpoints) {
    for (const auto& [sequence, list] : signed_heads) {
      problem("CHECKPOINTS", 0, sequence,
              "line " + std::to_string(list.front().line) + " signs sequence " +
                  std::to_string(sequence) + " but the journal ends at " +
                  std::to_string(report.last_sequence) + ": records were removed");
    }
  }
  for (const auto& [file, e] : manifest) {
    problem(file, 0, e.first,
            "listed in MANIFEST (records " + std::to_string(e.first) + ".." +
                std::to_string(e.last) + ") but missing from the journal directory");
  }
  return report;
}

}  // namespace guiju::journal
